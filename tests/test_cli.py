"""The command line through typer's runner: output and exit codes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, line_of, replace
from .helpers import Maker, invoke


def test_help_lists_commands() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    for command in ("validate", "build", "list"):
        assert command in out
    code, out, _ = invoke("build", "--help")
    assert code == 0 and "decision-basis" in out
    code, out, _ = invoke("build", "decision-basis", "--help")
    assert code == 0 and "--kommune" in out and "--all" in out and "--format" in out and "--out" in out


def test_python_dash_m_works() -> None:
    proc = subprocess.run([sys.executable, "-m", "fkj_cli", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0
    assert proc.stdout.startswith("fkj ")


def test_validate_shipped_content(make_tree: Maker) -> None:
    root = make_tree()
    code, out, err = invoke("validate")
    assert code == 0
    # the blanks the shipped content leaves to fill in (memo cases, the letter's references) are warnings
    warnings = len(err.splitlines())
    assert warnings > 0 and all(": warning: open field: " in line for line in err.splitlines())
    assert out == (
        f"✓ {len(list(root.rglob('*.yaml')))} content files valid (10 kommuner)\n"
        f"{warnings} warnings (--strict fails on them)\n"
    )


def test_validate_reports_every_problem_and_exits_1(make_tree: Maker) -> None:
    root = make_tree(
        {
            "kommuner.yaml": replace("malform: nn", "malform: nynorsk"),
            "program.yaml": replace("short_name: FKJ", "shortname: FKJ"),
        }
    )
    code, _, err = invoke("validate", "--content", str(root))
    assert code == 1
    malform = line_of(root / "kommuner.yaml", "malform: nynorsk")
    short = line_of(root / "program.yaml", "shortname: FKJ")
    assert err.splitlines() == [
        f"content/kommuner.yaml:{malform}:14: kommuner.vinje.malform: "
        "must be one of 'nb', 'nn' or 'neutral', not 'nynorsk'",
        "content/program.yaml:1:1: short_name: required key is missing",
        f"content/program.yaml:{short}:1: shortname: unknown key 'shortname'; did you mean 'short_name'?",
        "✗ 3 problems in 2 files",
    ]


def test_build_one_kommune_as_markdown(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    code, out, _ = invoke("build", "decision-basis", "--kommune", "Bærum", "--format", "md")
    assert code == 0, out
    assert out.splitlines() == [
        "wrote build/baerum/decision-basis.md",
        "wrote build/baerum/decision-basis-kostnad-prismodell.png",
        "wrote build/baerum/decision-basis-kostnad-per-innbygger.png",
        "wrote build/baerum/decision-basis-samfunnsokonomi.png",
        "wrote build/baerum/decision-basis-netto-per-ar.png",
    ]
    text = (workdir / "build/baerum/decision-basis.md").read_text(encoding="utf-8")
    assert "Bærum kommune" in text
    # every image the Markdown links is beside it, a PNG
    linked = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert linked == [
        "decision-basis-kostnad-prismodell.png",
        "decision-basis-kostnad-per-innbygger.png",
        "decision-basis-netto-per-ar.png",
        "decision-basis-samfunnsokonomi.png",
    ]  # no chart of the decisions before any municipality has decided
    assert all((workdir / "build/baerum" / name).read_bytes().startswith(b"\x89PNG") for name in linked)


@pytest.mark.parametrize("ref", ["bergen", "BERGEN", "4601", "Bergen"])
def test_kommune_by_slug_number_or_name(make_tree: Maker, workdir: Path, ref: str) -> None:
    make_tree()
    code, _, _ = invoke("build", "decision-basis", "-k", ref, "-f", "md", "--out", "out")
    assert code == 0
    assert (workdir / "out/bergen/decision-basis.md").is_file()


def test_unknown_kommune_suggests_the_closest(make_tree: Maker) -> None:
    make_tree()
    code, _, err = invoke("build", "decision-basis", "-k", "Bergn", "-f", "md")
    assert code == 1
    assert (
        err.strip()
        == "error: unknown kommune 'Bergn'; did you mean Bergen or Bærum? (`fkj list kommuner` shows them all)"
    )


def test_kommune_in_midt_norge_is_refused(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    code, _, err = invoke("build", "decision-basis", "-k", "trondheim", "-f", "md")
    assert code == 1
    assert err.strip() == (
        "error: decision-basis is for municipalities outside helseregion Midt-Norge; Trondheim (5001) is in Trøndelag"
    )
    assert not (workdir / "build").exists()


def test_build_all_with_one_failure(make_tree: Maker, workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fkj_cli import build
    from fkj_cli.errors import ConversionError

    make_tree()
    original = build.make

    def make(prepared: object, target: Any, formats: list[str], converter: object) -> dict[str, bytes]:
        if target.slug == "bodo":
            raise ConversionError("pandoc could not write DOCX: simulated")
        return original(prepared, target, formats, converter)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "make", make)
    # one process: the patch is in this one (parallel builds are tested in test_incremental)
    code, out, _ = invoke("build", "decision-basis", "--all", "-f", "md", "-j", "1")
    assert code == 1
    assert "failed: decision-basis for Bodø: pandoc could not write DOCX: simulated" in out
    assert "8 built, 0 up to date, 1 failed" in out
    built = sorted(p.parent.name for p in (workdir / "build").glob("*/decision-basis.md"))
    assert built == ["baerum", "bergen", "hammerfest", "kristiansand", "oslo", "ringsaker", "stavanger", "vinje"]


def test_broken_content_leaves_build_as_it_was(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    assert invoke("build", "decision-basis", "-k", "vinje", "-f", "md")[0] == 0
    before = {p: p.read_bytes() for p in (workdir / "build").rglob("*") if p.is_file()}
    make_tree({"decision-basis.yaml": replace("issuer: fkji", "issuer: fkj")})
    code, _, err = invoke("build", "decision-basis", "--all", "-f", "md")
    assert code == 1
    assert "issuer: unknown organisation 'fkj'; did you mean 'fkji'?" in err
    after = {p: p.read_bytes() for p in (workdir / "build").rglob("*") if p.is_file()}
    assert after == before


def test_list_kommuner_and_documents(make_tree: Maker) -> None:
    make_tree()
    code, out, _ = invoke("list", "kommuner")
    assert code == 0
    assert "Vinje" in out and "4036" in out and "nn" in out
    code, out, _ = invoke("list", "documents")
    assert code == 0 and out.startswith("decision-basis")


def test_a_bug_exits_3_with_a_log(make_tree: Maker, monkeypatch: pytest.MonkeyPatch) -> None:
    import fkj_cli.pipeline

    make_tree()

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(fkj_cli.pipeline, "validate", broken)
    code, _, err = invoke("validate")
    assert code == 3
    assert err.startswith("fkj hit a bug: ZeroDivisionError('division by zero')")
    log = Path(err.split("The traceback is in ")[1].split(";")[0])
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
    log.unlink()


def test_missing_content_directory(workdir: Path) -> None:
    code, _, err = invoke("validate", "--content", "nowhere")
    assert code == 1
    assert err.strip() == "error: content directory nowhere does not exist"


def test_a_reader_that_stops_reading_is_not_a_bug(make_tree: Maker, workdir: Path) -> None:
    """`fkj show … | head -1`: the pipe closes before fkj has written; it stops quietly, like other tools."""
    make_tree()
    proc = subprocess.Popen(
        [sys.executable, "-m", "fkj_cli", "show", "decision-basis", "-k", "bergen"],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 141
    assert err == ""
