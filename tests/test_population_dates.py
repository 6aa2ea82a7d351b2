"""A document shows the populations of the latest 1 January on or before its date, and lists their source."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx

from .conftest import SHIPPED, line_of, replace
from .helpers import Maker, build, invoke, load_content

LATER = replace("date: 2022-11-15", "date: 2024-02-01")


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_document_of_2022_shows_the_count_of_1_january_2022_and_its_source(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("decision-basis", "-k", "bergen", "-f", "docx")
    text = _text(workdir / "build/bergen/decision-basis.docx")
    assert "Innbyggere per 1. januar 2022\n286\u00a0930" in text
    assert "291\u00a0940" not in text  # the count of 2024
    assert "Statistisk sentralbyrå (SSB), tabell 07459, folkemengde 1. januar 2022" in text
    assert "folkemengde 1. januar 2023" not in text  # not published by the document's date
    assert "folketall 1. januar 2024" not in text


def test_the_same_document_dated_2024_shows_the_count_of_2024(make_tree: Maker, workdir: Path) -> None:
    make_tree({"decision-basis.yaml": LATER})
    build("decision-basis", "-k", "bergen", "-f", "docx")
    text = _text(workdir / "build/bergen/decision-basis.docx")
    assert "Innbyggere per 1. januar 2024\n291\u00a0940" in text
    assert "Statistisk sentralbyrå (SSB), folketall 1. januar 2024, og Kartverket, kommuneinndelingen fra 2024" in text
    assert "tabell 07459" not in text


def test_the_register_on_a_day() -> None:
    """Ålesund's count before 2024 includes Haram, which did not exist; the sources are those of the time."""
    register = load_content(SHIPPED).register
    assert register.population_dates == [dt.date(y, 1, 1) for y in (2021, 2022, 2023, 2024)]
    old, new = register.on(dt.date(2022, 11, 15)), register.on(dt.date(2024, 2, 1))
    assert (old.population_date, new.population_date) == (dt.date(2022, 1, 1), dt.date(2024, 1, 1))
    assert (old.kommuner["alesund"].population, old.kommuner["alesund"].number) == (67_114, "1507")
    assert "haram" not in old.kommuner
    assert new.kommuner["alesund"].population + new.kommuner["haram"].population == 58_509 + 9_357
    assert old.cited == ["kommuner-2020-2023", "ssb-07459-2022"]  # the count of 1 January 2022, the one it shows
    assert new.cited == ["kommuner-2024", "kommuner-2020-2023"]
    # a name or a number is the division's; SSB's table gives populations only
    assert old.cited_for(population=False) == ["kommuner-2020-2023"]
    assert old.cited_for(population=True) == old.cited
    # the same day twice is one computation
    assert register.on(dt.date(2022, 11, 15)) is old


def test_a_document_dated_before_the_first_count_is_refused(make_tree: Maker) -> None:
    root = make_tree({"agreement.yaml": replace("date: 2021-09-20", "date: 2020-12-01")})
    code, _, err = invoke("validate")
    line = line_of(root / "agreement.yaml", "date: 2020-12-01")
    assert code == 1
    assert (
        f"content/agreement.yaml:{line}:7: date: 2020-12-01 is before the register's first population count "
        "(2021-01-01): give kommuner.yaml the populations of an earlier 1 January, or date the document later"
    ) in err


def test_a_municipality_without_a_count_the_others_have_is_named(make_tree: Maker) -> None:
    root = make_tree({"kommuner.yaml": replace("{2021-01-01: 3756, 2022-01-01: 3755,", "{2021-01-01: 3756,")})
    code, _, err = invoke("validate")
    line = line_of(root / "kommuner.yaml", "{2021-01-01: 3756, 2023-01-01")
    assert code == 1
    assert err.splitlines()[0] == (
        f"content/kommuner.yaml:{line}:17: kommuner.vinje.population: no population of 2022-01-01, which the other "
        "municipalities have: give it, or remove that date from all"
    )


def test_a_role_is_that_of_the_documents_date(make_tree: Maker, workdir: Path) -> None:
    """Bærum's memo of 20.09.2021 names Oslo among the collaboration municipalities; the sources of 2022 have
    it in dialogue. The agreement of that date names it; the documents of 2022 do not. The agreements
    themselves are the eight's that signed one (seed 001): none is Oslo's."""
    make_tree()
    written = build("agreement", "--all", "-f", "md")
    assert len(written) == 8 and Path("build/oslo/agreement.md") not in written
    agreement = (workdir / "build/bergen/agreement.md").read_text(encoding="utf-8")
    assert "samarbeidskommunene Bergen, Bodø, Bærum, Hammerfest, Kristiansand, Oslo, Ringsaker, Stavanger og Vinje" in (
        agreement
    )
    build("saksframlegg", "-k", "bergen", "-f", "md")
    draft = (workdir / "build/bergen/saksframlegg.md").read_text(encoding="utf-8")
    assert "samarbeidskommunene Bergen, Bodø, Bærum, Hammerfest, Kristiansand, Ringsaker, Stavanger og Vinje" in draft
