"""`fkj package` and `fkj receipt import`: the mailing as a Fiks Arkiv message, and the archive's receipt back.

Every package the tests write is validated against KS's schema, and every
receipt they write against the receipt's schema; the schemas and code lists
are read from ``../shared/data/fiks-arkiv-v1`` (``$FKJ_SHARED``), and the
tests that need them skip, naming the folder, where it is absent. Packages
are built for Bergen (bokmål, city government), Vinje (nynorsk) and Bergen
from the sender's side, once for the module; a test that changes content
starts from a copy of those builds, so only what it changes is rebuilt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree  # type: ignore[import-untyped]

from fkj_cli.archive import schema as receipt_schema
from fkj_cli.archive.codes import ARKIVMELDING_NS, CODES, KVITTERING_NS, METADATA_NS, XSI_NS
from fkj_cli.archive.message import CaseNumber, oslo_midnight
from fkj_cli.archive.package import RECEIVER, SENDER, NotFinalError, keys, package
from fkj_cli.archive.receipt import ReceiptError, import_receipts
from fkj_cli.documents import document_type
from fkj_cli.documents.letter import MAILING
from fkj_cli.documents.saksframlegg import Saksframlegg
from fkj_cli.errors import FkjError
from fkj_cli.fmt import format_text
from fkj_cli.present import package_lines, receipt_lines

from .conftest import Edit, copy_content, replace
from .helpers import Maker, invoke, shared_dir

FIKS_ARKIV = shared_dir() / "data" / "fiks-arkiv-v1"
MESSAGE_XSD = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd"
RECEIPT_XSD = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.kvittering.xsd"
AM, MDK, XSI = ARKIVMELDING_NS, METADATA_NS, XSI_NS
LETTER_DATE = dt.date(2022, 11, 15)
LETTER_TITLE = "Beslutningsunderlag om Felles kommunal journal"
# The files of a package, in the order the message lists them: the mailing as fkj declares it.
FILES = [f"{part.document}.{fmt}" for part in MAILING.parts for fmt in part.formats]
# The code-typed elements of a message, and the code list each takes its codes from.
CODE_LISTS = {
    "journalposttype": "journalposttype",
    "korrespondanseparttype": "korrespondanseparttype",
    "dokumenttype": "dokumenttype",
    "dokumentstatus": "dokumentstatus",
    "tilknyttetRegistreringSom": "tilknyttetregistreringsom",
    "variantformat": "variantformat",
}


# ---------------------------------------------------------------- the schemas and code lists


@dataclass
class FiksArkiv:
    message: Any  # lxml XMLSchema of arkivmelding.xml
    receipt: Any  # of arkivmelding-kvittering.xml
    codes: dict[str, dict[str, str]]  # code list name -> kode -> beskrivelse

    def valid_message(self, path: Path) -> None:
        document = etree.parse(str(path))
        assert self.message.validate(document), f"{path}: {self.message.error_log}"

    def receipt_errors(self, text: str) -> list[str]:
        document = etree.fromstring(text.encode("utf-8"))
        self.receipt.validate(document)
        return [e.message for e in self.receipt.error_log]


@pytest.fixture(scope="module")
def fiks_arkiv() -> FiksArkiv:
    if not FIKS_ARKIV.is_dir():
        pytest.skip(f"the Fiks Arkiv schemas and code lists are not at {FIKS_ARKIV} (set FKJ_SHARED)")
    codes: dict[str, dict[str, str]] = {}
    for path in sorted((FIKS_ARKIV / "kodelister").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        name = path.name.removeprefix("no.ks.fiks.arkiv.v1.kodelister.").removesuffix(".json")
        codes[name] = {c["kodeverdi"]: c["kodebeskrivelse"] for c in data["kodeliste"]}
    return FiksArkiv(
        etree.XMLSchema(etree.parse(str(FIKS_ARKIV / MESSAGE_XSD))),
        etree.XMLSchema(etree.parse(str(FIKS_ARKIV / RECEIPT_XSD))),
        codes,
    )


# ---------------------------------------------------------------- a final mailing

# What the sender fills in before the mailing is archived: test values, not the program's facts.
OUR_REF = 'our_ref: "FKJI 2022/17"'  # not a case number: the sender's view makes a new case file
FILLS: dict[str, list[tuple[str, str]]] = {
    "letter.yaml": [
        ("our_ref: null", OUR_REF),
        ("sent: null", "sent: 2022-11-15"),
        ("  signatory: null", "  signatory: Kari Nordmann, daglig leder"),
        ("  contact: null", "  contact: Ola Nordmann, ola@example.no"),
        ("  arkivdel: null", "  arkivdel: SAK"),
        ("  arkivkode: null", "  arkivkode: FE-026"),
        ("  enhet: null", "  enhet: Sekretariatet"),
        ("  saksbehandler: null", "  saksbehandler: Ola Nordmann"),
    ],
    "program.yaml": [
        (
            "    org_number: null\n    address: null\n",
            '    org_number: "912345602"\n    address:\n      postadresse: [Postboks 1 Sentrum]\n'
            '      postnummer: "0101"\n      poststed: Oslo\n',
        )
    ],
    "saksframlegg.yaml": [
        (
            "filing:\n  arkivdel: null\n  arkivkode: null\n  enhet: null\n",
            "filing:\n  arkivdel: SAK\n  arkivkode: K1-026\n  enhet: Postmottak\n",
        )
    ],
}


def _filled(name: str, then: Edit = None) -> Callable[[str], str]:
    def edit(text: str) -> str:
        for old, new in FILLS[name]:
            assert old in text, f"{old!r} not in {name}"
            text = text.replace(old, new, 1)
        if then is None:
            return text
        return then(text) if callable(then) else then

    return edit


def final(edits: dict[str, Edit] | None = None) -> dict[str, Edit]:
    """``edits`` to a content tree whose mailing is final: every field the package needs filled in."""
    edits = dict(edits or {})
    return {**edits, **{name: _filled(name, edits.get(name)) for name in FILLS}}


def finish(content: Path) -> Path:
    """Fill in, in the content tree at ``content``, what a final mailing needs."""
    for name in FILLS:
        path = content / name
        path.write_text(_filled(name)(path.read_text(encoding="utf-8")), encoding="utf-8")
    return content


# ---------------------------------------------------------------- the packages, built once


@dataclass
class Built:
    root: Path  # content/ and build/ under it


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The mailing packaged for Bergen and Vinje (their archives' view) and for Bergen (the sender's)."""
    root = tmp_path_factory.mktemp("archive")
    finish(copy_content(root / "content"))
    common = {"out": root / "build", "content": root / "content"}
    assert package(kommuner=["bergen", "vinje"], **common).ok
    assert package(kommuner=["bergen"], sender=True, **common).ok
    return Built(root)


@pytest.fixture
def tree(make_tree: Maker, built: Built) -> Callable[..., Path]:
    """A content tree with a final mailing (edits as for ``make_tree``) and a copy of the module's builds."""

    def make(edits: dict[str, Any] | None = None) -> Path:
        content = make_tree(final(edits))
        shutil.copytree(built.root / "build", content.parent / "build")
        return content

    return make


def parse(path: Path) -> Any:
    return etree.parse(str(path)).getroot()


def find(element: Any, path: str) -> Any:
    """The element at ``path``: ``am:name`` in the arkivmelding namespace, ``n5mdk:name`` in the metadatakatalog's."""
    found = element.find(path.replace("n5mdk:", f"{{{MDK}}}").replace("am:", f"{{{AM}}}"), {})
    assert found is not None, f"no {path}"
    return found


