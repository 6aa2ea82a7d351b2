"""Batch builds: workers, the manifest of what is up to date, the lock, and builds that are stopped."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from fkj_cli.build import Report, Request
from fkj_cli.build import run as run_build
from fkj_cli.documents import document_type, document_types
from fkj_cli.documents.kind import DocumentType
from fkj_cli.incremental import build_lock

from .conftest import ROOT, replace
from .helpers import Maker, load_content, run_fkj


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def outputs(out: Path) -> dict[str, bytes]:
    """The documents in ``out``, without the manifest and lock."""
    return {k: v for k, v in files(out).items() if not Path(k).name.startswith(".")}


def every_type() -> list[DocumentType]:
    """Every document type but the board's case, which builds what it approves in DOCX and PDF whatever the
    formats asked for (its own rebuilds are tested in test_board_case.py)."""
    return [d for d in document_types() if not d.approves]


def build(
    root: Path, out: Path, docs: list[str] | None = None, *, formats: tuple[str, ...] = ("md",), **kw: object
) -> Report:
    chosen = [document_type(d) for d in docs] if docs else every_type()
    request = Request(docs=chosen, every=True, formats=list(formats), out=out, content=root, **kw)  # type: ignore[arg-type]
    return run_build(request)


def built(report: Report) -> set[tuple[str, str]]:
    return {(o.target.doc.name, o.target.label) for o in report.outcomes if not o.skipped and not o.error}


def planned(root: Path, *docs: str) -> int:
    """How many documents the content makes of ``docs`` (of every type when none is named): counted
    from the registry and the plan, so that a new document type changes no test."""
    from fkj_cli.targets import every_target

    chosen = [document_type(d) for d in docs] if docs else every_type()
    return len(every_target(load_content(root), chosen))


def charts(root: Path) -> int:
    """How many charts the documents of every type show: all of their charts here, but the decision basis's
    chart of the decisions, which waits for a municipality to decide (none has here)."""
    from fkj_cli.targets import every_target

    content = load_content(root)
    assert not content.commitments.commitments
    return sum(len(t.doc.charts) - (t.doc.name == "decision-basis") for t in every_target(content, every_type()))


def test_serial_and_parallel_builds_are_the_same_bytes(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    serial = build(root, workdir / "serial", ["decision-basis"], formats=("docx", "pdf"), jobs=1)
    parallel = build(root, workdir / "parallel", ["decision-basis"], formats=("docx", "pdf"), jobs=2)
    assert len(built(serial)) == len(built(parallel)) == planned(root, "decision-basis")
    one, two = outputs(workdir / "serial"), outputs(workdir / "parallel")
    assert len(one) == 2 * planned(root, "decision-basis")
    assert one == two


def test_nothing_changed_nothing_built(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    first = build(root, workdir / "build")
    assert len(built(first)) == planned(root)
    before = files(workdir / "build")
    assert len([p for p in before if p.endswith(".png")]) == charts(root)  # beside the Markdown
    again = build(root, workdir / "build")
    assert again.outcomes == [] and not again.loaded and again.up_to_date == planned(root) + charts(root)
    assert files(workdir / "build") == before
    forced = build(root, workdir / "build", force=True)
    assert len(built(forced)) == planned(root)


def test_a_chart_beside_the_markdown_deleted_or_edited_is_drawn_again(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    build(root, workdir / "build", ["decision-basis"])
    chart = workdir / "build" / "vinje" / "decision-basis-samfunnsokonomi.png"
    drawn = chart.read_bytes()
    chart.unlink()
    assert built(build(root, workdir / "build", ["decision-basis"])) == {("decision-basis", "Vinje")}
    assert chart.read_bytes() == drawn
    chart.write_bytes(b"not a chart")
    assert built(build(root, workdir / "build", ["decision-basis"])) == {("decision-basis", "Vinje")}
    assert chart.read_bytes() == drawn
    assert built(build(root, workdir / "build", ["decision-basis"])) == set()


def test_one_municipality_override_rebuilds_only_its_document(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    build(root, workdir / "build")
    override = root / "overrides" / "bergen" / "decision-basis.yaml"
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text("summary:\n  nb: Bergen har sitt eget sammendrag.\n", encoding="utf-8")
    report = build(root, workdir / "build")
    # and Bergen's saksframlegg, which shows its decision basis's resolution
    assert built(report) == {("decision-basis", "Bergen"), ("saksframlegg", "Bergen")}
    # every Markdown and chart beside it, but Bergen's two documents and its decision basis's charts
    shown = len(document_type("decision-basis").charts) - 1  # no chart of the decisions: none has decided
    assert report.up_to_date == planned(root) - 2 + charts(root) - shown
    text = (workdir / "build" / "bergen" / "decision-basis.md").read_text(encoding="utf-8")
    assert "Bergen har sitt eget sammendrag." in text


def test_a_municipalitys_own_register_entry(make_tree: Maker, workdir: Path) -> None:
    """Vinje's organisation number is on its agreement only; its målform decides its own documents'
    language and the language of the hearing letter to it; its population is in everyone's shares."""
    root = make_tree()
    build(root, workdir / "build")
    text = (root / "kommuner.yaml").read_text(encoding="utf-8")
    (root / "kommuner.yaml").write_text(text.replace('"964964610"', '"974602989"'), encoding="utf-8")
    # its own documents only
    assert built(build(root, workdir / "build")) == {
        ("decision-basis", "Vinje"),
        ("agreement", "Vinje"),
        ("memo", "Vinje"),
        ("letter", "Vinje"),
        ("saksframlegg", "Vinje"),
    }
    (root / "kommuner.yaml").write_text(
        text.replace('"964964610"', '"974602989"').replace("2022-01-01: 3755,", "2022-01-01: 3900,"),
        encoding="utf-8",
    )
    report = build(root, workdir / "build")
    economics = {(d, k) for d, k in built(report) if d in ("decision-basis", "memo")}
    # every decision basis, as everyone's share moved; and every memo, since every document's digest
    # holds what documents use of the register (populations among it)
    assert len(economics) == planned(root, "decision-basis", "memo")


