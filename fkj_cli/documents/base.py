"""What the documents' content has in common."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from fkj_cli.content.types import Markdown, Slug, Strict


class Header(Strict):
    """Title, subject, issuing organisation and date.

    The date is the document's own: every output's timestamp is taken from it.
    """

    title: Markdown
    subject: Markdown
    issuer: Slug
    date: dt.date


class DocumentHeader(Header):
    """The header of a document that carries a version."""

    version: str = Field(min_length=1)


class Resolution(Strict):
    """A proposed resolution: a lead sentence and its numbered points."""

    # the section's heading where it is no «Forslag til vedtak» (what a grant recipient asks a ministry)
    heading: Markdown | None = None
    lead: Markdown
    points: list[Markdown] = Field(min_length=1)