def findall(element: Any, path: str) -> list[Any]:
    return list(element.iterfind(path.replace("n5mdk:", f"{{{MDK}}}").replace("am:", f"{{{AM}}}")))


def text(element: Any, path: str) -> str:
    return str(find(element, path).text)


def code(element: Any, path: str) -> tuple[str, str]:
    return text(element, f"{path}/n5mdk:kode"), text(element, f"{path}/n5mdk:beskrivelse")


def check_package(folder: Path, fiks_arkiv: FiksArkiv) -> Any:
    """The package in ``folder`` and its zip beside it are whole and right; the message's root."""
    fiks_arkiv.valid_message(folder / "arkivmelding.xml")
    root = parse(folder / "arkivmelding.xml")
    objects = findall(root, ".//am:dokumentobjekt")
    names = [text(o, "am:referanseDokumentfil") for o in objects]
    assert names == FILES
    assert int(text(root, "am:antallFiler")) == len(names)
    assert sorted(p.name for p in folder.iterdir()) == sorted(["arkivmelding.xml", *names])
    for o in objects:
        data = (folder / text(o, "am:referanseDokumentfil")).read_bytes()
        assert text(o, "am:sjekksum") == hashlib.sha256(data).hexdigest()
        assert text(o, "am:sjekksumAlgoritme") == "SHA-256"
        assert int(text(o, "am:filstoerrelse")) == len(data)
    # every code is one of its list's, with the list's own description
    for tag, liste in CODE_LISTS.items():
        for element in findall(root, f".//am:{tag}"):
            kode, beskrivelse = code(element, ".")
            assert fiks_arkiv.codes[liste].get(kode) == beskrivelse, (tag, kode, beskrivelse)
    # the zip: the same files, in the message's order, dated the letter's date, mode 0644, deflated
    with zipfile.ZipFile(folder.with_suffix(".zip")) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["arkivmelding.xml", *names]
        for info in infos:
            assert archive.read(info) == (folder / info.filename).read_bytes()
            assert info.date_time == (2022, 11, 15, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
            assert info.compress_type == zipfile.ZIP_DEFLATED
    return root


# ---------------------------------------------------------------- the message


def test_every_code_fkj_writes_is_in_its_shipped_list(fiks_arkiv: FiksArkiv) -> None:
    for c in CODES:
        assert fiks_arkiv.codes[c.liste].get(c.kode) == c.beskrivelse, c


def test_the_municipalitys_package_is_valid_whole_and_an_incoming_journal_post(
    built: Built, fiks_arkiv: FiksArkiv
) -> None:
    root = check_package(built.root / "build" / "bergen" / "forsendelse", fiks_arkiv)
    assert text(root, "am:system") == "fkj"
    mappe, post = find(root, "am:mappe"), find(root, "am:registrering")
    assert mappe.get(f"{{{XSI}}}type") == "saksmappe"
    assert post.get(f"{{{XSI}}}type") == "journalpost"
    # a new case file, titled as the saksframlegg, with the mailing's and the municipality's key
    assert text(mappe, "am:tittel") == "Felles kommunal journal – kommunens tilslutning"
    case_key = "forsendelse-2022-11-15/bergen/I/saksmappe"
    assert text(mappe, "am:referanseEksternNoekkel/n5mdk:fagsystem") == "fkj"
    assert text(mappe, "am:referanseEksternNoekkel/n5mdk:noekkel") == case_key
    # filed as saksframlegg.yaml's filing says for every municipality (Bergen has no case entry of its own)
    assert text(mappe, "am:arkivdel/n5mdk:kode") == "SAK"
    assert text(mappe, "am:klassifikasjon/am:klassifikasjonssystemID") == "K1"
    assert text(mappe, "am:klassifikasjon/am:klasseID") == "026"
    assert text(mappe, "am:administrativEnhet/n5mdk:navn") == "Postmottak"
    assert not findall(mappe, "am:saksansvarlig")  # the archive assigns one: content names none for Bergen
    # the journal post: filed in that case, incoming, from the sender, dated the letter's date
    assert text(post, "am:referanseForelderMappe/n5mdk:referanseEksternNoekkel/n5mdk:noekkel") == case_key
    assert text(post, "am:tittel") == "Beslutningsunderlag om Felles kommunal journal – kommunens tilslutning"
    assert text(post, "am:referanseEksternNoekkel/n5mdk:noekkel") == "forsendelse-2022-11-15/bergen/I/journalpost"
    assert code(post, "am:journalposttype") == ("I", "Inngående dokument")
    assert code(post, "am:journalstatus") == ("F", "Ferdigstilt av saksbehandler")  # as KS's own messages
    assert text(post, "am:dokumentetsDato") == "2022-11-15"
    # an incoming post is dated received by the archive (mottattDato), not sent
    assert not findall(post, "am:sendtDato") and not findall(post, "am:mottattDato")
    assert text(post, "am:antallVedlegg") == "2"
    assert not findall(root, ".//am:skjerming")
    # from the sender (with its organisation number, address and reference) to the unit that receives it
    sender, recipient = findall(post, "am:korrespondansepart")
    assert code(sender, "am:korrespondanseparttype") == ("EA", "Avsender")
    assert text(sender, "am:erBehandlingsansvarlig") == "false"
    assert text(sender, "am:korrespondansepartNavn") == "Felles kommunal journal interim AS"
    assert text(sender, "am:organisasjonid") == "912345602"
    assert [e.text for e in findall(sender, "am:postadresse")] == ["Postboks 1 Sentrum"]
    assert (text(sender, "am:postnummer"), text(sender, "am:poststed")) == ("0101", "Oslo")
    assert text(sender, "am:deresReferanse") == "FKJI 2022/17"
    assert code(recipient, "am:korrespondanseparttype") == ("IM", "Intern mottaker")
    assert text(recipient, "am:erBehandlingsansvarlig") == "true"
    assert text(recipient, "am:korrespondansepartNavn") == "Postmottak"
    assert text(recipient, "am:administrativEnhet/n5mdk:navn") == "Postmottak"
    # the documents: the letter the main document, the decision basis and the draft saksframlegg attachments
    documents = [
        (
            text(d, "am:dokumentnummer"),
            code(d, "am:tilknyttetRegistreringSom")[0],
            code(d, "am:dokumenttype")[0],
            code(d, "am:dokumentstatus")[0],
            text(d, "am:tittel"),
            [
                (code(o, "am:variantformat")[0], code(o, "am:format")[0], text(o, "am:filnavn"))
                for o in findall(d, "am:dokumentobjekt")
            ],
        )
        for d in findall(post, "am:dokumentbeskrivelse")
    ]
    # every document sent is final (F), the draft saksframlegg too; the archive shows Norwegian file names
    assert documents == [
        ("1", "H", "KORR", "F", f"Oversendelsesbrev – {LETTER_TITLE}", [("A", "PDF", "Oversendelsesbrev.pdf")]),
        (
            "2",
            "V",
            "UTREDNING",
            "F",
            "Beslutningsunderlag – Felles kommunal journal",
            [("A", "PDF", "Beslutningsunderlag.pdf")],
        ),
        (
            "3",
            "V",
            "SAKSFRAMLEGG",
            "F",
            "Saksframlegg – Felles kommunal journal – kommunens tilslutning",
            [("A", "PDF", "Utkast til saksframlegg.pdf"), ("P", "DOCX", "Utkast til saksframlegg.docx")],
        ),
    ]
    formats = {code(o, "am:format") for o in findall(post, ".//am:dokumentobjekt")}
    assert formats == {
        ("PDF", "Acrobat PDF/A - Portable Document Format 2a (PRONOM fmt/476)"),
        ("DOCX", "Microsoft Word for Windows 2007 onwards (PRONOM fmt/412)"),
    }
    # the files are the documents the build wrote
    for name in FILES:
        assert (built.root / "build" / "bergen" / "forsendelse" / name).read_bytes() == (
            built.root / "build" / "bergen" / name
        ).read_bytes()


def test_a_nynorsk_municipality_gets_its_package_in_nynorsk(built: Built, fiks_arkiv: FiksArkiv) -> None:
    root = check_package(built.root / "build" / "vinje" / "forsendelse", fiks_arkiv)
    assert text(root, "am:mappe/am:tittel") == "Felles kommunal journal – tilslutnad frå kommunen"
    post = find(root, "am:registrering")
    assert text(post, "am:tittel") == "Avgjerdsgrunnlag om Felles kommunal journal – tilslutnad frå kommunen"
    assert [text(d, "am:tittel") for d in findall(post, "am:dokumentbeskrivelse")] == [
        "Oversendingsbrev – Avgjerdsgrunnlag om Felles kommunal journal",
        "Avgjerdsgrunnlag – Felles kommunal journal",
        "Saksframlegg – Felles kommunal journal – tilslutnad frå kommunen",
    ]
    assert text(post, "am:referanseEksternNoekkel/n5mdk:noekkel") == "forsendelse-2022-11-15/vinje/I/journalpost"
    assert [text(o, "am:filnavn") for o in findall(post, ".//am:dokumentobjekt")] == [
        "Oversendingsbrev.pdf",
        "Avgjerdsgrunnlag.pdf",
        "Utkast til saksframlegg.pdf",
        "Utkast til saksframlegg.docx",
    ]


def test_the_senders_package_is_an_outgoing_journal_post_to_the_municipality(
    built: Built, fiks_arkiv: FiksArkiv
) -> None:
    folder = built.root / "build" / "bergen" / "forsendelse-avsender"
    root = check_package(folder, fiks_arkiv)
    assert text(root, "am:mappe/am:tittel") == "Felles kommunal journal – kommunens tilslutning – Bergen kommune"
    case_key = text(root, "am:mappe/am:referanseEksternNoekkel/n5mdk:noekkel")
    assert case_key == "forsendelse-2022-11-15/bergen/U/saksmappe"
    # the sender's own case file, filed as letter.yaml's filing says
    mappe = find(root, "am:mappe")
    assert text(mappe, "am:arkivdel/n5mdk:kode") == "SAK"
    assert (
        text(mappe, "am:klassifikasjon/am:klassifikasjonssystemID"),
        text(mappe, "am:klassifikasjon/am:klasseID"),
    ) == (
        "FE",
        "026",
    )
    assert text(mappe, "am:administrativEnhet/n5mdk:navn") == "Sekretariatet"
    assert text(mappe, "am:saksansvarlig/n5mdk:navn") == "Ola Nordmann"
    post = find(root, "am:registrering")
    assert code(post, "am:journalposttype") == ("U", "Utgående dokument")
    assert code(post, "am:journalstatus") == ("F", "Ferdigstilt av saksbehandler")
    assert text(post, "am:sendtDato") == "2022-11-15T00:00:00+01:00"
    assert text(post, "am:referanseEksternNoekkel/n5mdk:noekkel") == "forsendelse-2022-11-15/bergen/U/journalpost"
    # to the municipality, from the sender's unit and saksbehandler
    party, internal = findall(post, "am:korrespondansepart")
    assert code(party, "am:korrespondanseparttype") == ("EM", "Mottaker")
    assert text(party, "am:korrespondansepartNavn") == "Bergen kommune"
    assert text(party, "am:organisasjonid") == "964338531"
    assert code(internal, "am:korrespondanseparttype") == ("IA", "Intern avsender")
    assert text(internal, "am:erBehandlingsansvarlig") == "true"
    assert text(internal, "am:korrespondansepartNavn") == "Ola Nordmann"
    assert text(internal, "am:administrativEnhet/n5mdk:navn") == "Sekretariatet"
    assert text(internal, "am:saksbehandler/n5mdk:navn") == "Ola Nordmann"
    # the same documents as the municipality's package
    for name in FILES:
        assert (folder / name).read_bytes() == (built.root / "build" / "bergen" / "forsendelse" / name).read_bytes()


def test_packages_are_the_same_bytes_from_the_same_content(built: Built, workdir: Path) -> None:
    """Built anew in another folder, every file of the package and the zip is byte for byte the same."""
    finish(copy_content(workdir / "content"))
    report = package(kommuner=["bergen"], out=workdir / "other", content=workdir / "content")
    assert report.ok
    for name in ["forsendelse", "forsendelse.zip"]:
        ours, theirs = built.root / "build" / "bergen" / name, workdir / "other" / "bergen" / name
        pairs = [(ours, theirs)] if ours.is_file() else [(p, theirs / p.name) for p in ours.iterdir()]
        for a, b in pairs:
            assert a.read_bytes() == b.read_bytes(), a.name


def test_a_package_is_written_only_where_it_is_not_up_to_date(tree: Callable[..., Path]) -> None:
    tree()
    out = Path("build")
    first = package(kommuner=["bergen"])
    assert first.ok and first.packages[0].up_to_date
    assert package_lines(first) == [
        "documents: 0 written, 6 up to date",
        "up to date: build/bergen/forsendelse/ and build/bergen/forsendelse.zip (inngående dokument, a new case file)",
        "0 packages written, 1 up to date",
    ]
    message = out / "bergen" / "forsendelse" / "arkivmelding.xml"
    before = message.read_bytes()
    (out / "bergen" / "forsendelse.zip").unlink()
    message.write_bytes(before.replace(b"Bergen", b"Bergn"))  # edited by hand
    report = package(kommuner=["bergen"])
    assert sorted(str(p) for p in report.packages[0].written) == [
        "build/bergen/forsendelse.zip",
        "build/bergen/forsendelse/arkivmelding.xml",
    ]
    assert message.read_bytes() == before
    assert package_lines(report)[-1] == "1 package written, 0 up to date"


def test_classification_and_access_restriction_come_from_content(
    tree: Callable[..., Path], fiks_arkiv: FiksArkiv
) -> None:
    case = (
        "cases:\n  bergen:\n    arkivkode: FE-151\n"
        "    skjerming:\n      tilgangsrestriksjon: '13'\n      skjermingshjemmel: Offl. § 13\n"
    )
    tree({"saksframlegg.yaml": lambda old: old + case})
    report = package(kommuner=["bergen"])
    assert report.ok and report.packages[0].classified
    root = check_package(Path("build/bergen/forsendelse"), fiks_arkiv)
    mappe, post = find(root, "am:mappe"), find(root, "am:registrering")
    assert text(mappe, "am:klassifikasjon/am:klassifikasjonssystemID") == "FE"
    assert text(mappe, "am:klassifikasjon/am:klasseID") == "151"
    for element in (mappe, post):
        assert text(element, "am:skjerming/am:tilgangsrestriksjon/n5mdk:kode") == "13"
        assert text(element, "am:skjerming/am:skjermingshjemmel") == "Offl. § 13"


def test_each_side_refers_to_the_other_sides_case_number(tree: Callable[..., Path], fiks_arkiv: FiksArkiv) -> None:
    """The letter's reference is the sender's case; the municipality's recorded case number is theirs."""
    tree(
        {
            "letter.yaml": replace(OUR_REF, 'our_ref: "22/123"'),
            "saksframlegg.yaml": lambda old: old + RECORDED,
        }
    )
    assert package(kommuner=["bergen"]).ok
    assert package(kommuner=["bergen"], sender=True).ok
    municipality = check_package(Path("build/bergen/forsendelse"), fiks_arkiv)
    assert text(municipality, "am:registrering/am:korrespondansepart/am:deresReferanse") == "22/123"
    sender = check_package(Path("build/bergen/forsendelse-avsender"), fiks_arkiv)
    assert not findall(sender, "am:mappe")
    post = find(sender, "am:registrering")
    assert text(post, "am:referanseForelderMappe/n5mdk:saksnummer/n5mdk:saksaar") == "2022"
    assert text(post, "am:referanseForelderMappe/n5mdk:saksnummer/n5mdk:sakssekvensnummer") == "123"
    assert text(post, "am:korrespondansepart/am:deresReferanse") == "22/1234"


def test_package_needs_a_kommune_it_concerns(make_tree: Maker) -> None:
    make_tree()
    with pytest.raises(FkjError, match=r"^name a kommune with --kommune, or use --all to package"):
        package()
    with pytest.raises(FkjError) as exc:
        package(kommuner=["trondheim"])
    assert str(exc.value) == (
        "letter is for municipalities outside helseregion Midt-Norge; Trondheim (5001) is in Trøndelag"
    )


def test_case_numbers_and_dates() -> None:
    assert CaseNumber.parse("22/1234") == CaseNumber(2022, 1234)
    assert CaseNumber.parse("2022/1234-3") == CaseNumber(2022, 1234)
    assert CaseNumber.parse("Vår ref. 22/1") is None
    assert str(CaseNumber(2022, 56)) == "22/56"
    assert oslo_midnight(dt.date(2023, 3, 26)) == "2023-03-26T00:00:00+01:00"  # summer time starts at 02:00
    assert oslo_midnight(dt.date(2023, 3, 27)) == "2023-03-27T00:00:00+02:00"
    assert oslo_midnight(dt.date(2023, 10, 29)) == "2023-10-29T00:00:00+02:00"
    assert oslo_midnight(dt.date(2023, 10, 30)) == "2023-10-30T00:00:00+01:00"
    assert keys(LETTER_DATE, "vinje", SENDER)["journalpost"].noekkel == "forsendelse-2022-11-15/vinje/U/journalpost"


# ---------------------------------------------------------------- receipts


K = KVITTERING_NS


def receipt(
    slug: str = "bergen",
    view: str = "I",
    *,
    saksaar: str | None = "2022",
    sakssekvensnummer: str | None = "1234",
    journalaar: str | None = "2022",
    journalsekvensnummer: str | None = "56789",
    journalpostnummer: str | None = "1",
    case_key: str | None = None,
    post_key: str | None = None,
    fagsystem: str = "fkj",
    mappe: str | None = None,
    registrering: str | None = None,
) -> str:
    """A receipt as an archive writes it for ``slug``'s mailing; parts may be replaced whole."""
    base = f"forsendelse-2022-11-15/{slug}/{view}"

    def key(noekkel: str) -> str:
        return (
            "    <referanseEksternNoekkel>\n"
            f"      <n5mdk:fagsystem>{fagsystem}</n5mdk:fagsystem>\n"
            f"      <n5mdk:noekkel>{noekkel}</n5mdk:noekkel>\n"
            "    </referanseEksternNoekkel>\n"
        )

    def number(name: str, value: str | None) -> str:
        return f"    <{name}>{value}</{name}>\n" if value is not None else ""

    if mappe is None:
        mappe = (
            '  <mappeKvittering xsi:type="saksmappeKvittering">\n'
            "    <systemID>1b0e8a52-3a1f-4f0e-9a52-9c8d7e6f5a4b</systemID>\n"
            + key(case_key or f"{base}/saksmappe")
            + "    <opprettetEllerEksisterende>Opprettet</opprettetEllerEksisterende>\n"
            + number("saksaar", saksaar)
            + number("sakssekvensnummer", sakssekvensnummer)
            + "  </mappeKvittering>\n"
        )
    if registrering is None:
        registrering = (
            '  <registreringKvittering xsi:type="journalpostKvittering">\n'
            "    <systemID>2c1f9b63-4b2a-4a1f-8b63-0d9e8f7a6b5c</systemID>\n"
            + key(post_key or f"{base}/journalpost")
            + "    <opprettetEllerEksisterende>Opprettet</opprettetEllerEksisterende>\n"
            + number("journalaar", journalaar)
            + number("journalsekvensnummer", journalsekvensnummer)
            + number("journalpostnummer", journalpostnummer)
            + "  </registreringKvittering>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<arkivmeldingKvittering xmlns="{K}"\n'
        f'    xmlns:n5mdk="{MDK}" xmlns:xsi="{XSI}">\n' + mappe + registrering + "</arkivmeldingKvittering>\n"
    )


FAILED = (
    "  <registreringFeilet>\n"
    "    <feil:feilId xmlns:feil='https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/feil/feilmelding/v1'>"
    "0f6c1d5e-8a4b-4c3d-9e2f-1a2b3c4d5e6f</feil:feilId>\n"
    "    <feil:feilmelding xmlns:feil='https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/feil/feilmelding/v1'>"
    "Arkivdelen SAK er avsluttet</feil:feilmelding>\n"
    "  </registreringFeilet>\n"
)

RECORDED = """\
cases:
  bergen:
    arkivsaksnr: 22/1234
    journalpost_id: 22/56789
    journalpostnr: 1
"""


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_receipt_is_recorded_and_the_next_package_files_into_the_case(
    tree: Callable[..., Path], fiks_arkiv: FiksArkiv
) -> None:
    content = tree()
    saksframlegg = content / "saksframlegg.yaml"
    before = saksframlegg.read_text(encoding="utf-8")
    kvittering = write("arkivmelding-kvittering.xml", receipt())
    assert fiks_arkiv.receipt_errors(kvittering.read_text(encoding="utf-8")) == []

    report = import_receipts(files=[kvittering])
    assert report.written
    assert receipt_lines(report) == [
        "new: bergen arkivsaksnr 22/1234, journalpost_id 22/56789, journalpostnr 1",
        "wrote content/saksframlegg.yaml",
    ]
    after = saksframlegg.read_text(encoding="utf-8")
    assert after == before + RECORDED  # every comment stays, and the rest as it was
    assert format_text(after, Saksframlegg) == after  # in fkj's canonical style

    # the next package files its journal post in the municipality's case
    packaged = package(kommuner=["bergen"])
    assert packaged.ok
    assert package_lines(packaged)[:2] == [
        "documents: 2 written, 4 up to date",  # the saksframlegg, which shows the case number
        "wrote: build/bergen/forsendelse/ and build/bergen/forsendelse.zip (inngående dokument, case 22/1234)",
    ]
    root = check_package(Path("build/bergen/forsendelse"), fiks_arkiv)
    assert not findall(root, "am:mappe")
    post = find(root, "am:registrering")
    assert text(post, "am:referanseForelderMappe/n5mdk:saksnummer/n5mdk:saksaar") == "2022"
    assert text(post, "am:referanseForelderMappe/n5mdk:saksnummer/n5mdk:sakssekvensnummer") == "1234"
    # and the saksframlegg shows the case number
    import docx

    cells = [c.text for row in docx.Document("build/bergen/saksframlegg.docx").tables[0].rows for c in row.cells]
    assert "22/1234" in cells

    # the same receipt again changes nothing
    again = import_receipts(files=[kvittering])
    assert not again.written
    assert receipt_lines(again) == ["unchanged: bergen", "nothing to record; content/saksframlegg.yaml unchanged"]
    assert saksframlegg.read_text(encoding="utf-8") == after


def test_a_receipt_with_other_numbers_changes_them_and_dry_run_writes_nothing(make_tree: Maker) -> None:
    content = make_tree({"saksframlegg.yaml": lambda old: old + RECORDED})
    kvittering = write(
        "kvittering.xml",
        receipt(journalsekvensnummer="56790", journalpostnummer="2", saksaar=None, sakssekvensnummer=None),
    )
    before = (content / "saksframlegg.yaml").read_text(encoding="utf-8")
    report = import_receipts(files=[kvittering], dry_run=True)
    assert receipt_lines(report) == [
        "changed: bergen journalpost_id 22/56789 → 22/56790, journalpostnr 1 → 2",
        "dry run: content/saksframlegg.yaml not written",
    ]
    assert (content / "saksframlegg.yaml").read_text(encoding="utf-8") == before
    import_receipts(files=[kvittering])
    assert (content / "saksframlegg.yaml").read_text(encoding="utf-8") == before.replace(
        "journalpost_id: 22/56789\n    journalpostnr: 1", "journalpost_id: 22/56790\n    journalpostnr: 2"
    )


def test_a_receipt_from_the_senders_archive_is_reported_not_recorded(make_tree: Maker) -> None:
    content = make_tree()
    before = (content / "saksframlegg.yaml").read_text(encoding="utf-8")
    report = import_receipts(files=[write("avsender.xml", receipt("vinje", "U", sakssekvensnummer="77"))])
    assert not report.written
    assert receipt_lines(report) == [
        "not recorded: avsender.xml is from the sender's archive (vinje: arkivsaksnr 22/77, journalpost_id "
        "22/56789, journalpostnr 1); the sender's case number belongs in letter.yaml's our_ref",
        "nothing to record; content/saksframlegg.yaml unchanged",
    ]
    assert (content / "saksframlegg.yaml").read_text(encoding="utf-8") == before


# Receipts that are not well-formed, not valid or match no mailing: (file text, the problems reported).
BAD: dict[str, tuple[str, list[str]]] = {
    "not-well-formed": (
        receipt().replace("</mappeKvittering>", "</mappe>"),
        ["bad.xml:13:11: not well-formed XML: Opening and ending tag mismatch: mappeKvittering line 4 and mappe"],
    ),
    "empty": ("", ["bad.xml:1:1: not well-formed XML: Document is empty"]),
    "the message, not a receipt": (
        f'<arkivmelding xmlns="{AM}"><system>fkj</system><antallFiler>0</antallFiler></arkivmelding>',
        [f"bad.xml:1: arkivmelding: the root element is arkivmelding in {AM}, not arkivmeldingKvittering in {K}"],
    ),
    "a number that is not one": (
        receipt(saksaar="tjue"),
        ["bad.xml:11: arkivmeldingKvittering/mappeKvittering/saksaar: 'tjue' is not a whole number (xs:int)"],
    ),
    "the key's children in the receipt's namespace": (
        receipt().replace("n5mdk:fagsystem", "fagsystem", 2),
        [
            "bad.xml:7: arkivmeldingKvittering/mappeKvittering/referanseEksternNoekkel/fagsystem: fagsystem must be "
            f"in the namespace {MDK}, not {K}"
        ],
    ),
    "the case number without xsi:type": (
        receipt().replace(' xsi:type="saksmappeKvittering"', ""),
        [
            "bad.xml:11: arkivmeldingKvittering/mappeKvittering/saksaar: is not allowed here without "
            'xsi:type="saksmappeKvittering"',
            "bad.xml:12: arkivmeldingKvittering/mappeKvittering/sakssekvensnummer: is not allowed here without "
            'xsi:type="saksmappeKvittering"',
        ],
    ),
    "no systemID, and a status the schema does not know": (
        receipt()
        .replace("    <systemID>2c1f9b63-4b2a-4a1f-8b63-0d9e8f7a6b5c</systemID>\n", "")
        .replace(
            "Opprettet</opprettetEllerEksisterende>\n    <journalaar",
            "Ny</opprettetEllerEksisterende>\n    <journalaar",
        ),
        [
            "bad.xml:15: arkivmeldingKvittering/registreringKvittering: systemID is missing (before "
            "referanseEksternNoekkel)",
            "bad.xml:19: arkivmeldingKvittering/registreringKvittering/opprettetEllerEksisterende: must be Opprettet "
            "or Eksisterende, not 'Ny'",
        ],
    ),
    "another system's key": (
        receipt(fagsystem="ephorte"),
        [
            "bad.xml:4: matches no mailing: the case file's external key is from fagsystem 'ephorte', not fkj",
            "bad.xml:14: matches no mailing: the journal post's external key is from fagsystem 'ephorte', not fkj",
        ],
    ),
    "another mailing": (
        receipt(case_key="forsendelse-2022-10-01/bergen/I/saksmappe", registrering=""),
        [
            "bad.xml:4: matches no mailing: no mailing has the case file's key "
            "'forsendelse-2022-10-01/bergen/I/saksmappe': the mailing to Bergen is forsendelse-2022-11-15"
        ],
    ),
    "a municipality that gets no mailing": (
        receipt("trondheim", mappe=""),
        [
            "bad.xml:4: matches no mailing: no mailing has the journal post's key "
            "'forsendelse-2022-11-15/trondheim/I/journalpost': Trondheim gets no mailing"
        ],
    ),
    "no key": (
        receipt(mappe="").replace(
            "    <referanseEksternNoekkel>\n      <n5mdk:fagsystem>fkj</n5mdk:fagsystem>\n"
            "      <n5mdk:noekkel>forsendelse-2022-11-15/bergen/I/journalpost</n5mdk:noekkel>\n"
            "    </referanseEksternNoekkel>\n",
            "",
        ),
        [
            "bad.xml: matches no mailing: it carries no external key (referanseEksternNoekkel); "
            "name whose mailing it answers with --kommune"
        ],
    ),
    "two municipalities' keys": (
        receipt(post_key="forsendelse-2022-11-15/vinje/I/journalpost"),
        [
            "bad.xml: the case file's key is for bergen (mottaker) and the journal post's for vinje (mottaker): "
            "they cannot be one mailing's"
        ],
    ),
    "the archive's error": (
        receipt(registrering=FAILED),
        [
            "bad.xml:14: the archive could not register the journal post: Arkivdelen SAK er avsluttet "
            "(feilId 0f6c1d5e-8a4b-4c3d-9e2f-1a2b3c4d5e6f)"
        ],
    ),
    "a sequence number the schema does not allow": (
        receipt(sakssekvensnummer="0"),
        ["bad.xml:4: sakssekvensnummer 0 is out of range for arkivsaksnr (1–2147483647)"],
    ),
    "a year fkj cannot write in two digits": (
        receipt(saksaar="1999"),
        ["bad.xml:4: saksaar 1999: fkj records arkivsaksnr with years 2000–2099 in two digits"],
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_receipt_is_an_error_and_nothing_is_written(make_tree: Maker, case: str) -> None:
    content = make_tree()
    before = {p: p.read_bytes() for p in sorted(content.rglob("*"))}
    kvittering = write("bad.xml", BAD[case][0])
    with pytest.raises(ReceiptError) as exc:
        import_receipts(files=[kvittering])
    assert exc.value.problems == BAD[case][1]
    n = len(BAD[case][1])
    assert exc.value.summary == f"{n} problem{'s' if n != 1 else ''} in 1 receipt; nothing written"
    assert {p: p.read_bytes() for p in sorted(content.rglob("*"))} == before


def test_every_problem_of_every_receipt_is_listed(make_tree: Maker) -> None:
    """A good receipt among bad ones is not recorded either; two receipts that disagree are a problem."""
    content = make_tree()
    before = (content / "saksframlegg.yaml").read_bytes()
    files = [
        write("good.xml", receipt()),
        write("other.xml", receipt(sakssekvensnummer="1240", registrering="")),
        Path("missing.xml"),
        write("broken.xml", "<arkivmeldingKvittering"),
    ]
    with pytest.raises(ReceiptError) as exc:
        import_receipts(files=files)
    assert exc.value.problems == [
        "missing.xml: no such file",
        "broken.xml:1:24: not well-formed XML: Couldn't find end of Start Tag arkivmeldingKvittering line 1",
        "other.xml: arkivsaksnr 22/1240 for bergen, but good.xml gives 22/1234",
    ]
    assert exc.value.summary == "3 problems in 4 receipts; nothing written"
    assert (content / "saksframlegg.yaml").read_bytes() == before


def test_an_override_that_would_hide_the_recorded_number_is_an_error(make_tree: Maker) -> None:
    override = "cases:\n  bergen:\n    arkivsaksnr: 21/99\n"
    make_tree({"overrides/bergen/saksframlegg.yaml": override})
    with pytest.raises(ReceiptError) as exc:
        import_receipts(files=[write("kvittering.xml", receipt())])
    assert exc.value.problems == [
        "content/overrides/bergen/saksframlegg.yaml: cases.bergen.arkivsaksnr would hide the arkivsaksnr "
        "recorded in saksframlegg.yaml; remove it there, or record 22/1234 there by hand"
    ]


SYSTEM_ID = "    <systemID>1b0e8a52-3a1f-4f0e-9a52-9c8d7e6f5a4b</systemID>\n"
DOCUMENTS = """\
    <dokumentbeskrivelseKvittering>
      <systemID label="dok">3d2a0c74-5c3b-4b2a-9c74-1e0f9a8b7c6d</systemID>
      <dokumentnummer>1</dokumentnummer>
      <dokumentobjekt>
        <systemID>4e3b1d85-6d4c-4c3b-8d85-2f1a0b9c8d7e</systemID>
        <versjonsnummer>1</versjonsnummer>
        <variantformat><n5mdk:kode>A</n5mdk:kode></variantformat>
      </dokumentobjekt>
    </dokumentbeskrivelseKvittering>
"""


def _receipts() -> Iterator[tuple[str, str]]:
    """Receipts fkj's check and the XSD must agree on: valid ones, and ones broken in every way there is."""
    good = receipt()
    yield "good", good
    yield "sender", receipt("vinje", "U")
    yield "failed", receipt(registrering=FAILED)
    yield "no parts", receipt(mappe="", registrering="")
    yield (
        "documents",
        good.replace(
            "    <referanseEksternNoekkel>\n      <n5mdk:fagsystem>fkj</n5mdk:fagsystem>\n"
            "      <n5mdk:noekkel>forsendelse-2022-11-15/bergen/I/journalpost",
            DOCUMENTS + "    <referanseEksternNoekkel>\n      <n5mdk:fagsystem>fkj</n5mdk:fagsystem>\n"
            "      <n5mdk:noekkel>forsendelse-2022-11-15/bergen/I/journalpost",
        ),
    )
    yield (
        "journalposttype",
        good.replace(
            "    <journalaar>2022</journalaar>\n    <journalsekvensnummer>56789</journalsekvensnummer>\n"
            "    <journalpostnummer>1</journalpostnummer>\n",
            "    <journalpostnummer>1</journalpostnummer>\n"
            "    <journalposttype><n5mdk:kode>I</n5mdk:kode><n5mdk:beskrivelse>Inngående</n5mdk:beskrivelse>"
            "</journalposttype>\n    <journaldato>2022-11-16</journaldato>\n",
        ),
    )
    yield "dates", good.replace(SYSTEM_ID, SYSTEM_ID + "    <opprettetDato>2022-11-16T09:30:00+01:00</opprettetDato>\n")
    yield (
        "a bad date",
        good.replace(
            "<sakssekvensnummer>1234</sakssekvensnummer>\n",
            "<sakssekvensnummer>1234</sakssekvensnummer>\n<saksdato>2022-02-30</saksdato>\n",
        ),
    )
    yield "a bad time", good.replace(SYSTEM_ID, SYSTEM_ID + "    <opprettetDato>2022-11-16</opprettetDato>\n")
    yield (
        "out of order",
        good.replace(
            SYSTEM_ID, SYSTEM_ID + "    <opprettetEllerEksisterende>Opprettet</opprettetEllerEksisterende>\n", 1
        ),
    )
    yield "an unknown element", good.replace(SYSTEM_ID, SYSTEM_ID + "    <merknad>x</merknad>\n")
    yield "an unknown attribute", good.replace("<mappeKvittering ", '<mappeKvittering status="ok" ')
    yield "the wrong xsi:type", good.replace('"saksmappeKvittering"', '"journalpostKvittering"')
    yield "text among elements", good.replace(SYSTEM_ID, SYSTEM_ID + "    tekst\n")
    yield "not a UUID", good.replace("1b0e8a52-3a1f-4f0e-9a52-9c8d7e6f5a4b", "1234")
    yield (
        "spaces around a UUID",
        good.replace("1b0e8a52-3a1f-4f0e-9a52-9c8d7e6f5a4b", " 1b0e8a52-3a1f-4f0e-9a52-9c8d7e6f5a4b "),
    )
    yield "spaces around a number", receipt(sakssekvensnummer=" 1234 ")
    yield "digits of another script", receipt(sakssekvensnummer="\u0661\u0662\u0663\u0664")
    yield "the largest xs:int", receipt(sakssekvensnummer="2147483647")
    yield "a number too large", receipt(sakssekvensnummer="2147483648")
    yield "an empty key", receipt(fagsystem="")
    yield (
        "no feilId",
        receipt(
            registrering=FAILED.replace("0f6c1d5e-8a4b-4c3d-9e2f-1a2b3c4d5e6f</feil:feilId>", "</feil:feilId>")
            .replace("<feil:feilId", "<feil:feilIdx")
            .replace("</feil:feilId>", "</feil:feilIdx>")
        ),
    )
    yield "the root in no namespace", good.replace(f'xmlns="{K}"', "")
    for name, (text_, _) in BAD.items():
        if text_ and "not-well-formed" not in name:
            yield name, text_


@pytest.mark.parametrize("name,text_", list(_receipts()))
def test_fkjs_check_of_a_receipt_agrees_with_the_schema(fiks_arkiv: FiksArkiv, name: str, text_: str) -> None:
    """fkj checks receipts without the XSD: it finds a receipt invalid exactly when the XSD does."""
    root = etree.fromstring(text_.encode("utf-8"))
    assert (receipt_schema.check(root) == []) == (fiks_arkiv.receipt_errors(text_) == []), name


def test_the_views() -> None:
    assert (RECEIVER.folder, RECEIVER.code, SENDER.folder, SENDER.code) == (
        "forsendelse",
        "I",
        "forsendelse-avsender",
        "U",
    )


def test_a_receipt_names_what_it_is_in_nynorsk_municipalities_too(make_tree: Maker) -> None:
    comment = "# Kommunane sine saker kjem nedst.\n"
    content = make_tree({"saksframlegg.yaml": replace("attachments:", comment + "attachments:")})
    report = import_receipts(files=[write("vinje.xml", receipt("vinje"))])
    assert receipt_lines(report)[0] == "new: vinje arkivsaksnr 22/1234, journalpost_id 22/56789, journalpostnr 1"
    text_ = (content / "saksframlegg.yaml").read_text(encoding="utf-8")
    assert comment + "attachments:" in text_
    assert text_.endswith(RECORDED.replace("bergen", "vinje"))


CASES = """\
cases:
  # Bergen's case, as the archive has it
  bergen:
    saksbehandler: Kari Nordmann  # until March
    date: 2023-01-10
  vinje: {arkivkode: K1-026}
# The others have none yet.
"""


def test_recording_keeps_the_case_entries_and_their_comments(make_tree: Maker) -> None:
    content = make_tree(
        {
            "saksframlegg.yaml": lambda old: old + CASES,
            "overrides/bergen/saksframlegg.yaml": "cases:\n  bergen:\n    arkivkode: FE-151\n",
        }
    )
    import_receipts(files=[write("bergen.xml", receipt()), write("vinje.xml", receipt("vinje", saksaar="2023"))])
    text_ = (content / "saksframlegg.yaml").read_text(encoding="utf-8")
    assert text_.endswith(
        """\
cases:
  # Bergen's case, as the archive has it
  bergen:
    saksbehandler: Kari Nordmann  # until March
    arkivsaksnr: 22/1234
    journalpost_id: 22/56789
    journalpostnr: 1
    date: 2023-01-10
  vinje: {arkivkode: K1-026, arkivsaksnr: 23/1234, journalpost_id: 22/56789, journalpostnr: 1}
# The others have none yet.
"""
    )


# ---------------------------------------------------------------- only a final mailing

REFUSED_RECEIVER = [
    "content/letter.yaml:19:1: our_ref: open field: to fill in before the mailing is archived",
    "content/letter.yaml:20:1: sent: open field: to fill in before the mailing is archived",
    "content/letter.yaml:68:3: signature.signatory: open field: to fill in before the mailing is archived",
    "content/letter.yaml:69:3: signature.contact: open field: to fill in before the mailing is archived",
    "content/program.yaml:40:5: organisations.fkji.org_number: the sender's organisation number, for the archive",
    "content/program.yaml:41:5: organisations.fkji.address: the sender's postal address, for the archive",
    "content/saksframlegg.yaml:90:3: filing.arkivdel: the archive part (arkivdel) of the new case file, "
    "in every municipality's archive (or under cases.<kommune> for one)",
    "content/saksframlegg.yaml:91:3: filing.arkivkode: the class (arkivkode) of the new case file, "
    "in every municipality's archive (or under cases.<kommune> for one)",
    "content/saksframlegg.yaml:92:3: filing.enhet: the administrative unit that receives the post, "
    "in every municipality's archive (or under cases.<kommune> for one)",
]


def test_a_mailing_with_fields_to_fill_is_refused_naming_each_and_nothing_is_written(make_tree: Maker) -> None:
    content = make_tree()
    code_, out, err = invoke("package", "--content", content, "-k", "bergen", "-k", "vinje")
    assert code_ == 1 and out == ""
    assert err.splitlines() == [
        *REFUSED_RECEIVER,  # each field once, though two municipalities wait for it
        "✗ the mailing is not final: 9 fields to fill in 3 files (or package a draft with --draft)",
    ]
    assert not Path("build").exists()  # nothing built, nothing written
    code_, _, err = invoke("package", "--content", content, "-k", "bergen", "--sender")
    assert code_ == 1
    assert err.splitlines() == [
        *REFUSED_RECEIVER[:4],
        "content/letter.yaml:81:3: filing.arkivdel: the archive part (arkivdel) of the new case file, "
        "in the sender's archive",
        "content/letter.yaml:82:3: filing.arkivkode: the class (arkivkode) of the new case file, "
        "in the sender's archive",
        "content/letter.yaml:83:3: filing.enhet: the administrative unit that sends the post, in the sender's archive",
        "content/letter.yaml:84:3: filing.saksbehandler: the saksbehandler who sends it, in the sender's archive",
        "✗ the mailing is not final: 8 fields to fill in 1 file (or package a draft with --draft)",
    ]
    assert not Path("build").exists()


def test_a_draft_package_marks_what_is_unfinished_and_warns(make_tree: Maker, fiks_arkiv: FiksArkiv) -> None:
    content = make_tree()
    code_, out, err = invoke("package", "--content", content, "-k", "bergen", "--draft")
    assert code_ == 0
    assert err.splitlines() == [f"warning: {line}" for line in REFUSED_RECEIVER]
    assert out.splitlines()[-1] == (
        "draft: 9 fields still to fill in; a document with open fields is marked B (under editing)"
    )
    root = check_package(Path("build/bergen/forsendelse"), fiks_arkiv)  # valid all the same
    statuses = [code(d, "am:dokumentstatus")[0] for d in findall(root, ".//am:dokumentbeskrivelse")]
    assert statuses == ["B", "F", "F"]  # the letter has blanks; the decision basis and the draft have none
    # what is not known is left out, not guessed: no class, no archive part, no internal recipient
    assert not findall(root, "am:mappe/am:klassifikasjon") and not findall(root, "am:mappe/am:arkivdel")
    parties = findall(root, "am:registrering/am:korrespondansepart")
    assert [code(p, "am:korrespondanseparttype")[0] for p in parties] == ["EA"]
    assert not findall(parties[0], "am:organisasjonid") and not findall(parties[0], "am:postadresse")


def test_a_municipality_gives_its_own_filing_and_the_rest_wait_for_the_default(
    make_tree: Maker, fiks_arkiv: FiksArkiv
) -> None:
    edits = final(
        {
            "saksframlegg.yaml": replace(
                "filing:\n  arkivdel: SAK\n  arkivkode: K1-026\n  enhet: Postmottak\n",
                "filing:\n  arkivdel: null\n  arkivkode: null\n  enhet: null\n"
                "cases:\n  vinje:\n    saksbehandler: Kari Vinje\n    arkivkode: N-151\n"
                "    arkivdel: SAKARKIV\n    enhet: Sentraladministrasjonen\n",
            )
        }
    )
    make_tree(edits)
    with pytest.raises(NotFinalError) as refused:
        package(kommuner=["bergen", "vinje"])  # Bergen waits for the default
    assert [p.key for p in refused.value.problems] == ["filing.arkivdel", "filing.arkivkode", "filing.enhet"]
    assert package(kommuner=["vinje"]).ok
    root = check_package(Path("build/vinje/forsendelse"), fiks_arkiv)
    mappe = find(root, "am:mappe")
    assert text(mappe, "am:arkivdel/n5mdk:kode") == "SAKARKIV"
    assert text(mappe, "am:klassifikasjon/am:klasseID") == "151"
    assert text(mappe, "am:saksansvarlig/n5mdk:navn") == "Kari Vinje"
    internal = findall(root, "am:registrering/am:korrespondansepart")[1]
    assert code(internal, "am:korrespondanseparttype")[0] == "IM"
    assert text(internal, "am:administrativEnhet/n5mdk:navn") == "Sentraladministrasjonen"
    assert text(internal, "am:saksbehandler/n5mdk:navn") == "Kari Vinje"


# ---------------------------------------------------------------- against KS's own messages

SAMPLES = FIKS_ARKIV / "samples"
# What KS's samples fill that fkj's message leaves out, and why; every other element a sample fills, fkj fills.
EXCUSED = {
    "registrering/opprettetAv": "the archive's user who registers the post: the archive's, not the sender's",
    "registrering/arkivertAv": "likewise the archive's user",
    "registrering/referanseForelderMappe/systemID": "fkj names the case by its key or case number; "
    "an archive's internal systemID is unknown to a sender",
    "registrering/mottattDato": "set by the archive that receives the post (an outgoing post has sendtDato)",
    "registrering/offentlighetsvurdertDato": "the archive's own assessment under offentleglova",
    "registrering/avskrivningsdato": "the archive writes the post off when the case is answered",
    "registrering/korrespondansepart/personid": "the mailing's parties are organisations, not persons",
    "registrering/korrespondansepart/postadresse": "an outgoing post's recipient is a municipality, and the "
    "register gives no municipality's postal address: Fiks IO delivers to its organisation number",
    "registrering/korrespondansepart/postnummer": "likewise",
    "registrering/korrespondansepart/poststed": "likewise",
    "registrering/korrespondansepart/kontaktperson": "the letter goes to the mayor and the chief executive "
    "by office, named in its head, not to a contact person",
    "registrering/korrespondansepart/saksbehandler/navn": "the receiving archive assigns its case officer; "
    "fkj names one where cases.<kommune>.saksbehandler gives it (the sender's view always does)",
    "mappe/offentligTittel": "the public title is the archive's to screen under offentleglova",
    "mappe/skjerming/tilgangsrestriksjon/kode": "only where the municipality restricts access "
    "(cases.<kommune>.skjerming)",
    "mappe/skjerming/skjermingshjemmel": "likewise",
    "mappe/klassifikasjon/tittel": "a class's title is the archive's own key's",
    "mappe/administrativEnhet/initialer": "a unit's initials are the archive's own",
}
COMPARED = [  # KS's sample, and the package of fkj's it is held against
    ("NyMappeMedJournalpostN1", "forsendelse"),
    ("NyJournalpostN6", "forsendelse"),
    ("NyJournalpostN8", "forsendelse-avsender"),
    ("NySaksmappeN1", "forsendelse"),
    ("NySaksmappeN2", "forsendelse"),
]


def filled(root: Any) -> set[str]:
    """The paths (local names under the root, ``/`` between them) of every element with text."""
    paths = set()
    for element in root.iter():
        if isinstance(element.tag, str) and element.text and element.text.strip() and len(element) == 0:
            names = [etree.QName(e).localname for e in [*reversed(list(element.iterancestors())), element]]
            paths.add("/".join(names[1:]))
    return paths


def left_out(built: Built, sample: str, folder: str) -> set[str]:
    """What KS's ``sample`` fills and fkj's message for Bergen in ``folder`` does not."""
    theirs = filled(parse(SAMPLES / sample / "arkivmelding.xml"))
    return theirs - filled(parse(built.root / "build" / "bergen" / folder / "arkivmelding.xml"))


@pytest.mark.parametrize(("sample", "folder"), COMPARED)
def test_every_element_a_ks_sample_fills_fkj_fills_or_says_why_not(
    built: Built, fiks_arkiv: FiksArkiv, sample: str, folder: str
) -> None:
    assert left_out(built, sample, folder) - set(EXCUSED) == set()


def test_every_excuse_is_for_something_fkj_leaves_out(built: Built, fiks_arkiv: FiksArkiv) -> None:
    assert set().union(*(left_out(built, s, f) for s, f in COMPARED)) == set(EXCUSED)


def test_the_mailing_is_the_letter_with_the_decision_basis_and_the_draft_and_the_letter_lists_them(
    make_tree: Maker,
) -> None:
    assert MAILING.documents == ("letter", "decision-basis", "saksframlegg")
    assert [document_type(p.document).draft for p in MAILING.parts] == [False, False, True]
    # a letter that lists another number of attachments than the mailing sends is refused at its key
    content = make_tree({"letter.yaml": lambda t: t.replace("attachments:\n", "attachments:\n  - Noe annet\n", 1)})
    code, _, err = invoke("validate", "--content", content)
    assert code == 1
    assert (
        "content/letter.yaml:70:1: attachments: the mailing sends 2 attachments (decision-basis, saksframlegg); "
        "the letter lists 3"
    ) in err


def test_a_receipt_with_the_largest_sequence_numbers_the_schema_allows_is_recorded(make_tree: Maker) -> None:
    """KS's test archive numbers up to 2^31 - 1 (xs:int); fkj records them as its archive gives them."""
    content = make_tree()
    report = import_receipts(
        files=[write("big.xml", receipt(sakssekvensnummer="2147483647", journalsekvensnummer="1000000"))]
    )
    assert receipt_lines(report)[0] == (
        "new: bergen arkivsaksnr 22/2147483647, journalpost_id 22/1000000, journalpostnr 1"
    )
    text_ = (content / "saksframlegg.yaml").read_text(encoding="utf-8")
    assert "arkivsaksnr: 22/2147483647" in text_ and "journalpost_id: 22/1000000" in text_
    assert invoke("validate")[0] == 0


NO_KEY = receipt(mappe="").replace(
    "    <referanseEksternNoekkel>\n      <n5mdk:fagsystem>fkj</n5mdk:fagsystem>\n"
    "      <n5mdk:noekkel>forsendelse-2022-11-15/bergen/I/journalpost</n5mdk:noekkel>\n"
    "    </referanseEksternNoekkel>\n",
    "",
)


def test_a_receipt_without_the_echoed_key_is_matched_to_the_municipality_named(make_tree: Maker) -> None:
    """The schema lets an archive leave out referanseEksternNoekkel: --kommune says whose mailing it answers."""
    content = make_tree()
    assert "referanseEksternNoekkel" not in NO_KEY
    code, out, err = invoke("receipt", "import", write("vinje.xml", NO_KEY), "--kommune", "Vinje")
    assert code == 0, err
    assert "new: vinje" in out and "journalpost_id 22/56789" in out
    assert "vinje:\n" in (content / "saksframlegg.yaml").read_text(encoding="utf-8").split("cases:", 1)[1]
    # a receipt whose key names another municipality than --kommune is refused, and nothing is written
    before = (content / "saksframlegg.yaml").read_bytes()
    code, _, err = invoke("receipt", "import", write("bergen.xml", receipt()), "--kommune", "vinje")
    assert code == 1
    assert "bergen.xml: its key is for bergen (mottaker), not vinje (mottaker) as --kommune says" in err
    assert (content / "saksframlegg.yaml").read_bytes() == before
    # a municipality that gets no mailing
    code, _, err = invoke("receipt", "import", write("t.xml", NO_KEY), "--kommune", "trondheim")
    assert code == 1 and "--kommune trondheim: Trondheim gets no mailing" in err