def test_a_letter_follows_its_recipients_malform(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    build(root, workdir / "build")
    edit = replace("    malform: nn\n", "    malform: nb\n")
    (root / "kommuner.yaml").write_text(edit((root / "kommuner.yaml").read_text(encoding="utf-8")), encoding="utf-8")
    report = build(root, workdir / "build")
    assert {(d, k) for d, k in built(report) if d != "hearing"} == {
        ("decision-basis", "Vinje"),
        ("agreement", "Vinje"),
        ("memo", "Vinje"),
        ("letter", "Vinje"),
        ("saksframlegg", "Vinje"),
    }
    assert {k for d, k in built(report) if d == "hearing"} == {"vinje"}


def test_a_template_rebuilds_every_document_that_uses_it(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    templates = workdir / "templates"  # a copy: the test never edits fkj's own templates
    shutil.copytree(ROOT / "templates", templates)
    build(root, workdir / "build", templates=templates)

    def edit(name: str, comment: str) -> Report:
        with (templates / name).open("a", encoding="utf-8") as fh:
            fh.write(comment)
        return build(root, workdir / "build", templates=templates)

    report = edit("decision-basis.md.j2", "\n{# a comment changes the template, not the text #}\n")
    assert {d for d, _ in built(report)} == {"decision-basis"}
    assert len(built(report)) == planned(root, "decision-basis")
    # a partial rebuilds the documents that include it: the list of sources, the decision bases (the
    # municipalities', KS's and the state's), the governance document and the mandate
    report = edit("_sources.md.j2", "{# a comment #}\n")
    assert {d for d, _ in built(report)} == {
        "decision-basis",
        "decision-basis-ks",
        "decision-basis-state",
        "governance",
        "mandate",
    }


def test_a_deleted_or_edited_output_is_rebuilt(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    build(root, workdir / "build")
    (workdir / "build" / "vinje" / "agreement.md").unlink()
    (workdir / "build" / "bodo" / "decision-basis.md").write_text("edited by hand", encoding="utf-8")
    report = build(root, workdir / "build")
    assert built(report) == {("agreement", "Vinje"), ("decision-basis", "Bodø")}
    assert "edited by hand" not in (workdir / "build" / "bodo" / "decision-basis.md").read_text(encoding="utf-8")


def test_a_change_in_formats_builds_only_the_new_format(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    build(root, workdir / "build", ["mandate"], formats=("md",))
    report = build(root, workdir / "build", ["mandate"], formats=("md", "docx"))
    [outcome] = report.outcomes
    assert not outcome.skipped and report.up_to_date == 0  # one target, written whole
    assert build(root, workdir / "build", ["mandate"], formats=("md", "docx")).up_to_date == 2


def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    with build_lock(workdir / "build"):
        result = run_fkj("build", "mandate", "-f", "md")
    assert result.exit_code == 1
    expected = (
        f"error: another fkj build is writing into build/ (pid {os.getpid()}); "
        "wait for it to finish, or build into another --out"
    )
    assert expected in " ".join(result.stderr.split())
    assert not (workdir / "build" / "program").exists()
    result = run_fkj("build", "mandate", "-f", "md")  # the lock went with its holder
    assert result.exit_code == 0, result.stderr


def test_a_killed_build_leaves_no_partial_output_and_the_next_completes_it(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    reference = workdir / "reference"
    build(root, reference, ["decision-basis"], formats=("docx",), jobs=1)
    out = workdir / "build"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "fkj_cli",
            "build",
            "decision-basis",
            "--all",
            "-f",
            "docx",
            "-j",
            "1",
            "--out",
            str(out),
        ],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("*/decision-basis.docx")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = outputs(out)
    assert 0 < len(done) < 9, "the build was to be stopped midway"
    expected = outputs(reference)
    assert all(done[name] == expected[name] for name in done)  # whatever is there is whole
    report = build(root, out, ["decision-basis"], formats=("docx",), jobs=1)
    assert len(built(report)) + report.up_to_date >= 9
    assert outputs(out) == expected
    assert not [p for p in out.rglob("*.tmp")]
