"""`fkj schema`: a JSON Schema for each kind of content file, derived from the models.

Editors name a file's schema in its first line,
``# yaml-language-server: $schema=../schemas/program.schema.json``, and get
completion, hover text and checks as they type (VS Code with the YAML
extension, or any editor with yaml-language-server). The schemas are checked
in; a test keeps them equal to what the models say.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fkj_cli.content.load import content_models
from fkj_cli.documents import document_types
from fkj_cli.write import make_dir, write_text

DIALECT = "https://json-schema.org/draft/2020-12/schema"
OVERRIDE_SUFFIX = ".override"


def schema_name(content_file: str) -> str:
    """``program.yaml`` -> ``program.schema.json``."""
    return f"{Path(content_file).stem}.schema.json"


def override_schema_name(content_file: str) -> str:
    """``decision-basis.yaml`` -> ``decision-basis.override.schema.json``."""
    return f"{Path(content_file).stem}{OVERRIDE_SUFFIX}.schema.json"


def modeline(schema_file: str, depth: int = 1) -> str:
    """The first line naming the schema, for a file ``depth`` folders below the repository top."""
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{schema_file}"


def _partial(schema: Any) -> Any:
    """The schema without any required key: overrides set only what differs."""
    if isinstance(schema, dict):
        return {
            k: _partial(v)
            for k, v in schema.items()
            if not (k == "required" and isinstance(v, list)) and not (k == "minProperties" and isinstance(v, int))
        }
    if isinstance(schema, list):
        return [_partial(v) for v in schema]
    return schema


def schemas() -> dict[str, dict[str, Any]]:
    """Schema file name -> the schema, for every content file and every per-kommune override."""
    out: dict[str, dict[str, Any]] = {}
    per_kommune = {d.content_file for d in document_types() if d.scope == "kommune"}
    for name, model in content_models(document_types()).items():
        body = model.model_json_schema()
        out[schema_name(name)] = {
            "$schema": DIALECT,
            "title": f"content/{name}",
            **{k: v for k, v in body.items() if k != "title"},
        }
        if name in per_kommune:
            out[override_schema_name(name)] = {
                "$schema": DIALECT,
                "title": f"content/overrides/<kommune>/{name}: only what differs from content/{name}",
                **{k: v for k, v in _partial(body).items() if k != "title"},
            }
    return out


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(out: Path) -> list[tuple[Path, bool]]:
    """Write every schema under ``out``; return each path and whether it changed."""
    make_dir(out)
    written: list[tuple[Path, bool]] = []
    for name, schema in schemas().items():
        path = out / name
        text = render(schema)
        changed = not path.is_file() or path.read_text(encoding="utf-8") != text
        if changed:
            write_text(path, text)
        written.append((path, changed))
    return written
