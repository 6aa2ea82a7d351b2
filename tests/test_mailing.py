"""The mailing to every municipality: the cover letter and the draft saksframlegg, read back."""

from __future__ import annotations

from pathlib import Path

import docx
import pikepdf
import pytest

from .helpers import Maker, build, invoke, rows, table_with

BLANK_NB = "________ (fylles ut)"
BLANK_NN = "________ (blir fylt ut)"


def headings(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def pdf_lang(path: Path) -> str:
    with pikepdf.open(path) as pdf:
        return str(pdf.Root.Lang)


@pytest.fixture
def mailing(make_tree: Maker, workdir: Path) -> Path:
    make_tree()
    for doc in ("letter", "saksframlegg", "decision-basis"):
        build(doc, "-k", "baerum", "-k", "bergen", "-k", "vinje")
    return workdir / "build"


def test_the_saksframlegg_in_each_written_language(mailing: Path) -> None:
    baerum = docx.Document(str(mailing / "baerum/saksframlegg.docx"))
    assert headings(baerum) == [
        "Kommunedirektørens forslag til vedtak",
        "Alternative forslag til vedtak",
        "Ved opsjonsavtale",
        "Ved å stå utenfor",
        "Saksopplysninger",
        "Vurdering",
        "Økonomiske konsekvenser",
        "Konklusjon",
        "Vedlegg",
        "Andre dokumenter i saken",
    ]
    # Bærum's own memo on its agreement with KS, as its archive registered it (memo.yaml)
    listed = [p.text for p in baerum.paragraphs if p.style.name.startswith("List") or p.text.startswith("Notat")]
    assert "Notat om samarbeidsavtalen med KS, 20.09.2021 (arkivsaksnr. 20/8813, journalpost 21/188842)" in listed
    vinje = docx.Document(str(mailing / "vinje/saksframlegg.docx"))
    assert headings(vinje) == [
        "Kommunedirektøren sitt framlegg til vedtak",
        "Alternative framlegg til vedtak",
        "Ved opsjonsavtale",
        "Ved å stå utanfor",
        "Saksopplysningar",
        "Vurdering",
        "Økonomiske konsekvensar",
        "Konklusjon",
        "Vedlegg",
    ]
    bergen = docx.Document(str(mailing / "bergen/saksframlegg.docx"))
    assert headings(bergen)[0] == "Byrådets innstilling"  # a city government proposes in Bergen
    # with the lead-in a byrådssak has, and in the byråd's voice throughout
    innstilling = section(bergen, "Byrådets innstilling")
    assert innstilling[0] == "Byrådet innstiller til bystyret å fatte følgende vedtak:"
    assert innstilling[1] == "Bergen kommune inngår forpliktelsesavtale om deltakelse i Felles kommunal journal."
    [conclusion] = section(bergen, "Konklusjon")
    assert conclusion.startswith(
        "Byrådet tilrår at Bergen kommune inngår forpliktelsesavtale om deltakelse i Felles kommunal journal, "
        "slik innstillingen lyder."
    )
    # the assessment drafted in the kommunedirektør's voice, from the decision basis; a blank for what only the
    # municipality can weigh
    assessment = section(baerum, "Vurdering")
    assert assessment[0].startswith("Kommunedirektøren viser til beslutningsunderlaget")
    assert "Bare kommuner som inngår forpliktelsesavtale, teller med i vilkåret" in assessment[0]
    assert assessment[1] == "Kommunedirektørens vurdering av forholdene i kommunen: " + BLANK_NB + "."
    # no instruction to the case officer inside the text: the letter gives it
    text = "\n".join(p.text for p in baerum.paragraphs)
    assert "byttes ut" not in text and "ingen kostnader nå" not in text
    # each body's case number and meeting, to fill; a row for the bodies the municipality adds
    other = ["Andre utvalg og råd som skal behandle saken", BLANK_NB, BLANK_NB]
    assert rows(bergen.tables[1]) == [
        ["Utvalg", "Saksnr.", "Møtedato"],
        ["Byrådet", BLANK_NB, BLANK_NB],
        ["Bystyret", BLANK_NB, BLANK_NB],
        other,
    ]
    assert rows(baerum.tables[1])[1:] == [
        ["Formannskapet", BLANK_NB, BLANK_NB],
        ["Kommunestyret", BLANK_NB, BLANK_NB],
        other,
    ]
    # the municipality's case metadata is its own to fill in
    assert rows(baerum.tables[0])[1:5] == [
        ["Saksbehandler", BLANK_NB],
        ["Arkiv", BLANK_NB],
        ["Arkivsaksnr.", BLANK_NB],
        ["Dato", BLANK_NB],
    ]
    assert ["Sakshandsamar", BLANK_NN] in rows(vinje.tables[0])
    assert (baerum.core_properties.language, vinje.core_properties.language) == ("nb-NO", "nn-NO")
    assert pdf_lang(mailing / "vinje/saksframlegg.pdf") == "nn-NO"
    assert pdf_lang(mailing / "bergen/saksframlegg.pdf") == "nb-NO"


def section(document: docx.document.Document, heading: str) -> list[str]:
    """The paragraphs under ``heading``, up to the next heading."""
    out: list[str] | None = None
    for p in document.paragraphs:
        if p.style.name.startswith("Heading"):
            if out is not None:
                return out
            if p.text == heading:
                out = []
        elif out is not None and p.text:
            out.append(p.text)
    assert out is not None, heading
    return out


def test_the_saksframlegg_proposes_the_decision_basis_resolution(mailing: Path) -> None:
    for slug, headings_, basis_heading in (
        (
            "baerum",
            ("Kommunedirektørens forslag til vedtak", "Ved opsjonsavtale"),
            "Forslag til vedtak",
        ),
        (
            "vinje",
            ("Kommunedirektøren sitt framlegg til vedtak", "Ved opsjonsavtale"),
            "Framlegg til vedtak",
        ),
    ):
        document = docx.Document(str(mailing / f"{slug}/saksframlegg.docx"))
        commitment, option = (section(document, h) for h in headings_)
        basis = section(docx.Document(str(mailing / f"{slug}/decision-basis.docx")), basis_heading)
        assert (len(commitment), len(option)) == (4, 3)
        # the same points, each choice in full; the decision basis leads in with the company's proposal
        assert basis[1:5] == commitment and basis[6:9] == option
    assert commitment[0] == "Vinje kommune inngår forpliktingsavtale om deltaking i Felles kommunal journal."
    assert option[0] == (
        "Vinje kommune inngår opsjonsavtale om Felles kommunal journal, slik at kommunen kan slutte seg til "
        "realiseringa seinare."
    )


def test_the_saksframleggs_figures_are_its_decision_basis(mailing: Path) -> None:
    models = [
        "Pris per innbygger",
        "30\u00a0% likt fordelt, 70\u00a0% etter folketall",
        "Avgift etter størrelsesklasse",
    ]
    sak = docx.Document(str(mailing / "baerum/saksframlegg.docx"))
    dec = docx.Document(str(mailing / "baerum/decision-basis.docx"))
    costs = table_with(sak, ["Prismodell", "Kroner per år"])  # per inhabitant: the table after it, every scenario
    annual = table_with(dec, ["Scenario", *models])
    # the first scenario Bærum takes part in is the decision basis's first row
    assert [row[1] for row in costs[1:]] == annual[1][1:]
    assert [row[0] for row in costs[1:]] == models
    text = "\n".join(p.text for p in sak.paragraphs)
    # nobody has committed in the shipped content: what Bærum's commitment brings is its own share (8,7 %, its
    # 130 921 of the test register's 1 511 118 inhabitants outside Midt-Norge), said in the sentence before
    assert (
        "det vil si 8,7\u00a0% av innbyggerne i kommunene utenfor helseregion Midt-Norge. Per 15. november 2022 har "
        "ingen kommuner forpliktet seg.\n" in text
    )
    assert "Forplikter Bærum kommune seg" not in text
    # the condition is said in full in the background above; no elliptic "Vilkåret … er 55 %" after it
    assert "finansiering er 55\u00a0%" not in text


def test_the_letter_to_each_municipality(mailing: Path) -> None:
    bergen = docx.Document(str(mailing / "bergen/letter.docx"))
    assert rows(bergen.tables[0])[1] == [
        "Felles kommunal journal interim AS",
        "Bergen kommune, ved ordføreren og byrådslederen",
    ]
    # FKJI writes first: no «Deres ref.» to fill
    # the day the letter is sent is a field to fill: the board approves the mailing on the date of its figures
    assert rows(bergen.tables[1]) == [["Vår ref.", "Dato"], [BLANK_NB, BLANK_NB]]
    assert headings(bergen) == [
        "Beslutningsunderlag om Felles kommunal journal – kommunens tilslutning",
        "Vilkåret for videre statlig finansiering",
        "Hva kommunen bes om å ta stilling til",
        "Melding om vedtaket",
        "Vedlegg",
    ]
    text = "\n".join(p.text for p in bergen.paragraphs)
    # the letter of intent's count as of its deadline, of the 291 it counted; the condition's count is the
    # register's (by county), with the delimitation that makes the difference
    assert "Innen fristen 1. juli 2020 hadde 186 av de 291 kommunene utenfor helseregion Midt-Norge signert" in text
    assert "helseregionen avgrenset som fylkene Møre og Romsdal og Trøndelag" in text
    assert text.count("helseregion Midt-Norge") == 2  # the opening paragraph's and the letter of intent's
    assert "per 1. januar 2022. Det krever forpliktelser fra kommuner med til sammen minst " in text
    assert "behandle saken innen utgangen av april 2023" in text
    assert "Kontaktperson: " + BLANK_NB in text
    vinje = docx.Document(str(mailing / "vinje/letter.docx"))
    assert headings(vinje)[1:4] == [
        "Vilkåret for vidare statleg finansiering",
        "Kva kommunen blir beden om å ta stilling til",
        "Melding om vedtaket",
    ]
    assert "Vinje kommune, ved ordføraren og kommunedirektøren" in rows(vinje.tables[0])[1]
    assert pdf_lang(mailing / "vinje/letter.pdf") == "nn-NO"


def test_the_letter_shows_the_decisions_recorded(make_tree: Maker, workdir: Path) -> None:
    make_tree(
        {"commitments.yaml": "commitments:\n  bergen: {status: forpliktelse, date: 2022-11-01, body: Bystyret}\n"}
    )
    build("letter", "-k", "vinje", "-k", "bodo", "-f", "md")
    text = (workdir / "build/bodo/letter.md").read_text(encoding="utf-8")
    # Bergen's 286 930 of the test register's 1 477 080 inhabitants outside Midt-Norge on 1 January 2022
    assert "Per 15. november 2022 har kommuner med 19,4\u00a0% av dem meldt vedtak om forpliktelse." in text
    sak = build("saksframlegg", "-k", "bergen", "-f", "md")
    assert (
        "Kommunen har allerede forpliktet seg. Kommunene som har forpliktet seg, har 19,4\u00a0% av innbyggerne."
        in (sak[0].read_text(encoding="utf-8"))
    )


def test_fields_to_fill_are_warnings_and_strict_fails(make_tree: Maker) -> None:
    root = make_tree()
    code, _, err = invoke("validate")
    assert code == 0
    letter = [line for line in err.splitlines() if line.startswith("content/letter.yaml")]
    assert letter == [
        "content/letter.yaml:19:1: our_ref: warning: open field: fill it in before the document is sent",
        "content/letter.yaml:20:1: sent: warning: open field: fill it in before the document is sent",
        "content/letter.yaml:68:3: signature.signatory: warning: open field: fill it in before the document is sent",
        "content/letter.yaml:69:3: signature.contact: warning: open field: fill it in before the document is sent",
        # what only the archive package needs says so
        *(
            f"content/letter.yaml:{line}:3: filing.{key}: warning: open field: "
            "fill it in before the mailing is archived (fkj package)"
            for line, key in enumerate(("arkivdel", "arkivkode", "enhet", "saksbehandler"), start=81)
        ),
    ]
    assert invoke("validate", "--strict")[0] == 1
    text = (root / "letter.yaml").read_text(encoding="utf-8").replace("our_ref: null", 'our_ref: "22/1234"')
    (root / "letter.yaml").write_text(text, encoding="utf-8")
    assert not [line for line in invoke("validate")[2].splitlines() if "letter.yaml" in line and "our_ref" in line]


def test_all_builds_one_of_each_per_municipality_outside_midt_norge(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("letter", "--all", "-f", "md")
    build("saksframlegg", "--all", "-f", "md")
    letters = sorted(p.parent.name for p in (workdir / "build").glob("*/letter.md"))
    drafts = sorted(p.parent.name for p in (workdir / "build").glob("*/saksframlegg.md"))
    assert letters == drafts
    assert len(letters) == 9 and "trondheim" not in letters


def test_the_decision_basis_states_what_the_sign_of_the_npv_depends_on(make_tree: Maker, workdir: Path) -> None:
    from .conftest import use_full_register

    root = make_tree()
    use_full_register(root)
    build("decision-basis", "-k", "bergen", "-k", "vinje", "-f", "docx")
    bergen = docx.Document(str(workdir / "build/bergen/decision-basis.docx"))
    # one table per assumption, narrow enough for A4: the variants around the value assumed
    table = table_with(bergen, ["Scenario", "Nytte −30\u00a0%", "Som forutsatt", "Nytte +30\u00a0%"])
    # in millions, from the 4 685 291 inhabitants outside Midt-Norge on 1 January 2022 (tests/test_sensitivity.py
    # has the same computation on the latest count: +941,0 and −494,9)
    assert table[1][1:3] == ["−69,2", "866,8"]
    assert table[2][1:4] == ["−1\u00a0035,8", "−514,0", "7,7"]
    investment = table_with(bergen, ["Scenario", "Investering −30\u00a0%", "Som forutsatt", "Investering +30\u00a0%"])
    assert investment[1][2] == "866,8"
    rate = table_with(bergen, ["Scenario", "Rente 3\u00a0%", "Som forutsatt", "Rente 5\u00a0%"])
    assert rate[2][2] == "−514,0"
    text = "\n".join(p.text for p in bergen.paragraphs)
    assert (
        "deltar: Med den forutsatte nytten er netto nåverdi negativ. "
        "Nåverdien blir null først når nytten er 155,47 kroner per innbygger per år." in text
    )
    assert "Den blir negativ hvis nytten er under 86,66 kroner per innbygger per år." in text
    vinje = docx.Document(str(workdir / "build/vinje/decision-basis.docx"))
    assert "Følsemdsanalyse" in headings(vinje)


def test_the_letter_before_any_decision_and_a_small_municipalitys_coverage(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("letter", "-k", "vinje", "-f", "md")
    letter = (workdir / "build/vinje/letter.md").read_text(encoding="utf-8")
    # the day it is sent, no decision can be recorded: the letter does not say so
    assert "meldt vedtak" not in letter
    # with Bergen committed, Vinje's 3 755 of 1 477 080 inhabitants (1 January 2022) move the coverage from
    # 19,4 to 19,7 %
    root = make_tree(
        {"commitments.yaml": "commitments:\n  bergen: {status: forpliktelse, date: 2022-11-01, body: Bystyret}\n"}
    )
    [sak] = build("saksframlegg", "-k", "vinje", "-f", "md")
    text = sak.read_text(encoding="utf-8")
    assert (
        "Forpliktar Vinje kommune seg, aukar delen av innbyggjarane i kommunar som har forplikta seg, "
        "frå 19,4\u00a0% til 19,7\u00a0%." in text
    )
    assert "Kommunen hadde 3\u00a0755 innbyggjarar per 1. januar 2022, det vil seie" in text
    # Utsira's 215 of 4 796 623 do not move the first decimal: the text says so rather than "6,1 % to 6,1 %"
    from .conftest import use_full_register

    use_full_register(root)
    [sak] = build("saksframlegg", "-k", "utsira", "-f", "md")
    assert (
        "Forplikter Utsira kommune seg, øker andelen av innbyggerne i kommuner som har forpliktet seg, "
        "med under 0,1 prosentpoeng, til 6,1\u00a0%. "
        "For videre statlig finansiering må andelen være minst 55\u00a0%." in sak.read_text(encoding="utf-8")
    )
    # what the benefit is (120 kr a year for each of its 188 inhabitants of 1 January 2022), and where the costs
    # outweigh it: said to the council as the decision basis says it
    text = sak.read_text(encoding="utf-8")
    assert "Beslutningsunderlaget forutsetter at nytten for kommunen blir 22\u00a0560 kroner per år" in text
    assert (
        "Med prismodellene «30\u00a0% likt fordelt, 70\u00a0% etter folketall» og «Avgift etter størrelsesklasse» "
        "blir kostnadene for Utsira kommune til sammen større enn den forutsatte nytten i 2024–2033"
    ) in text
    basis = next(p for p in build("decision-basis", "-k", "utsira", "-f", "md") if p.suffix == ".md")
    said = "blir kostnadene for Utsira kommune"
    assert text.count(said) == basis.read_text(encoding="utf-8").count(said) == 1
    # and the conclusion that still recommends commitment leaves the reasons to the kommunedirektør
    assert "Begrunnelse for tilrådingen når kostnadene kan bli større enn nytten: \\_\\_" in text


def test_a_byrad_is_the_registers_word_not_a_municipality_number(make_tree: Maker, workdir: Path) -> None:
    """Bergen governed by a formannskap, Bærum by a byråd: each document follows kommuner.yaml's byrad."""

    def swap(text: str) -> str:
        bergen = text.index('    number: "4601"')
        text = text[:bergen] + text[bergen:].replace("    byrad: true\n", "", 1)
        baerum = text.index("  baerum:\n")
        at = text.index("    role: ", baerum)
        at = text.index("\n", at) + 1
        return text[:at] + "    byrad: true\n" + text[at:]

    make_tree({"kommuner.yaml": swap})
    for doc in ("letter", "saksframlegg", "decision-basis"):
        build(doc, "-k", "baerum", "-k", "bergen")
    out = workdir / "build"
    baerum = docx.Document(str(out / "baerum/saksframlegg.docx"))
    assert headings(baerum)[0] == "Byrådets innstilling"
    other = ["Andre utvalg og råd som skal behandle saken", BLANK_NB, BLANK_NB]
    assert rows(baerum.tables[1])[1:] == [["Byrådet", BLANK_NB, BLANK_NB], ["Bystyret", BLANK_NB, BLANK_NB], other]
    bergen = docx.Document(str(out / "bergen/saksframlegg.docx"))
    assert headings(bergen)[0] == "Kommunedirektørens forslag til vedtak"
    assert rows(bergen.tables[1])[1:] == [
        ["Formannskapet", BLANK_NB, BLANK_NB],
        ["Kommunestyret", BLANK_NB, BLANK_NB],
        other,
    ]
    letter = docx.Document(str(out / "baerum/letter.docx"))
    assert rows(letter.tables[0])[1][1] == "Bærum kommune, ved ordføreren og byrådslederen"
    basis = "\n".join(p.text for p in docx.Document(str(out / "bergen/decision-basis.docx")).paragraphs)
    assert "Kommunedirektøren" in basis and "Byrådet" not in basis
