"""The case memo (notat, saksframlegg or byrådssak) on the collaboration agreement.

One text for the eight collaboration municipalities, and each one's case
metadata: the numbers its archive gave the case, and the bodies it goes to.
A memo is made only for a municipality whose case is recorded, since those
numbers cannot be written before its archive has registered the case.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from fkj_cli.content.errors import suggest
from fkj_cli.content.types import TO_FILL, Markdown, Slug, Strict
from fkj_cli.documents.base import DocumentHeader, Resolution
from fkj_cli.documents.case import Arkivkode, Arkivsaksnr, JournalpostId
from fkj_cli.documents.kind import DocumentType, Found

if TYPE_CHECKING:
    from fkj_cli.content.kommuner import Register
    from fkj_cli.content.program import Program


# How the case reaches the political bodies: a memo for their information
# (Bærum's of 2021), a case with the administration's proposal, or a case from
# the city government where the municipality has parliamentary rule (Bergen).
CaseKind = Literal["notat", "saksframlegg", "byradssak"]


class Body(Strict):
    """A political body the case goes to, and when it meets on it, once that is set."""

    name: str = Field(min_length=1)
    meeting: Annotated[dt.date | None, TO_FILL] = None


class Case(Strict):
    """A municipality's case as its archive registers it. What the program cannot know (the archive's
    numbers, the date, who handles it) is left empty until the municipality has it: a blank to fill in."""

    kind: CaseKind
    arkivkode: Annotated[Arkivkode | None, TO_FILL] = None
    arkivsaksnr: Annotated[Arkivsaksnr | None, TO_FILL] = None
    journalpost_id: Annotated[JournalpostId | None, TO_FILL] = None
    date: Annotated[dt.date | None, TO_FILL] = None
    # Case metadata is written as the municipality's archive has it, in its own
    # written language, so these are plain text rather than nb/nn pairs.
    saksbehandler: Annotated[str | None, TO_FILL] = Field(default=None, min_length=1)
    sender: Annotated[str | None, TO_FILL] = Field(alias="from", min_length=1)  # who brings the case
    bodies: list[Body] = Field(min_length=1)


class Attachment(Strict):
    title: Markdown


class Memo(DocumentHeader):
    # The header's date is the shared text's; each case carries its own.
    facts: Markdown
    purpose: list[Markdown] = Field(min_length=1)  # the agreement's purpose
    obligations: list[Markdown] = Field(min_length=1)  # what the municipality undertakes
    attachments: list[Attachment] = Field(default_factory=list)
    # What a memo of the program's own may add; printed only where given, and marked as the program's.
    summary: Markdown | None = None
    resolution: Resolution | None = None
    assessment: Markdown | None = None
    economics: Markdown | None = None
    cases: dict[Slug, Case] = Field(default_factory=dict)


def missing_case(memo: Memo, slug: str) -> str | None:
    """What the memo's content lacks for a memo to ``slug``, or None."""
    if slug in memo.cases:
        return None
    keys = [field.alias or name for name, field in Case.model_fields.items() if field.is_required()]
    return f"its case: add cases.{slug} ({', '.join(keys)})"


def check_cases(memo: Memo, program: Program, register: Register) -> Found:
    """Each case is a collaboration municipality's, and its bodies meet after the case's date."""
    for slug, case in memo.cases.items():
        kommune = register.kommuner.get(slug)
        if kommune is None:
            yield ("cases", slug), f"unknown kommune {slug!r}" + suggest(slug, register.kommuner)
        elif kommune.role != "collaboration":
            yield ("cases", slug), f"the memo is only for the collaboration municipalities; {kommune.name} is not one"
        for i, body in enumerate(case.bodies):
            if body.meeting is not None and case.date is not None and body.meeting < case.date:
                yield (
                    ("cases", slug, "bodies", i, "meeting"),
                    f"the meeting ({body.meeting.isoformat()}) is before the case's date ({case.date.isoformat()})",
                )


DOCUMENT = DocumentType(
    name="memo",
    description="Notat/saksframlegg: a collaboration municipality's case memo on the collaboration agreement",
    order=70,
    model=Memo,
    template="memo.md.j2",
    content_file="memo.yaml",
    scope="kommune",
    pages=(1, 4),
    audience="collaboration",
    check=check_cases,
    missing=missing_case,
)
