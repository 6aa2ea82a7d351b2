"""The hearing of the updated governance document: a letter to each recipient, and the summary.

Both document types read ``content/hearing.yaml``: the summary reports on the
recipients the letters went to, so the list is written once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, model_validator

from fkj_cli.content.checks import month_text, unknown_ref
from fkj_cli.content.errors import suggest
from fkj_cli.content.types import TO_FILL, Markdown, Name, Slug, Strict
from fkj_cli.documents import document_types
from fkj_cli.documents.base import Header
from fkj_cli.documents.kind import DocumentType, Found

if TYPE_CHECKING:
    from fkj_cli.content.kommuner import Register
    from fkj_cli.content.program import Program


class Recipient(Strict):
    name: Name
    address: list[str] = Field(default_factory=list)  # postal address lines, where a source gives them
    # An organisation in program.yaml or a kommune in kommuner.yaml, when the recipient is one.
    organisation: Slug | None = None
    # A group of organisations reached through one of them (its representative in a body): the letter's
    # head leaves the organisation that receives it to fill.
    group: bool = False


class Signature(Strict):
    organisation: Slug
    signatory: Markdown  # the role that signs
    name: Annotated[Name | None, TO_FILL] = None  # who signs: no source names the person
    contact: Annotated[Name | None, TO_FILL] = None  # who answers questions about the hearing, and how


class Letter(Strict):
    what: Markdown  # what is sent on hearing, and why
    topics: list[Markdown] = Field(min_length=1)  # what the recipients are asked to comment on
    how_to_answer: Markdown
    next_steps: Markdown
    attachments: list[Markdown] = Field(min_length=1)


class Response(Strict):
    """A response as received: when, and its main points (or that it has no comments)."""

    received: dt.date
    no_comments: bool = False
    points: list[Markdown] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_content(self) -> Response:
        if not self.no_comments and not self.points:
            raise ValueError("list the response's main points, or set no_comments: true")
        return self


class Summary(Strict):
    date: dt.date | None = None  # the status date; the letter's date until responses are recorded
    intro: Markdown
    next_steps: Markdown


@dataclass(frozen=True)
class Counts:
    recipients: int
    answered: int
    no_comments: int
    late: int

    @property
    def unanswered(self) -> int:
        return self.recipients - self.answered


class Hearing(Header):
    # The header's date is the draft's. No source gives the day the letter is sent or the deadline: until
    # they are set, the letter is a draft with a blank for each, and no response counts as late.
    sent: Annotated[dt.date | None, TO_FILL] = None
    deadline: Annotated[dt.date | None, TO_FILL] = None
    our_ref: Annotated[str | None, TO_FILL] = None  # Vår ref.: the sender's case number
    milestone: Slug  # the program milestone by which the hearing is to be done
    status: Markdown
    letter: Letter
    signature: Signature
    recipients: dict[Slug, Recipient] = Field(min_length=1)
    responses: dict[Slug, Response] = Field(default_factory=dict)  # by recipient
    summary: Summary

    def counts(self) -> Counts:
        answered = [self.responses[r] for r in self.recipients if r in self.responses]
        return Counts(
            recipients=len(self.recipients),
            answered=len(answered),
            no_comments=sum(1 for r in answered if r.no_comments),
            late=sum(1 for r in answered if self.is_late(r)),
        )

    def is_late(self, response: Response) -> bool:
        return self.deadline is not None and response.received > self.deadline

    @property
    def closed(self) -> bool:
        """Whether the deadline has passed on the summary's date (never while it is not set)."""
        day = self.summary_date
        return self.deadline is not None and day is not None and day > self.deadline

    @property
    def summary_date(self) -> dt.date | None:
        """The status date: the summary's own, else the latest response's, else the day the letter was sent;
        None (a blank) while the letter is a draft and nothing is recorded."""
        if self.summary.date is not None:
            return self.summary.date
        days = [r.received for r in self.responses.values()] + ([self.sent] if self.sent else [])
        return max(days, default=None)


def check_hearing(hearing: Hearing, program: Program, register: Register) -> Found:
    """References resolve, the dates are in order, and no letter takes another document's file name."""
    orgs = program.organisations
    if msg := unknown_ref(hearing.signature.organisation, orgs, "organisation"):
        yield ("signature", "organisation"), msg
    parties = {**orgs, **register.kommuner}
    for slug, recipient in hearing.recipients.items():
        if recipient.organisation and (msg := unknown_ref(recipient.organisation, parties, "organisation or kommune")):
            yield ("recipients", slug, "organisation"), msg
        yield from _check_letter_name(slug)
    if hearing.sent is not None and hearing.sent < hearing.date:
        yield ("sent",), f"the letter is sent ({hearing.sent.isoformat()}) before its draft's date ({hearing.date})"
    sent = hearing.sent or hearing.date
    if hearing.deadline is not None and hearing.deadline <= sent:
        what = "the day the letter is sent" if hearing.sent is not None else "the letter's date"
        yield (
            ("deadline",),
            f"the deadline ({hearing.deadline.isoformat()}) must come after {what} ({sent.isoformat()})",
        )
    milestones = {m.id: m for m in program.milestones}
    if msg := unknown_ref(hearing.milestone, milestones, "milestone"):
        yield ("milestone",), msg
    elif hearing.deadline is not None and hearing.deadline > (done := milestones[hearing.milestone].date).last_day:
        yield (
            ("deadline",),
            f"the deadline ({hearing.deadline.isoformat()}) is after the milestone {hearing.milestone!r} "
            f"({month_text(done)}) by which the hearing is to be done",
        )
    for slug, response in hearing.responses.items():
        if slug not in hearing.recipients:
            yield ("responses", slug), f"unknown recipient {slug!r}" + suggest(slug, hearing.recipients)
        if response.received < sent:
            when = "was sent" if hearing.sent is not None else "was drafted"
            yield (
                ("responses", slug, "received"),
                f"received ({response.received.isoformat()}) before the letter {when} ({sent.isoformat()})",
            )
    status = hearing.summary.date
    if status is not None:
        latest = max((r.received for r in hearing.responses.values()), default=hearing.date)
        if status < latest:
            yield (
                ("summary", "date"),
                f"the summary's date ({status.isoformat()}) is before the latest response or the letter "
                f"({latest.isoformat()})",
            )


def _check_letter_name(slug: str) -> Found:
    """A letter is ``hearing-<recipient>`` in its folder: it must not take another document's file."""
    stem = f"{LETTER.name}-{slug}"
    for other in document_types():
        if other.name == stem and other.scope == "program" and other.folder == LETTER.folder:
            yield (
                ("recipients", slug),
                f"the letter to {slug!r} would be {LETTER.folder}/{stem}.*, the file of {stem}; choose another slug",
            )


# The letters and the summary read one file: the summary reports on the recipients the letters went to.
LETTER = DocumentType(
    name="hearing",
    description="Høringsbrev: the letter sending the updated governance document on hearing, per recipient",
    order=80,
    model=Hearing,
    template="hearing.md.j2",
    content_file="hearing.yaml",
    scope="recipient",
    pages=(1, 3),
    folder="hearing",
    check=check_hearing,
)
SUMMARY = DocumentType(
    name="hearing-summary",
    description="Høringsoppsummering: who answered the hearing, with counts and main points",
    order=90,
    model=Hearing,
    template="hearing-summary.md.j2",
    content_file="hearing.yaml",
    scope="program",
    pages=(1, 4),
    folder="hearing",
)
