"""`fkj review import`: a reviewer's Word comments and tracked changes, back into the YAML.

Each test builds a document, lets a reviewer (:mod:`tests.reviewer`) track
changes and comment in its DOCX as Word does, imports it, and reads back
the YAML, the report and what fkj says.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from fkj_cli import provenance
from fkj_cli.documents import document_type
from fkj_cli.errors import ContentError, FkjError, Problem
from fkj_cli.pipeline import prepare
from fkj_cli.targets import plan

from .helpers import Maker, build, invoke
from .reviewer import Note, Tracked, review
from .test_revisions import commit, git

NEED = "Høsten 2020 hadde kommunene"  # the mandate's text on the need: the program's own, in mandate.yaml
CHANGE = Tracked(NEED, "et stort antall", "mange")
HEADING = Tracked("Bakgrunn", "Bakgrunn", "Historikk")  # a heading the template writes
FIGURE = Tracked("Dette er forslaget", "(FKJI)", "")  # the company's short name, from program.yaml by {{ … }}
NOTE = Note("Arbeidet gjennomføres av", "stiftet i oktober 2021", "Kilde?")


def built(document: str, *args: str) -> Path:
    [path] = build(document, "--format", "docx", *args)
    return path


def content_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- what a DOCX says of itself


def test_a_docx_fkj_builds_says_what_it_was_built_from(make_tree: Maker) -> None:
    content = make_tree()
    path = built("decision-basis", "-k", "vinje")
    origin = provenance.read(path.read_bytes(), "x")
    assert (origin.document, origin.whom, origin.lang) == ("decision-basis", "vinje", "nn")
    prepared = prepare(content)
    [target] = plan(prepared.content, document_type("decision-basis"), ["vinje"], every=False)
    assert origin.revision == provenance.revision(prepared, target)
    # Word shows them as the document's custom properties
    custom = zipfile.ZipFile(path).read("docProps/custom.xml").decode("utf-8")
    assert 'name="fkj-document"><vt:lpwstr>decision-basis</vt:lpwstr>' in custom


# ---------------------------------------------------------------- reading a review


def test_each_change_and_comment_is_reported_where_it_is_and_nothing_is_written(make_tree: Maker) -> None:
    content = make_tree()
    reviewed = review(built("mandate"), Path("reviewed.docx"), [HEADING, FIGURE, CHANGE], [NOTE])
    before = content_bytes(content)
    code, out, err = invoke("review", "import", reviewed, "--report", "review.md")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "reviewed.docx: mandate for program (nb)",
        "to do by hand: deletion «(FKJI)» (Kari Revisor, 2023-01-10) at content/mandate.yaml:19:1 summary: "
        "the text comes from a computed figure or template code ({{ … }}), or is formatted in the YAML",
        "to do by hand: replacement «Bakgrunn» → «Historikk» (Kari Revisor, 2023-01-10): not inside one content "
        "text: it touches the template's own words, a computed figure or several texts",
        "comment: Kilde? (on «stiftet i oktober 2021») (Kari Revisor, 2023-01-10) at content/mandate.yaml:31:3 "
        "background.text: a comment: answer it in the content",
        "to apply: replacement «et stort antall» → «mange» (Kari Revisor, 2023-01-10) at content/mandate.yaml:52:3 "
        "purpose.need",
        "3 changes (1 can be applied, 2 to do by hand, 0 conflicts), 1 comment",
        "nothing written: --apply writes the changes that can be applied",
    ]
    assert content_bytes(content) == before
    report = Path("review.md").read_text(encoding="utf-8")
    assert report.splitlines()[0] == "# Review of mandate for program (nb)"
    assert "| 4 | replacement | content/mandate.yaml:" in report


def test_applying_writes_exactly_the_change_in_the_canonical_style_with_every_comment(make_tree: Maker) -> None:
    content = make_tree()
    reviewed = review(built("mandate"), Path("reviewed.docx"), [HEADING, CHANGE])
    mandate = content / "mandate.yaml"
    before = mandate.read_text(encoding="utf-8")
    code, out, err = invoke("review", "import", reviewed, "--apply", "--report", "review.csv")
    assert (code, err) == (0, ""), err
    assert out.splitlines()[-2:] == [
        "2 changes (1 applied, 1 to do by hand, 0 conflicts), 0 comments",
        "wrote content/mandate.yaml",
    ]
    after = mandate.read_text(encoding="utf-8")
    assert after == before.replace(
        "hadde kommunene et stort antall journalløsninger", "hadde kommunene mange journalløsninger"
    )
    assert invoke("fmt", "--check")[0] == 0
    assert invoke("validate")[0] == 0
    rows = list(csv.DictReader(io.StringIO(Path("review.csv").read_text(encoding="utf-8"))))
    assert [(r["what"], r["status"]) for r in rows] == [("replacement", "to do by hand"), ("replacement", "applied")]
    assert rows[1]["author"] == "Kari Revisor" and rows[1]["date"] == "2023-01-10"
    # the document built anew says it
    text = "\n".join(p.text for p in docx.Document(str(built("mandate"))).paragraphs)
    assert "Høsten 2020 hadde kommunene mange journalløsninger" in text


def test_redline_after_the_import_shows_exactly_the_applied_change(workdir: Path, make_tree: Maker) -> None:
    make_tree()
    git(workdir, "init", "--quiet", "--initial-branch=main")
    commit(workdir, "The shipped content")
    reviewed = review(built("mandate"), Path("reviewed.docx"), [CHANGE])
    assert invoke("review", "import", reviewed, "--apply")[0] == 0
    code, _, err = invoke("redline", "mandate", "--from", "HEAD", "--out", "redline.docx")
    assert code == 0, err
    xml = zipfile.ZipFile("redline.docx").read("word/document.xml").decode("utf-8")
    deleted = re.findall(r"<w:delText[^>]*>([^<]*)</w:delText>", xml)
    inserted = re.findall(r"<w:ins [^>]*>(?:<w:r>(?:<w:rPr>.*?</w:rPr>)?<w:t[^>]*>([^<]*)</w:t></w:r>)+", xml)
    assert "".join(deleted).split() == ["et", "stort", "antall"]
    assert "".join(inserted).split() == ["mange"]


# ---------------------------------------------------------------- shared texts and overrides

BACKGROUND = "I dag bruker kommunene"  # the decision basis's background: one text for every municipality


def test_a_shared_text_changed_in_one_kommunes_copy_waits_for_shared(make_tree: Maker) -> None:
    content = make_tree()
    reviewed = review(
        built("decision-basis", "-k", "bergen"), Path("r.docx"), [Tracked(BACKGROUND, "et stort antall", "mange")]
    )
    before = content_bytes(content)
    code, out, _ = invoke("review", "import", reviewed, "--apply")
    assert code == 0
    assert out.splitlines()[1].endswith(
        "the text is the same for every municipality: --shared changes it for all, or give Bergen its own "
        "in content/overrides/bergen/decision-basis.yaml under sections.background.nb"
    )
    assert content_bytes(content) == before
    code, out, _ = invoke("review", "import", reviewed, "--apply", "--shared")
    assert code == 0 and out.splitlines()[-1] == "wrote content/decision-basis.yaml"
    assert "I dag bruker kommunene mange journalløsninger" in (content / "decision-basis.yaml").read_text(
        encoding="utf-8"
    )


def test_a_text_from_an_override_is_changed_in_the_override(make_tree: Maker) -> None:
    override = (
        "sections:\n  background:\n    nb: |\n"
        "      I Bergen bruker kommunen et stort antall journalløsninger, som andre kommuner.\n"
    )
    content = make_tree({"overrides/bergen/decision-basis.yaml": override})
    shared = (content / "decision-basis.yaml").read_bytes()
    reviewed = review(
        built("decision-basis", "-k", "bergen"), Path("r.docx"), [Tracked("I Bergen", "et stort antall", "flere")]
    )
    code, out, err = invoke("review", "import", reviewed, "--apply")
    assert code == 0, err
    assert out.splitlines()[-1] == "wrote content/overrides/bergen/decision-basis.yaml"
    assert "I Bergen bruker kommunen flere journalløsninger" in (
        content / "overrides/bergen/decision-basis.yaml"
    ).read_text(encoding="utf-8")
    assert (content / "decision-basis.yaml").read_bytes() == shared


# ---------------------------------------------------------------- what is refused


def test_what_fkj_did_not_build_or_cannot_read_is_refused_and_nothing_is_written(make_tree: Maker) -> None:
    content = make_tree()
    before = content_bytes(content)
    Path("notes.docx").write_bytes(b"not a zip at all")
    other = docx.Document()
    other.add_paragraph("Et notat.")
    other.save("other.docx")
    good = built("mandate")
    with zipfile.ZipFile(good) as source, zipfile.ZipFile("damaged.docx", "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data[: len(data) // 2] if info.filename == "word/document.xml" else data)
    cases = {
        "notes.docx": "error: notes.docx: not a Word document, or a damaged one (File is not a zip file)",
        "other.docx": "error: other.docx: not a document fkj built (it has no fkj-document, fkj-for, fkj-lang, "
        "fkj-revision property); import the DOCX fkj wrote, as the reviewer saved it",
        "missing.docx": "error: missing.docx: cannot be read (no such file or directory)",
    }
    for name, message in cases.items():
        code, out, err = invoke("review", "import", name, "--apply")
        assert (code, out, err.strip()) == (1, "", message), name
    code, _, err = invoke("review", "import", "damaged.docx", "--apply")
    assert code == 1 and err.startswith("error: damaged.docx: a damaged Word document")
    code, _, err = invoke("review", "import", str(good), "--report", "review.txt")
    assert (code, err.strip()) == (1, "error: review.txt: a report is Markdown (.md) or CSV (.csv)")
    assert content_bytes(content) == before


def test_a_docx_from_another_revision_is_refused_unless_forced(make_tree: Maker) -> None:
    content = make_tree()
    other = Tracked("Mandatet sier hva", "hvilke rammer", "hvilke grenser")
    review(built("mandate"), Path("r.docx"), [CHANGE, other])
    mandate = content / "mandate.yaml"
    # the text of the second change is edited after the build
    mandate.write_text(
        mandate.read_text(encoding="utf-8").replace("hvilke rammer det har", "hvilke rammer arbeidet har"),
        encoding="utf-8",
    )
    edited = mandate.read_bytes()
    code, out, err = invoke("review", "import", "r.docx", "--apply")
    assert (code, out) == (1, "")
    assert err.strip() == (
        "error: r.docx: built from another revision of the content than the working tree: mandate for program "
        "has changed since; build it again and send that, or import with --force (then only changes whose "
        "original text is still there are applied)"
    )
    assert mandate.read_bytes() == edited
    code, out, err = invoke("review", "import", "r.docx", "--apply", "--force")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].endswith("built from another revision of the content (--force: only what still matches)")
    assert lines[-2] == "2 changes (1 applied, 0 to do by hand, 1 conflict), 0 comments"
    text = mandate.read_text(encoding="utf-8")
    assert "hadde kommunene mange journalløsninger" in text and "hvilke rammer arbeidet har" in text


def test_nothing_is_written_when_the_changes_would_make_the_content_invalid(
    make_tree: Maker, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = make_tree()
    reviewed = review(built("mandate"), Path("r.docx"), [CHANGE])
    before = content_bytes(content)
    real = prepare

    def failing(root: Path, *args: object) -> object:
        if "fkj-review-" in str(root):  # the copy the changes are checked in
            raise ContentError([Problem(f"{root}/mandate.yaml", 20, 3, "summary", "planted")])
        return real(root, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("fkj_cli.pipeline.prepare", failing)
    from fkj_cli.review.importer import import_review

    with pytest.raises(FkjError, match="the review's changes would make the content invalid; nothing written"):
        import_review(reviewed, apply=True)
    assert content_bytes(content) == before


# ---------------------------------------------------------------- as LibreOffice writes it


def test_a_review_saved_by_libreoffice_is_read_the_same(make_tree: Maker, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed here, so no round trip through it")
    content = make_tree()
    reviewed = review(built("mandate"), Path("r.docx"), [CHANGE], [NOTE])
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "docx",
         "--outdir", str(out), str(reviewed)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    code, output, err = invoke("review", "import", out / "r.docx", "--apply")
    assert code == 0, err
    assert "hadde kommunene mange journalløsninger" in (content / "mandate.yaml").read_text(encoding="utf-8")
    assert any(line.startswith("comment: Kilde?") for line in output.splitlines())
