"""What the program promised its documents would say (issue: the seeds' requirements), read back.

The decision basis's pros and cons of each alternative, in bokmål and nynorsk,
from DOCX and PDF; an argument no source gives is marked as the program's
assessment where it is printed.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pypdf

from .helpers import Maker, build, invoke, rows


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name if p.style else "", p.text) for p in docx.Document(str(path)).paragraphs]


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(path).pages)


def test_the_decision_basis_weighs_each_alternative(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("decision-basis", "-k", "bergen", "-k", "vinje")
    for slug, heading, economics, alternatives, marks in [
        (
            "bergen",
            "Fordeler og ulemper",
            "Økonomiske konsekvenser",
            ["Forpliktelsesavtale", "Opsjonsavtale", "Stå utenfor"],
            ("Dette taler for:", "Dette taler mot:", "Vurderingene er FKJIs, ut fra det som er kjent i dag."),
        ),
        (
            "vinje",
            "Fordelar og ulemper",
            "Økonomiske konsekvensar",
            ["Forpliktingsavtale", "Opsjonsavtale", "Stå utanfor"],
            ("Dette talar for:", "Dette talar mot:", "Vurderingane er FKJI sine, ut frå det som er kjent i dag."),
        ),
    ]:
        paragraphs = _paragraphs(workdir / "build" / slug / "decision-basis.docx")
        level1 = [t for s, t in paragraphs if s == "Heading 1"]
        # after the alternatives themselves, before the economics
        assert level1.index(heading) == level1.index(economics) - 1
        start = paragraphs.index(("Heading 1", heading))
        part = paragraphs[start : next(i for i in range(start + 1, len(paragraphs)) if paragraphs[i][0] == "Heading 1")]
        assert [t for s, t in part if s == "Heading 2"] == alternatives
        texts = [t for _, t in part]
        assert texts.count(marks[0]) == texts.count(marks[1]) == 3  # for and against, each alternative
        # whose assessment the arguments are is said once, before them, not after each argument
        assert texts[1].endswith(marks[2]) and not any(t.endswith(("vurdering).", "programmet).")) for t in texts)
        pdf = _pdf_text(workdir / "build" / slug / "decision-basis.pdf")
        whole = pdf.replace("\xad ", "").replace("\xad", "")  # words hyphenated at a line's end, joined
        assert heading in pdf and all(a in pdf for a in alternatives) and marks[2] in whole
    bergen = _pdf_text(workdir / "build/bergen/decision-basis.pdf")
    assert "Kommunen bidrar til at vilkåret om 55 % for statens finansiering" in " ".join(bergen.split())


def test_an_argument_names_its_source_or_is_the_programs_assessment(make_tree: Maker) -> None:
    root = make_tree(
        {
            "decision-basis.yaml": lambda t: t.replace(
                "        - assumption: true\n          text:\n            nb: Kommunen binder seg før",
                "        - text:\n            nb: Kommunen binder seg før",
                1,
            )
        }
    )
    code, _, err = invoke("validate", "--content", root)
    assert code == 0
    assert "pros_cons.alternatives[0].cons[0]: warning: no source: give source:" in err
    assert invoke("validate", "--strict", "--content", root)[0] == 1


def test_the_decision_basis_gives_the_risk_picture_for_state_and_municipalities(
    make_tree: Maker, workdir: Path
) -> None:
    from .helpers import table_with

    make_tree()
    build("decision-basis", "-k", "bergen", "-k", "vinje")
    bergen = docx.Document(str(workdir / "build/bergen/decision-basis.docx"))
    risks = table_with(bergen, ["Hvem som bærer risikoen, og hva den er", "Sannsynlighet", "Konsekvens", "Tiltak"])
    bearers = [r[0].split(":")[0] for r in risks[1:]]
    assert set(bearers) == {"Kommunene", "Begge"} and len(bearers) == 6
    # the table's caption says whose assessment the risks are; no risk carries a tag of its own
    assert risks[1][0] == "Kommunene: Løsningen blir ikke økonomisk bærekraftig for kommunene."
    assert risks[5][0] == "Kommunene: Kostnadene blir høyere enn beregnet, eller nytten kommer senere."
    assert {r[1] for r in risks[1:]} <= {"Lav", "Middels", "Høy"}
    vinje = docx.Document(str(workdir / "build/vinje/decision-basis.docx"))
    nynorsk = table_with(vinje, ["Kven som ber risikoen, og kva han er", "Sannsyn", "Konsekvens", "Tiltak"])
    assert nynorsk[1][0] == "Kommunane: Løysinga blir ikkje økonomisk berekraftig for kommunane."
    assert "Risikobiletet for stat og kommune" in _pdf_text(workdir / "build/vinje/decision-basis.pdf")


def _number(text: str) -> int:
    """A figure as the documents print it ("−1 022", "13 390 004"), as an integer."""
    return int(text.replace("\u2212", "-").replace("\u00a0", "").replace(" ", "").replace("*", ""))


def _kept(label: str) -> str:
    """A label as the document prints it: a number and its per cent sign on one line."""
    return re.sub(r"(\d) %", "\\1\u00a0%", label)


def _millions(text: str) -> float:
    if text == "–":  # a year without a grant
        return 0.0
    return float(text.replace("\u2212", "-").replace("\u00a0", "").replace(" ", "").replace("*", "").replace(",", "."))


def test_costs_and_gains_year_by_year_and_societys_npv_by_participation(make_tree: Maker, workdir: Path) -> None:
    from .conftest import use_full_register
    from .helpers import rows as rows_of
    from .helpers import table_with

    use_full_register(make_tree())  # all 292 municipalities: the running net and society's NPV change sign
    build("decision-basis", "-k", "bergen", "-k", "vinje")
    bergen = docx.Document(str(workdir / "build/bergen/decision-basis.docx"))
    years = table_with(bergen, ["År", "Kostnad", "Nytte", "Netto", "Akkumulert netto"])
    rows, average = years[1:-1], years[-1]
    assert [int(r[0]) for r in rows] == list(range(2024, 2034))
    # each row's net, and the running net, from its own cost and gain as printed: to the krone
    running = 0
    for year, cost, gain, net, cumulative in rows:
        assert _number(gain) - _number(cost) == _number(net), year
        running += _number(net)
        assert running == _number(cumulative), year
    # the average is the annual cost printed in the cost table (the same computation), and the year the
    # running net turns positive is the first with a non-negative total
    costs = next(rows_of(t) for t in bergen.tables if rows_of(t)[0][:2] == ["Scenario", "Pris per innbygger"])
    assert average[1] == costs[1][1]
    assert abs(sum(_number(r[1]) for r in rows) / len(rows) - _number(average[1])) <= 1
    first = next((r[0] for r in rows if _number(r[4]) >= 0), None)
    text = "\n".join(p.text for p in bergen.paragraphs)
    assert first == "2028"
    assert f"med prismodellen «Pris per innbygger»: i {first}." in text

    # society's NPV by share: at 100 % it is the "all municipalities" scenario's, and it turns positive
    # between the two rows around the share the text gives
    society = table_with(bergen, ["Andel av innbyggerne som deltar", "Innbyggere", "Netto nåverdi (mill. kr)"])
    npv = table_with(bergen, ["Scenario", "Kommuner som deltar", "Netto nåverdi (mill. kr)"])
    assert society[-1][2] == npv[1][2]
    assert society[1][0] == "10\u00a0%" and society[-1][0] == "100\u00a0%"  # no 0 % row: no programme
    assert any(r[0] == "55\u00a0% (vilkåret)" for r in society)
    values = [(r[0], _millions(r[2])) for r in society[1:]]
    assert [v for _, v in values] == sorted(v for _, v in values)  # more inhabitants, more benefit
    change = next(i for i, (_, v) in enumerate(values) if v >= 0)
    assert values[change - 1][1] < 0 <= values[change][1]
    share = text.split("Netto nåverdi for samfunnet blir positiv når kommuner med minst ")[1].split("\u00a0%")[0]
    low, high = (float(values[i][0].split("\u00a0")[0].replace(",", ".")) for i in (change - 1, change))
    assert low < float(share.replace(",", ".")) <= high
    # the share computed from the model: the fewest inhabitants at which the NPV is not negative
    from fkj_cli import economics
    from fkj_cli.pipeline import load_content

    content = load_content(workdir / "content")
    excluded = content.program.commitment.excluded_counties
    register = content.register.on(content.document("decision-basis").date)  # as on the document's date
    total = sum(k.population for k in register.kommuner.values() if k.county_number not in excluded)
    needed = economics.break_even_population(content.economics)
    assert needed is not None and share == f"{needed / total * 100:.1f}".replace(".", ",")

    vinje = docx.Document(str(workdir / "build/vinje/decision-basis.docx"))
    headings = [p.text for p in vinje.paragraphs if p.style is not None and p.style.name == "Heading 2"]
    assert "Kostnader og nytte år for år" in headings and "Samfunnsøkonomisk analyse på overordna nivå" in headings


def test_the_financing_year_by_year_adds_up_and_is_what_the_municipalities_share(
    make_tree: Maker, workdir: Path
) -> None:
    from .helpers import table_with

    make_tree()
    build("decision-basis", "-k", "bergen", "-k", "vinje")
    bergen = docx.Document(str(workdir / "build/bergen/decision-basis.docx"))
    financing = table_with(bergen, ["År", "Programmets kostnad", "Statlig tilskudd", "Kommunene betaler"])
    rows, total = financing[1:-1], financing[-1]
    for year, cost, grant, municipalities in rows:
        assert abs(_millions(cost) - _millions(grant) - _millions(municipalities)) < 0.05, year
    for column in (1, 2, 3):
        assert abs(sum(_millions(r[column]) for r in rows) - _millions(total[column])) < 0.05
    # Bergen's share of what the municipalities pay is the same fraction every year (one price model)
    years = table_with(bergen, ["År", "Kostnad", "Nytte", "Netto", "Akkumulert netto"])[1:-1]
    fractions = {round(_number(y[1]) / (_millions(r[3]) * 1e6), 4) for y, r in zip(years, rows, strict=True)}
    assert len(fractions) == 1
    text = "\n".join(p.text for p in bergen.paragraphs)
    assert "Hvilken prismodell som blir valgt, er ikke avgjort." in text
    vinje = docx.Document(str(workdir / "build/vinje/decision-basis.docx"))
    assert table_with(vinje, ["År", "Kostnaden til programmet", "Statleg tilskot", "Kommunane betaler"])


def test_the_gains_by_kind_with_the_municipalitys_own_figure(make_tree: Maker, workdir: Path) -> None:
    from .helpers import table_with

    make_tree()
    build("decision-basis", "-k", "bergen", "-k", "vinje")
    bergen = docx.Document(str(workdir / "build/bergen/decision-basis.docx"))
    header = ["Type nytte", "Per innbygger per år", "Fra år", "For kommunen per år", "Grunnlag"]
    gains = table_with(bergen, header)
    assert [r[:3] for r in gains[1:]] == [
        ["Spart tid for helsepersonell i journalarbeidet", "70", "2027"],
        ["Færre uønskede hendelser", "30", "2027"],
        ["Journalsystemer og lisenser som fases ut", "20", "2027"],
        ["Sum", "120", ""],
    ]
    # its own figure is its inhabitants of 1 January 2022 (the latest count before the document's date) times
    # each kind, and the sum of the kinds
    assert [_number(r[3]) for r in gains[1:]] == [70 * 286_930, 30 * 286_930, 20 * 286_930, 120 * 286_930]
    # the column gives each kind's rationale; that the amounts are assumptions the caption says, once
    assert [r[4].split(" når ")[0] for r in gains[1:-1]] == [
        "Bedre ressursutnyttelse",
        "Bedre pasientsikkerhet og kvalitet",
        "Kommunens egne journalsystemer fases ut",
    ]
    vinje = docx.Document(str(workdir / "build/vinje/decision-basis.docx"))
    nynorsk = table_with(vinje, ["Type nytte", "Per innbyggjar per år", "Frå år", "For kommunen per år", "Grunnlag"])
    assert nynorsk[2][0] == "Færre uønskte hendingar"
    assert _number(nynorsk[-1][3]) == 120 * 3_755
    assert nynorsk[1][4].startswith("Betre ressursutnytting når journalen støttar pasientforløp")


def _items_under(document: docx.document.Document, heading: str) -> list[str]:
    """The paragraphs of the section under the Heading 2 ``heading``, up to the next heading."""
    found: list[str] = []
    inside = False
    for p in document.paragraphs:
        name = p.style.name if p.style is not None else ""
        if name.startswith("Heading"):
            if inside:
                break
            inside = name == "Heading 2" and p.text == heading
        elif inside and p.text.strip():
            found.append(p.text)
    return found


def test_every_assumption_is_listed_under_forutsetninger_with_the_figures_it_gives(
    make_tree: Maker, workdir: Path
) -> None:
    from .conftest import use_full_register
    from .helpers import load_content, table_with

    use_full_register(make_tree())
    build("decision-basis", "-k", "bergen", "-k", "vinje")
    content = load_content(workdir / "content")
    econ = content.economics
    excluded = content.program.commitment.excluded_counties
    register = content.register.on(content.document("decision-basis").date)  # as on the document's date
    scope = [k for k in register.kommuner.values() if k.county_number not in excluded]
    bergen = docx.Document(str(workdir / "build/bergen/decision-basis.docx"))
    items = {i.split(":")[0]: i for i in _items_under(bergen, "Forutsetninger")[1:]}
    assert list(items) == [
        "Kommunene",
        "Programmets kostnader",
        "Statlige tilskudd",
        "Prismodeller",
        "30\u00a0% likt fordelt, 70\u00a0% etter folketall",
        "Avgift etter størrelsesklasse",
        "Hvem som deltar",
        "Nytte",
        "Nåverdi",
        "Følsomhetsanalysen",
    ]
    # the municipalities in scope and their inhabitants, on the register's date; the letter's count explained
    total = f"{sum(k.population for k in scope):,}".replace(",", "\u00a0")
    scope_text = (
        f"Kommunene: {len(scope)} kommuner utenfor helseregion Midt-Norge med {total} innbyggere per 1. januar 2022."
    )
    assert items["Kommunene"].startswith(scope_text)
    assert "fylkene Møre og Romsdal og Trøndelag" in items["Kommunene"]
    assert items["Kommunene"].endswith(
        "Intensjonserklæringen i 2020 gjaldt 291 kommuner. "
        f"Andelene og vilkåret om 55\u00a0% er regnet ut fra de {len(scope)}."
    )
    # the costs and grants are the sums of the years the financing table shows, by phase
    invest = sum(c.amount.nok for c in econ.costs if c.phase == "investment") / 1_000_000
    operate = sum(c.amount.nok for c in econ.costs if c.phase == "operation") / 1_000_000
    invest_text, operate_text = (f"{v:,.0f}".replace(",", "\u00a0") for v in (invest, operate))
    assert items["Programmets kostnader"] == (
        f"Programmets kostnader: {invest_text} millioner kroner til investering i 2024–2026 og {operate_text} "
        "millioner kroner til drift i 2027–2033, i faste 2023-kroner."
    )
    financing = table_with(bergen, ["År", "Programmets kostnad", "Statlig tilskudd", "Kommunene betaler"])
    assert _millions(financing[-1][1]) == invest + operate
    grants = sum(g.amount.nok for g in econ.state_grants) / 1_000_000
    # the grants come only where those taking part meet the condition the state funds the program on
    assert items["Statlige tilskudd"] == (
        f"Statlige tilskudd: {grants:.0f} millioner kroner i 2024–2026, bare i scenarioer der kommunene som deltar, "
        "har minst 55\u00a0% av innbyggerne (vilkåret for statens finansiering)."
    )
    for model in econ.price_models.values():
        assert f"«{_kept(model.label.nb)}»" in items["Prismodeller"]
    for scenario in econ.scenarios.values():
        assert f"«{_kept(scenario.label.nb)}»" in items["Hvem som deltar"]
    assert items["Hvem som deltar"].endswith(
        "I scenarioet «Kommuner med 55\u00a0% av innbyggerne deltar» er de folkerikeste kommunene regnet med først, "
        "til de til sammen har andelen av innbyggerne."
    )  # Bergen is among them: no word of how a municipality that is not is counted
    # the size classes of the tiered model, from economics.yaml
    assert items["Avgift etter størrelsesklasse"] == (
        "Avgift etter størrelsesklasse: kommunene betaler etter vekten til størrelsesklassen sin, og kommuner i samme "
        "klasse betaler det samme beløpet: vekt 1 med inntil "
        "5 000 innbyggere, vekt 3 med inntil 20 000, vekt 10 med inntil 100 000 og vekt 25 med over "
        "100 000 innbyggere."
    )
    # the gains are the sum of the kinds in the gains table
    gains = table_with(bergen, ["Type nytte", "Per innbygger per år", "Fra år", "For kommunen per år", "Grunnlag"])
    assert items["Nytte"].startswith(f"Nytte: {_number(gains[-1][1])} kroner per innbygger per år")
    assert items["Nåverdi"] == (
        "Nåverdi: 10 år fra 2024, diskontert til 2024 med kalkulasjonsrente 4\u00a0%, i faste 2023-kroner."
    )
    assert "−1 prosentpoeng og +1 prosentpoeng" in items["Følsomhetsanalysen"]

    vinje = docx.Document(str(workdir / "build/vinje/decision-basis.docx"))
    nynorsk = _items_under(vinje, "Føresetnader")
    assert nynorsk[0].startswith("Tala i dette kapittelet er rekna ut frå føresetnadene nedanfor.")
    assert [i.split(":")[0] for i in nynorsk[1:3]] == ["Kommunane", "Kostnadene til programmet"]
    assert "Føresetnader Tala i dette kapittelet er rekna ut" in _pdf_text(workdir / "build/vinje/decision-basis.pdf")


def test_the_assessment_names_the_price_models_under_which_the_municipality_never_gains(
    make_tree: Maker, workdir: Path
) -> None:
    """Where the municipality's costs over the period exceed the assumed benefit (120 kr per inhabitant a year
    from 2027: 84 kr a year on average over 2024–2033) under a price model, in a scenario it takes part in, the
    assessment says so, naming the models and the scenarios as the per-inhabitant table shows them; where the
    benefit catches up everywhere, nothing."""
    from .conftest import use_full_register

    use_full_register(make_tree())
    build("decision-basis", "-k", "bergen", "-k", "vinje", "-k", "utsira")
    found = {}
    for slug, lang in (("bergen", "nb"), ("vinje", "nn"), ("utsira", "nb")):
        document = docx.Document(str(workdir / "build" / slug / "decision-basis.docx"))
        # the per-inhabitant table: the second with a scenario in each row and a price model in each column
        tables = [rows(t) for t in document.tables]
        header, *body = [t for t in tables if t and t[0][0] == "Scenario" and len(t[0]) == 4][1]
        expected: dict[tuple[str, ...], list[str]] = {}
        for row in body:
            scenario = row[0].split(" (og ")[0]  # a row that counts the municipality in addition says so
            over = tuple(
                m for m, cell in zip(header[1:], row[1:], strict=True) if cell[:1].isdigit() and _kr(cell) > 84
            )
            if over:
                expected.setdefault(over, []).append(scenario)
        texts = [p.text for p in document.paragraphs]
        said = [t for t in texts if t.startswith("Med prismodell")]
        if not expected:
            assert said == [], slug
            continue
        [sentence] = said
        groups = sentence.split(". Det sam")  # the first set of models, then «Det samme gjelder med …»
        assert len(groups) == len(expected), slug
        for group, (models, scenarios) in zip(groups, expected.items(), strict=True):
            quoted = [part.split("»")[0] for part in group.split("«")[1:]]
            if len(models) == len(header) - 1:  # all three: said so, not named
                assert "med alle prismodell" in group.lower(), slug
                models = ()
            assert quoted == [*models, *scenarios], slug
        nb, nn = "til sammen større enn den forutsatte nytten", "til saman større enn den føresette nytten"
        assert f"{nb if lang == 'nb' else nn} i 2024–2033" in sentence
        # said as part of the assessment, before FKJI's recommendation, which ends the chapter
        assert texts[texts.index(sentence) + 1].startswith(("FKJI anbefaler", "FKJI tilrår")), slug
        found[slug] = expected
    # in the scenario of the funding condition, the price per inhabitant (84,24 kr) is above the benefit for all;
    # Utsira (188 inhabitants) pays more than it gains under two models even when all take part
    assert found["bergen"][("Pris per innbygger",)] == ["Kommuner med 55\u00a0% av innbyggerne deltar"]
    two = ("30\u00a0% likt fordelt, 70\u00a0% etter folketall", "Avgift etter størrelsesklasse")
    assert found["utsira"][two] == ["Alle kommuner utenfor Midt-Norge deltar"]


def _kr(cell: str) -> float:
    return float(cell.replace("\u00a0", "").replace(" ", "").replace(",", "."))
