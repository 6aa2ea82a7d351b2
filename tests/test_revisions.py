"""Reviewing changes: `fkj diff` and `fkj redline` between git revisions, and `fkj textconv`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from fkj_cli.convert import pandoc_binary

from .conftest import copy_content, replace
from .helpers import build, invoke

AUTHOR = "Kari Nordmann"
# Fixed commit dates, so that the tracked changes carry a known date.
DATES = ["2024-03-01T10:00:00+00:00", "2024-03-02T12:30:00+00:00", "2024-03-03T08:15:00+00:00"]

# A set of edits and the exact report fkj diff gives for them.
EDITS: dict[str, Callable[[str], str]] = {
    "program.yaml": lambda t: replace('amount: "91,4 MNOK"', 'amount: "95,0 MNOK"')(
        replace('total: "194,4 MNOK"', 'total: "198,0 MNOK"')(replace("former_name: Akson journal\n", "")(t))
    ),
    "kommuner.yaml": lambda t: replace("2022-01-01: 3755,", "2022-01-01: 3900,")(
        replace("2024-01-01: 149048}\n    malform: neutral", "2024-01-01: 149048}\n    malform: nb")(t)
    ),
    "commitments.yaml": replace(
        "commitments: {}", "commitments:\n  bergen: {status: forpliktelse, date: 2022-11-01, body: Bystyret}"
    ),
    "mandate.yaml": replace("Kostnadsrammen og tidsrammen", "Kostnadsrammen, budsjettet og tidsrammen"),
}
NEW_YEAR = replace(
    '      basis: Prop. 1 S (2021–2022)\n  total: "194,4 MNOK"',
    '      basis: Prop. 1 S (2021–2022)\n    - year: 2023\n      amount: "50 MNOK"\n'
    '      basis: Prop. 1 S (2022–2023)\n  total: "244,4 MNOK"',
)
NO_PROCUREMENT = replace("  - Anskaffelser skal følge regelverket for offentlige anskaffelser.\n", "")
DIFF = """\
- program.former_name: Akson journal
  → decision-basis: all 9; saksframlegg: all 9; mandate; governance
program.funding.years.2022.amount: 91,4 → 95,0 MNOK
  → decision-basis: all 9; decision-basis-ks; decision-basis-state; letter: all 9; saksframlegg: all 9; mandate; \
governance (together with the other changes)
program.funding.total: 194,4 → 198,0 MNOK
  → decision-basis: all 9; decision-basis-ks; decision-basis-state; letter: all 9; saksframlegg: all 9; mandate; \
governance (together with the other changes)
kommuner.stavanger.malform: neutral → nb
  → no document
kommuner.vinje.population.2022-01-01: 3 755 → 3 900
  → decision-basis: all 9; decision-basis-ks; decision-basis-state; letter: all 9; saksframlegg: all 9
+ commitments.bergen: {status: forpliktelse, date: 01.11.2022, body: Bystyret}
  → decision-basis: all 9; decision-basis-ks; decision-basis-state; letter: all 9; saksframlegg: all 9
mandate.summary.nb: …har ansvaret for hva. Kostnadsrammen og tidsrammen for neste… → …har ansvaret for hva. \
Kostnadsrammen, budsjettet og tidsrammen for neste…
  → mandate
