"""What every document's content starts with."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from fkj_cli.content.types import Markdown, Slug, Strict


class DocumentHeader(Strict):
    """Title, subject, issuing organisation, date and version: the document's metadata.

    The date is the document's own: every output's timestamp is taken from it.
    """

    title: Markdown
    subject: Markdown
    issuer: Slug
    date: dt.date
    version: str = Field(min_length=1)
