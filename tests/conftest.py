"""Shared fixtures: copies of the shipped content tree that a test may break."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "content"
# The register tests build from: the ten municipalities the program names (the shipped one has all 357).
TEST_REGISTER = Path(__file__).resolve().parent / "fixtures" / "kommuner.yaml"

Edit = str | Callable[[str], str] | None


def copy_content(root: Path) -> Path:
    """A copy of the shipped content at ``root``, with the ten-municipality test register."""
    shutil.copytree(SHIPPED, root)
    text = TEST_REGISTER.read_text(encoding="utf-8").replace("../../schemas/", "../schemas/")
    (root / "kommuner.yaml").write_text(text, encoding="utf-8")
    return root


def use_full_register(root: Path) -> None:
    """Give the content tree at ``root`` the shipped register of all 357 municipalities."""
    shutil.copyfile(SHIPPED / "kommuner.yaml", root / "kommuner.yaml")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory, so that error paths read ``content/...``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def make_tree(workdir: Path) -> Callable[..., Path]:
    """Copy the shipped content to ``workdir/content``, with the ten-municipality test register, and apply edits.

    Each edit maps a file name to its new text, to a function of the old
    text, or to None to delete the file.
    """

    def make(edits: dict[str, Edit] | None = None) -> Path:
        root = workdir / "content"
        if root.exists():
            shutil.rmtree(root)
        copy_content(root)
        for name, edit in (edits or {}).items():
            path = root / name
            if edit is None:
                path.unlink()
            elif callable(edit):
                new = edit(path.read_text(encoding="utf-8"))
                assert new != path.read_text(encoding="utf-8"), f"edit of {name} changed nothing"
                path.write_text(new, encoding="utf-8")
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(edit, encoding="utf-8")
        return root

    return make


def replace(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    """An edit that replaces ``old`` (which must be there) by ``new``."""

    def edit(text: str) -> str:
        assert old in text, f"{old!r} not in the file"
        return text.replace(old, new, count)

    return edit


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line containing ``needle``."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")