"""


def git(root: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ)
    env.update(
        GIT_AUTHOR_NAME=AUTHOR,
        GIT_AUTHOR_EMAIL="kari@example.no",
        GIT_COMMITTER_NAME=AUTHOR,
        GIT_COMMITTER_EMAIL="kari@example.no",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
    )
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    proc = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return proc.stdout


def edit(root: Path, edits: dict[str, Callable[[str], str]]) -> None:
    for name, change in edits.items():
        path = root / "content" / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.fixture
def repo(workdir: Path) -> Path:
    """A git repository in the working directory whose first commit is the shipped content."""
    copy_content(workdir / "content")
    git(workdir, "init", "--quiet", "--initial-branch=main")
    commit(workdir, "The shipped content")
    return workdir


def commit(root: Path, message: str) -> None:
    count = int(git(root, "rev-list", "--count", "--all"))
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", message, date=DATES[min(count, len(DATES) - 1)])


def pandoc_plain(docx: Path, *options: str) -> str:
    """The DOCX read back by the bundled pandoc, as plain text."""
    cmd = [str(pandoc_binary()), *options, str(docx), "--to=plain", "--wrap=none"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


# ---------------------------------------------------------------- diff


def test_diff_reports_each_change_with_the_documents_it_touches(repo: Path) -> None:
    edit(repo, EDITS)
    code, out, err = invoke("diff", "HEAD")
    assert code == 0, err
    assert out == DIFF
    commit(repo, "Edits")
    code, out, err = invoke("diff", "HEAD~1", "HEAD")
    assert (code, out) == (0, DIFF), err
    code, out, _ = invoke("diff", "HEAD", "HEAD~1")  # backwards: additions become removals
    assert out.splitlines()[0] == "+ program.former_name: Akson journal"
    assert "- commitments.bergen: {status: forpliktelse, date: 01.11.2022, body: Bystyret}" in out


def test_diff_of_list_items(repo: Path) -> None:
    edit(repo, {"program.yaml": NEW_YEAR, "mandate.yaml": NO_PROCUREMENT})
    code, out, err = invoke("diff", "HEAD")
    assert code == 0, err
    assert out == (
        "+ program.funding.years.2023: {year: 2023, amount: 50 MNOK, basis: Prop. 1 S (2022–2023)}\n"
        "  → decision-basis: all 9; decision-basis-state; mandate; governance (together with the other changes)\n"
        "program.funding.total: 194,4 → 244,4 MNOK\n"
        "  → decision-basis: all 9; decision-basis-state; mandate; governance (together with the other changes)\n"
        "- mandate.constraints[4]: Anskaffelser skal følge regelverket for offentlige…\n"
        "  → mandate\n"
    )


def diff_after(repo: Path, file: str, old: str, new: str) -> str:
    """What `fkj diff HEAD` says after one replacement in one content file."""
    edit(repo, {file: replace(old, new)})
    code, out, err = invoke("diff", "HEAD")
    assert code == 0, err
    return out


def test_diff_of_the_same_content_says_so(repo: Path) -> None:
    # comments and formatting are not content
    name = "name: Felles kommunal journal\n"
    out = diff_after(repo, "program.yaml", name, "# a new comment\nname: 'Felles kommunal journal'\n")
    assert out == "No changes in content between HEAD and the working tree.\n"


def test_diff_of_a_nynorsk_change_touches_only_that_kommune(repo: Path) -> None:
    # Bodø becomes nynorsk: its documents and the hearing letter to it change language, nobody else's
    bodo = "2024-01-01: 53712}\n    malform: "
    out = diff_after(repo, "kommuner.yaml", bodo + "neutral", bodo + "nn")
    assert out == (
        "kommuner.bodo.malform: neutral → nn\n"
        "  → decision-basis: bodo; letter: bodo; saksframlegg: bodo; agreement: bodo; memo: bodo; hearing: bodo\n"
    )


# A year's amount and the total that must match it: neither is valid content without the other.
NEW_AMOUNT = replace('amount: "91,4 MNOK"', 'amount: "95,0 MNOK"')
NEW_TOTAL = replace('total: "194,4 MNOK"', 'total: "198,0 MNOK"')


def test_a_change_that_cannot_stand_alone_is_credited_with_what_all_the_changes_touch(repo: Path) -> None:
    """Each change is tried alone on the old content; one that fails the content's own checks there
    (the total is the sum of the years) is credited with everything the changes together touch, and says so."""
    program = repo / "content" / "program.yaml"
    shipped = program.read_text(encoding="utf-8")
    for alone in (NEW_AMOUNT, NEW_TOTAL):
        program.write_text(alone(shipped), encoding="utf-8")
        code, _, err = invoke("validate")
        assert code == 1 and "is not the sum of the years" in err, err
    program.write_text(NEW_TOTAL(NEW_AMOUNT(shipped)), encoding="utf-8")
    code, out, err = invoke("diff", "HEAD")
    assert code == 0, err
    assert out.splitlines() == [
        "program.funding.years.2022.amount: 91,4 → 95,0 MNOK",
        "  → decision-basis: all 9; decision-basis-state; mandate; governance (together with the other changes)",
        "program.funding.total: 194,4 → 198,0 MNOK",
        "  → decision-basis: all 9; decision-basis-state; mandate; governance (together with the other changes)",
    ]


BERGEN_OVERRIDE = """\
# yaml-language-server: $schema=../../../schemas/decision-basis.override.schema.json
# Bergen treats the case as a byrådssak.
status: Til behandling i byrådet
resolution:
  lead: Byrådet i {{ kommune.name }} legger saken fram for bystyret med denne innstillingen.
