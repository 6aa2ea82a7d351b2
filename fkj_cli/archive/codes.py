"""The Fiks Arkiv V1 names fkj writes: namespaces, message types, and the codes it uses from the code lists.

A code is written as ``kode`` and ``beskrivelse``, exactly as KS's code lists
(``kodelister/no.ks.fiks.arkiv.v1.kodelister.*.json`` in the Fiks Arkiv
specification, MIT licence) give them; the tests check every code fkj writes
against those lists. Fiks Arkiv has no code list for a file's format (M701):
KS's own test messages write the file type's usual name (``PDF``), so fkj
does too, and names the PRONOM identifier (PUID) in the description and the
conformance in ``formatDetaljer``.
"""

from __future__ import annotations

from dataclasses import dataclass

# The message fkj writes and the receipt it reads, with their payload file names (meldingstyper.json).
MESSAGE_TYPE = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett"
MESSAGE_FILE = "arkivmelding.xml"
RECEIPT_TYPE = "no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.kvittering"
RECEIPT_FILE = "arkivmelding-kvittering.xml"

_BASE = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv"
ARKIVMELDING_NS = f"{_BASE}/arkivmelding/opprett/v1"
KVITTERING_NS = f"{_BASE}/arkivmelding/opprett/kvittering/v1"
METADATA_NS = f"{_BASE}/metadatakatalog/v1"  # n5mdk: the codes, external keys and references
FEIL_NS = f"{_BASE}/feil/feilmelding/v1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

# Who sends: arkivmelding/system, and the fagsystem of every external key fkj writes.
SYSTEM = "fkj"
CHECKSUM_ALGORITHM = "SHA-256"


@dataclass(frozen=True)
class Code:
    """One entry of a code list: ``kode`` and ``beskrivelse``; ``liste`` names the list it comes from."""

    liste: str
    kode: str
    beskrivelse: str


# journalposttype
INNGAAENDE = Code("journalposttype", "I", "Inngående dokument")
UTGAAENDE = Code("journalposttype", "U", "Utgående dokument")
# journalstatus: KS's test messages register every journal post, incoming or outgoing, as F
FERDIGSTILT_AV_SAKSBEHANDLER = Code("journalstatus", "F", "Ferdigstilt av saksbehandler")
# korrespondanseparttype
AVSENDER = Code("korrespondanseparttype", "EA", "Avsender")
MOTTAKER = Code("korrespondanseparttype", "EM", "Mottaker")
INTERN_AVSENDER = Code("korrespondanseparttype", "IA", "Intern avsender")
INTERN_MOTTAKER = Code("korrespondanseparttype", "IM", "Intern mottaker")
# dokumenttype
KORRESPONDANSE = Code("dokumenttype", "KORR", "Korrespondanse")
UTREDNING = Code("dokumenttype", "UTREDNING", "Utredning")
SAKSFRAMLEGG = Code("dokumenttype", "SAKSFRAMLEGG", "Saksframlegg")
# dokumentstatus
FERDIGSTILT = Code("dokumentstatus", "F", "Dokumentet er ferdigstilt")
UNDER_REDIGERING = Code("dokumentstatus", "B", "Dokumentet er under redigering")
# tilknyttetregistreringsom
HOVEDDOKUMENT = Code("tilknyttetregistreringsom", "H", "Hoveddokument")
VEDLEGG = Code("tilknyttetregistreringsom", "V", "Vedlegg")
# variantformat
ARKIVFORMAT = Code("variantformat", "A", "Arkivformat")
PRODUKSJONSFORMAT = Code("variantformat", "P", "Produksjonsformat")

# Every code fkj writes, for the tests that hold them against the shipped lists.
CODES: tuple[Code, ...] = (
    INNGAAENDE,
    UTGAAENDE,
    FERDIGSTILT_AV_SAKSBEHANDLER,
    AVSENDER,
    MOTTAKER,
    INTERN_AVSENDER,
    INTERN_MOTTAKER,
    KORRESPONDANSE,
    UTREDNING,
    SAKSFRAMLEGG,
    FERDIGSTILT,
    UNDER_REDIGERING,
    HOVEDDOKUMENT,
    VEDLEGG,
    ARKIVFORMAT,
    PRODUKSJONSFORMAT,
)


@dataclass(frozen=True)
class FileFormat:
    """A file's format as a dokumentobjekt gives it: its code (as KS's test messages write it), PRONOM
    identifier and name, details, MIME type."""

    kode: str
    puid: str
    name: str
    mime_type: str
    details: str | None = None

    @property
    def code(self) -> Code:
        return Code("format", self.kode, f"{self.name} (PRONOM {self.puid})")


# fkj's PDFs are tagged PDF/A-2a and PDF/UA-1 (fkj_cli.convert.PDF_STANDARDS); its DOCX is Word 2007 and later.
PDF_A = FileFormat(
    "PDF", "fmt/476", "Acrobat PDF/A - Portable Document Format 2a", "application/pdf", "PDF/A-2a, PDF/UA-1"
)
DOCX = FileFormat(
    "DOCX",
    "fmt/412",
    "Microsoft Word for Windows 2007 onwards",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
