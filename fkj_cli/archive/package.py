"""`fkj package`: a municipality's mailing as a Fiks Arkiv message for its archive (or the sender's).

The mailing is the cover letter (the main document), the decision basis and
the draft saksframlegg (attachments), each as PDF/A (arkivformat), and the
saksframlegg's DOCX too (produksjonsformat), so the administration can edit
it. :func:`package` builds them with :func:`fkj_cli.build.run` (which skips
what is up to date), reads them back, and writes under the output directory

    <kommune>/forsendelse/arkivmelding.xml   the message
    <kommune>/forsendelse/<document>.pdf     the files it refers to
    <kommune>/forsendelse/saksframlegg.docx
    <kommune>/forsendelse.zip                the same files, in that order

(``forsendelse-avsender`` with ``sender``). A package is the same bytes for
the same content: the zip's members carry the letter's date, fixed
permissions and a fixed compression level. What is already on disk as it
would be written is left alone, as the build manifest records it.

The receiving municipality's view (the default) registers an incoming journal
post (I) from the sender, in the municipality's case when content knows its
number (``cases.<kommune>.arkivsaksnr`` in saksframlegg.yaml, which `fkj
receipt import` records), else in a new case file. The sender's view registers
the same mailing as an outgoing journal post (U) to the municipality, in the
sender's case when the letter's ``our_ref`` is a case number. Every case file
and journal post carries an external key that names the mailing and the
municipality, so that the archive's receipt can be matched (:func:`keys`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from fkj_cli.archive.codes import (
    ARKIVFORMAT,
    AVSENDER,
    DOCX,
    FERDIGSTILT,
    HOVEDDOKUMENT,
    INNGAAENDE,
    KORRESPONDANSE,
    MESSAGE_FILE,
    MOTTAKER,
    PDF_A,
    PRODUKSJONSFORMAT,
    SAKSFRAMLEGG,
    UNDER_REDIGERING,
    UTGAAENDE,
    UTREDNING,
    VEDLEGG,
    Code,
)
from fkj_cli.archive.message import (
    Arkivmelding,
    CaseNumber,
    Classification,
    Document,
    DocumentFile,
    JournalPost,
    Key,
    NewCase,
    Party,
    Restriction,
)
from fkj_cli.build import Report as BuildReport
from fkj_cli.build import Reporter, Request
from fkj_cli.build import run as run_build
from fkj_cli.content.checks import open_fields
from fkj_cli.documents import document_type
from fkj_cli.errors import FkjError, display_path
from fkj_cli.incremental import Manifest, build_lock
from fkj_cli.pipeline import Prepared, prepare
from fkj_cli.targets import Target, plan
from fkj_cli.write import OutputError, check_out_dir, write_files

if TYPE_CHECKING:
    from fkj_cli.documents.saksframlegg import Case

# The mailing's documents: the letter is the main document, the others its attachments.
LETTER, DECISION_BASIS, DRAFT = "letter", "decision-basis", "saksframlegg"
DOCUMENTS = (LETTER, DECISION_BASIS, DRAFT)
FORMATS = ["docx", "pdf"]
ZIP_LEVEL = 9


@dataclass(frozen=True)
class View:
    """Whose archive a package is for: the receiving municipality's, or the sender's."""

    name: Literal["mottaker", "avsender"]
    journalposttype: Code
    folder: str  # under the municipality's output folder; the zip is <folder>.zip beside it

    @property
    def code(self) -> str:
        return self.journalposttype.kode


RECEIVER = View("mottaker", INNGAAENDE, "forsendelse")
SENDER = View("avsender", UTGAAENDE, "forsendelse-avsender")
VIEWS = (RECEIVER, SENDER)
CASE_FILE, JOURNAL_POST = "saksmappe", "journalpost"


def mailing(letter_date: dt.date) -> str:
    """The mailing's name in external keys: the letter's date names it."""
    return f"forsendelse-{letter_date.isoformat()}"


def keys(letter_date: dt.date, slug: str, view: View) -> dict[str, Key]:
    """The external keys of the case file and the journal post of ``slug``'s mailing, in ``view``:
    ``forsendelse-2022-11-15/bergen/I/saksmappe`` and ``.../journalpost`` (fagsystem ``fkj``)."""
    base = f"{mailing(letter_date)}/{slug}/{view.code}"
    return {kind: Key(f"{base}/{kind}") for kind in (CASE_FILE, JOURNAL_POST)}


@dataclass(frozen=True)
class Packaged:
    """One municipality's package: where it is, what was written, and where its journal post is filed."""

    slug: str
    kommune: str  # the municipality's name
    folder: Path
    zip: Path
    written: tuple[Path, ...] = ()
    case: str | None = None  # the existing case the journal post is filed in; None: a new case file
    classified: bool = False  # the new case file carries the municipality's arkivkode
    error: str | None = None

    @property
    def up_to_date(self) -> bool:
        return self.error is None and not self.written


