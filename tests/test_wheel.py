"""fkj as pip and pipx install it: from its wheel, with the templates inside the package.

The wheel is built once for this module, from a copy of the repository so that the
build leaves nothing in the checkout. It goes into a fresh virtual environment
without its dependencies, which that environment borrows from this one through a
.pth file, and fkj runs there from a folder outside the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import docx
import pypdf
import pytest

from .conftest import ROOT, SHIPPED

PIP = [sys.executable, "-m", "pip"]
# The oldest setuptools that reads pyproject.toml's `license = "MIT"` (an SPDX expression).
SETUPTOOLS = 77
# Not copied for the build: the checkout's own environment, outputs and caches.
UNCOPIED = {".git", ".venv", "build", "dist", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"}
TEMPLATES = sorted(
    p.relative_to(ROOT / "templates").as_posix()
    for p in (ROOT / "templates").rglob("*")
    if p.is_file() and "__pycache__" not in p.parts
)


def _run(args: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def _check(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, f"{proc.args} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _setuptools_here() -> bool:
    """Whether this environment's setuptools can build fkj, so that no build needs the index."""
    try:
        return int(version("setuptools").split(".")[0]) >= SETUPTOOLS
    except (PackageNotFoundError, ValueError):
        return False


def _isolation() -> list[str]:
    # Without a recent enough setuptools here, pip fetches one into an isolated build environment.
    return ["--no-build-isolation"] if _setuptools_here() else []


def _templates_in(wheel: Path) -> list[str]:
    prefix = "fkj_cli/templates/"
    with zipfile.ZipFile(wheel) as zf:
        return sorted(n.removeprefix(prefix) for n in zf.namelist() if n.startswith(prefix))


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository, for the build's own build/ and egg-info."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        skip = {n for n in names if n == "__pycache__"}
        if Path(folder) == ROOT:
            skip |= {n for n in names if n in UNCOPIED or n.endswith(".egg-info")}
        return skip

    root = tmp_path_factory.mktemp("source") / "fkj"
    shutil.copytree(ROOT, root, ignore=ignore)
    return root


@pytest.fixture(scope="module")
def wheel(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built as `pip install .` and `pipx install .` build it."""
    out = tmp_path_factory.mktemp("wheel")
    _check(_run([*PIP, "wheel", "--no-deps", *_isolation(), "-w", out, source], cwd=out))
    [built] = out.glob("fkj-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh environment with fkj installed from the wheel; its dependencies are this environment's."""
    root = tmp_path_factory.mktemp("venv") / "venv"
    _check(_run([sys.executable, "-m", "venv", "--without-pip", root], cwd=root.parent))
    python = root / "bin" / "python"
    # Installed before the .pth below exists, so that pip sees no fkj already there.
    _check(_run([*PIP, "--python", python, "install", "--no-deps", "--no-index", wheel], cwd=root.parent))
    purelib = _check(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], root))
    # This environment's site-packages, and any other (a system one, one a .pth file adds).
    # A folder a .pth file adds has its own .pth files left unread, so the checkout's
    # editable install of fkj (a .pth file and a finder) stays out of the new environment.
    here = [sysconfig.get_paths()[k] for k in ("purelib", "platlib")]
    deps = dict.fromkeys(here + [p for p in sys.path if Path(p).name in {"site-packages", "dist-packages"}])
    (Path(purelib.strip()) / "_fkj_test_dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    return root


def test_the_wheel_carries_every_template(wheel: Path) -> None:
    assert "i18n/nb.yaml" in TEMPLATES and "pandoc/fkj.typ" in TEMPLATES
    assert _templates_in(wheel) == TEMPLATES


def test_a_wheel_built_from_the_sdist_carries_every_template(source: Path, tmp_path: Path) -> None:
    """`python -m build` makes the wheel from the sdist: MANIFEST.in must put templates/ in it."""
    if not _setuptools_here():
        pytest.skip(f"building an sdist here needs setuptools>={SETUPTOOLS} (make install brings it)")
    hook = "import sys; from setuptools import build_meta; build_meta.build_sdist(sys.argv[1])"
    _check(_run([sys.executable, "-c", hook, tmp_path / "sdist"], cwd=source))
    [sdist] = (tmp_path / "sdist").glob("fkj-*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
    assert {"setup.py", "MANIFEST.in"} <= names
    assert {f"templates/{t}" for t in TEMPLATES} <= names
    _check(_run([*PIP, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp_path / "wheel", sdist], tmp_path))
    [built] = (tmp_path / "wheel").glob("fkj-*.whl")
    assert _templates_in(built) == TEMPLATES


def test_the_installed_fkj_builds_from_outside_the_repository(venv: Path, tmp_path: Path) -> None:
    python, fkj = venv / "bin" / "python", venv / "bin" / "fkj"
    shutil.copytree(SHIPPED, tmp_path / "content")

    where = "import sysconfig, fkj_cli.render as r; print(sysconfig.get_paths()['purelib'], r.__file__, r.TEMPLATES)"
    purelib, render, templates = (Path(p).resolve() for p in _check(_run([python, "-c", where], tmp_path)).split())
    assert render == purelib / "fkj_cli" / "render.py"  # the wheel's fkj, not the checkout's editable one
    assert templates == purelib / "fkj_cli" / "templates"

    assert _check(_run([fkj, "--version"], tmp_path)).startswith("fkj ")
    assert "build" in _check(_run([fkj, "--help"], tmp_path))
    _check(_run([fkj, "validate"], tmp_path))
    _check(_run([fkj, "build", "decision-basis", "--kommune", "bergen"], tmp_path))

    out = tmp_path / "build" / "bergen"
    document = docx.Document(str(out / "decision-basis.docx"))
    assert any(p.style is not None and p.style.name == "Heading 1" for p in document.paragraphs)
    first = pypdf.PdfReader(out / "decision-basis.pdf").pages[0]
    assert first.extract_text().strip()
