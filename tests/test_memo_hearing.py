"""The case memo, the hearing letters and the hearing summary, built and read back."""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest

from fkj_cli.documents import document_type
from fkj_cli.errors import ContentError
from fkj_cli.participation import compute
from fkj_cli.render import Renderer
from fkj_cli.targets import Target

from .conftest import copy_content, line_of, replace
from .helpers import Maker, build, invoke, load_content, rows, run_fkj

# Test data, not facts: the shipped content records only Bærum's real case.
VINJE_CASE = """\
  vinje:
    kind: saksframlegg
    arkivkode: FE-151
    arkivsaksnr: 21/123
    journalpost_id: 21/4567
    date: 2021-10-01
    saksbehandler: Kommunedirektøren
    from: Kommunedirektøren
    bodies:
      - name: Formannskapet
        meeting: 2021-10-14
      - name: Kommunestyret
"""
BERGEN_CASE = """\
  bergen:
    kind: byradssak
    arkivsaksnr: 21/99
    arkivkode: "151"
    journalpost_id: 21/100
    date: 2021-10-01
    saksbehandler: Byrådsavdelingen
    from: Byrådet
    bodies:
      - name: Bystyret
"""
RESOLUTION = """\
resolution:
  lead:
    nb: "Byrådet innstiller:"
    nn: "Byrådet rår til:"
  points:
    - nb: Bergen kommune inngår samarbeidsavtalen.
      nn: Bergen kommune inngår samarbeidsavtalen.
"""
# Example responses for the tests only; the shipped content records none.
# A response's points are quoted as written: Vinje's letter, built in nynorsk from the same file,
# renders them too, so they say they may stand as written in a nynorsk document.
RESPONSES = """\
responses:
  baerum:
    received: 2022-09-20
    points:
      - {nb: Støtter stegvis realisering., allow_fallback: true}
      - {nb: Ber om tydeligere kostnadsfordeling., allow_fallback: true}
  ks:
    received: 2022-09-28
    no_comments: true
  vinje:
    received: 2022-10-05
    points:
      - {nb: Ber om at løysinga blir tilgjengeleg på nynorsk., allow_fallback: true}
"""


def without_cases(text: str, *slugs: str) -> str:
    """memo.yaml without the shipped cases of ``slugs``, so that a test can write its own."""
    for slug in slugs:
        text = re.sub(rf"\n  {slug}:\n(    .*\n|      .*\n)*", "\n", text)
    return text


