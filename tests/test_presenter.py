"""One way to print: everything fkj writes to stdout or stderr goes through fkj_cli/present.py,
and cli.py only declares the options and hands them to a command."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

PACKAGE = ROOT / "fkj_cli"
PRESENTER = PACKAGE / "present.py"


def _name(node: ast.expr) -> str:
    """``typer.echo``, ``sys.stdout.write``, ``print``: a called expression as dotted text."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return "?"


def printing(path: Path) -> list[str]:
    """Where a module prints without the presenter: ``print``, ``echo`` (typer's or click's), a rich
    ``Console`` made, or a write to ``sys.stdout``/``sys.stderr``; each as ``line: call``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in {"typer", "click", "rich.console"}:
            names = {a.name for a in node.names} & {"echo", "secho", "Console"}
            found += [f"{node.lineno}: from {node.module} import {n}" for n in sorted(names)]
        if not isinstance(node, ast.Call):
            continue
        called = _name(node.func)
        last = called.rpartition(".")[2]
        if (
            called in {"print", "pprint", "echo", "secho"}
            or (called.startswith(("typer.", "click.")) and last in {"echo", "secho"})
            or last == "Console"
            or (called.startswith(("sys.stdout.", "sys.stderr.")) and last in {"write", "writelines"})
        ):
            found.append(f"{node.lineno}: {called}()")
    return sorted(found, key=lambda hit: int(hit.partition(":")[0]))


def test_the_walk_finds_every_way_to_print(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "import sys, typer\n"
        "from rich.console import Console\n"
        "print('a')\n"
        "typer.echo('b')\n"
        "Console(stderr=True).print('c')\n"
        "sys.stderr.write('d')\n"
        "out.echo('through the presenter')\n"
        "out.print('through the presenter')\n",
        encoding="utf-8",
    )
    assert printing(module) == [
        "2: from rich.console import Console",
        "3: print()",
        "4: typer.echo()",
        "5: Console()",
        "6: sys.stderr.write()",
    ]


def test_only_the_presenter_prints() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{hit}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PRESENTER
        for hit in printing(path)
    ]
    assert not found, "printing outside fkj_cli/present.py:\n" + "\n".join(found)


def test_the_cli_stays_a_declaration() -> None:
    """cli.py declares the options and dispatches; what a command does is in fkj_cli/commands/."""
    lines = len((PACKAGE / "cli.py").read_text(encoding="utf-8").splitlines())
    assert lines <= 300, f"fkj_cli/cli.py has {lines} lines; move what is not a declaration out"


def test_no_command_knows_typer() -> None:
    for path in sorted((PACKAGE / "commands").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        modules |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not {m for m in modules if m.split(".")[0] in {"typer", "click", "rich"}}, path.name
