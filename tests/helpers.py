"""What many test files share: running fkj, building documents, reading them back, the registers.

fkj's own modules are imported where they are used, so that a test file that needs
only the command line does not depend on the library's internal layout.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner, Result

from .conftest import ROOT

if TYPE_CHECKING:
    import docx.document
    import docx.table
    import pikepdf

    from fkj_cli.content.load import Content

# The type of the ``make_tree`` fixture (conftest.py): copy the shipped content, apply edits, return its root.
Maker = Callable[..., Path]

runner = CliRunner()

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# 42 real municipalities from the shared register (tests/fixtures/README.md), always here.
SAMPLE_REGISTER = FIXTURES / "kommuner-sample.json"
# Their predecessors in 2020–2023, and those predecessors' populations of 2021–2023.
SAMPLE_EARLIER = FIXTURES / "kommuner-2020-2023-sample.json"
SAMPLE_COUNTS = FIXTURES / "folketall-sample.json"
# What `fkj kommuner import` takes to give the sample municipalities all that the shipped register has.
SAMPLE_IMPORT = (SAMPLE_REGISTER, SAMPLE_EARLIER, SAMPLE_COUNTS)


# ---------------------------------------------------------------- the command line


def run_fkj(*args: str | Path) -> Result:
    """``fkj ARGS`` in this process, through typer's runner (stdout and stderr apart)."""
    from fkj_cli.cli import app

    return runner.invoke(app, [str(a) for a in args])


def invoke(*args: str | Path) -> tuple[int, str, str]:
    """``fkj ARGS``: (exit code, stdout, stderr)."""
    result = run_fkj(*args)
    return result.exit_code, result.stdout, result.stderr


def invoke_output(*args: str | Path) -> tuple[int, str]:
    """``fkj ARGS``: (exit code, stdout and stderr interleaved as a terminal shows them)."""
    result = run_fkj(*args)
    return result.exit_code, result.output


def build(*args: str | Path, out: Path | None = None) -> list[Path]:
    """``fkj build ARGS [--out OUT]``, which must succeed; the files it wrote, sorted.

    The output folder is ``out``, else the ``--out``/``-o`` among ``args``, else ``build/``.
    A file counts as written when it is new or was replaced (fkj writes each file anew
    and renames it into place); outputs that were up to date are not. The manifest and
    the lock (dot files) are left out.
    """
    argv = [str(a) for a in args]
    if out is not None:
        argv += ["--out", str(out)]
    folder = out if out is not None else _out_option(argv)
    before = _stats(folder)
    code, stdout, stderr = invoke("build", *argv)
    assert code == 0, stdout + stderr
    after = _stats(folder)
    return sorted(p for p, stat in after.items() if before.get(p) != stat)


def _out_option(argv: list[str]) -> Path:
    for i, arg in enumerate(argv):
        if arg in ("--out", "-o") and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--out="):
            return Path(arg.removeprefix("--out="))
    return Path("build")


def _stats(folder: Path) -> dict[Path, tuple[int, int, int]]:
    if not folder.is_dir():
        return {}
    found = (p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return {p: (s.st_ino, s.st_mtime_ns, s.st_size) for p in found for s in [p.stat()]}


# ---------------------------------------------------------------- reading documents back


def alt_texts(source: Path | bytes | pikepdf.Pdf | docx.document.Document) -> list[str]:
    """The alt texts of a document's images, in document order.

    A PDF (a path, its bytes, or an open ``pikepdf.Pdf``): every ``/Alt`` in its structure tree.
    A DOCX (a path, its bytes, or a python-docx ``Document``): the ``descr`` of each inline image.
    """
    import docx
    import pikepdf

    if isinstance(source, Path):
        source = source.read_bytes()
    if isinstance(source, bytes):
        if source.startswith(b"%PDF"):
            with pikepdf.open(io.BytesIO(source)) as pdf:
                return _pdf_alts(pdf.Root.StructTreeRoot, [])
        return alt_texts(docx.Document(io.BytesIO(source)))
    if isinstance(source, pikepdf.Pdf):
        return _pdf_alts(source.Root.StructTreeRoot, [])
    return [shape._inline.docPr.get("descr") for shape in source.inline_shapes]


def _pdf_alts(node: pikepdf.Object, found: list[str]) -> list[str]:
    import pikepdf

    if isinstance(node, pikepdf.Array):
        for child in node:
            _pdf_alts(child, found)
    elif isinstance(node, pikepdf.Dictionary):
        if "/Alt" in node:
            found.append(str(node.Alt))
        if "/K" in node:
            _pdf_alts(node.K, found)
    return found


def rows(table: docx.table.Table) -> list[list[str]]:
    """A DOCX table's cell texts, row by row."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def table_with(document: docx.document.Document, header: list[str]) -> list[list[str]]:
    """The rows of the first table whose header row is ``header``."""
    for table in document.tables:
        found = rows(table)
        if found and found[0] == header:
            return found
    raise AssertionError(f"no table with header {header}")


# ---------------------------------------------------------------- the registers


def shared_dir() -> Path:
    """The shared folder every developer and CI have beside the project: ``$FKJ_SHARED``, else ``../shared``."""
    return Path(os.environ.get("FKJ_SHARED") or ROOT.parent / "shared")


def shared_register() -> Path:
    """All 357 municipalities (``kommuner-2024.json``); it may be absent, see :data:`needs_shared_register`."""
    return shared_dir() / "data" / "kommuner-2024.json"


# For the few checks of figures that only the full register gives; each has a twin on SAMPLE_REGISTER.
needs_shared_register = pytest.mark.skipif(
    not shared_register().is_file(), reason=f"the shared register is not at {shared_register()} (set FKJ_SHARED)"
)


# ---------------------------------------------------------------- the library


def load_content(root: Path) -> Content:
    """The content tree at ``root`` through validation and the check of its texts, as `fkj validate` does it."""
    from fkj_cli.pipeline import prepare

    return prepare(root).content
