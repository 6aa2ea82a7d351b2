"""The decision basis (beslutningsunderlag): one per municipality outside Midt-Norge."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from fkj_cli.charts import ECONOMICS_CHARTS
from fkj_cli.content.types import Markdown, Slug, Strict
from fkj_cli.documents.base import DocumentHeader, Resolution
from fkj_cli.documents.kind import FIGURES, DocumentType


class Sections(Strict):
    """The document's own text, in reading order; headings come from the language catalogue."""

    background: Markdown
    history: Markdown
    options: Markdown
    economics: Markdown
    milestones: Markdown
    assessment: Markdown


class Attachment(Strict):
    title: Markdown
    date: dt.date | None = None


class DecisionBasis(DocumentHeader):
    status: Markdown
    summary: Markdown
    resolution: Resolution
    sections: Sections
    milestones: list[Slug] = Field(min_length=1)
    attachments: list[Attachment] = Field(default_factory=list)


DOCUMENT = DocumentType(
    name="decision-basis",
    model=DecisionBasis,
    template="decision-basis.md.j2",
    content_file="decision-basis.yaml",
    scope="kommune",
    audience="outside-midt-norge",
    reads=FIGURES,
    charts=ECONOMICS_CHARTS,
)
