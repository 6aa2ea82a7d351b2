"""`fkj schema`: JSON Schemas from the models, checked in, named by every content file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from fkj_cli.schema import modeline, override_schema_name, render, schema_name, schemas

from .conftest import ROOT, SHIPPED
from .helpers import run_fkj

CHECKED_IN = ROOT / "schemas"
SHIPPED_FILES = sorted(p.relative_to(SHIPPED) for p in SHIPPED.rglob("*.yaml"))


def plain(value: Any) -> Any:
    """YAML data as JSON sees it: dates are strings (as yaml-language-server reads them)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((CHECKED_IN / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def errors(name: str, data: Any) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(plain(data))]


def test_checked_in_schemas_are_what_fkj_schema_writes() -> None:
    generated = schemas()
    on_disk = {p.name for p in CHECKED_IN.glob("*.json")}
    assert on_disk == set(generated), "run `fkj schema` and commit schemas/"
    for name, schema in generated.items():
        assert (CHECKED_IN / name).read_text(encoding="utf-8") == render(schema), f"schemas/{name} is stale"


def test_every_schema_is_a_valid_json_schema() -> None:
    for path in CHECKED_IN.glob("*.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("rel", SHIPPED_FILES, ids=str)
def test_shipped_files_name_their_schema_and_validate(rel: Path) -> None:
    depth = len(rel.parts)
    name = override_schema_name(rel.name) if rel.parts[0] == "overrides" else schema_name(rel.name)
    text = (SHIPPED / rel).read_text(encoding="utf-8")
    assert text.splitlines()[0] == modeline(name, depth)
    assert errors(name, yaml.safe_load(text)) == []


def test_schemas_catch_what_the_models_refuse() -> None:
    program = yaml.safe_load((SHIPPED / "program.yaml").read_text(encoding="utf-8"))
    program["funding"]["total"] = "194,4 MEUR"
    program["vision"] = {"nb": "x", "nnn": "y"}
    program["typo_key"] = 1
    found = errors("program.schema.json", program)
    assert any(e.startswith("funding.total:") for e in found)
    assert any(e.startswith("vision:") for e in found)
    assert any("typo_key" in e for e in found)
    register = yaml.safe_load((SHIPPED / "kommuner.yaml").read_text(encoding="utf-8"))
    slug = next(iter(register["kommuner"]))
    register["kommuner"][slug]["number"] = "9901"
    assert [e for e in errors("kommuner.schema.json", register) if e.startswith(f"kommuner.{slug}.number:")]


def test_types_have_string_schemas() -> None:
    defs = schemas()["program.schema.json"]["$defs"]
    assert defs["Money"]["type"] == "string" and "MNOK" in defs["Money"]["pattern"]
    assert defs["MonthDate"]["type"] == "string"
    assert {"type": "string", "minLength": 1} in defs["Text"]["anyOf"]
    month = jsonschema.Draft202012Validator(defs["MonthDate"])
    assert month.is_valid("2022-09") and month.is_valid("2022-06-30") and not month.is_valid("sept 2022")
    money = jsonschema.Draft202012Validator(defs["Money"])
    assert money.is_valid("91,4 MNOK") and money.is_valid("20 NOK") and not money.is_valid(91.4)


def test_override_schemas_require_nothing() -> None:
    generated = schemas()
    assert "decision-basis.override.schema.json" in generated
    assert '"required"' not in render(generated["decision-basis.override.schema.json"])
    assert errors("decision-basis.override.schema.json", {"title": "Bergen"}) == []
    assert errors("decision-basis.override.schema.json", {"titel": "Bergen"}) != []


def test_schema_command_writes_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "s"
    result = run_fkj("schema", "--out", out)
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == set(schemas())
    assert result.stdout.count("wrote ") == len(schemas())
    again = run_fkj("schema", "--out", out)
    assert again.exit_code == 0 and again.stdout.count("unchanged ") == len(schemas())
