"""`fkj package`: a municipality's mailing as a Fiks Arkiv message for its archive (or the sender's).

The mailing is the cover letter (the main document), the decision basis and
the draft saksframlegg (attachments), each as PDF/A (arkivformat), and the
saksframlegg's DOCX too (produksjonsformat), so the administration can edit
it: :data:`fkj_cli.documents.letter.MAILING` declares them. :func:`package`
builds them in a build session (:class:`fkj_cli.build.Session`, which skips
what is up to date) and packages each municipality's mailing in the same
session as soon as its documents are there, from the bytes the build holds
(and, for a document that was up to date, its digest from the manifest;
its file is read only when the package must be written anew), under the
output directory

    <kommune>/forsendelse/arkivmelding.xml   the message
    <kommune>/forsendelse/<document>.pdf     the files it refers to
    <kommune>/forsendelse/saksframlegg.docx
    <kommune>/forsendelse.zip                the same files, in that order

(``forsendelse-avsender`` with ``sender``). A package is the same bytes for
the same content: the zip's members carry the letter's date, fixed
permissions and a fixed compression level. What is already on disk as it
would be written is left alone, as the build manifest records it.

The receiving municipality's view (the default) registers an incoming journal
post (I) from the sender (EA, with its organisation number and address) to the
unit that receives it (IM), in the municipality's case when content knows its
number (``cases.<kommune>.arkivsaksnr`` in saksframlegg.yaml, which `fkj
receipt import` records), else in a new case file with its archive part and
class (saksframlegg.yaml's ``filing``, or ``cases.<kommune>``). The sender's
view registers the same mailing as an outgoing journal post (U) to the
municipality (EM) from the sender's unit and saksbehandler (IA), in the
sender's case when the letter's ``our_ref`` is a case number, else in a new
case file filed as letter.yaml's ``filing`` says. Every case file and journal
post carries an external key that names the mailing and the municipality, so
that the archive's receipt can be matched (:func:`keys`).

Only a final mailing is packaged: while the letter or the saksframlegg has a
field to fill, or the archive lacks what it needs to file the post, `fkj
package` refuses and names each field where it is to be filled
(:func:`unfinished`); with ``draft`` it packages anyway, marks a document
with open fields as under editing (B), and reports what is missing.
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
    FERDIGSTILT_AV_SAKSBEHANDLER,
    HOVEDDOKUMENT,
    INNGAAENDE,
    INTERN_AVSENDER,
    INTERN_MOTTAKER,
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
    Address,
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
from fkj_cli.build import Outcome, Output, Reporter, Request, Session, session
from fkj_cli.build import Report as BuildReport
from fkj_cli.content import PROGRAM_FILE
from fkj_cli.content.checks import open_fields
from fkj_cli.documents import document_type
from fkj_cli.documents.letter import MAILING, Part
from fkj_cli.errors import ContentError, FkjError, Problem, display_path
from fkj_cli.targets import Target, plan
from fkj_cli.write import OutputError, check_out_dir, write_files

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.content.program import PostalAddress
    from fkj_cli.content.yamlfile import Path_
    from fkj_cli.documents.case import Case, Filing
    from fkj_cli.documents.context import Context
    from fkj_cli.documents.letter import Letter
    from fkj_cli.documents.saksframlegg import Saksframlegg, SaksframleggContext

# The mailing's main document (the letter), and the document whose content holds the municipality's case.
LETTER, DRAFT = MAILING.main.document, "saksframlegg"
FORMATS = ["docx", "pdf"]  # what the build makes of each document of the mailing
ZIP_LEVEL = 9
ROLES = {True: HOVEDDOKUMENT, False: VEDLEGG}  # tilknyttetRegistreringSom, by whether it is the main document
KINDS = {"letter": KORRESPONDANSE, "report": UTREDNING, "case": SAKSFRAMLEGG}  # dokumenttype
VARIANTS = {"pdf": (ARKIVFORMAT, PDF_A), "docx": (PRODUKSJONSFORMAT, DOCX)}  # variantformat and file format


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
    unfinished: list[Problem] = field(default_factory=list)  # with --draft: what is still to fill in

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
    draft: bool = False,
    reporter: Reporter | None = None,
) -> PackageReport:
    """Package the mailing for ``kommuner`` (slugs, numbers or names) or, with ``every``, for every
    municipality it goes to: build its documents where they are not up to date, and write each
    municipality's package as soon as they are there. A municipality whose documents failed to build
    is reported, not packaged. While anything is to fill in (:func:`unfinished`), nothing is built or
    written and :class:`NotFinalError` lists it all, unless ``draft``.
    """
    if every == bool(kommuner):
        raise FkjError("name a kommune with --kommune, or use --all to package the mailing for every one")
    view = SENDER if sender else RECEIVER
    check_out_dir(out, content)
    request = Request(
        docs=[document_type(name) for name in MAILING.documents],
        refs=list(kommuner),
        every=every,
        formats=list(FORMATS),
        out=out,
        content=content,
        jobs=jobs,
        force=force,
    )
    with session(content, out) as s:
        loaded = s.prepared.content
        letters = plan(loaded, document_type(LETTER), list(kommuner), every=every)
        missing = sorted({p for t in letters if t.slug is not None for p in unfinished(loaded, t.slug, view)})
        if missing and not draft:
            raise NotFinalError(missing)
        stage = _Packaging(s, view, out)
        # the packages need the content (the texts the message quotes), so the build always plans
        built = s.build(request, reporter, keep=MAILING.documents, then=stage.take, whole=False)
        report = stage.report(built)
    report.unfinished = missing
    return report


class NotFinalError(ContentError):
    """The mailing has fields to fill in before it can be archived: each one, where it is filled in."""

    def summary(self) -> str:
        n, files = len(self.problems), len({p.file for p in self.problems})
        return (
            f"the mailing is not final: {n} field{'s' if n != 1 else ''} to fill in "
            f"{files} file{'s' if files != 1 else ''} (or package a draft with --draft)"
        )


# What each field of a filing gives the archive, for the message naming it.
FILING = {
    "arkivdel": "the archive part (arkivdel) of the new case file",
    "arkivkode": "the class (arkivkode) of the new case file",
    "enhet": "the administrative unit that {verb} the post",
    "saksbehandler": "the saksbehandler who sends it",
}


def unfinished(content: Content, slug: str, view: View) -> list[Problem]:
    """What must be filled in before ``slug``'s mailing is archived in ``view``, each where it is filled in:
    the letter's and the saksframlegg's open fields, and what the archive needs to file the journal post
    without manual work (the sender's organisation number and address, the case file's archive part and
    class, the internal party)."""
    letter: Letter = content.document(LETTER, slug)
    saksframlegg: Saksframlegg = content.document(DRAFT, slug)
    letter_file = content.document_file(document_type(LETTER), slug)
    draft_file = content.document_file(document_type(DRAFT), slug)
    found = [letter_file.problem(path, _OPEN) for path in _open(letter, slug)]
    found += [draft_file.problem(path, _OPEN) for path in _open(saksframlegg, slug)]
    if view is RECEIVER:
        issuer = letter.issuer
        sender = content.program.organisations[issuer]
        program = content.files[PROGRAM_FILE]
        for key, value in (("org_number", sender.org_number), ("address", sender.address)):
            if value is None:
                what = "organisation number" if key == "org_number" else "postal address"
                found.append(program.problem(("organisations", issuer, key), f"the sender's {what}, for the archive"))
        case = saksframlegg.cases.get(slug)
        for key in ("enhet",) if _municipality_case(case) else ("arkivdel", "arkivkode", "enhet"):
            if _filed(case, saksframlegg.filing, key) is None:
                what = FILING[key].format(verb="receives")
                message = f"{what}, in every municipality's archive (or under cases.<kommune> for one)"
                found.append(draft_file.problem(("filing", key), message))
    else:
        for key in ("enhet", "saksbehandler") if _sender_case(letter) else tuple(FILING):
            if getattr(letter.filing, key) is None:
                what = FILING[key].format(verb="sends")
                found.append(letter_file.problem(("filing", key), f"{what}, in the sender's archive"))
    return found


_OPEN = "open field: to fill in before the mailing is archived"


def _municipality_case(case: Case | None) -> CaseNumber | None:
    """The municipality's case for the mailing, where its archive's receipt gave the number."""
    return CaseNumber.parse(case.arkivsaksnr) if case is not None and case.arkivsaksnr else None


def _sender_case(letter: Letter) -> CaseNumber | None:
    """The sender's case for the mailing, where the letter's reference is a case number."""
    return CaseNumber.parse(letter.our_ref) if letter.our_ref else None


def _open(model: Any, slug: str) -> list[Path_]:
    """A document's own open fields for ``slug``: not its filing, nor another municipality's case."""
    return [
        path
        for path, _ in open_fields(model)
        if path[0] != "filing" and not (path[0] == "cases" and len(path) > 1 and path[1] != slug)
    ]


def _filed(case: Case | None, default: Filing, key: str) -> Any:
    """A municipality's own filing value where its case gives one, else the program's default."""
    own = getattr(case, key) if case is not None else None
    return own if own is not None else getattr(default, key)


def _address(address: PostalAddress | None) -> Address | None:
    if address is None:
        return None
    return Address(tuple(address.postadresse), address.postnummer, address.poststed)


class _Packaging:
    """The stage after the build: each municipality's package, as soon as its documents are there."""

    def __init__(self, s: Session, view: View, out: Path) -> None:
        self.session, self.view, self.out = s, view, out
        self.waiting: dict[str, dict[str, Outcome]] = {}  # slug -> document name -> its outcome
        self.packages: list[Packaged] = []
        self.stopped: str | None = None

    def take(self, outcome: Outcome) -> str | None:
        """Note a document of the mailing; package its municipality once all its documents are in. A
        reason to stop the build when nothing more can be written (a full disk)."""
        target = outcome.target
        assert target.slug is not None and target.kommune is not None
        got = self.waiting.setdefault(target.slug, {})
        got[target.doc.name] = outcome
        if len(got) < len(MAILING.parts):
            return None
        del self.waiting[target.slug]
        slug, name = target.slug, target.kommune.name
        folder, zipped = self.out / slug / self.view.folder, self.out / slug / f"{self.view.folder}.zip"
        failed = [o for o in got.values() if o.error is not None]
        if failed:
            error = f"{failed[0].target.doc.name} was not built: {failed[0].error}"
            self.packages.append(Packaged(slug, name, folder, zipped, error=error))
            return None
        letter = got[LETTER].target
        try:
            packaged = _package_one(self.session, letter, self.view, self.out, got)
        except OutputError as exc:
            packaged = Packaged(slug, name, folder, zipped, tuple(exc.written), error=str(exc))
            if exc.fatal:
                self.stopped = str(exc)
        except FkjError as exc:
            packaged = Packaged(slug, name, folder, zipped, error=str(exc))
        for o in got.values():
            o.data.clear()  # packaged: the bytes are on disk, and the session holds no more of them
        self.packages.append(packaged)
        return self.stopped

    def report(self, built: BuildReport) -> PackageReport:
        """What was packaged, in the order of the municipalities; those left undone by a stop counted."""
        order = {o.target.slug: i for i, o in enumerate(built.outcomes)}
        packages = sorted(self.packages, key=lambda p: order.get(p.slug, len(order)))
        left = set(self.waiting) | {t.slug for t in built.pending}  # a stop left their documents undone
        return PackageReport(self.view, built, packages, stopped=self.stopped, not_packaged=len(left))


