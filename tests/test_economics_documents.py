"""A municipality's own figures and charts in the decision basis and the memo."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pikepdf

from .conftest import replace, use_full_register
from .helpers import (
    SAMPLE_IMPORT,
    Maker,
    alt_texts,
    build,
    rows,
    run_fkj,
    table_with,
)

MODELS_NB = ["Pris per innbygger", "30\u00a0% likt fordelt, 70\u00a0% etter folketall", "Avgift etter størrelsesklasse"]
MODELS_NN = ["Pris per innbyggjar", "30\u00a0% likt fordelt, 70\u00a0% etter folketal", "Avgift etter storleiksklasse"]
ALL_NB = "Alle kommuner utenfor Midt-Norge deltar"
SHARE_NN = "Kommunar med 55 % av innbyggjarane deltek"
SHARE_NN_TEXT = SHARE_NN.replace(" %", "\u00a0%")  # as running text prints it


def plain(table: list[list[str]]) -> list[list[str]]:
    """Rows with non-breaking spaces (between digit groups, before %) read as spaces."""
    return [[cell.replace("\u00a0", " ") for cell in row] for row in table]


def images(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in sorted(z.namelist()) if n.startswith("word/media/")}


def test_bergen_sees_its_own_costs_by_hand(make_tree: Maker, workdir: Path) -> None:
    """The test register has 9 municipalities outside Midt-Norge with 1 477 080 inhabitants on 1 January
    2022, the latest count before the decision basis's date (15 November 2022).

    Each year the municipalities cover the cost less the state grants:
    150 MNOK in 2024–2026 and 250 MNOK in 2027–2033, 220 MNOK a year on average.
    Bergen (286 930 inhabitants, tier weight 25 of 149) pays, when all take part:
    - per inhabitant: 220 000 000 × 286 930 / 1 477 080 = 42 736 073,88
    - 30/70: 0,3 × 220 000 000 / 9 + 0,7 × 220 000 000 × 286 930 / 1 477 080 = 37 248 585,05
    - tiers: 220 000 000 × 25 / 149 = 36 912 751,68
    """
    make_tree()
    build("decision-basis", "-k", "bergen", "-f", "docx")
    document = docx.Document(str(workdir / "build" / "bergen" / "decision-basis.docx"))
    annual = plain(table_with(document, ["Scenario", *MODELS_NB]))
    assert annual[1] == [ALL_NB, "42 736 074", "37 248 585", "36 912 752"]
    per_inhabitant = [t for t in document.tables if rows(t)[0] == ["Scenario", *MODELS_NB]][1]
    # 42 736 073,88 / 286 930 = 148,94; 37 248 585,05 / 286 930 = 129,82; 36 912 751,68 / 286 930 = 128,65
    assert plain(rows(per_inhabitant))[1] == [ALL_NB, "148,94", "129,82", "128,65"]
    npv = plain(table_with(document, ["Scenario", "Kommuner som deltar", "Netto nåverdi (mill. kr)"]))
    assert [r[:2] for r in npv[1:]] == [
        [ALL_NB, "9"],
        ["Kommuner med 55 % av innbyggerne deltar", "2"],
        ["Bare samarbeidskommunene deltar", "8"],
    ]
    assert all(r[2].startswith("\u2212") for r in npv[1:])  # negative, with a minus sign
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Kommunen har 286\u00a0930 innbyggere, 19,4\u00a0% av innbyggerne" in text
    assert "Tallene i dette kapitlet er regnet ut fra forutsetningene nedenfor." in text
    assert "Bergen kommune har 19,4\u00a0% av innbyggerne." in text  # and has not decided, which goes unsaid
    # a table is pointed to by its caption, which the DOCX shows as the PDF does (the DOCX numbers no caption)
    assert "Tilskuddene for 2021 og 2022 står i tabellen «Statlig finansiering av samarbeidsprosjektet» ovenfor" in text
    assert not re.search(r"\b(tabell|figur) \d{1,2}\b", text, re.IGNORECASE)  # SSB's tabell 07459 is no caption


def test_four_charts_with_alt_text_in_docx_and_pdf_before_any_decision(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("decision-basis", "-k", "bergen")
    out = workdir / "build" / "bergen"
    document = docx.Document(str(out / "decision-basis.docx"))
    descr = alt_texts(document)
    assert len(descr) == 4  # no chart of the decisions until a municipality has decided
    assert descr[0] == (
        "Stolpediagram over gjennomsnittlig årlig kostnad for Bergen kommune 2024–2033 etter prismodell, "
        "i scenarioet «Alle kommuner utenfor Midt-Norge deltar»: Pris per innbygger: 42\u00a0736\u00a0074 kr; "
        "30\u00a0% likt fordelt, 70\u00a0% etter folketall: 37\u00a0248\u00a0585 kr; "
        "Avgift etter størrelsesklasse: 36\u00a0912\u00a0752 kr."
    )
    # the eight have too few inhabitants for the state's grants: 265,0 mill. kr a year over their 777 253
    assert "Bare samarbeidskommunene deltar: Pris per innbygger: 340,94 kr" in descr[1].replace("\u00a0", " ")
    # the municipality's net year by year, as the year table
    assert descr[2].startswith("Stolpediagram over forutsatt nytte minus kostnad per år for Bergen kommune: 2024: ")
    # society's NPV by the share taking part: the same for every municipality, the condition marked
    assert descr[3].startswith(
        "Stolpediagram over netto nåverdi for samfunnet etter andelen av innbyggerne som deltar: 10\u00a0%: "
    )
    assert "55\u00a0% (vilkåret): " in descr[3] and descr[3].endswith(" millioner kroner.")
    captions = [p.text for p in document.paragraphs if p.style.name == "Image Caption"]
    assert captions == [
        "Gjennomsnittlig årlig kostnad for kommunen etter prismodell, i scenarioet «Alle kommuner utenfor Midt-Norge "
        "deltar»",
        "Kostnad per innbygger etter scenario og prismodell",
        "Kommunens forutsatte nytte minus kostnad per år, i scenarioet «Alle kommuner utenfor Midt-Norge deltar», "
        "med prismodellen «Pris per innbygger»",
        "Netto nåverdi for samfunnet etter andelen av innbyggerne som deltar",
    ]
    with pikepdf.open(out / "decision-basis.pdf") as pdf:
        alts = set(alt_texts(pdf))
    assert set(descr) <= alts


def test_charts_are_the_same_bytes_for_the_same_figures(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("decision-basis", "-k", "bergen", "-k", "stavanger", "-f", "docx")
    bergen = images(workdir / "build" / "bergen" / "decision-basis.docx")
    stavanger = images(workdir / "build" / "stavanger" / "decision-basis.docx")
    assert len(bergen) == len(stavanger) == 4
    # cost charts differ with the municipality; the society chart is the same for everyone
    assert len(set(bergen.values()) & set(stavanger.values())) == 1
    first = dict(bergen)
    build("decision-basis", "-k", "bergen", "-f", "docx")
    assert images(workdir / "build" / "bergen" / "decision-basis.docx") == first


def test_nynorsk_and_a_scenario_vinje_is_not_part_of_unless_it_joins(make_tree: Maker, workdir: Path) -> None:
    """Vinje (3 755 inhabitants on 1 January 2022) is not among the largest that make up 55 %: its own
    document counts it with them, and says so, so that its council sees what it would pay."""
    make_tree()
    build("decision-basis", "-k", "vinje", "-f", "docx")
    document = docx.Document(str(workdir / "build" / "vinje" / "decision-basis.docx"))
    annual = plain(table_with(document, ["Scenario", *MODELS_NN]))
    # 220 000 000 × 3 755 / 1 477 080 = 559 279,1; 7 333 333,33 + 154 000 000 × 3 755 / 1 477 080 = 7 724 828,7;
    # 220 000 000 × 1 / 149 = 1 476 510,07
    assert annual[1][1:] == ["559 279", "7 724 829", "1 476 510"]
    # the 55 % of the test register are Oslo and Bergen (986 757 inhabitants); with Vinje 990 512, and the
    # state's grants (funded): 220 000 000 × 3 755 / 990 512 = 834 013,1; 66 000 000 / 3 + 154 000 000 × 3 755 /
    # 990 512 = 22 583 809,2; weights 25 + 25 + 1: 220 000 000 / 51 = 4 313 725,5
    # the row says Vinje is counted with them (the scenario's own count, elsewhere, is without it)
    assert annual[2] == [f"{SHARE_NN} (og Vinje kommune)", "834 013", "22 583 809", "4 313 725"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        f"I scenarioet «{SHARE_NN_TEXT}» er dei folkerikaste kommunane rekna med først, til dei til saman har delen av "
        "innbyggjarane. Vinje kommune er ikkje mellom dei. Tala viser kva kommunen betaler dersom han også "
        "deltek."
    ) in text
    # per inhabitant, in kroner and øre as the table writes it: 834 013,1, 22 583 809,2 and 4 313 725,5 over 3 755
    descr = alt_texts(document)
    assert (
        f"{SHARE_NN_TEXT} (og Vinje kommune): Pris per innbyggjar: 222,11 kr; "
        "30\u00a0% likt fordelt, 70\u00a0% etter folketal: 6\u00a0014,33 kr; "
        "Avgift etter storleiksklasse: 1\u00a0148,80 kr."
    ) in descr[1]


def test_a_scenario_the_municipality_takes_no_part_in_is_a_sentence_not_a_row(make_tree: Maker, workdir: Path) -> None:
    """Oslo is no collaboration municipality: «Bare samarbeidskommunene deltar» leaves it out. Its tables have no
    row of «deltar ikke» cells; a sentence says it, once."""
    make_tree()
    build("decision-basis", "-k", "oslo", "-f", "docx")
    document = docx.Document(str(workdir / "build" / "oslo" / "decision-basis.docx"))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "deltar ikke" not in cells
    annual = plain(table_with(document, ["Scenario", *MODELS_NB]))
    assert [r[0] for r in annual[1:]] == [ALL_NB, "Kommuner med 55 % av innbyggerne deltar"]
    text = "\n".join(p.text for p in document.paragraphs)
    sentence = "Scenarioet «Bare samarbeidskommunene deltar» omfatter ikke Oslo kommune."
    assert text.count(sentence) == 1


def test_commitments_move_the_coverage(make_tree: Maker, workdir: Path) -> None:
    make_tree(
        {
            "commitments.yaml": replace(
                "commitments: {}",
                "commitments:\n  bergen: {status: forpliktelse, date: 2022-11-01, body: bystyret}\n"
                "  oslo: {status: nei, date: 2022-11-02, body: bystyret}",
            )
        }
    )
    build("decision-basis", "-k", "bergen", "-k", "stavanger", "-f", "md")
    bergen = (workdir / "build" / "bergen" / "decision-basis.md").read_text(encoding="utf-8")
    stavanger = (workdir / "build" / "stavanger" / "decision-basis.md").read_text(encoding="utf-8")
    # of 1 January 2022: 286 930 / 1 477 080 = 19,4 %; 699 827 / 1 477 080 = 47,4 %; 55 % of 1 477 080 = 812 394,
    # so 525 464 short
    assert "Så langt har kommuner med 19,4\u00a0% av innbyggerne forpliktet seg, og det mangler 525\u00a0464" in bergen
    assert "Bergen kommune har 19,4\u00a0% av innbyggerne og har forpliktet seg." in bergen
    assert (
        "Forpliktet: 19,4\u00a0%, Opsjon: 0,0\u00a0%, Står utenfor: 47,4\u00a0%, Ikke behandlet: 33,2\u00a0%" in bergen
    )
    assert "Stavanger kommune har 9,8\u00a0% av innbyggerne." in stavanger


def test_every_municipality_outside_midt_norge_on_the_full_register(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    use_full_register(root)
    build("decision-basis", "--all", "-f", "md")
    built = sorted(p.parent.name for p in (workdir / "build").glob("*/decision-basis.md"))
    assert len(built) == 292
    assert "trondheim" not in built and "molde" not in built
    utsira = (workdir / "build" / "utsira" / "decision-basis.md").read_text(encoding="utf-8")
    # 55 % of the 4 685 291 inhabitants of 1 January 2022 is 2 576 910,05, and Utsira's own population
    assert (
        "Per 15. november 2022 har ingen kommuner forpliktet seg. Det trengs forpliktelser fra kommuner med "
        "2\u00a0576\u00a0911 innbyggere" in utsira
    )
    assert "Utsira kommune har under\u00a00,1\u00a0% av innbyggerne" in utsira
    # the society table's row at the condition counts the same inhabitants (rounded up, not to the nearest)
    assert "(vilkåret)** | **2\u00a0576\u00a0911** |" in utsira


def test_every_municipality_outside_midt_norge_on_the_sample_register(make_tree: Maker, workdir: Path) -> None:
    """The same on the sample register: 30 of its 42 municipalities are outside Midt-Norge."""
    root = make_tree()
    result = run_fkj("kommuner", "import", *SAMPLE_IMPORT, "--content", root)
    assert result.exit_code == 0, result.stdout
    build("decision-basis", "--all", "-f", "md")
    built = sorted(p.parent.name for p in (workdir / "build").glob("*/decision-basis.md"))
    assert len(built) == 30
    assert "trondheim" not in built and "molde" not in built
    utsira = (workdir / "build" / "utsira" / "decision-basis.md").read_text(encoding="utf-8")
    # 55 % of the 2 141 000 inhabitants of 1 January 2022 is 1 177 550, and none has committed
    assert "Det trengs forpliktelser fra kommuner med 1\u00a0177\u00a0550 innbyggere" in utsira
    assert "Utsira kommune har under\u00a00,1\u00a0% av innbyggerne" in utsira


def test_a_quote_in_a_label_survives_in_the_alt_text(make_tree: Maker, workdir: Path) -> None:
    make_tree(
        {"economics.yaml": replace("{nb: Alle kommuner utenfor Midt-Norge deltar,", "{nb: 'Alle \"290\" deltar',")}
    )
    build("decision-basis", "-k", "bergen", "-f", "docx")
    document = docx.Document(str(workdir / "build" / "bergen" / "decision-basis.docx"))
    descr = alt_texts(document)[0]
    assert 'i scenarioet «Alle "290" deltar»: Pris per innbygger' in descr