@dataclass
class PackageReport:
    """What `fkj package` did: the build of the documents, then each municipality's package."""

    view: View
    build: BuildReport
    packages: list[Packaged] = field(default_factory=list)
    stopped: str | None = None  # why packaging stopped before the end (a full disk), if it did
    not_packaged: int = 0  # municipalities left undone when it stopped

    @property
    def failed(self) -> list[Packaged]:
        return [p for p in self.packages if p.error is not None]

    @property
    def ok(self) -> bool:
        return self.stopped is None and not self.failed and not self.build.stopped


def package(
    *,
    kommuner: Sequence[str] = (),
    every: bool = False,
    sender: bool = False,
    out: Path = Path("build"),
    content: Path = Path("content"),
    jobs: int = 1,
    force: bool = False,
    reporter: Reporter | None = None,
) -> PackageReport:
    """Package the mailing for ``kommuner`` (slugs, numbers or names) or, with ``every``, for every
    municipality it goes to: build its documents where they are not up to date, then write each
    municipality's package. A municipality whose documents failed to build is reported, not packaged.
    """
    if every == bool(kommuner):
        raise FkjError("name a kommune with --kommune, or use --all to package the mailing for every one")
    view = SENDER if sender else RECEIVER
    check_out_dir(out, content)
    request = Request(
        docs=[document_type(name) for name in DOCUMENTS],
        refs=list(kommuner),
        every=every,
        formats=list(FORMATS),
        out=out,
        content=content,
        jobs=jobs,
        force=force,
    )
    built = run_build(request, reporter)
    report = PackageReport(view, built)
    failed: dict[str, str] = {}
    done: dict[str, int] = {}  # slug -> its documents built or up to date
    for outcome in built.outcomes:
        slug = outcome.target.slug
        assert slug is not None
        if outcome.error is not None:
            failed.setdefault(slug, f"{outcome.target.doc.name} was not built: {outcome.error}")
        else:
            done[slug] = done.get(slug, 0) + 1
    prepared = prepare(content)  # stages 1-4: the texts the message quotes (titles, the letter's subject)
    targets = plan(prepared.content, document_type(LETTER), list(kommuner), every=every)
    with build_lock(out):
        manifest = Manifest(out)
        try:
            for target in targets:
                slug, kommune = target.slug, target.kommune
                assert slug is not None and kommune is not None
                folder, zipped = out / slug / view.folder, out / slug / f"{view.folder}.zip"
                if slug in failed:
                    report.packages.append(Packaged(slug, kommune.name, folder, zipped, error=failed[slug]))
                    continue
                # a build that stopped (a full disk) leaves some documents unbuilt, and so does a full disk here
                if report.stopped or (built.stopped and done.get(slug, 0) < len(DOCUMENTS)):
                    report.not_packaged += 1
                    continue
                try:
                    packaged = _package_one(prepared, target, view, out, manifest)
                except OutputError as exc:
                    packaged = Packaged(slug, kommune.name, folder, zipped, tuple(exc.written), error=str(exc))
                    if exc.fatal:
                        report.stopped = str(exc)
                except FkjError as exc:
                    packaged = Packaged(slug, kommune.name, folder, zipped, error=str(exc))
                report.packages.append(packaged)
        finally:
            manifest.save()
    return report


def _package_one(prepared: Prepared, target: Target, view: View, out: Path, manifest: Manifest) -> Packaged:
    """Write ``target``'s package where it is not on disk as it would be written."""
    assert target.slug is not None and target.kommune is not None
    folder = out / target.slug / view.folder
    zipped = out / target.slug / f"{view.folder}.zip"
    files: dict[str, bytes] = {}
    for name, fmt in FILES:
        path = _sibling(target, name).paths(out, [fmt])[fmt]
        try:
            files[path.name] = path.read_bytes()
        except OSError as exc:  # removed or unreadable since the build: say which
            raise FkjError(f"{display_path(path)}: cannot be read ({(exc.strerror or str(exc)).lower()})") from None
    message = arkivmelding(prepared, target, view, files)
    day = message.post.date

    # The message and its files in the folder, and the same in the zip, each with the digest the manifest keeps.
    members = {MESSAGE_FILE: message.to_xml(), **{f.name: f.data for f in message.files()}}
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    recorded = {folder / name: digest for name, digest in digests.items()}
    recorded[zipped] = hashlib.sha256(f"zip {ZIP_LEVEL} {day} {sorted(digests.items())}".encode()).hexdigest()
    todo = {folder / name: data for name, data in members.items() if not manifest.fresh(folder / name, digests[name])}
    if not manifest.fresh(zipped, recorded[zipped]):
        todo[zipped] = zip_bytes(members, day)
    try:
        write_files(todo)
    except OutputError as exc:  # what was renamed into place before it failed is whole: record it
        for path in exc.written:
            manifest.record(path, recorded[path])
        raise
    for path in todo:
        manifest.record(path, recorded[path])
    case = message.post.case
    return Packaged(
        target.slug,
        target.kommune.name,
        folder,
        zipped,
        tuple(todo),
        case=str(case) if isinstance(case, CaseNumber) else None,
        classified=message.case is not None and message.case.classification is not None,
    )


# The files of a package, in the order the message lists them: (document, format).
FILES = ((LETTER, "pdf"), (DECISION_BASIS, "pdf"), (DRAFT, "pdf"), (DRAFT, "docx"))


