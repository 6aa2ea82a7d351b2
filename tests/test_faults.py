"""A full or read-only disk, or a file where a folder should be, is the user's situation: exit 1, a plain
message naming the path, and nothing half-written.

Root ignores file permissions (and CI runs as root), so the operating system's
errors are simulated where fkj writes: in the rename that puts a file in place
or in the write of its temporary file.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from .conftest import copy_content
from .helpers import invoke_output


def files(root: Path) -> dict[str, int]:
    """Every file under ``root`` (relative path -> size), temporary files included."""
    return {p.relative_to(root).as_posix(): p.stat().st_size for p in sorted(root.rglob("*")) if p.is_file()}


@contextmanager
def failing_rename(code: int, when: Callable[[str], bool]) -> Iterator[None]:
    """os.replace raises ``code`` for a target path ``when`` accepts."""
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        if when(str(dst)):
            raise OSError(code, os.strerror(code), str(src))
        real(src, dst)

    with mock.patch("fkj_cli.write.os.replace", replace):
        yield


@contextmanager
def failing_write(code: int, when: Callable[[str], bool]) -> Iterator[None]:
    """Writing a temporary file beside a target ``when`` accepts fails half-way with ``code``."""
    real = os.fdopen

    class Half:
        def __init__(self, fh: Any, name: str) -> None:
            self.fh, self.name = fh, name

        def __enter__(self) -> Half:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, data: bytes) -> int:
            self.fh.write(data[: len(data) // 2])
            raise OSError(code, os.strerror(code))

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        fh = real(fd, *args, **kwargs)
        name = os.readlink(f"/proc/self/fd/{fd}")
        return Half(fh, name) if when(name) else fh

    with mock.patch("fkj_cli.write.os.fdopen", fdopen):
        yield


@pytest.fixture
def tree(workdir: Path) -> Path:
    copy_content(workdir / "content")
    return workdir


def test_out_is_a_file(tree: Path) -> None:
    (tree / "afile").write_text("x", encoding="utf-8")
    code, out = invoke_output("build", "decision-basis", "-k", "bergen", "-f", "md", "--out", "afile")
    assert (code, out) == (1, "error: afile: is a file, not a folder\n")
    code, out = invoke_output("build", "decision-basis", "-k", "bergen", "-f", "md", "--out", "afile/below")
    assert (code, out) == (1, "error: afile: is a file, not a folder\n")
    assert (tree / "afile").read_text(encoding="utf-8") == "x"


def test_out_cannot_be_created(tree: Path) -> None:
    code, out = invoke_output("build", "decision-basis", "-k", "bergen", "-f", "md", "--out", "/proc/fkj-nowhere")
    assert (code, out) == (1, "error: /proc/fkj-nowhere: cannot write here (no such file or directory)\n")


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (errno.ENOSPC, "build/bergen: the disk is full"),
        (errno.EROFS, "build/bergen: read-only file system"),
        (errno.EACCES, "build/bergen/decision-basis.docx: permission denied"),
    ],
)
def test_a_failed_write_leaves_nothing_behind(tree: Path, code: int, reason: str) -> None:
    with failing_write(code, lambda name: name.endswith(".tmp") and ".decision-basis.docx." in name):
        status, out = invoke_output("build", "decision-basis", "-k", "bergen", "-f", "md", "-f", "docx", "-j", "1")
    assert (status, out) == (1, f"error: Bergen: {reason}\n")
    # nothing of the document: its Markdown was staged but not renamed, and no temporary file is left
    assert [name for name in files(tree / "build") if not name.startswith(".fkj-")] == []


def test_earlier_outputs_are_untouched_and_the_next_build_completes(tree: Path) -> None:
    assert invoke_output("build", "decision-basis", "-k", "bergen", "-f", "md", "-j", "1")[0] == 0
    md = tree / "build" / "bergen" / "decision-basis.md"
    before = md.read_bytes()
    (tree / "content" / "overrides" / "bergen").mkdir(parents=True)
    (tree / "content" / "overrides" / "bergen" / "decision-basis.yaml").write_text(
        "status: Endret for Bergen\n", encoding="utf-8"
    )
    with failing_rename(errno.ENOSPC, lambda dst: dst.endswith(".md")):
        status, out = invoke_output("build", "decision-basis", "-k", "bergen", "-f", "md", "-j", "1")
    assert (status, out) == (1, "error: Bergen: build/bergen: the disk is full\n")
    assert md.read_bytes() == before
    assert not [p for p in (tree / "build").rglob("*.tmp")]
    status, out = invoke_output("build", "decision-basis", "-k", "bergen", "-f", "md", "-j", "1")
    assert (status, out.splitlines()[0]) == (0, "wrote build/bergen/decision-basis.md")
    assert "Endret for Bergen" in md.read_text(encoding="utf-8")


def test_a_full_disk_stops_a_batch_and_the_next_build_finishes_it(tree: Path) -> None:
    # the disk fills when the third decision basis is put in place
    seen: list[str] = []

    def third(dst: str) -> bool:
        if dst.endswith(".md"):
            seen.append(dst)
        return len(seen) >= 3

    with failing_rename(errno.ENOSPC, third):
        status, out = invoke_output("build", "decision-basis", "--all", "-f", "md", "-j", "1")
    assert status == 1
    lines = out.splitlines()
    assert "failed: decision-basis for Bodø: build/bodo: the disk is full" in lines
    assert "failed: decision-basis for Oslo: not kept: build: the disk is full" in lines
    assert "0 built, 0 up to date, 3 failed" in lines
    assert (
        "stopped: build/bodo: the disk is full; 6 not built. Make room and build again: what was written is kept "
        "and the rest is built."
    ) in " ".join(out.split("\n")).replace("  ", " ")
    # the full disk could not take the manifest either: what it would have recorded is removed, so that
    # nothing on disk is an output the manifest does not know
    assert [name for name in files(tree / "build") if not name.startswith(".fkj-")] == []
    status, out = invoke_output("build", "decision-basis", "--all", "-f", "md", "-j", "1")
    assert status == 0
    assert out.splitlines()[-1] == "9 built, 0 up to date, 0 failed"


def test_outputs_written_before_the_disk_filled_are_kept_when_recorded(tree: Path) -> None:
    # only documents fail to go in place; the manifest still can: the two written are whole and recorded
    seen: list[str] = []

    def third_document(dst: str) -> bool:
        if dst.endswith(".md"):
            seen.append(dst)
        return len(seen) >= 3 and dst.endswith(".md")

    with failing_rename(errno.ENOSPC, third_document):
        status, out = invoke_output("build", "decision-basis", "--all", "-f", "md", "-j", "1")
    assert status == 1
    built = sorted(p.parent.name for p in (tree / "build").rglob("decision-basis.md"))
    assert built == ["oslo", "stavanger"]
    status, out = invoke_output("build", "decision-basis", "--all", "-f", "md", "-j", "1")
    assert status == 0
    assert out.splitlines()[-1] == "7 built, 2 up to date, 0 failed"


def test_fmt_leaves_the_original_when_it_cannot_replace_it(tree: Path) -> None:
    path = tree / "content" / "program.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("\n  nb: ", "\n  nb:    ", 1), encoding="utf-8")  # fmt would fix that
    messy = path.read_bytes()
    with failing_rename(errno.EROFS, lambda dst: dst.endswith("program.yaml")):
        status, out = invoke_output("fmt", "content/program.yaml")
    assert (status, out) == (1, "error: content: read-only file system\n")
    assert path.read_bytes() == messy
    assert not [p for p in (tree / "content").rglob("*.tmp")]


def test_schema_and_import_report_the_disk(tree: Path) -> None:
    with failing_rename(errno.ENOSPC, lambda dst: True):
        status, out = invoke_output("schema", "--out", "schemas")
    assert (status, out) == (1, "error: schemas: the disk is full\n")
    register = tree / "register.json"
    register.write_text("[]", encoding="utf-8")
    kommuner = (tree / "content" / "kommuner.yaml").read_bytes()
    with failing_rename(errno.EACCES, lambda dst: True):
        status, out = invoke_output("kommuner", "import", str(register))
    assert status == 1
    assert (tree / "content" / "kommuner.yaml").read_bytes() == kommuner
