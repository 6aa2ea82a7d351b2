"""The program's own documents: the proposed mandate and the updated governance document."""

from __future__ import annotations

from pathlib import Path

import docx
import pikepdf
import pytest

from fkj_cli.convert import Converter
from fkj_cli.documents import document_type
from fkj_cli.errors import ContentError
from fkj_cli.participation import compute
from fkj_cli.render import Renderer, render_target
from fkj_cli.targets import plan

from .conftest import line_of, replace
from .helpers import Maker, alt_texts, build, load_content, rows, table_with


def headings(document: docx.document.Document, level: int = 1) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def test_mandate(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("mandate")
    folder = workdir / "build" / "program"
    assert sorted(p.name for p in folder.iterdir()) == ["mandate.docx", "mandate.pdf"]

    document = docx.Document(str(folder / "mandate.docx"))
    assert headings(document) == [
        "Sammendrag",
        "1 Bakgrunn",
        "2 Formål",
        "3 Rammer og avhengigheter",
        "4 Erfaringer så langt",
        "5 Organisering og ansvar",
        "6 Resultater, kostnader, tidsramme og ressurser",
        "7 Kilder",
    ]
    assert "2.1 Behov" in headings(document, 2)
    # the facts it states are sourced, as in the governance document: the minister's letter among them
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Helse- og omsorgsminister Bent Høie: brev til ordførerne" in text
    # and a passage that restates a source names it: Stortinget's condition on the company, the interim
    # company's duration and the agreement's terms for those who take part are Bærum's memo
    sources = text[text.index("Faktaopplysningene i dokumentet er hentet fra") :]
    assert "Bærum kommune, notat 20.09.2021 til Eierutvalget og Formannskapet (arkivsaksnr. 20/8813)" in sources
    assert "i kraft av sin faglige og kommunespesifikke kompetanse" in text
    assert document.core_properties.title.startswith("Forslag til mandat for videreføring av Felles kommunal journal")
    assert document.core_properties.language == "nb-NO"

    roles = table_with(document, ["Rolle", "Ansvar"])
    # the bodies of the continuation; the joint steering group, described by sources of 2020–2021 only, is not
    assert [r[0] for r in roles[1:3]] == [
        "KS og nasjonale helsemyndigheter (oppdragsgivere)",
        "Styret i Felles kommunal journal interim AS",
    ]
    assert "Felles styringsgruppe" not in [r[0] for r in roles]
    # The project council's responsibility is its purpose in program.yaml, said as the other cells say theirs
    # (from the verb: the row names the body).
    assert roles[3] == [
        "Prosjektrådet",
        "Gir selskapet råd om prosjektets leveranser og faglige innhold, "
        "og ivaretar spesielt brukernes behov og forventninger.",
    ]
    # the plan's milestones, shown as the plan of 2022–2023 the proposal closes, not as the time frame ahead
    milestones = table_with(document, ["Tidspunkt", "Milepæl"])
    assert [r[0] for r in milestones[1:]] == ["november 2022", "april 2023", "juni 2023"]

    text = "\n".join(p.text for p in document.paragraphs)
    assert "Milepælen for juni 2023 er at dette forslaget er ferdig." in text
    # what the commissioning parties decide is a field for them, not prose saying it is not decided
    assert "Kostnadsramme for videreføringen: ________ (fastsettes av oppdragsgiverne)" in text
    assert "Sluttdato for videreføringen: ________ (fastsettes av oppdragsgiverne)" in text
    assert "ikke fastsatt i" not in text
    # the condition as the letter puts it; which inhabitants it counts no source says, and the mandate does not
    assert "kommuner med minst 55\u00a0% av innbyggerne har inngått forpliktelsesavtale" in text
    assert "regner andelen" not in text
    assert "194,4 millioner kroner" in text
    # true on 30 June 2023: no 2020 promise as a present fact, nothing said settled that is not
    body = text[: text.index("Faktaopplysningene i dokumentet er hentet fra")]  # the Kilder list names him
    for stale in ("Bent Høie", "Staten bidrar med kompetanse", "har gjort det mulig å avklare", "skulle forankres"):
        assert stale not in body, stale
    assert "Statlig finansiering etter 2022, som Stortinget" not in text
    with pikepdf.open(folder / "mandate.pdf") as pdf:
        assert str(pdf.Root.Lang) == "nb-NO"


def test_a_slip_in_a_mandate_passage_is_told_against_the_passage(make_tree: Maker) -> None:
    """A mandate text is a string or a passage with its source: a misspelt key in a passage is reported as one,
    not as a text missing its ``nb``."""
    from .conftest import replace
    from .helpers import invoke

    make_tree(
        {"mandate.yaml": replace("background:\n  source: baerum-notat-2021", "background:\n  sorce: baerum-notat-2021")}
    )
    code, _, err = invoke("validate")
    problems = [line for line in err.splitlines() if ": warning: " not in line and "mandate.yaml:" in line]
    assert code == 1
    assert [p.split(": ", 1)[1] for p in problems] == ["background.sorce: unknown key 'sorce'; did you mean 'source'?"]


def test_the_mandate_leaves_the_municipalities_decisions_to_fill(make_tree: Maker, workdir: Path) -> None:
    """No source says what the municipalities had decided by 30 June 2023: a blank, listed by validate, until
    the secretariat writes it; then the text stands in its place."""
    from .helpers import invoke

    make_tree()
    code, _, err = invoke("validate")
    assert code == 0 and "content/mandate.yaml:" in err and "decisions: warning: open field" in err
    build("mandate", "-f", "docx", "-f", "pdf")
    text = [p.text for p in docx.Document(str(workdir / "build/program/mandate.docx")).paragraphs]
    assert (
        "Kommunenes vedtak per 30. juni 2023: ________ (fylles ut: hvor mange kommuner som har forpliktet seg, og "
        "hvor stor andel av innbyggerne de har)." in text
    )
    make_tree({"mandate.yaml": replace("decisions: null", "decisions: Elleve kommuner har forpliktet seg.")})
    build("mandate", "-f", "docx")
    text = [p.text for p in docx.Document(str(workdir / "build/program/mandate.docx")).paragraphs]
    assert "Kommunenes vedtak per 30. juni 2023: Elleve kommuner har forpliktet seg." in text


def test_governance(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("governance")
    folder = workdir / "build" / "program"
    assert sorted(p.name for p in folder.iterdir()) == ["governance.docx", "governance.pdf"]

    document = docx.Document(str(folder / "governance.docx"))
    assert headings(document) == [
        "1 Innledning",
        "2 Bakgrunn og behov",
        "3 Mål",
        "4 Interessenter og kommunikasjon",
        "5 Rammer og avhengigheter",
        "6 Utgangspunkt for løsnings- og gjennomføringsstrategien",
        "7 Anskaffelsesstrategi",
        "8 Organisering og roller",
        "9 Milepæler",
        "10 Finansiering",
        "11 Høringsplan",
        "12 Risiko",
        "13 Kilder",
    ]
    assert headings(document, 2) == [
        "4.1 Kommunikasjon og forankring",
        "5.1 Rammer",
        "5.2 Avhengigheter",
        "6.1 Leveranser i prosjektperioden",
        "6.2 Plattform og økosystem",
        "6.3 Nasjonale e-helseløsninger",
        "6.4 Samarbeidet med Norsk helsenett SF",
        "6.5 Helhetlig samhandling og helseregion Midt-Norge",
        "8.1 Styret i Felles kommunal journal interim AS",
        "8.2 Prosjektrådet",
        "8.3 Felles styringsgruppe",
    ]
    # the background and the need, as the sources of 2018–2020 give them
    text = "\n".join(p.text for p in document.paragraphs)
    assert "fikk høsten 2018 i oppdrag å lage et veikart" in text
    assert "Det økte risikoen for dårlig pasientsikkerhet, lav kvalitet og dårlig ressursutnyttelse." in text
    assert "Innen fristen 1. juli 2020 hadde 186 kommuner signert." in text and "291" not in text
    # the stakeholders, each with its role and how it takes part; the dialogue municipalities by name
    parties = table_with(document, ["Interessent", "Rolle", "Tar del gjennom"])
    assert [r[0] for r in parties[1:3]] == [
        "Samarbeidskommunene Bergen, Bodø, Bærum, Hammerfest, Kristiansand, Ringsaker, Stavanger og Vinje",
        "Kommunene utenfor helseregion Midt-Norge",
    ]
    assert [
        "Kommunene Oslo og Trondheim",
        "Ikke samarbeidskommuner, men i løpende dialog med prosjektet.",
        "Dialog og erfaringsutveksling.",
    ] in parties
    assert "kommunikasjons-, forankrings- og tilslutningsprosesser i kommunene utenfor" in text
    # what the work keeps within and depends on, each from its source
    assert "Stortinget har forutsatt at et selskap med kommunalt majoritetseierskap tar imot bevilgningene" in text
    # the cooperation with Norsk helsenett a possibility, as the source has it (seed 001: "muligheter for")
    assert (
        "Mulighetene for teknisk, operasjonelt og eventuelt organisatorisk samarbeid med Norsk helsenett SF "
        "(kapittel 6.4)." in text
    )
    # the steps of the realisation, dated by the milestones, and what no source gives said plainly
    steps = table_with(document, ["Tidspunkt", "Hva som leveres", "Til hvem"])
    assert [r[0] for r in steps[1:]] == ["30. juni 2022", "september 2022", "november 2022", "juni 2023"]
    assert steps[3][1] == "Beslutningsunderlag, godkjent av selskapsstyret og klart til utsending"
    assert "Trinnene etter prosjektperioden" in text and "i det kvalitetssikrede styringsdokumentet" in text
    # the cooperation with Norsk helsenett: the report's "vil kunne", not a guarantee
    assert "konkluderte i mai 2022 med at et samarbeid vil kunne" in text and "Det sikrer også" not in text
    assert "kjernejournal, e-resept og helsenorge.no" in text
    assert "Hvilken konkurranseform og kontraktsstrategi som skal brukes." in text
    # the external quality assurance: planned, not done, on the document's date (30 June 2022)
    info = table_with(document, ["Opplysning", "Verdi"])
    assert ["Endelig ekstern kvalitetssikring", "ikke gjennomført; planlagt ferdig september 2022"] in info
    assert "kvalitetssikringen er ikke gjennomført" not in text  # said once, in the table
    assert "Den eksterne kvalitetssikringen skal etter planen være ferdig i september 2022." in text
    # said where it belongs (subtitle, introduction, hearing; the background's is the pre-project's), not in
    # a section and a hearing step of its own besides
    assert text.count("kvalitetssikring") == 4, text.count("kvalitetssikring")
    # the hearing is public, as the milestone says, and its recipients are named
    assert "Styringsdokumentet sendes på offentlig høring høsten 2022" in text and "aktuelle aktører" not in text
    # nothing the sources do not say, and no tag inside a sentence
    for phrase in ("øverste organ", "Gir selskapet råd", "(programmets vurdering)", "Dette dokumentet er svaret"):
        assert phrase not in text, phrase
    assert "Anskaffelsesstrategien må etter FKJIs vurdering avklare dette:" in text
    # the steering group, known from sources of 2020–2021, in the past tense
    assert "stat og kommune deltok i den som likeverdige parter" in text and "deltar som likeverdige" not in text
    assert document.core_properties.title.startswith("Oppdatert styringsdokument for Felles kommunal journal")
    assert document.core_properties.language == "nb-NO"

    # Each body's seats, with organisations and municipalities named.
    [board] = [rows(t) for t in document.tables if rows(t)[0] == ["Representerer", "Rolle", "Antall"]]
    assert board[1:] == [
        ["KS", "Styreleder", "1"],
        ["KS", "Medlem", "1"],
        ["Samarbeidskommunene", "Medlem", "3"],
        ["Ingen (eksternt medlem)", "Medlem", "1"],
    ]
    # the sources give a number only for the board and for KS in the council: no column of empty cells
    council, group = [rows(t) for t in document.tables if rows(t)[0] == ["Representerer", "Rolle"]]
    assert council[1] == ["Bergen kommune", "Medlem"]
    assert council[-1] == ["KS", "Medlem (inntil 2)"]
    assert group[1] == ["Helse- og omsorgsdepartementet", "Medlem"]
    assert group[-3:] == [
        ["Trondheim kommune", "Observatør"],
        ["Norsk helsenett SF", "Observatør"],
        ["Direktoratet for e-helse", "Observatør"],
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    # the board appointed the council (the source's "selskapsstyret"); no source says who appointed the group
    assert "Oppnevnt av: Styret i Felles kommunal journal interim AS." in text
    # what no source gives is left out (an empty cell, no "appointed by"), not said to be missing from the sources
    assert "Oppnevnt av" not in text.split("Felles styringsgruppe", 2)[2] and "oppgitt" not in text
    # the chair as the source of 2020–2021 gives it, not carried to the document's date
    assert "Leder fra september 2020: Per Kristian Vareide, kommunedirektør i Stavanger kommune." in text

    # the milestones once, in the timeline (its alt text lists them, below): no table under it repeats them
    assert not any(rows(t)[0] == ["Tidspunkt", "Milepæl"] for t in document.tables)
    steps = table_with(document, ["Tidspunkt", "Trinn", "Ansvarlig"])
    assert steps[1][0] == "fra 30. juni 2022"
    assert steps[-1] == [
        "november 2022",
        "Endringene er innarbeidet, og beslutningsunderlaget er godkjent for utsending til kommunene.",
        "Styret i Felles kommunal journal interim AS",
    ]
    # each risk's number leads its text: a column of its own was too narrow for "Nr." on A4
    risks = table_with(document, ["Risiko", "Sannsynlighet", "Konsekvens", "Tiltak"])
    assert [r[0].split()[0] for r in risks[1:]] == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert risks[1][0].startswith("R1 Kommunene som forplikter seg, har til sammen under 55\u00a0% av innbyggerne")
    # an option agreement does not count towards the condition: it is no measure against missing it
    assert "opsjonsavtale" not in risks[1][3]
    assert risks[1][1:3] == ["Middels", "Høy"]
    assert {r[1] for r in risks[1:]} <= {"Lav", "Middels", "Høy"}

    # The timeline is in both formats, with its alt text.
    assert len(document.inline_shapes) == 1
    alt = "Tidslinje med milepælene for arbeidet fra 30. juni 2022 til juni 2023: 30. juni 2022: Oppdatert"
    descr = alt_texts(document)[0]
    assert descr.startswith(alt)
    dates = ["30. juni 2022:", "September 2022:", "Oktober 2022:", "November 2022:", "April 2023:", "Juni 2023:"]
    assert [descr.index(d) for d in dates] == sorted(descr.index(d) for d in dates)
    with pikepdf.open(folder / "governance.pdf") as pdf:
        assert str(pdf.Root.Lang) == "nb-NO"
        alts = set(alt_texts(pdf))
    assert [a for a in alts if a.startswith(alt)] == [descr]
    assert "Juni 2023: Mandat for eventuell videreføring av samarbeidsprosjektets arbeid er ferdig utarbeidet." in descr
    # the caption under the figure is short; the full description is the alt text
    captions = [p.text for p in document.paragraphs if p.style.name == "Image Caption"]
    assert captions == ["Milepæler 30. juni 2022–juni 2023"]


def test_timeline_is_the_same_png_every_time(make_tree: Maker) -> None:
    content = load_content(make_tree())
    [target] = plan(content, document_type("governance"), [], every=False)
    first = Converter.images(render_target(Renderer(), content, compute(content), target))
    again = Converter.images(render_target(Renderer(), content, compute(content), target))
    assert list(first) == ["governance-milestones.png"]
    png = first["governance-milestones.png"]
    assert png == again["governance-milestones.png"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert width == 835  # 87 % of 6.4 inches at 150 ppi: shown at 87 % of the text width
    assert 2.4 * 150 < height < width
    assert b"Software" not in png and b"matplotlib" not in png


def test_an_amount_reads_the_same_in_governance_and_decision_basis(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("governance", "-f", "docx")
    build("decision-basis", "-k", "bergen", "-f", "docx")

    def cells(path: Path) -> list[str]:
        document = docx.Document(str(path))
        return [cell.text for table in document.tables for row in table.rows for cell in row.cells]

    governance = cells(workdir / "build/program/governance.docx")
    decision_basis = cells(workdir / "build/bergen/decision-basis.docx")
    for amount in ("194,4", "103,0", "91,4"):
        assert amount in governance
        assert amount in decision_basis


def test_a_risk_level_is_checked(make_tree: Maker) -> None:
    root = make_tree({"governance.yaml": replace("probability: low", "probability: lav")})
    line = line_of(root / "governance.yaml", "probability: lav")
    with pytest.raises(ContentError) as exc:
        load_content(root)
    [problem] = exc.value.problems
    assert str(problem).startswith(f"content/governance.yaml:{line}:")
    assert "must be one of 'low', 'medium' or 'high', not 'lav'" in str(problem)


def test_mandate_milestones_must_exist(make_tree: Maker) -> None:
    root = make_tree({"mandate.yaml": replace("  - mandat-klart\n", "  - mandat-ferdig\n")})
    with pytest.raises(ContentError) as exc:
        load_content(root)
    [problem] = exc.value.problems
    assert str(problem).startswith("content/mandate.yaml:")
    assert "unknown milestone 'mandat-ferdig'" in str(problem)


def test_program_documents_take_no_kommune(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("mandate", "-f", "md")
    markdown = (workdir / "build/program/mandate.md").read_text(encoding="utf-8")
    assert markdown.startswith("---\ntitle: ")
    assert "lang: nb-NO" in markdown


def test_one_change_in_program_reaches_decision_basis_and_governance(make_tree: Maker, workdir: Path) -> None:
    """The 2021 grant is stated once, in program.yaml; every document shows the corrected figure."""
    make_tree(
        {
            "program.yaml": lambda t: t.replace('amount: "103 MNOK"', 'amount: "104 MNOK"').replace(
                'total: "194,4 MNOK"', 'total: "195,4 MNOK"'
            )
        }
    )
    build("governance", "-f", "md")
    build("decision-basis", "-k", "baerum", "-f", "md")
    governance = (workdir / "build/program/governance.md").read_text(encoding="utf-8")
    decision_basis = (workdir / "build/baerum/decision-basis.md").read_text(encoding="utf-8")
    assert "| 104,0 |" in governance and "| 104,0 |" in decision_basis
    assert "195,4 millioner kroner" in decision_basis
    for text in (governance, decision_basis):
        assert "103 millioner" not in text and "103,0" not in text
