"""What a reader sees of a page's make-up: a letter's own head, table numbers, what stays together."""

from __future__ import annotations

from pathlib import Path

import docx
import pypdf
import pytest

from fkj_cli.convert import Converter
from fkj_cli.resources import TEMPLATES

from .helpers import Maker, build


@pytest.fixture
def built(make_tree: Maker, workdir: Path) -> Path:
    make_tree()
    for doc in ("letter", "decision-basis", "hearing"):
        build(doc, *(("-k", "bergen") if doc != "hearing" else ()))
    return workdir / "build"


def _first_page(path: Path) -> str:
    return " ".join(pypdf.PdfReader(path).pages[0].extract_text().split())


def test_a_letter_opens_with_its_own_head_not_a_title_block(built: Path) -> None:
    """The letter's sender, recipient and date are in its head; the title block would say them again."""
    letter = docx.Document(str(built / "bergen/letter.docx"))
    styles = [p.style.name for p in letter.paragraphs if p.text.strip()]
    assert not {"Title", "Subtitle", "Author", "Date"} & set(styles)
    assert letter.core_properties.title == "Beslutningsunderlag om Felles kommunal journal"  # still its title
    page = _first_page(built / "bergen/letter.pdf")
    assert page.startswith("Avsender Mottaker Felles kommunal journal interim AS")
    assert "Til ordføreren" not in page  # the head names the recipient: no greeting says it again
    head = page.split("Beslutningsunderlag om Felles kommunal journal – kommu")[0]  # up to the subject line
    # the day it is sent is a blank, once, in the head (the board approves the mailing on the figures' date)
    assert head.endswith("Vår ref. Dato ________ (fylles ut) ________ (fylles ut) ")
    assert "15. november 2022" not in head and head.count("Bergen kommune") == 1
    hearing = _first_page(built / "hearing/hearing-hod.pdf")
    assert hearing.startswith("Helse- og omsorgsdepartementet Postboks 8011 Dep 0030 Oslo")
    # the day it is sent is a blank, once, in the head; the draft's date is not shown as the letter's
    head = hearing.split("Høring – oppdatert")[0]
    assert head.count("________ (fylles ut)") == 3 and "30. juni 2022" not in head  # reference, date, deadline
    # a report keeps its title block, with its version
    basis = docx.Document(str(built / "bergen/decision-basis.docx"))
    assert [p.text for p in basis.paragraphs if p.style.name == "Date"] == ["15. november 2022", "Versjon 1.0"]


def test_a_table_without_a_caption_takes_no_number(built: Path) -> None:
    """The decision basis's head is a table without a caption: the first captioned table is Tabell 1."""
    pages = pypdf.PdfReader(built / "bergen/decision-basis.pdf").pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    numbers = [int(part.split(":")[0]) for part in text.split("Tabell ")[1:] if part.split(":")[0].isdigit()]
    assert numbers[0] == 1 and numbers == sorted(set(numbers))


@pytest.mark.parametrize(
    ("markdown", "kept"),
    [
        ("Kommunen kan:\n\n- inngå avtale\n- stå utenfor\n", "#block(sticky: true)[\nKommunen kan:"),
        ("Tabellen:\n\n| A | B |\n|:--|:--|\n| 1 | 2 |\n", "#block(sticky: true)[\nTabellen:"),
        ("| Med vennlig hilsen\n| Ola Nordmann\n| KS\n", "#block(breakable: false)["),
    ],
)
def test_a_lead_in_stays_with_what_it_leads_into_and_a_closing_with_its_signature(markdown: str, kept: str) -> None:
    with Converter(TEMPLATES) as converter:
        typst = converter.convert(["typst"], markdown, epoch=0, resources=TEMPLATES, images={})["typst"].decode()
    assert kept in typst


def test_a_long_paragraph_before_a_list_may_end_a_page() -> None:
    """Only a short lead-in moves with what follows: a long paragraph would leave half a page empty."""
    markdown = "Ord " * 200 + "\n\n- en\n- to\n"
    with Converter(TEMPLATES) as converter:
        typst = converter.convert(["typst"], markdown, epoch=0, resources=TEMPLATES, images={})["typst"].decode()
    assert "Ord Ord" in typst and "#block(sticky: true)[\nOrd" not in typst


def test_a_greeting_the_editors_set_opens_the_letter(make_tree: Maker, workdir: Path) -> None:
    make_tree({"letter.yaml": lambda t: t + "greeting:\n  nb: Til ordføreren.\n  nn: Til ordføraren.\n"})
    build("letter", "-k", "bergen", "-f", "docx")
    letter = docx.Document(str(workdir / "build/bergen/letter.docx"))
    texts = [p.text for p in letter.paragraphs]
    subject = texts.index("Beslutningsunderlag om Felles kommunal journal – kommunens tilslutning")
    assert texts[subject + 1] == "Til ordføreren."
