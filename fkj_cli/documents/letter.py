"""The cover letter (oversendelsesbrev) to the mayor and the chief executive of each municipality.

It goes with the decision basis and the draft saksframlegg: what is sent and
why, the status so far (the letters of intent, the commitments recorded now
and the coverage against the 55 % condition), what the municipality is asked
to decide and by when, how to report the decision back, and the contact.
References, the contact and who signs are blanks until the sender has them.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from fkj_cli.content.types import TO_FILL, Markdown, Name, Strict
from fkj_cli.documents.base import DocumentHeader
from fkj_cli.documents.kind import FIGURES, DocumentType


class Signature(Strict):
    # Names read the same in both languages when written as one string.
    signatory: Annotated[Name | None, TO_FILL] = None  # name and title of who signs
    contact: Annotated[Name | None, TO_FILL] = None  # who answers questions, and how


class Letter(DocumentHeader):
    our_ref: Annotated[str | None, TO_FILL] = None  # Vår ref.: the sender's case number
    subject_line: Markdown
    greeting: Markdown
    what: Markdown  # what is sent, and why
    status: Markdown  # the letters of intent and the commitments so far
    request: Markdown  # what the municipality is asked to decide, by when, and the options
    report_back: Markdown  # how to report the decision back
    signature: Signature = Signature()
    attachments: list[Markdown] = Field(min_length=1)


DOCUMENT = DocumentType(
    name="letter",
    model=Letter,
    template="letter.md.j2",
    content_file="letter.yaml",
    scope="kommune",
    audience="outside-midt-norge",
    reads=FIGURES,
)
