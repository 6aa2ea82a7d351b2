"""What a command is asked to make: one target per document and municipality (or recipient)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fkj_cli.errors import FkjError

if TYPE_CHECKING:
    from fkj_cli.content.kommuner import Kommune
    from fkj_cli.content.load import Content
    from fkj_cli.documents.kind import Chart, DocumentType


@dataclass(frozen=True)
class Approved:
    """One output a document approves (the board's case): what it is, where it is under the output
    directory, and the SHA-256 of its bytes as built."""

    doc: str  # its document type
    whom: str  # whom it is for: a municipality's slug, a recipient's, or "program"
    lang: str
    file: str  # its path under the output directory, with "/"
    sha256: str

    @property
    def line(self) -> str:
        """Its line in a checksum list, as ``sha256sum`` writes and checks it."""
        return f"{self.sha256}  {self.file}\n"


CHECKSUMS = "sha256"  # the suffix of the checksum list a document that approves others is written with


@dataclass(frozen=True)
class Target:
    """One document for one municipality (or for the program, or for one recipient)."""

    doc: DocumentType
    slug: str | None
    kommune: Kommune | None
    lang: str
    recipient: str | None = None  # for documents made once per recipient (hearing letters)
    # For a document that approves others (DocumentType.approves): each of their outputs, as built.
    approved: tuple[Approved, ...] = ()

    @property
    def label(self) -> str:
        if self.kommune:
            return self.kommune.name
        return self.recipient or "program"

    @property
    def whom(self) -> str:
        """Whom it is made for: the municipality's slug, the recipient's, or "program"."""
        return self.slug or self.recipient or "program"

    @property
    def ident(self) -> tuple[str, str | None, str | None]:
        """Which document for whom, whatever the language or formats it is built in."""
        return self.doc.name, self.slug, self.recipient

    @property
    def stem(self) -> str:
        """The output file's name without its suffix."""
        return f"{self.doc.name}-{self.recipient}" if self.recipient else self.doc.name

    @property
    def folder(self) -> str:
        """The output's folder under the output directory."""
        return self.slug or self.doc.folder

    def paths(self, out: Path, formats: Iterable[str]) -> dict[str, Path]:
        """Its output files by format; a document that approves others has its checksum list too."""
        formats = [*formats, CHECKSUMS] if self.doc.approves else formats
        return {fmt: out / self.folder / f"{self.stem}.{fmt}" for fmt in formats}

    def checksums(self) -> bytes:
        """The checksum list of what it approves, one line per output, checked with ``sha256sum -c`` in the
        output directory."""
        return "".join(a.line for a in self.approved).encode("utf-8")

    def chart_file(self, chart: Chart) -> str:
        """The name of one of the document's charts: in its Markdown, beside it in the output folder, and in
        the conversions. The document's name comes first, so two documents in a folder never share one."""
        return f"{self.stem}-{chart.file}"

    def chart_paths(self, out: Path) -> list[Path]:
        """Where the document's charts are written beside its Markdown (a chart it does not show is not)."""
        return [out / self.folder / self.chart_file(chart) for chart in self.doc.charts]


def plan(content: Content, doc: DocumentType, refs: list[str], *, every: bool, lang: str | None = None) -> list[Target]:
    """The targets for ``refs`` (slugs, numbers or names) or, with ``every``, for all it concerns.

    Each document is in its municipality's written language (nynorsk where
    the målform is nynorsk, bokmål otherwise) unless ``lang`` overrides it.
    """
    if doc.scope == "program":
        return [Target(doc, None, None, lang or "nb")]
    if doc.scope == "recipient":
        kommuner = content.register.kommuner
        # a letter to a municipality is written in its målform, like its other documents
        return [
            Target(doc, None, None, lang or (kommuner[org].lang if (org := r.organisation) in kommuner else "nb"), slug)
            for slug, r in content.document(doc.name).recipients.items()
        ]
    if every == bool(refs):
        raise FkjError(f"name a kommune with --kommune, or use --all to build {doc.name} for every one")
    if every:
        chosen = [(s, k) for s, k in content.register.kommuner.items() if doc.applies(content, s, k) is None]
    else:
        chosen = [content.kommune(ref) for ref in refs]
        for slug, kommune in chosen:
            if (reason := doc.applies(content, slug, kommune)) is not None:
                raise FkjError(reason)
    return [Target(doc, slug, kommune, lang or kommune.lang) for slug, kommune in dict(chosen).items()]


def find(content: Content, document: str, whom: str, lang: str) -> Target:
    """The target of the document type called ``document`` for ``whom`` (a slug, a recipient or
    ``program``, as :attr:`Target.whom` gives it) in ``lang``; FkjError when the content makes none."""
    from fkj_cli.documents import REGISTRY, document_type

    if document not in REGISTRY:
        raise FkjError(f"fkj knows no document {document!r}")
    doc = document_type(document)
    for target in plan(content, doc, [], every=doc.scope == "kommune", lang=lang):
        if target.whom == whom:
            return target
    raise FkjError(f"the content makes no {document} for {whom!r}")


def every_target(content: Content, docs: Iterable[DocumentType]) -> list[Target]:
    """Every target the content makes of ``docs``, each in its own language."""
    return [t for doc in docs for t in plan(content, doc, [], every=doc.scope == "kommune")]


def samples(content: Content, docs: Iterable[DocumentType]) -> list[Target]:
    """The targets a document's texts are checked on, by `fkj validate` and by `fkj lint` alike.

    For each of ``docs``: one target per language :func:`plan` builds it in and role of the municipality
    it is for (a text may say something else for a collaboration municipality), then one per override.
    A text renders alike for every target of one language and role, except where an override gives a
    municipality its own; so a recipient's letter is sampled in nynorsk where a recipient is a nynorsk
    municipality, as it is built.
    """
    out: list[Target] = []
    kommuner = content.register.kommuner
    for doc in docs:
        overridden = [slug for name, slug in content.overrides if name == doc.name]
        picked: dict[tuple[str, str], Target] = {}
        for target in plan(content, doc, [], every=doc.scope == "kommune"):
            if target.slug not in overridden:  # an override's own texts are its sample's
                role = target.kommune.role if target.kommune is not None else ""
                picked.setdefault((target.lang, role), target)
        out += picked.values()
        out += [Target(doc, slug, kommuner[slug], kommuner[slug].lang) for slug in overridden]
    return out
