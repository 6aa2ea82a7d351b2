"""`fkj proof`: the built documents checked as a reader sees them, page by page.

What a reader would notice, found in the outputs themselves rather than in
the content: in the PDF (:mod:`fkj_cli.proof.pdf`) text on a table's rule or
drawn over other text, text outside the text area, an empty page, a word of
a table's header broken, a figure without alt text, a heading of the
Markdown missing from the structure tree (or at another level), literal
Markdown, a blank to fill in a document that is not a draft, more or fewer
pages than its type has, and PDF/UA-1 and PDF/A-2a as an independent
validator (page-validation) reads them; in the DOCX (:mod:`fkj_cli.proof.docx`)
that it opens, its headings, every table's header row and columns as wide as
their longest word, alt text, no direct formatting beyond bold and italic,
its language. Every finding names the file, the page where there is one,
and the text concerned.

A proof runs where the bytes are: in the build's worker right after a
document is converted (``fkj build --proof``), or on the files of an
earlier build (``fkj proof``). Its result is recorded with the output in
the build's manifest, so an unchanged document is not proofed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from fkj_cli.documents.kind import DocumentType

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One thing a reader would notice: which check found it, on what page, and the text concerned."""

    check: str
    message: str
    page: int | None = None
    severity: Severity = "error"

    def line(self, file: str) -> str:
        """``FILE:PAGE: severity: check: message`` (no page for what is not on one)."""
        where = f"{file}:{self.page}" if self.page is not None else file
        return f"{where}: {self.severity}: {self.check}: {self.message}"

    def to_json(self) -> list[object]:
        return [self.check, self.message, self.page, self.severity]

    @classmethod
    def from_json(cls, data: list[object]) -> Finding:
        check, message, page, severity = data
        assert isinstance(check, str) and isinstance(message, str) and severity in ("error", "warning")
        return cls(check, message, page if isinstance(page, int) else None, severity)


Headings = tuple[tuple[int, str], ...]  # (level, text) of each heading the Markdown means to have


@dataclass(frozen=True)
class Expected:
    """What a document should be, from its Markdown and its type: what the proof compares it with."""

    headings: Headings
    lang: str  # nb or nn: the document's language, as its DOCX and PDF must say
    pages: tuple[int, int]  # the fewest and most pages its type has
    draft: bool  # blanks to fill in are expected (its type is a draft, or its content has open fields)
    open_fields: bool = False  # its content has fields to fill

    @classmethod
    def of(cls, doc: DocumentType, markdown: str, lang: str, open_fields: bool) -> Expected:
        from fkj_cli.proof.markdown import headings

        return cls(tuple(headings(markdown)), lang, doc.pages, doc.draft or open_fields, open_fields)

    @classmethod
    def recorded(cls, doc: DocumentType, lang: str, record: dict[str, Any]) -> Expected:
        """The expectation :meth:`record` kept in the manifest when the document was built, so that a
        later proof need not render it again."""
        headings = tuple((int(level), str(text)) for level, text in record["headings"])
        open_fields = bool(record["open"])
        return cls(headings, lang, doc.pages, doc.draft or open_fields, open_fields)

    def record(self) -> dict[str, Any]:
        return {"headings": [list(h) for h in self.headings], "open": self.open_fields}


def proof(fmt: str, data: bytes, expected: Expected) -> list[Finding]:
    """The findings in one output (``pdf`` or ``docx``); other formats have none."""
    if fmt == "pdf":
        from fkj_cli.proof.pdf import proof_pdf

        return proof_pdf(data, expected)
    if fmt == "docx":
        from fkj_cli.proof.docx import proof_docx

        return proof_docx(data, expected)
    return []
