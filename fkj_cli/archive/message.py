"""The Fiks Arkiv message ``arkivmelding.xml``: what a package registers, and its XML.

A message registers one journal post with its documents and correspondence
parties (the external one, and the internal one that receives or sends it),
filed either in the municipality's existing case (``referanseForelderMappe``
with the case number) or in a new case file (a ``saksmappe``) sent with it.
The XML follows ``no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.xsd``:
the schema's sequences fix the order of the elements, ``mappe`` and
``registrering`` say their type with ``xsi:type``, and codes, external keys
and references have their children in the metadatakatalog namespace. The
same message gives the same bytes: no timestamp but the dates from content.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from fkj_cli.archive.codes import (
    ARKIVMELDING_NS,
    CHECKSUM_ALGORITHM,
    METADATA_NS,
    SYSTEM,
    XSI_NS,
    Code,
    FileFormat,
)


@dataclass(frozen=True, order=True)
class Key:
    """An external key (``referanseEksternNoekkel``): how the archive's receipt is matched to what fkj sent."""

    noekkel: str
    fagsystem: str = SYSTEM

    def __str__(self) -> str:
        return f"{self.fagsystem}:{self.noekkel}"


# A case number as municipal archives write it, with the year in two or four digits and
# optionally the journal post's number in the case after a hyphen: 22/1234, 2022/1234, 22/1234-3.
_CASE_NUMBER = re.compile(r"(\d{2}|\d{4})/(\d{1,7})(?:-\d{1,5})?")


@dataclass(frozen=True)
class CaseNumber:
    """A case's number in its archive (Noark 5 saksaar and sakssekvensnummer)."""

    saksaar: int
    sakssekvensnummer: int

    @classmethod
    def parse(cls, text: str) -> CaseNumber | None:
        """``22/1234`` (a year of the 2000s in two digits), ``2022/1234`` or ``22/1234-3``; None for other text."""
        match = _CASE_NUMBER.fullmatch(text.strip())
        if match is None:
            return None
        year, number = match.groups()
        return cls(int(year) + (2000 if len(year) == 2 else 0), int(number))

    def __str__(self) -> str:
        """As content writes an arkivsaksnr: the year's last two digits / the number."""
        return f"{self.saksaar % 100:02d}/{self.sakssekvensnummer}"


@dataclass(frozen=True)
class Restriction:
    """An access restriction (``skjerming``): the archive's code and the legal ground."""

    tilgangsrestriksjon: str
    skjermingshjemmel: str


@dataclass(frozen=True)
class Classification:
    """A class in the archive's key (``klassifikasjon``): N-151 is class 151 of the ordningsprinsipp N."""

    klasse: str
    system: str | None = None

    @classmethod
    def parse(cls, arkivkode: str) -> Classification:
        system, _, klasse = arkivkode.rpartition("-")
        return cls(klasse, system or None)


@dataclass(frozen=True)
class DocumentFile:
    """One file of a document (``dokumentobjekt``): its variant, format, name in the package, and the
    SHA-256 and size of its bytes; ``display`` is the name the archive shows for it (``filnavn``)."""

    variant: Code
    format: FileFormat
    name: str
    checksum: str
    size: int
    display: str


@dataclass(frozen=True)
class Document:
    """A document of the journal post (``dokumentbeskrivelse``) and its files."""

    number: int
    role: Code  # tilknyttetRegistreringSom: main document or attachment
    kind: Code  # dokumenttype
    status: Code  # dokumentstatus
    title: str
    files: tuple[DocumentFile, ...]


@dataclass(frozen=True)
class Address:
    """A correspondence party's postal address: its lines, postnummer and poststed."""

    lines: tuple[str, ...]
    postnummer: str
    poststed: str


@dataclass(frozen=True)
class Party:
    """A correspondence party of the journal post: who sent it or whom it goes to, outside the archive's
    organisation (EA, EM) or inside it (IA, IM: its administrative unit and saksbehandler)."""

    role: Code  # korrespondanseparttype
    name: str
    responsible: bool = False  # erBehandlingsansvarlig: the party that handles the matter
    org_number: str | None = None
    address: Address | None = None
    unit: str | None = None  # administrativEnhet
    saksbehandler: str | None = None
    their_ref: str | None = None  # the party's reference for the matter (deresReferanse)