def _package_one(s: Session, letter: Target, view: View, out: Path, got: dict[str, Outcome]) -> Packaged:
    """Write ``letter``'s municipality's package where it is not on disk as it would be written."""
    assert letter.slug is not None and letter.kommune is not None
    folder = out / letter.slug / view.folder
    zipped = out / letter.slug / f"{view.folder}.zip"
    sources: dict[str, tuple[Path, Outcome]] = {}  # a file of the package -> the built document it is
    for part in MAILING.parts:
        outcome = got[part.document]
        for fmt in part.formats:
            path = outcome.target.paths(out, [fmt])[fmt]
            sources[path.name] = path, outcome
    outputs = {name: outcome.files[path] for name, (path, outcome) in sources.items()}
    message = arkivmelding(s, letter, view, outputs)
    day = message.post.date
    xml = message.to_xml()

    # The message and its files in the folder, and the same in the zip, each with the digest the manifest keeps.
    digests = {MESSAGE_FILE: hashlib.sha256(xml).hexdigest(), **{n: o.sha256 for n, o in outputs.items()}}
    recorded = {folder / name: digest for name, digest in digests.items()}
    recorded[zipped] = hashlib.sha256(f"zip {ZIP_LEVEL} {day} {sorted(digests.items())}".encode()).hexdigest()
    stale = [name for name in digests if not s.manifest.fresh(folder / name, digests[name])]
    zip_stale = not s.manifest.fresh(zipped, recorded[zipped])

    def data(name: str) -> bytes:
        """A member's bytes: the message, a document the build holds, or one that was up to date."""
        if name == MESSAGE_FILE:
            return xml
        path, outcome = sources[name]
        kept = outcome.data.get(path)
        if kept is not None:
            return kept
        try:
            return path.read_bytes()
        except OSError as exc:  # removed or unreadable since the build: say which
            raise FkjError(f"{display_path(path)}: cannot be read ({(exc.strerror or str(exc)).lower()})") from None

    todo = {folder / name: data(name) for name in stale}
    if zip_stale:
        todo[zipped] = zip_bytes({name: data(name) for name in digests}, day)
    try:
        write_files(todo)
    except OutputError as exc:  # what was renamed into place before it failed is whole: record it
        for path in exc.written:
            s.manifest.record(path, recorded[path], Output.of(todo[path]).sha256)
        raise
    for path, written in todo.items():
        s.manifest.record(path, recorded[path], Output.of(written).sha256)
    case = message.post.case
    return Packaged(
        letter.slug,
        letter.kommune.name,
        folder,
        zipped,
        tuple(todo),
        case=str(case) if isinstance(case, CaseNumber) else None,
        classified=message.case is not None and message.case.classification is not None,
    )