def headings(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def pdf_lang(path: Path) -> str:
    with pikepdf.open(path) as pdf:
        return str(pdf.Root.Lang)


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as exc:
        load_content(root)
    return [str(p) for p in exc.value.problems]


# The memo


def test_baerum_memo_carries_its_archive_metadata(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("memo", "-k", "baerum")
    path = workdir / "build/baerum/memo.docx"
    document = docx.Document(str(path))
    # the archived memo's own structure: no proposal, assessment or economics of the program's
    assert headings(document) == ["Vedrørende: Foregangskommune – samarbeidsavtale Felles kommunal journal", "Vedlegg"]
    # a notat's header, as the archived memo has it: its numbers, to whom and from whom
    assert len(document.tables) == 2
    header, parties = document.tables[0], document.tables[1]
    assert rows(header) == [
        ["Dato", "Arkivkode", "Arkivsaksnr.", "JournalpostID"],
        ["20.09.2021", "N-151", "20/8813", "21/188842"],
    ]
    # the memo went to two bodies for their information and gives no meeting date: none is asked for
    assert rows(parties) == [["Til", "Fra"], ["Eierutvalget og Formannskapet", "Kommunedirektøren"]]
    assert "Møtedato" not in [cell for table in (header, parties) for row in rows(table) for cell in row]
    text = "\n".join(p.text for p in document.paragraphs)
    assert (
        "Bærum er samarbeidskommune sammen med kommunene Bergen, Bodø, Hammerfest, Kristiansand, Ringsaker, "
        "Stavanger, Vinje og Oslo." in text
    )
    # Bærum's own memo, as it was written: its spelling kept
    assert "«Felles kommunal journal interim A/S»" in text
    assert "etablert et aksjeselskap 100% eiet av KS" in text and "samarbeidskommunenenes" in text
    props = document.core_properties
    assert props.language == "nb-NO"
    assert props.title == "Foregangskommune – samarbeidsavtale Felles kommunal journal"
    assert props.author == "Bærum kommune"
    assert pdf_lang(workdir / "build/baerum/memo.pdf") == "nb-NO"


def test_vinje_memo_is_in_nynorsk(make_tree: Maker, workdir: Path) -> None:
    make_tree({"memo.yaml": lambda t: without_cases(t, "vinje") + VINJE_CASE})
    build("memo", "-k", "vinje")
    document = docx.Document(str(workdir / "build/vinje/memo.docx"))
    assert headings(document) == ["Gjeld: Føregangskommune – samarbeidsavtale Felles kommunal journal", "Vedlegg"]
    header, people, bodies = document.tables
    assert rows(header) == [
        ["Dato", "Arkivkode", "Arkivsaksnr.", "JournalpostID"],
        ["01.10.2021", "FE-151", "21/123", "21/4567"],
    ]
    assert rows(people) == [["Sakshandsamar", "Frå"], ["Kommunedirektøren", "Kommunedirektøren"]]
    assert rows(bodies) == [
        ["Utval", "Møtedato"],
        ["Formannskapet", "14.10.2021"],
        ["Kommunestyret", "________ (blir fylt ut)"],
    ]
    # the translation spells the company's name as it is registered, and mends the memo's slips
    text = "\n".join(p.text for p in document.paragraphs)
    assert "«Felles kommunal journal interim AS»" in text and "A/S" not in text
    assert "leverte Direktoratet for e-helse eit styringsdokument" in text and "leverte februar" not in text
    assert "Nasjonalt e-helsestyre" in text and "prosjektstyret" not in text
    # the other partners, in the register's order as the agreement names them, not in Bærum's memo's
    assert (
        "Vinje er samarbeidskommune saman med kommunane Bergen, Bodø, Bærum, Hammerfest, Kristiansand, Oslo, "
        "Ringsaker og Stavanger." in text
    )
    assert document.core_properties.language == "nn-NO"
    assert pdf_lang(workdir / "build/vinje/memo.pdf") == "nn-NO"
    # the PDF says what the memo is about, as the DOCX does, and which case it is
    with pikepdf.open(workdir / "build/vinje/memo.pdf") as pdf:
        subject = str(pdf.docinfo["/Subject"])
    assert subject == f"Saksframlegg 21/123 – {document.core_properties.subject} – Vinje kommune (3825)"


def test_byradssak_has_the_city_governments_recommendation(make_tree: Maker, workdir: Path) -> None:
    # a resolution is the program's addition to the archived memo, and the document says so
    make_tree(
        {
            "memo.yaml": lambda t: (
                without_cases(t.replace("\ncases:\n", RESOLUTION + "\ncases:\n"), "bergen") + BERGEN_CASE
            )
        }
    )
    build("memo", "-k", "bergen", "-f", "md")
    text = (workdir / "build/bergen/memo.md").read_text(encoding="utf-8")
    assert "# Byrådets innstilling (programmets tillegg, ikke fra kommunens notat)\n\nByrådet innstiller:" in text
    assert 'subtitle: "Byrådssak – Bergen kommune"' in text
    assert "| Saksbehandler | Fra |" in text and "| Byrådsavdelingen | Byrådet |" in text


def test_memo_without_a_case_says_what_to_add(make_tree: Maker) -> None:
    make_tree({"memo.yaml": lambda t: without_cases(t, "bergen")})
    result = run_fkj("build", "memo", "-k", "bergen")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: memo for Bergen needs its case: add cases.bergen (kind, from, bodies) to content/memo.yaml"
    )


def test_memo_all_builds_the_municipalities_with_a_case(make_tree: Maker, workdir: Path) -> None:
    make_tree({"memo.yaml": lambda t: without_cases(t, "bodo", "hammerfest", "kristiansand", "ringsaker", "stavanger")})
    build("memo", "--all", "-f", "md")
    assert sorted(p.parent.name for p in (workdir / "build").glob("*/memo.md")) == ["baerum", "bergen", "vinje"]


def test_memo_all_builds_the_eight_collaboration_municipalities(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("memo", "--all", "-f", "md")
    built = sorted(p.parent.name for p in (workdir / "build").glob("*/memo.md"))
    assert built == ["baerum", "bergen", "bodo", "hammerfest", "kristiansand", "ringsaker", "stavanger", "vinje"]
    # what the program cannot know is a blank to fill in, and fkj validate lists it
    stavanger = (workdir / "build/stavanger/memo.md").read_text(encoding="utf-8")
    blank = "\\_\\_\\_\\_\\_\\_\\_\\_ (fylles ut)"
    # a notat, like Bærum's: no case to a political body, and no body nobody has named
    assert 'subtitle: "Notat – Stavanger kommune"' in stavanger
    assert "| Dato | Arkivkode | Arkivsaksnr. | JournalpostID |" in stavanger
    assert f"| {blank} | {blank} | {blank} | {blank} |" in stavanger
    # to whom it goes and who it is from are the municipality's to say, and the memo's date is its case's
    assert "| Til | Fra |\n|:-" in stavanger and f"| {blank} | {blank} |\n" in stavanger
    for body in ("Formannskapet", "Kommunestyret", "Bystyret", "Møtedato", "Saksframlegg"):
        assert body not in stavanger, body
    assert 'date: "\\\\_' in stavanger and "20. september 2021" not in stavanger
    # Bærum's misspellings and slips are its own memo's, not the others'
    for word in ("samarbeidskommunenenes", "prosjektpressurser", "interimperioden", "heleiet", "100%", "A/S"):
        assert word not in stavanger, word
    for slip in (
        "leverte februar",
        "nasjonalt e-helsestyre",
        "KS hovedstyret",
        "prosjektstyret",
        "planlegges det derfor",
    ):
        assert slip not in stavanger, slip
    assert "«Felles kommunal journal interim AS»" in stavanger and "100\u00a0% eid av KS" in stavanger
    assert "I februar 2020 leverte Direktoratet for e-helse" in stavanger and "Nasjonalt e-helsestyre" in stavanger
    result = run_fkj("validate")
    open_fields = [line for line in result.stderr.splitlines() if "cases.stavanger." in line]
    assert open_fields[0].endswith(
        ": cases.stavanger.arkivkode: warning: open field: fill it in before the document is sent"
    )
    assert len(open_fields) == 5  # arkivkode, arkivsaksnr, journalpost_id, date, from
    assert run_fkj("validate", "--strict").exit_code == 1


def test_memo_only_for_collaboration_municipalities(make_tree: Maker) -> None:
    make_tree()
    result = run_fkj("build", "memo", "-k", "trondheim")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: memo is only for the collaboration municipalities; Trondheim is not one"
    # Oslo was named one on the memo's date (20.09.2021) but signed no agreement (seed 001): no memo either
    result = run_fkj("build", "memo", "-k", "oslo")
    assert result.stderr.strip() == "error: memo is only for the collaboration municipalities; Oslo is not one"


def test_arkivsaksnr_of_the_wrong_form(make_tree: Maker) -> None:
    root = make_tree({"memo.yaml": replace("arkivsaksnr: 20/8813", "arkivsaksnr: 2020/8813")})
    line = line_of(root / "memo.yaml", "arkivsaksnr: 2020/8813")
    message = (
        f"content/memo.yaml:{line}:18: cases.baerum.arkivsaksnr: "
        "an arkivsaksnr is the case year in two digits / the case number, like 20/8813; not '2020/8813'"
    )
    assert problems(root) == [message]
    result = run_fkj("validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == message


@pytest.mark.parametrize(
    ("old", "new", "col", "key", "message"),
    [
        (
            "journalpost_id: 21/188842",
            "journalpost_id: 21-188842",
            21,
            "journalpost_id",
            "a journalpost_id is the year in two digits / the entry number, like 21/188842; not '21-188842'",
        ),
        (
            "arkivkode: N-151",
            "arkivkode: N151",
            16,
            "arkivkode",
            "an arkivkode is a class of two or three digits, optionally after its ordningsprinsipp, "
            "like N-151, FE-151 or 151; not 'N151'",
        ),
        (
            "kind: notat",
            "kind: vedtak",
            11,
            "kind",
            "must be one of 'notat', 'saksframlegg' or 'byradssak', not 'vedtak'",
        ),
    ],
)
def test_case_metadata_forms(make_tree: Maker, old: str, new: str, col: int, key: str, message: str) -> None:
    root = make_tree({"memo.yaml": replace(old, new)})
    line = line_of(root / "memo.yaml", new)
    assert problems(root) == [f"content/memo.yaml:{line}:{col}: cases.baerum.{key}: {message}"]


def test_case_for_an_unknown_or_other_kommune(make_tree: Maker) -> None:
    root = make_tree(
        {"memo.yaml": lambda t: t + VINJE_CASE.replace("vinje:", "vinej:") + BERGEN_CASE.replace("bergen:", "oslo:")}
    )
    path = root / "memo.yaml"
    assert problems(root) == [
        f"content/memo.yaml:{line_of(path, '  vinej:')}:3: cases.vinej: unknown kommune 'vinej'; did you mean 'vinje'?",
        f"content/memo.yaml:{line_of(path, '  oslo:')}:3: cases.oslo: "
        "the memo is only for the collaboration municipalities; Oslo is not one",
    ]


def test_memo_texts_exist_in_nynorsk() -> None:
    """Validation samples only municipalities with a case, and no nynorsk one has one yet."""
    content = load_content(copy_content(Path(tempfile.mkdtemp()) / "content"))
    slug, vinje = content.kommune("vinje")
    target = Target(document_type("memo"), slug, vinje, "nn")
    context = Renderer().context(content, compute(content), target)
    assert context.doc.facts.startswith("I februar 2020 leverte Direktoratet for e-helse eit styringsdokument")


# The hearing


def test_hearing_letters_one_per_recipient(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    build("hearing")
    recipients = load_content(root).document("hearing").recipients
    folder = workdir / "build/hearing"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"hearing-{slug}.{ext}" for slug in recipients for ext in ("docx", "pdf")
    )
    assert "hearing-baerum.docx" in {p.name for p in folder.iterdir()}
    document = docx.Document(str(folder / "hearing-hod.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Helse- og omsorgsdepartementet\nPostboks 8011 Dep\n0030 Oslo" in paragraphs
    # no source gives the deadline or who signs: the draft letter leaves both to fill
    assert "Høringsfristen er ________ (fylles ut)." in paragraphs
    assert "Brevet sendes til disse høringsinstansene:" in paragraphs  # a draft: not sent yet
    assert "Med vennlig hilsen\n________ (fylles ut)\nProgramleder\nFelles kommunal journal interim AS" in paragraphs
    assert "Kontaktperson: ________ (fylles ut)" in paragraphs
    # the file's date is the day the letter is sent, a blank like the head's, not the draft's 30 June 2022
    custom = zipfile.ZipFile(folder / "hearing-hod.docx").read("docProps/custom.xml").decode("utf-8")
    assert 'name="date"><vt:lpwstr>________ (fylles ut)</vt:lpwstr>' in custom
    # a group is reached through one of its organisations, which the head leaves to fill
    group = [p.text for p in docx.Document(str(folder / "hearing-brukerorganisasjoner.docx")).paragraphs]
    assert (
        "________ (fylles ut: organisasjon)\nBruker- og pasientforeninger, ved representantene i prosjektrådet\n"
        "________ (fylles ut: adresse)"
    ) in group
    assert headings(document) == [
        "Høring – oppdatert styringsdokument for Felles kommunal journal",
        "Hva vi sender på høring",
        "Hva vi ønsker innspill på",
        "Frist og hvordan dere svarer",
        "Videre arbeid",
        "Vedlegg",
        "Høringsinstanser",
    ]
    # the letter's head: a row of labels over a row of values, no numbered table; no source gives the day
    # the letter is sent (the draft is of 30 June 2022, the day the document was ready for hearing, and the
    # hearing is in the autumn): a blank to fill
    assert rows(document.tables[0]) == [
        ["Fra", "Vår ref.", "Dato", "Høringsfrist"],
        ["Felles kommunal journal interim AS", "________ (fylles ut)", "________ (fylles ut)", "________ (fylles ut)"],
    ]
    code, _, err = invoke("validate")
    assert code == 0
    assert [line.split(": ", 1)[1] for line in err.splitlines() if line.startswith("content/hearing.yaml")] == [
        "sent: warning: open field: fill it in before the document is sent",
        "deadline: warning: open field: fill it in before the document is sent",
        "our_ref: warning: open field: fill it in before the document is sent",
        "signature.name: warning: open field: fill it in before the document is sent",
        "signature.contact: warning: open field: fill it in before the document is sent",
    ]
    assert document.core_properties.language == "nb-NO"
    # a letter to a municipality follows its målform: Vinje writes nynorsk
    assert pdf_lang(folder / "hearing-vinje.pdf") == "nn-NO"
    assert pdf_lang(folder / "hearing-ks.pdf") == "nb-NO"


def test_hearing_summary_without_responses(make_tree: Maker, workdir: Path) -> None:
    """Before any response, and before the letter is sent: one sentence and the list of recipients, no tables of
    zeros, and a date to fill (a summary is not older than the hearing it sums up)."""
    make_tree()
    build("hearing-summary", "-f", "docx")
    document = docx.Document(str(workdir / "build/hearing/hearing-summary.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Ingen høringssvar er registrert ennå." in paragraphs
    assert "Hovedpunkter i svarene" not in headings(document) and "Høringssvar i tall" not in headings(document)
    assert len(document.tables) == 1  # the head
    listed = [p.text for p in document.paragraphs if p.style.name.startswith(("Compact", "List"))]
    assert len(listed) == 16 and "Norsk helsenett SF" in listed
    assert next(p.text for p in document.paragraphs if p.style.name == "Date") == "________ (fylles ut: dato)"


def test_hearing_summary_counts_and_main_points(make_tree: Maker, workdir: Path) -> None:
    """With the deadline set (30 September 2022) and three responses, one of them late."""
    make_tree(
        {
            "hearing.yaml": lambda t: t.replace("responses: {}\n", RESPONSES).replace(
                "deadline: null", "deadline: 2022-09-30"
            )
        }
    )
    build("hearing-summary")
    document = docx.Document(str(workdir / "build/hearing/hearing-summary.docx"))
    counts, per_recipient = rows(document.tables[1]), rows(document.tables[2])
    assert counts[1:] == [
        ["Høringsinstanser", "16"],
        ["Svar mottatt", "3"],
        ["Svar uten merknader", "1"],
        ["Svar etter fristen", "1"],
        ["Ikke svart", "13"],
    ]
    assert ["Bærum kommune", "Mottatt 20.09.2022"] in per_recipient
    assert ["Vinje kommune", "Mottatt 05.10.2022 (etter fristen)"] in per_recipient
    assert ["Bergen kommune", "Ikke svart"] in per_recipient
    found = headings(document)
    start = found.index("Hovedpunkter i svarene")
    assert found[start : start + 4] == ["Hovedpunkter i svarene", "Bærum kommune", "Vinje kommune", "KS"]
    paragraphs = [p.text for p in document.paragraphs]
    assert "Ber om tydeligere kostnadsfordeling." in paragraphs
    assert "Ingen merknader." in paragraphs
    assert pdf_lang(workdir / "build/hearing/hearing-summary.pdf") == "nb-NO"


def test_validate_checks_the_hearing_letter_in_nynorsk_for_a_nynorsk_recipient(make_tree: Maker) -> None:
    """Vinje, a recipient, writes nynorsk: its letter is built in nynorsk, so `fkj validate` checks it so."""
    nynorsk = "  nn: Høyring av utkast til oppdatert styringsdokument for {{ program.name }} ({{ program.short_name }})"
    root = make_tree({"hearing.yaml": replace(nynorsk + "\n", "")})
    line = line_of(root / "hearing.yaml", "  nb: Høring av utkast til oppdatert styringsdokument")
    code, out, err = invoke("validate")
    assert code == 1, out + err
    assert err.splitlines() == [
        f"content/hearing.yaml:{line}:3: subject: no nynorsk text (nn) for a nynorsk document; "
        "write one, or set allow_fallback: true to use the bokmål text",
        "✗ 1 problem in 1 file",
    ]


NHN_AS_SUMMARY = "  summary: {name: Nhn, organisation: nhnn}"


def test_hearing_cross_checks(make_tree: Maker) -> None:
    responses = RESPONSES.replace("  ks:\n", "  kss:\n").replace("received: 2022-09-20", "received: 2022-06-01")
    root = make_tree(
        {
            "hearing.yaml": lambda t: (
                t.replace("responses: {}\n", responses)
                .replace("deadline: null", "deadline: 2022-11-15")
                .replace("  nhn: {name: Norsk helsenett SF, organisation: nhn}", NHN_AS_SUMMARY)
            )
        }
    )
    path = root / "hearing.yaml"
    assert problems(root) == [
        f"content/hearing.yaml:{line_of(path, 'deadline: 2022-11-15')}:1: deadline: the deadline (2022-11-15) is "
        "after the milestone 'horing-gjennomfort' (2022-10) by which the hearing is to be done",
        f"content/hearing.yaml:{line_of(path, '  summary: {')}:3: recipients.summary: the letter to 'summary' "
        "would be hearing/hearing-summary.*, the file of hearing-summary; choose another slug",
        f"content/hearing.yaml:{line_of(path, '  summary: {')}:24: recipients.summary.organisation: "
        "unknown organisation or kommune 'nhnn'; did you mean 'nhn'?",
        f"content/hearing.yaml:{line_of(path, 'received: 2022-06-01')}:5: responses.baerum.received: "
        "received (2022-06-01) before the letter was drafted (2022-06-30)",
        f"content/hearing.yaml:{line_of(path, '  kss:')}:3: responses.kss: unknown recipient 'kss'; did you mean 'ks'?",
    ]


def test_the_letter_shows_the_day_it_is_sent_and_its_deadline_follows_it(make_tree: Maker, workdir: Path) -> None:
    root = make_tree(
        {
            "hearing.yaml": lambda t: t.replace("sent: null", "sent: 2022-09-01").replace(
                "deadline: null", "deadline: 2022-08-15"
            )
        }
    )
    path = root / "hearing.yaml"
    assert problems(root) == [
        f"content/hearing.yaml:{line_of(path, 'deadline: 2022-08-15')}:1: deadline: the deadline (2022-08-15) must "
        "come after the day the letter is sent (2022-09-01)"
    ]
    make_tree(
        {
            "hearing.yaml": lambda t: (
                t.replace("sent: null", "sent: 2022-09-01")
                .replace("deadline: null", "deadline: 2022-10-14")
                .replace("our_ref: null", "our_ref: 22/00412")
            )
        }
    )
    build("hearing", "-k", "ks")
    document = docx.Document(str(workdir / "build/hearing/hearing-ks.docx"))
    assert rows(document.tables[0])[1] == [
        "Felles kommunal journal interim AS",
        "22/00412",
        "1. september 2022",
        "14. oktober 2022",
    ]
    assert "Brevet er sendt til disse høringsinstansene:" in [p.text for p in document.paragraphs]


def test_a_response_needs_its_points(make_tree: Maker) -> None:
    root = make_tree({"hearing.yaml": replace("responses: {}\n", "responses:\n  ks:\n    received: 2022-09-28\n")})
    line = line_of(root / "hearing.yaml", "    received: 2022-09-28")
    assert problems(root) == [
        f"content/hearing.yaml:{line}:5: responses.ks: list the response's main points, or set no_comments: true"
    ]


def test_a_case_may_sit_in_the_kommunes_override(make_tree: Maker, workdir: Path) -> None:
    make_tree(
        {"memo.yaml": lambda t: without_cases(t, "bergen"), "overrides/bergen/memo.yaml": "cases:\n" + BERGEN_CASE}
    )
    build("memo", "-k", "bergen", "-f", "md")
    memo = (workdir / "build/bergen/memo.md").read_text(encoding="utf-8")
    assert (
        "| Dato | Arkivkode | Arkivsaksnr. | JournalpostID |" in memo
        and "| 01.10.2021 | 151 | 21/99 | 21/100 |" in memo
    )


def test_the_hearing_letter_asks_about_what_its_attachment_contains(make_tree: Maker, workdir: Path) -> None:
    """Each topic the letter asks views on is a part of the governance document it sends; what the
    document leaves to the decision basis (price models, costs and benefits) the letter says is not in it."""
    make_tree()
    build("hearing")
    build("governance")
    letter = docx.Document(str(workdir / "build/hearing/hearing-ks.docx"))
    governance = docx.Document(str(workdir / "build/program/governance.docx"))
    sections = [h.split(" ", 1)[1].lower() for h in headings(governance)]  # "3 Løsnings- og …", "3.1 …"
    text = "\n".join(p.text for p in letter.paragraphs)
    listed = [p.text for p in letter.paragraphs if p.style is not None and p.style.name == "Compact"]
    topics = [t for t in listed if t and t[0].islower()]  # the bulleted topics, each a lower-case phrase
    # each topic names the section of the attachment it is about
    covered = {
        "løsnings- og gjennomføringsstrategien": "utgangspunkt for løsnings- og gjennomføringsstrategien",
        "anskaffelsesstrategien": "anskaffelsesstrategi",
        "organisering og styring": "organisering og roller",
        "finansieringen": "finansiering",
        "risikovurderingen": "risiko",
    }
    assert len(topics) >= 5, listed
    for topic in topics[:5]:
        section = next((s for key, s in covered.items() if key in topic.lower()), None)
        assert section is not None, topic
        assert section in sections, (topic, sections)
    # what the attachment lacks is not asked about, and the letter says where it comes
    assert "prismodell" not in " ".join(topics).lower() and "prismodell" not in " ".join(sections)
    assert "Prismodellene og analysen av kostnader og nytte for kommunene kommer i beslutningsunderlaget" in text


def test_the_seven_memos_quote_the_agreement_they_attach(make_tree: Maker, workdir: Path) -> None:
    """A memo other than Bærum's lists the agreement's purpose and obligations in the words of the agreement it
    attaches (capitalised, as its own list items), in bokmål and nynorsk; Bærum's keeps Bærum's words."""
    make_tree()
    for slug in ("stavanger", "vinje", "baerum"):
        build("memo", "-k", slug, "-f", "md")
        build("agreement", "-k", slug, "-f", "md")

        def items(name: str, slug: str = slug) -> list[str]:
            text = (workdir / "build" / slug / f"{name}.md").read_text(encoding="utf-8")
            found = [line[2:].rstrip(".") for line in text.splitlines() if line.startswith("- ")]
            return [i[0].lower() + i[1:] for i in found if "\\_" not in i]

        memo, agreement = items("memo"), items("agreement")
        assert len(agreement) == 11, slug
        if slug == "baerum":
            assert "ikke som representant for egen organisasjon" in " ".join(memo)
            assert memo != agreement
        else:
            assert memo == agreement, slug
