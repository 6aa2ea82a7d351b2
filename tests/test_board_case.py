"""The board's case: it lists every file it approves with its SHA-256 as built, and is built anew when one
changes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import docx
import pypdf
import pytest

from .conftest import replace
from .helpers import Maker, build, invoke, load_content, rows, table_with

APPROVED = ("decision-basis", "letter", "saksframlegg")  # for every municipality outside Midt-Norge
PROGRAM = ("decision-basis-ks", "decision-basis-state")
HEADINGS = [
    "Administrasjonens forslag til vedtak",
    "Saksopplysninger",
    "Dokumentene styret skal godkjenne",
    "Vurdering",
    "Videre prosess",
    "Vedlegg",
]  # a case for the board's decision: no list of sources
TABLE = ["Dokument", "Versjon", "Versjonsdato", "Utgaver", "Filer"]
LIST = Path("build/program/board-case.sha256")


def _letter(text: str) -> str:
    """The letter's text changed, in bokmål and in nynorsk."""
    nb = replace("Med underlaget følger et utkast", "Med underlaget følger også et utkast")
    return replace("Med grunnlaget følgjer eit utkast", "Med grunnlaget følgjer også eit utkast")(nb(text))


def _listed(workdir: Path) -> dict[str, str]:
    """The checksum list: file -> SHA-256, each line as ``sha256sum`` writes it."""
    text = (workdir / LIST).read_text(encoding="utf-8")
    lines = text.splitlines()
    assert all(re.fullmatch(r"[0-9a-f]{64}  \S+", line) for line in lines), text[:300]
    return {line[66:]: line[:64] for line in lines}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _in_scope(workdir: Path) -> list[str]:
    content = load_content(workdir / "content")
    excluded = content.program.commitment.excluded_counties
    return [s for s, k in content.register.kommuner.items() if k.county_number not in excluded]


@pytest.fixture
def built(make_tree: Maker, workdir: Path) -> Path:
    make_tree()
    build("board-case")
    return workdir


def test_the_case_lists_every_file_it_approves_and_its_digest_as_built(built: Path) -> None:
    listed = _listed(built)
    scope = _in_scope(built)
    assert len(scope) == 9  # the test register: the ten municipalities the program names, less Trondheim
    expected = {f"{slug}/{name}.{fmt}" for slug in scope for name in APPROVED for fmt in ("docx", "pdf")}
    expected |= {f"program/{name}.{fmt}" for name in PROGRAM for fmt in ("docx", "pdf")}
    assert set(listed) == expected
    for file, digest in listed.items():
        assert _sha256(built / "build" / file) == digest, file

    # the case prints the list's own digest, in the DOCX and in the PDF
    digest = _sha256(built / LIST)
    document = docx.Document(str(built / "build/program/board-case.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert digest in text
    pdf = "".join(page.extract_text() for page in pypdf.PdfReader(built / "build/program/board-case.pdf").pages)
    assert digest in pdf
    # the list is named, not a command or a build path: the board reads a case, not a shell session
    assert "Sjekksumlisten board-case.sha256 lister hver fil med sin SHA-256." in text
    assert "sha256sum" not in text and "program/board-case.sha256" not in text

    assert [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"] == HEADINGS
    assert "Styret fatter følgende vedtak:" in text
    assert "Styret godkjenner beslutningsunderlaget for kommunene, følgebrevet og utkastet til saksframlegg" in text
    # the assumptions are where they are listed; what no source says of the hearing and the quality
    # assurance is left to fill in, not passed over
    assert "Forutsetningene er listet i beslutningsunderlaget for kommunene." in text
    assert "som hvert beslutningsunderlag lister" not in text
    assert (
        "ekstern kvalitetssikring av styringsdokumentet, planlagt ferdig i september 2022: ________ (fylles ut)" in text
    )
    assert (
        "høring og forankring av styringsdokumentet, planlagt gjennomført i oktober 2022: ________ (fylles ut)" in text
    )
    info = dict(r for r in rows(document.tables[0]) if len(r) == 2)
    assert info["Saksnummer"] == info["Styremøte"] == "________ (fylles ut)"  # no source gives them

    # a row per approved document: its version, date, editions and files, the sum the list's length
    table = table_with(document, TABLE)
    body, total = table[1:-1], table[-1]
    assert [r[0] for r in body] == [
        "Beslutningsunderlag for kommunene",
        "Følgebrev til kommunene",
        "Utkast til saksframlegg",
        "Beslutningsunderlag for KS",
        "Beslutningsunderlag for nasjonale helsemyndigheter",
    ]
    assert all(r[1] == "1.0" and r[2] == "15.11.2022" for r in body)
    assert [r[3] for r in body] == ["9 kommuner: 8 bokmål, 1 nynorsk"] * 3 + ["Bokmål"] * 2
    assert [int(r[4]) for r in body] == [18, 18, 18, 2, 2]
    assert total[0] == "Sum" and int(total[4]) == len(listed) == 58


def test_a_change_to_an_approved_document_builds_the_case_anew(built: Path, make_tree: Maker) -> None:
    before = _listed(built)
    make_tree({"letter.yaml": _letter})
    written = {p.relative_to("build").as_posix() for p in build("board-case")}
    letters = {f for f in before if f.endswith(("/letter.docx", "/letter.pdf"))}
    case = {"program/board-case.docx", "program/board-case.pdf", "program/board-case.sha256"}
    assert written == letters | case  # the decision bases and the rest did not change
    after = _listed(built)
    assert {f for f in after if after[f] != before[f]} == letters
    for file in letters:
        assert _sha256(built / "build" / file) == after[file]
    text = "\n".join(p.text for p in docx.Document(str(built / "build/program/board-case.docx")).paragraphs)
    assert _sha256(built / LIST) in text

    # its own text changes only the case (its list is the same); nothing changed, nothing is built
    make_tree(
        {"letter.yaml": _letter, "board-case.yaml": replace("Til behandling i styret", "Til behandling i styremøtet")}
    )
    written = {p.relative_to("build").as_posix() for p in build("board-case")}
    assert written == case  # the list written anew, the same
    assert _listed(built) == after
    assert build("board-case") == []


def test_the_case_names_each_document_it_approves(make_tree: Maker) -> None:
    make_tree({"board-case.yaml": replace("  letter: Følgebrev til kommunene\n", "  mandate: Mandat\n")})
    code, out, err = invoke("validate")
    assert code == 1
    assert "content/board-case.yaml" in err + out
    assert "documents: name the approved document 'letter' here (what the case calls it)" in err + out
    assert (
        "documents.mandate: the case approves decision-basis, letter, saksframlegg, decision-basis-ks, "
        "decision-basis-state; 'mandate' is not one of them"
    ) in err + out