def arkivmelding(s: Session, target: Target, view: View, files: dict[str, Output]) -> Arkivmelding:
    """The message of ``target``'s mailing in ``view``, with ``files`` (the digests and sizes of the built
    documents, by file name: letter.pdf, decision-basis.pdf, saksframlegg.pdf and saksframlegg.docx)."""
    assert target.slug is not None and target.kommune is not None
    slug, content = target.slug, s.prepared.content
    contexts = {part.document: _context(s, part.document, target) for part in MAILING.parts}
    letter_ctx: Context[Letter] = contexts[LETTER]
    draft_ctx: SaksframleggContext = contexts[DRAFT]  # type: ignore[assignment]
    letter, draft, t = letter_ctx.doc, draft_ctx.doc, letter_ctx.t
    kommune = target.kommune.on(letter.date) or target.kommune

    def document(number: int, part: Part) -> Document:
        doc = contexts[part.document].doc
        title = _plain(doc.title)
        if part.label is not None:
            title = f"{t[part.label]} – {title}"
        # A document sent is final (F), the draft saksframlegg too: it is the draft the municipality gets.
        # Only a package made with --draft has one with fields still to fill in: under editing (B).
        open_ = _open(content.document(part.document, slug), slug)
        return Document(
            number=number,
            role=ROLES[part is MAILING.main],
            kind=KINDS[part.kind],
            status=UNDER_REDIGERING if open_ else FERDIGSTILT,
            title=title,
            files=tuple(
                DocumentFile(*VARIANTS[fmt], name, files[name].sha256, files[name].size, f"{t[part.file]}.{fmt}")
                for fmt in part.formats
                if (name := f"{part.document}.{fmt}")
            ),
        )

    documents = tuple(document(i, part) for i, part in enumerate(MAILING.parts, start=1))
    key = keys(letter.date, slug, view)
    saksframlegg: Saksframlegg = content.document(DRAFT, slug)
    case: Case | None = saksframlegg.cases.get(slug)
    municipality_case = _municipality_case(case)
    restriction: Restriction | None = None
    if view is RECEIVER:  # the municipality's archive: its case, its key, its restriction, its unit
        sender = content.program.organisations[letter.issuer]
        external = Party(
            AVSENDER,
            str(sender.name),
            org_number=sender.org_number,
            address=_address(sender.address),
            their_ref=letter.our_ref or None,
        )
        existing = municipality_case
        if case is not None and case.skjerming is not None:
            restriction = Restriction(case.skjerming.tilgangsrestriksjon, case.skjerming.skjermingshjemmel)
        filing = saksframlegg.filing
        unit, saksbehandler = _filed(case, filing, "enhet"), case.saksbehandler if case is not None else None
        arkivkode, arkivdel = _filed(case, filing, "arkivkode"), _filed(case, filing, "arkivdel")
        internal = Party(INTERN_MOTTAKER, unit, True, unit=unit, saksbehandler=saksbehandler) if unit else None
        title = _plain(str(draft.title))
    else:  # the sender's archive: its case is the letter's reference, and the municipality's is theirs
        municipality = f"{kommune.name} {t['kommune']}"
        their_ref = str(municipality_case) if municipality_case is not None else None
        external = Party(MOTTAKER, municipality, org_number=kommune.org_number, their_ref=their_ref)
        existing = _sender_case(letter)
        filing = letter.filing
        unit, saksbehandler, arkivkode, arkivdel = filing.enhet, filing.saksbehandler, filing.arkivkode, filing.arkivdel
        name = saksbehandler or unit
        internal = Party(INTERN_AVSENDER, name, True, unit=unit, saksbehandler=saksbehandler) if name else None
        title = f"{_plain(str(draft.title))} – {municipality}"
    classification = Classification.parse(arkivkode) if arkivkode else None
    new_case = NewCase(title, key[CASE_FILE], classification, restriction, arkivdel, unit, saksbehandler)
    sent = letter.sent or letter.date  # the day it is sent, which its head shows (a final mailing has it)
    post = JournalPost(
        kind=view.journalposttype,
        status=FERDIGSTILT_AV_SAKSBEHANDLER,
        title=_plain(str(letter.subject_line)),
        key=key[JOURNAL_POST],
        case=existing if existing is not None else new_case.key,
        parties=(external, internal) if internal is not None else (external,),
        documents=documents,
        date=sent,
        sent=sent if view is SENDER else None,  # an incoming post's mottattDato is the archive's
        restriction=restriction,
    )
    return Arkivmelding(post, None if existing is not None else new_case)


def _context(s: Session, name: str, target: Target) -> Context[Any]:
    """What a document of the mailing shows for the target's municipality, its texts rendered."""
    sibling = Target(document_type(name), target.slug, target.kommune, target.lang)
    prepared = s.prepared
    return prepared.renderer.context(prepared.content, prepared.figures, sibling)


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
