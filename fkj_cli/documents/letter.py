"""The cover letter (oversendelsesbrev) to the mayor and the chief executive of each municipality.

It goes with the decision basis and the draft saksframlegg: what is sent and
why, the status so far (the letters of intent, the commitments recorded now
and the coverage against the 55 % condition), what the municipality is asked
to decide and by when, how to report the decision back, and the contact.
References, the contact and who signs are blanks until the sender has them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from fkj_cli.content.types import TO_FILL, Markdown, Name, Strict
from fkj_cli.documents.base import DocumentHeader
from fkj_cli.documents.case import Filing
from fkj_cli.documents.kind import FIGURES, DocumentType, Found

if TYPE_CHECKING:
    from fkj_cli.content.kommuner import Register
    from fkj_cli.content.program import Program


@dataclass(frozen=True)
class Part:
    """One document of the mailing."""

    document: str  # its document type's name
    formats: tuple[str, ...]  # the files it goes as: PDF/A, and DOCX where the recipient edits it
    kind: Literal["letter", "report", "case"]  # what it is, for the archive (its dokumenttype)
    file: str  # the catalogue's name the archive shows for its files (filnavn), before the file type
    label: str | None = None  # the catalogue's name of its kind, put before its title in the archive


@dataclass(frozen=True)
class Mailing:
    """What goes to each municipality: the cover letter, and what it covers."""

    main: Part
    attachments: tuple[Part, ...]

    @property
    def parts(self) -> tuple[Part, ...]:
        return (self.main, *self.attachments)

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(p.document for p in self.parts)


# The mailing, read by the letter (its list of attachments), `fkj package` and the tests.
MAILING = Mailing(
    main=Part("letter", ("pdf",), "letter", "file_letter", label="letter_kind"),
    attachments=(
        Part("decision-basis", ("pdf",), "report", "file_decision_basis"),
        Part("saksframlegg", ("pdf", "docx"), "case", "file_saksframlegg", label="sf_kind"),
    ),
)


class Signature(Strict):
    # Names read the same in both languages when written as one string.
    signatory: Annotated[Name | None, TO_FILL] = None  # name and title of who signs
    contact: Annotated[Name | None, TO_FILL] = None  # who answers questions, and how


class Letter(DocumentHeader):
    our_ref: Annotated[str | None, TO_FILL] = None  # Vår ref.: the sender's case number
    # The day the letter is sent, which its head shows: no source gives it. Its figures stand on `date`.
    sent: Annotated[dt.date | None, TO_FILL] = None
    subject_line: Markdown
    greeting: Markdown | None = None  # a line before the text; the head already names the recipient
    what: Markdown  # what is sent, and why
    status: Markdown  # the letters of intent and the commitments so far
    request: Markdown  # what the municipality is asked to decide, by when, and the options
    report_back: Markdown  # how to report the decision back
    signature: Signature = Signature()
    attachments: list[Markdown] = Field(min_length=1)
    filing: Filing = Field(default_factory=Filing)  # how `fkj package --sender` files it in the sender's archive


def check(letter: Letter, program: Program, register: Register) -> Found:
    """The letter lists what the mailing sends with it, one attachment each, and is not sent before the date
    its figures stand on."""
    if letter.sent is not None and letter.sent < letter.date:
        yield (
            ("sent",),
            f"the letter is sent ({letter.sent.isoformat()}) before the date of its figures ({letter.date})",
        )
    names = ", ".join(p.document for p in MAILING.attachments)
    if len(letter.attachments) != len(MAILING.attachments):
        count = len(MAILING.attachments)
        yield (
            ("attachments",),
            f"the mailing sends {count} attachments ({names}); the letter lists {len(letter.attachments)}",
        )


DOCUMENT = DocumentType(
    name="letter",
    description="Oversendelsesbrev: the cover letter to each municipality's mayor and chief executive",
    order=20,
    model=Letter,
    template="letter.md.j2",
    content_file="letter.yaml",
    scope="kommune",
    pages=(1, 3),
    audience="outside-midt-norge",
    reads=FIGURES,
    check=check,
)
