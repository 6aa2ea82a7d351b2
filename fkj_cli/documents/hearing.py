"""The hearing of the updated governance document: a letter to each recipient, and the summary.

Both document types read ``content/hearing.yaml``: the summary reports on the
recipients the letters went to, so the list is written once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import Field, model_validator

from fkj_cli.content.types import Markdown, Slug, Strict


class Recipient(Strict):
    name: str = Field(min_length=1)
    address: list[str] = Field(default_factory=list)  # postal address lines, where a source gives them
    # An organisation in program.yaml or a kommune in kommuner.yaml, when the recipient is one.
    organisation: Slug | None = None


class Signature(Strict):
    organisation: Slug
    signatory: Markdown  # the role that signs


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


class Hearing(Strict):
    title: Markdown
    subject: Markdown
    issuer: Slug
    date: dt.date  # of the letter
    deadline: dt.date
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
            late=sum(1 for r in answered if r.received > self.deadline),
        )

    def is_late(self, response: Response) -> bool:
        return response.received > self.deadline

    @property
    def summary_date(self) -> dt.date:
        return self.summary.date or self.date