def arkivmelding(prepared: Prepared, target: Target, view: View, files: dict[str, bytes]) -> Arkivmelding:
    """The message of ``target``'s mailing in ``view``, with ``files`` (the built documents, by file name:
    letter.pdf, decision-basis.pdf, saksframlegg.pdf and saksframlegg.docx)."""
    assert target.slug is not None and target.kommune is not None
    slug = target.slug
    letter_ctx = _context(prepared, LETTER, target)
    draft_ctx = _context(prepared, DRAFT, target)  # it shows the decision basis, so it has its texts too
    letter, draft, basis, t = letter_ctx["doc"], draft_ctx["doc"], draft_ctx["decision_basis"], letter_ctx["t"]
    kommune = target.kommune.on(letter.date) or target.kommune

    def pdf(name: str) -> DocumentFile:
        return DocumentFile(ARKIVFORMAT, PDF_A, name, files[name])

    # A letter with blanks still to fill in (its reference, the contact, who signs) is not finished; the
    # saksframlegg is a draft for the municipality to edit.
    letter_open = any(open_fields(prepared.content.document(LETTER, slug)))

    documents = (
        Document(
            number=1,
            role=HOVEDDOKUMENT,
            kind=KORRESPONDANSE,
            status=UNDER_REDIGERING if letter_open else FERDIGSTILT,
            title=f"{t['letter_kind']} – {_plain(letter.title)}",
            files=(pdf("letter.pdf"),),
        ),
        Document(
            number=2,
            role=VEDLEGG,
            kind=UTREDNING,
            status=FERDIGSTILT,
            title=_plain(basis.title),
            files=(pdf("decision-basis.pdf"),),
        ),
        Document(
            number=3,
            role=VEDLEGG,
            kind=SAKSFRAMLEGG,
            status=UNDER_REDIGERING,
            title=f"{t['sf_kind']} – {_plain(draft.title)}",
            files=(
                pdf("saksframlegg.pdf"),
                DocumentFile(PRODUKSJONSFORMAT, DOCX, "saksframlegg.docx", files["saksframlegg.docx"]),
            ),
        ),
    )
    key = keys(letter.date, slug, view)
    case: Case | None = prepared.content.document(DRAFT, slug).cases.get(slug)
    municipality_case = CaseNumber.parse(case.arkivsaksnr) if case is not None and case.arkivsaksnr else None
    restriction: Restriction | None = None
    if view is RECEIVER:  # the municipality's archive: its case, its key, its restriction
        sender = prepared.content.program.organisations[letter.issuer]
        party = Party(AVSENDER, str(sender.name), sender.org_number, letter.our_ref or None)
        existing = municipality_case
        if case is not None and case.skjerming is not None:
            restriction = Restriction(case.skjerming.tilgangsrestriksjon, case.skjerming.skjermingshjemmel)
        classification = Classification.parse(case.arkivkode) if case is not None and case.arkivkode else None
        new_case = NewCase(_plain(draft.title), key[CASE_FILE], classification, restriction)
    else:  # the sender's archive: its case is the letter's reference, and the municipality's is theirs
        municipality = f"{kommune.name} {t['kommune']}"
        their_ref = str(municipality_case) if municipality_case is not None else None
        party = Party(MOTTAKER, municipality, kommune.org_number, their_ref)
        existing = CaseNumber.parse(letter.our_ref) if letter.our_ref else None
        new_case = NewCase(f"{_plain(draft.title)} – {municipality}", key[CASE_FILE])
    post = JournalPost(
        kind=view.journalposttype,
        title=_plain(letter.subject_line),
        key=key[JOURNAL_POST],
        case=existing if existing is not None else new_case.key,
        party=party,
        documents=documents,
        date=letter.date,
        sent=letter.date,
        restriction=restriction,
    )
    return Arkivmelding(post, None if existing is not None else new_case)


def _sibling(target: Target, name: str) -> Target:
    """The target of the mailing's document ``name`` for the same municipality, in the same language."""
    return Target(document_type(name), target.slug, target.kommune, target.lang)


def _context(prepared: Prepared, name: str, target: Target) -> dict[str, Any]:
    """What a document of the mailing shows for the target's municipality, its texts rendered."""
    return prepared.renderer.context(prepared.content, prepared.figures, _sibling(target, name))


def zip_bytes(members: dict[str, bytes], day: dt.date) -> bytes:
    """A zip of ``members`` in their order, the same bytes every time: each member dated ``day``,
    mode 0644, deflated at a fixed level."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the mode below is read as one
            info.external_attr = (0o100644 & 0xFFFF) << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL)
    return buffer.getvalue()


_ESCAPED = re.compile(r"\\(.)")
_EMPHASIS = re.compile(r"(\*{1,2}|_{1,2})(\S(?:.*?\S)?)\1")


def _plain(markdown: str) -> str:
    """A one-line Markdown text (a title) as plain text: emphasis and escapes removed, spaces collapsed."""
    text = _EMPHASIS.sub(r"\2", " ".join(markdown.split()))
    return _ESCAPED.sub(r"\1", text)
