"""The updated governance document (styringsdokument): one for the program.

Goals, bodies, milestones and funding come from ``program.yaml``; this model
holds the document's own text, the hearing plan and the risk assessment.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from fkj_cli.charts import TIMELINE_WIDTH, Drawing, milestone_timeline
from fkj_cli.content.types import Markdown, Strict
from fkj_cli.documents.base import DocumentHeader
from fkj_cli.documents.context import Context
from fkj_cli.documents.kind import Chart, DocumentType

Level = Literal["low", "medium", "high"]


class Sections(Strict):
    """The text that leads each part, in reading order; headings come from the language catalogue."""

    introduction: Markdown
    goals: Markdown
    organisation: Markdown
    milestones: Markdown
    funding: Markdown


class HearingStep(Strict):
    when: Markdown
    step: Markdown
    responsible: Markdown


class Hearing(Strict):
    text: Markdown
    steps: list[HearingStep] = Field(min_length=1)


class Risk(Strict):
    """One risk as the program assesses it."""

    risk: Markdown
    probability: Level
    consequence: Level
    mitigation: Markdown


class RiskAssessment(Strict):
    text: Markdown
    risks: list[Risk] = Field(min_length=1)


class Governance(DocumentHeader):
    status: Markdown
    sections: Sections
    hearing: Hearing
    risk: RiskAssessment


def draw_milestones(ctx: Context[Any]) -> Drawing:
    """The timeline of the program's milestones."""
    return milestone_timeline(ctx.program.milestones, ctx.lang)


CHARTS = (Chart("milestones", "milestones.png", draw_milestones, width=TIMELINE_WIDTH),)

DOCUMENT = DocumentType(
    name="governance",
    description="Styringsdokument: the updated governance document (goals, bodies, milestones, funding, risks)",
    order=60,
    model=Governance,
    template="governance.md.j2",
    content_file="governance.yaml",
    scope="program",
    pages=(5, 20),
    charts=CHARTS,
)
