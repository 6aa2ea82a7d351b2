"""`fkj schema`: the JSON Schemas of the content files."""

from __future__ import annotations

from pathlib import Path

from fkj_cli.commands import Lines


def run(out: Path) -> Lines:
    from fkj_cli.errors import display_path
    from fkj_cli.schema import write_schemas

    return Lines(
        [f"{'wrote' if changed else 'unchanged'} {display_path(path)}" for path, changed in write_schemas(out)]
    )