"""


def test_diff_of_a_new_override_touches_only_that_kommunes_document(repo: Path) -> None:
    override = repo / "content" / "overrides" / "bergen" / "decision-basis.yaml"
    override.parent.mkdir(parents=True)
    override.write_text(BERGEN_OVERRIDE, encoding="utf-8")
    commit(repo, "Bergen's own decision basis")
    code, out, err = invoke("diff", "HEAD~1", "HEAD")
    assert code == 0, err
    assert out.splitlines() == [
        "+ overrides.bergen.decision-basis.status: Til behandling i byrådet",
        "  → decision-basis: bergen",
        "+ overrides.bergen.decision-basis.resolution: {lead: Byrådet i {{ kommune.name }} legger saken fram for…}",
        "  → decision-basis: bergen",
    ]
    code, out, err = invoke("diff", "HEAD", "HEAD~1")  # backwards: the override goes
    assert code == 0, err
    assert out.splitlines() == [
        "- overrides.bergen.decision-basis.status: Til behandling i byrådet",
        "  → decision-basis: bergen",
        "- overrides.bergen.decision-basis.resolution: {lead: Byrådet i {{ kommune.name }} legger saken fram for…}",
        "  → decision-basis: bergen",
    ]


def test_diff_errors_name_the_revision(repo: Path) -> None:
    code, _, err = invoke("diff", "no-such-tag")
    assert code == 1
    assert "error: unknown revision 'no-such-tag'" in err
    assert "Traceback" not in err

    shutil.copytree(repo / "content", repo / "elsewhere")
    code, _, err = invoke("diff", "HEAD", "--content", "elsewhere")
    assert code == 1
    assert "error: there is no elsewhere/ directory at HEAD" in err

    edit(repo, {"program.yaml": replace('total: "194,4 MNOK"', 'total: "194,4 kr"')})
    commit(repo, "A broken amount")
    edit(repo, {"program.yaml": replace('total: "194,4 kr"', 'total: "194,4 MNOK"')})
    code, _, err = invoke("diff", "HEAD")
    assert code == 1
    assert re.search(r"^HEAD:content/program\.yaml:\d+:\d+: funding\.total: .*unknown unit 'kr'", err, re.M), err
    assert "✗ 1 problem in 1 file at HEAD" in err


def test_diff_outside_a_repository(workdir: Path) -> None:
    copy_content(workdir / "content")
    code, _, err = invoke("diff", "HEAD")
    assert code == 1
    assert "is not in a git repository" in err


# ---------------------------------------------------------------- redline

MANDATE_EDITS: dict[str, Callable[[str], str]] = {
    "program.yaml": EDITS["program.yaml"],
    "mandate.yaml": lambda t: replace(  # a word in a paragraph
        "Kostnadsrammen og tidsrammen", "Kostnadsrammen, budsjettet og tidsrammen"
    )(
        replace(  # words in a list item
            "offentlige anskaffelser.", "offentlige anskaffelser og kravene til universell utforming."
        )(
            replace(  # a table cell
                "tar stilling til videreføring og", "tar stilling til videreføring, budsjett og"
            )(
                replace(  # a new paragraph
                    "    Tabellen viser rollene og ansvaret i det videre arbeidet.\n",
                    "    Tabellen viser rollene og ansvaret i det videre arbeidet.\n\n"
                    "    Rollene blir vurdert på nytt når den permanente organiseringen er besluttet.\n",
                )(
                    drop_paragraph("    Arbeidet gjennomføres av {{ fkji.name }}.")(  # a paragraph goes
                        replace("title: Forslag til mandat", "title: Forslag til nytt mandat")(t)  # the title
                    )
                )
            )
        )
    ),
}


def drop_paragraph(start: str) -> Callable[[str], str]:
    """An edit that removes the line starting with ``start`` (a paragraph of a block) and the blank after it."""

    def edit(text: str) -> str:
        new = re.sub(rf"^{re.escape(start)}.*\n\n", "", text, count=1, flags=re.M)
        assert new != text, start
        return new

    return edit


def build_docx(document: str, out: Path, *args: str) -> Path:
    [path] = build(document, "--format", "docx", *args, out=out)
    return path


def redline_path(stdout: str) -> Path:
    assert stdout.startswith("wrote "), stdout
    return Path(stdout.split(maxsplit=1)[1].strip())


def test_redline_accepts_to_the_new_rendering_and_rejects_to_the_old(repo: Path) -> None:
    old_docx = build_docx("mandate", repo / "old")
    edit(repo, MANDATE_EDITS)
    commit(repo, "Mandate edits")
    new_docx = build_docx("mandate", repo / "new")

    code, out, err = invoke("redline", "mandate", "--from", "HEAD~1", "--to", "HEAD")
    assert code == 0, err
    path = redline_path(out)
    head, first = (git(repo, "rev-parse", "--short=7", rev).strip() for rev in ("HEAD", "HEAD~1"))
    assert path == Path("build/program") / f"mandate-redline-{first}-{head}.docx"

    assert pandoc_plain(path, "--track-changes=accept") == pandoc_plain(new_docx)
    assert pandoc_plain(path, "--track-changes=reject") == pandoc_plain(old_docx)

    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    for kind in ("ins", "del"):
        marks = re.findall(rf'<w:{kind} w:id="\d+" w:author="([^"]*)" w:date="([^"]*)"', xml)
        assert marks, kind
        assert set(marks) == {(AUTHOR, "2024-03-02T12:30:00Z")}
    # the removed paragraph and the new one are removed and added whole, paragraph mark and all
    assert re.search(r"<w:rPr><w:del [^>]*/></w:rPr></w:pPr><w:del [^>]*><w:r><w:delText[^>]*>Arbeidet", xml)
    assert re.search(r"<w:rPr><w:ins [^>]*/></w:rPr></w:pPr><w:ins [^>]*><w:r><w:t[^>]*>Rollene", xml)
    # a changed phrase: only what is new is an insertion
    assert re.search(r"Kostnadsrammen</w:t></w:r><w:ins [^>]*><w:r><w:t[^>]*>, budsjettet</w:t>", xml)

    # the same again is the same bytes
    first_bytes = path.read_bytes()
    code, out, err = invoke("redline", "mandate", "--from", "HEAD~1", "--to", "HEAD")
    assert code == 0, err
    assert redline_path(out).read_bytes() == first_bytes


def test_redline_marks_whole_rows_and_list_items(repo: Path) -> None:
    """A row or list item removed or added whole is marked so in Word (w:trPr, the paragraph mark),
    so that accepting or rejecting leaves no empty row or bullet. (pandoc's reader ignores those
    two marks, so this is checked in the XML; LibreOffice's accept and reject honour them.)"""
    edit(repo, {"program.yaml": NEW_YEAR, "mandate.yaml": NO_PROCUREMENT})
    code, _, err = invoke("redline", "governance", "--from", "HEAD", "-o", "governance.docx")
    assert code == 0, err
    xml = zipfile.ZipFile("governance.docx").read("word/document.xml").decode("utf-8")
    row = re.search(r"<w:tr><w:trPr><w:ins [^>]*/></w:trPr>((?:(?!</w:tr>).)*)</w:tr>", xml, re.S)
    assert row is not None
    assert re.findall(r"<w:t[^>]*>([^<]*)</w:t>", row.group(1)) == ["2023", "50,0", "Prop. 1 S (2022–2023)"]
    assert "Prop. 1 S (2022–2023)" not in pandoc_plain(Path("governance.docx"), "--track-changes=reject")

    code, _, err = invoke("redline", "mandate", "--from", "HEAD", "-o", "mandate.docx")
    assert code == 0, err
    xml = zipfile.ZipFile("mandate.docx").read("word/document.xml").decode("utf-8")
    item = r"<w:numPr>(?:(?!</w:pPr>).)*<w:rPr><w:del [^>]*/></w:rPr></w:pPr><w:del [^>]*><w:r><w:delText[^>]*>Anskaff"
    assert re.search(item, xml)
    assert "Anskaffelser" not in pandoc_plain(Path("mandate.docx"), "--track-changes=accept")


FIGURES_AS_PARAGRAPHS = """\
function Figure(fig)
  local blocks = {}
  for _, b in ipairs(fig.content) do
    if b.t == "Plain" then b = pandoc.Para(b.content) end
    table.insert(blocks, b)
  end
  for _, b in ipairs(fig.caption.long) do
    table.insert(blocks, pandoc.Para(b.content))
  end
  return blocks
end
"""


def test_redline_with_charts_for_a_kommune(repo: Path) -> None:
    old_docx = build_docx("decision-basis", repo / "old", "-k", "bergen")
    edit(repo, {"kommuner.yaml": EDITS["kommuner.yaml"], "commitments.yaml": EDITS["commitments.yaml"]})
    new_docx = build_docx("decision-basis", repo / "new", "-k", "bergen")

    # --to defaults to the working tree; the changes are then fkj's, dated with the document
    code, out, err = invoke("redline", "decision-basis", "-k", "Bergen", "--from", "HEAD", "--out", "red.docx")
    assert code == 0, err
    path = redline_path(out)
    assert path == Path("red.docx")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert set(re.findall(r'<w:ins w:id="\d+" w:author="([^"]*)" w:date="([^"]*)"', xml)) == {
        ("fkj", "2022-11-15T00:00:00Z")
    }
    # every chart changed (society's too: Vinje's population is among everyone's): the old four are there
    # as deletions, the new as insertions, with the chart of the decisions the recorded one brings
    media = [n for n in zipfile.ZipFile(path).namelist() if n.startswith("word/media/")]
    assert len(media) == 4 + 5
    assert re.search(r"<w:del [^>]*><w:r><w:drawing>", xml)
    assert re.search(r"<w:ins [^>]*><w:r><w:drawing>", xml)

    # pandoc's reader does not see a figure whose image is a tracked change as a figure, but as
    # the image and its caption; read the builds the same way to compare the text
    filter_ = repo / "figures.lua"
    filter_.write_text(FIGURES_AS_PARAGRAPHS, encoding="utf-8")
    flat = f"--lua-filter={filter_}"
    assert pandoc_plain(path, "--track-changes=accept") == pandoc_plain(new_docx, flat)
    assert pandoc_plain(path, "--track-changes=reject") == pandoc_plain(old_docx, flat)


def test_redline_of_identical_versions_writes_nothing(repo: Path) -> None:
    edit(repo, {"mandate.yaml": EDITS["mandate.yaml"]})  # the decision basis does not show it
    commit(repo, "Mandate only")
    code, out, err = invoke("redline", "decision-basis", "-k", "bergen", "--from", "HEAD~1", "--to", "HEAD")
    assert code == 0, err
    assert out == "decision-basis for Bergen is identical at HEAD~1 and HEAD; no redline written\n"
    assert not (repo / "build").exists()


def test_redline_errors(repo: Path) -> None:
    code, _, err = invoke("redline", "mandate", "--from", "v9")
    assert (code, "error: unknown revision 'v9'" in err) == (1, True), err
    code, _, err = invoke("redline", "decision-basis", "--from", "HEAD")
    assert code == 1
    assert "name a kommune with --kommune" in err
    code, _, err = invoke("redline", "decision-basis", "-k", "trondheim", "--from", "HEAD")
    assert code == 1
    assert "Trondheim" in err and "Traceback" not in err


# ---------------------------------------------------------------- textconv


def test_textconv_prints_the_text_and_the_tracked_changes(repo: Path) -> None:
    docx = build_docx("mandate", repo / "out")
    code, out, err = invoke("textconv", str(docx))
    assert code == 0, err
    assert "Forslag til mandat for videreføring av Felles kommunal journal" in out
    assert "Kostnadsrammen og tidsrammen for neste fase fastsetter oppdragsgiverne" in out

    edit(repo, {"mandate.yaml": EDITS["mandate.yaml"]})
    code, out, err = invoke("redline", "mandate", "--from", "HEAD", "-o", "red.docx")
    assert code == 0, err
    code, out, err = invoke("textconv", "red.docx")
    assert code == 0, err
    assert re.search(r"Kostnadsrammen\[, budsjettet\]\{\.insertion author=\"fkj\" date=\"[^\"]+\"\} og", out), out

    code, _, err = invoke("textconv", "missing.docx")
    assert code == 1
    assert "missing.docx does not exist" in err