@dataclass(frozen=True)
class NewCase:
    """A case file (``saksmappe``) the archive creates for the journal post: its archive part and class,
    and the unit and the person responsible for it, where content gives them."""

    title: str
    key: Key
    classification: Classification | None = None
    restriction: Restriction | None = None
    arkivdel: str | None = None
    unit: str | None = None  # administrativEnhet
    responsible: str | None = None  # saksansvarlig


@dataclass(frozen=True)
class JournalPost:
    """The journal post (``journalpost``), filed in an existing case or in the new one (by its key)."""

    kind: Code  # journalposttype
    status: Code  # journalstatus
    title: str
    key: Key
    case: CaseNumber | Key
    parties: tuple[Party, ...]
    documents: tuple[Document, ...]
    date: dt.date  # dokumentetsDato: the letter's date
    sent: dt.date | None  # sendtDato: an outgoing post's; an incoming one's mottattDato the archive sets
    restriction: Restriction | None = None

    @property
    def attachments(self) -> int:
        return sum(1 for d in self.documents if d.number != 1)


@dataclass(frozen=True)
class Arkivmelding:
    """One ``no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett`` message."""

    post: JournalPost
    case: NewCase | None = None

    def files(self) -> Iterator[DocumentFile]:
        """The files the message refers to, in the order it lists them."""
        for document in self.post.documents:
            yield from document.files

    def to_xml(self) -> bytes:
        root = _Element("arkivmelding", nsmap={None: ARKIVMELDING_NS, "n5mdk": METADATA_NS, "xsi": XSI_NS})
        root.text_child("system", SYSTEM)
        root.text_child("antallFiler", str(sum(1 for _ in self.files())))
        if self.case is not None:
            _write_case(root.child("mappe", xsi_type="saksmappe"), self.case)
        _write_post(root.child("registrering", xsi_type="journalpost"), self.post)
        data: bytes = etree.tostring(root.element, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        return data


class _Element:
    """An element of the message: children in the arkivmelding namespace unless ``ns`` says otherwise."""

    def __init__(self, tag: str, *, nsmap: dict[str | None, str] | None = None, element: Any = None) -> None:
        self.element: Any = element if element is not None else etree.Element(_q(ARKIVMELDING_NS, tag), nsmap=nsmap)

    def child(self, tag: str, *, ns: str = ARKIVMELDING_NS, xsi_type: str | None = None) -> _Element:
        element = etree.SubElement(self.element, _q(ns, tag))
        if xsi_type is not None:
            element.set(_q(XSI_NS, "type"), xsi_type)
        return _Element(tag, element=element)

    def text_child(self, tag: str, text: str, *, ns: str = ARKIVMELDING_NS) -> None:
        self.child(tag, ns=ns).element.text = text

    def code(self, tag: str, code: Code) -> None:
        element = self.child(tag)
        element.text_child("kode", code.kode, ns=METADATA_NS)
        element.text_child("beskrivelse", code.beskrivelse, ns=METADATA_NS)

    def key(self, key: Key, tag: str = "referanseEksternNoekkel", *, ns: str = ARKIVMELDING_NS) -> None:
        element = self.child(tag, ns=ns)
        element.text_child("fagsystem", key.fagsystem, ns=METADATA_NS)
        element.text_child("noekkel", key.noekkel, ns=METADATA_NS)


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _write_restriction(parent: _Element, restriction: Restriction | None) -> None:
    if restriction is None:
        return
    element = parent.child("skjerming")
    element.child("tilgangsrestriksjon").text_child("kode", restriction.tilgangsrestriksjon, ns=METADATA_NS)
    element.text_child("skjermingshjemmel", restriction.skjermingshjemmel)


def _write_case(mappe: _Element, case: NewCase) -> None:
    """The saksmappe, in the order of the schema's ``mappe`` sequence, then ``saksmappe``'s own elements."""
    mappe.text_child("tittel", case.title)
    if case.arkivdel is not None:
        mappe.child("arkivdel").text_child("kode", case.arkivdel, ns=METADATA_NS)
    _write_restriction(mappe, case.restriction)
    if case.classification is not None:
        klassifikasjon = mappe.child("klassifikasjon")
        if case.classification.system is not None:
            klassifikasjon.text_child("klassifikasjonssystemID", case.classification.system)
        klassifikasjon.text_child("klasseID", case.classification.klasse)
    mappe.key(case.key)
    if case.unit is not None:
        mappe.child("administrativEnhet").text_child("navn", case.unit, ns=METADATA_NS)
    if case.responsible is not None:
        mappe.child("saksansvarlig").text_child("navn", case.responsible, ns=METADATA_NS)


def _write_post(registrering: _Element, post: JournalPost) -> None:
    """The journal post: the ``registrering`` sequence first, then ``journalpost``'s own elements."""
    parent = registrering.child("referanseForelderMappe")
    if isinstance(post.case, CaseNumber):
        saksnummer = parent.child("saksnummer", ns=METADATA_NS)
        saksnummer.text_child("saksaar", str(post.case.saksaar), ns=METADATA_NS)
        saksnummer.text_child("sakssekvensnummer", str(post.case.sakssekvensnummer), ns=METADATA_NS)
    else:
        parent.key(post.case, ns=METADATA_NS)
    _write_restriction(registrering, post.restriction)
    for document in post.documents:
        _write_document(registrering.child("dokumentbeskrivelse"), document)
    registrering.text_child("tittel", post.title)
    for party in post.parties:
        _write_party(registrering.child("korrespondansepart"), party)
    registrering.key(post.key)
    registrering.code("journalposttype", post.kind)
    registrering.code("journalstatus", post.status)
    registrering.text_child("dokumentetsDato", post.date.isoformat())
    if post.sent is not None:
        registrering.text_child("sendtDato", oslo_midnight(post.sent))
    registrering.text_child("antallVedlegg", str(post.attachments))


def _write_party(element: _Element, party: Party) -> None:
    """A korrespondansepart, in the order of the schema's sequence."""
    element.code("korrespondanseparttype", party.role)
    element.text_child("erBehandlingsansvarlig", "true" if party.responsible else "false")
    element.text_child("korrespondansepartNavn", party.name)
    if party.org_number is not None:
        element.text_child("organisasjonid", party.org_number)
    if party.address is not None:
        for line in party.address.lines:
            element.text_child("postadresse", line)
        element.text_child("postnummer", party.address.postnummer)
        element.text_child("poststed", party.address.poststed)
    if party.unit is not None:
        element.child("administrativEnhet").text_child("navn", party.unit, ns=METADATA_NS)
    if party.saksbehandler is not None:
        element.child("saksbehandler").text_child("navn", party.saksbehandler, ns=METADATA_NS)
    if party.their_ref is not None:
        element.text_child("deresReferanse", party.their_ref)


def _write_document(element: _Element, document: Document) -> None:
    element.code("dokumenttype", document.kind)
    element.code("dokumentstatus", document.status)
    element.text_child("tittel", document.title)
    element.code("tilknyttetRegistreringSom", document.role)
    element.text_child("dokumentnummer", str(document.number))
    for file in document.files:
        objekt = element.child("dokumentobjekt")
        objekt.text_child("versjonsnummer", "1")
        objekt.code("variantformat", file.variant)
        objekt.code("format", file.format.code)
        if file.format.details is not None:
            objekt.text_child("formatDetaljer", file.format.details)
        objekt.text_child("mimeType", file.format.mime_type)
        objekt.text_child("filnavn", file.display)
        objekt.text_child("referanseDokumentfil", file.name)
        objekt.text_child("sjekksum", file.checksum)
        objekt.text_child("sjekksumAlgoritme", CHECKSUM_ALGORITHM)
        objekt.text_child("filstoerrelse", str(file.size))


def oslo_midnight(day: dt.date) -> str:
    """The start of ``day`` in Norway as an xs:dateTime with its UTC offset (summer time from the last
    Sunday of March to the last Sunday of October), so that no archive reads it as another day."""
    summer = _last_sunday(day.year, 3) < day <= _last_sunday(day.year, 10)
    return f"{day.isoformat()}T00:00:00{'+02:00' if summer else '+01:00'}"


def _last_sunday(year: int, month: int) -> dt.date:
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - 6) % 7)
