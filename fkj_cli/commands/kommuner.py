"""`fkj kommuner import`: the register into kommuner.yaml."""

from __future__ import annotations

from pathlib import Path

from fkj_cli.commands import Lines


def run_import(files: list[Path], content: Path) -> Lines:
    from fkj_cli.register import import_register

    target = content / "kommuner.yaml"
    count, report = import_register(files, target)
    lines = [f"{target}: {count} kommuner", f"  new: {len(report.new)}"]
    lines += [f"  renamed: {number} {old} → {new}" for number, old, new in report.renamed]
    lines += [f"  removed (merged or gone): {slug}: {reason}" for slug, reason in report.merged]
    lines += [f"  population: {slug} {before} → {after}" for slug, before, after in report.population]
    return Lines(lines)
