"""The decision bases for KS and for the national health authorities, read back from DOCX and PDF.

Their figures are the municipalities' own, summed: the appendix lists every
municipality outside Midt-Norge, its amounts are those each municipality's
decision basis prints, and every total is the sum of its rows.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pypdf
import pytest

from .conftest import use_full_register
from .helpers import Maker, build, invoke, load_content, rows, table_with

WHO = ("innbygger", "innbyggjar")  # Vinje's decision basis is in nynorsk
MODELS = ["Pris per innbygger", "30\u00a0% likt, 70\u00a0% etter folketall", "Etter størrelse"]
# no municipality has decided by the documents' date: the appendix has no status column
APPENDIX = ["Kommune", "Folketall", *MODELS]


def _number(text: str) -> int:
    return int(text.replace("\u2212", "-").replace("\u00a0", "").replace(" ", "").replace("*", ""))


@pytest.fixture
def built(make_tree: Maker, workdir: Path) -> Path:
    use_full_register(make_tree())
    build("decision-basis-ks")
    build("decision-basis-state")
    build("decision-basis", "-k", "bergen", "-k", "vinje", "-k", "utsira")
    return workdir


@pytest.mark.parametrize(
    ("name", "headings", "resolution"),
    [
        (
            "decision-basis-ks",
            ["Sammendrag", "Forslag til vedtak", "Bakgrunn", "Rollene til KS", "Valget som skal tas",
             "Kostnader for kommunesektoren", "Tilslutning og vilkåret om forpliktelse", "Risiko for kommunesektoren",
             "Vedlegg: Kommunene utenfor helseregion Midt-Norge", "Kilder"],
            "KS’ hovedstyre tar beslutningsunderlaget for Felles kommunal journal til orientering.",
        ),
        (
            "decision-basis-state",
            ["Sammendrag", "Hva vi ber departementet om", "Bakgrunn",
             "Statens engasjement og finansiering så langt",
             "Valget som skal tas", "Tilslutning og vilkåret om forpliktelse", "Kostnader og finansiering",
             "Samfunnsøkonomisk analyse på nasjonalt nivå", "Forutsetninger",
             "Risiko for staten", "Vedlegg: Kommunene utenfor helseregion Midt-Norge", "Kilder"],
            "Felles kommunal journal interim AS ber Helse- og omsorgsdepartementet om å",
        ),
    ],
)  # fmt: skip
def test_a_sector_decision_basis_reads_back_with_its_appendix_and_totals(
    built: Path, name: str, headings: list[str], resolution: str
) -> None:
    document = docx.Document(str(built / f"build/program/{name}.docx"))
    assert [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"] == headings
    text = "\n".join(p.text for p in document.paragraphs)
    assert resolution in text
    # its appendix prints populations: it cites SSB's count of the date it shows
    assert "Statistisk sentralbyrå (SSB), tabell 07459, folkemengde 1. januar 2022" in text

    content = load_content(built / "content")
    excluded = content.program.commitment.excluded_counties
    # the municipalities, their names and populations as on the document's date
    register = content.register.on(content.document(name).date)
    scope = {s: k for s, k in register.kommuner.items() if k.county_number not in excluded}
    appendix = table_with(document, APPENDIX)
    body, total = appendix[1:-1], appendix[-1]
    assert len(body) == len(scope) == 292
    # every row reads differently: a name two municipalities share carries the county (Våler, Herøy)
    assert {r[0] for r in body} == {register.label(s) for s in scope}
    assert len({r[0] for r in body}) == 292 and {"Våler (Viken)", "Våler (Innlandet)"} <= {r[0] for r in body}
    assert total[0] == "Sum" and _number(total[1]) == sum(k.population for k in scope.values())
    # in Norwegian alphabetical order: æ, ø and å after z
    names = [r[0] for r in body]
    assert names.index("Aremark") < names.index("Bergen") < names.index("Øygarden") < names.index("Ål")
    assert names[-1].startswith("Å") and names == sorted(names, key=lambda n: n.startswith(("Æ", "Ø", "Å")))
    # the sum is what the municipalities cover: 2 200 million over ten years, 220 million a year whatever the
    # price model; the amounts above it are rounded to whole kroner, so their sum may differ by up to half a krone a row
    for column in (2, 3, 4):
        assert _number(total[column]) == 220_000_000
        assert abs(_number(total[column]) - sum(_number(r[column]) for r in body)) <= len(body) // 2
    assert "summen av dem kan derfor avvike noe fra summen nederst" in text

    # the amounts are what each municipality's own decision basis prints, in the same scenario
    by_name = {r[0]: r for r in body}
    for slug in ("bergen", "vinje", "utsira"):
        own = docx.Document(str(built / f"build/{slug}/decision-basis.docx"))
        costs = next(rows(t) for t in own.tables if rows(t)[0][:2] in (["Scenario", f"Pris per {w}"] for w in WHO))
        assert costs[1][0] in ("Alle kommuner utenfor Midt-Norge deltar", "Alle kommunar utanfor Midt-Noreg deltek")
        assert by_name[register.kommuner[slug].name][2:5] == costs[1][1:4], slug

    # the scenario totals in the body are the appendix's sums, in millions
    # (one column: the sum is the same whatever the price model)
    totals = table_with(document, ["Scenario", "Kommuner", "Mill. kr per år"])
    assert totals[1][:2] == ["Alle kommuner utenfor Midt-Norge deltar", "292"]
    for column in (2, 3, 4):
        assert totals[1][2] == f"{_number(total[column]) / 1_000_000:.1f}".replace(".", ",")

    pdf = " ".join(
        " ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(built / f"build/program/{name}.pdf").pages
    )
    assert "Vedlegg: Kommunene utenfor helseregion Midt-Norge" in pdf
    assert resolution in pdf
    # the populations are the register's: its source is listed, after the appendix that prints them
    assert text.split("Faktaopplysningene i dokumentet er hentet fra disse kildene.")[1].count("Statistisk sentralbyrå")


def test_the_state_sees_its_grants_as_sourced_and_societys_npv_by_participation(built: Path) -> None:
    document = docx.Document(str(built / "build/program/decision-basis-state.docx"))
    grants = table_with(document, ["År", "Tilskudd", "Grunnlag"])
    assert [r[:2] for r in grants[1:]] == [["2021", "103,0"], ["2022", "91,4"], ["Sum", "194,4"]]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Beregningene forutsetter at staten gir tilskudd på til sammen 450 millioner kroner i 2024–2026." in text
    # the year between the last grant and the first computed year is named, not passed over
    assert "Hva staten bidrar med etter 2022, er ikke avgjort. Beregningene omfatter ikke 2023." in text
    society = table_with(document, ["Andel av innbyggerne som deltar", "Innbyggere", "Netto nåverdi (mill. kr)"])
    bergen = docx.Document(str(built / "build/bergen/decision-basis.docx"))
    # the same computation as the municipalities' own decision basis shows
    assert society == table_with(bergen, ["Andel av innbyggerne som deltar", "Innbyggere", "Netto nåverdi (mill. kr)"])
    # before any decision, a sentence, not a table of one row of 100 % «Ikke behandlet»
    assert (
        "Per 15. november 2022 har ingen av de 292 kommunene behandlet beslutningsunderlaget. For å oppfylle "
        "vilkåret trengs forpliktelser fra kommuner med 2\u00a0576\u00a0911 innbyggere."
    ) in text
    assert not any(rows(t)[0] == ["Status", "Kommuner", "Innbyggere", "Andel"] for t in document.tables)


def test_the_decisions_are_a_table_once_a_municipality_has_decided(make_tree: Maker, workdir: Path) -> None:
    use_full_register(make_tree())
    code, _, err = invoke("decision", "record", "bergen", "forpliktelse", "--date", "2022-11-01", "--body", "Bystyret")
    assert code == 0, err
    build("decision-basis-ks")
    document = docx.Document(str(workdir / "build/program/decision-basis-ks.docx"))
    status = table_with(document, ["Status", "Kommuner", "Innbyggere", "Andel"])
    assert status[1][:2] == ["Forpliktet", "1"] and status[-2][:2] == ["Ikke behandlet", "291"]
    assert status[-1][1] == "292" and sum(_number(r[1]) for r in status[1:-1]) == 292
    assert "har ingen av de" not in "\n".join(p.text for p in document.paragraphs)


def test_a_sector_decision_basis_lists_the_assumptions_of_what_it_shows(built: Path) -> None:
    """Both list the assumptions their figures are computed from; only what the document shows: KS's has no
    benefit, present value or sensitivity; the state's has society's present value but no sensitivity analysis."""
    for name, listed in (
        ("decision-basis-ks", {"Kommunene", "Programmets kostnader", "Statlige tilskudd", "Prismodeller"}),
        ("decision-basis-state", {"Kommunene", "Programmets kostnader", "Nytte", "Nåverdi"}),
    ):
        document = docx.Document(str(built / f"build/program/{name}.docx"))
        paragraphs = [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]
        # under the costs in KS's; a chapter of its own in the state's, whose figures come from several chapters
        level = "Heading 1" if name == "decision-basis-state" else "Heading 2"
        start = paragraphs.index((level, "Forutsetninger"))
        end = next(i for i in range(start + 1, len(paragraphs)) if paragraphs[i][0].startswith("Heading"))
        items = {t.split(":")[0] for _, t in paragraphs[start + 2 : end]}
        assert listed <= items, name
        assert "Følsomhetsanalysen" not in items, name
        assert ("Nåverdi" in items) == (name == "decision-basis-state")
        section = " ".join(t for _, t in paragraphs[start:end])
        assert "I beslutningsunderlaget til en kommune som ikke er blant dem" not in section
        assert "30\u00a0% av beløpet deles likt på kommunene som deltar" in section
