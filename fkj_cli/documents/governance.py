"""The updated governance document (styringsdokument): one for the program.

Goals, bodies, milestones and funding come from ``program.yaml``; this model
holds the document's own text, the background and need, the stakeholders and
the communication with them, the solution and implementation strategy, the
procurement strategy, the hearing plan (with the external quality assurance)
and the risk assessment.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from fkj_cli.charts import TIMELINE_WIDTH, Drawing, milestone_timeline
from fkj_cli.content.types import Markdown, Passage, Slug, Sourced, Strict  # noqa: F401 - Slug: Sourced.source resolves here
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


class Stakeholder(Sourced):
    """One party the work concerns: who, its role, and how it takes part."""

    who: Markdown
    role: Markdown
    involved: Markdown


class Stakeholders(Strict):
    """The stakeholders and the communication with them."""

    text: Markdown  # what leads the table
    parties: list[Stakeholder] = Field(min_length=1)
    communication: list[Passage] = Field(min_length=1)


class Frame(Strict):
    """What the work must keep within, and what it depends on, each from its source."""

    constraints: list[Passage] = Field(min_length=1)
    dependencies: list[Passage] = Field(min_length=1)


class Step(Sourced):
    """A step of the realisation: what is delivered, to whom, and when."""

    when: Markdown
    delivered: Markdown
    to: Markdown


class Strategy(Strict):
    """The solution and implementation strategy for stepwise realisation, as far as the sources go."""

    approach: Passage  # stepwise realisation, as the program's goal and the sources ask for it
    steps: list[Step] = Field(min_length=1)
    steps_note: Markdown  # what the table does not say, and where it is decided
    platform: Passage  # the platform approach and the ecosystem
    national: Passage  # the reuse of national e-health services
    cooperation: Passage  # the cooperation with Norsk helsenett and its conclusion
    relations: list[Passage] = Field(min_length=1)  # helhetlig samhandling, and Midt-Norge


class Procurement(Strict):
    """What the sources say of the procurement strategy, and what it is still to answer."""

    basis: Passage  # what the sources say of it
    open: list[Markdown] = Field(min_length=1)  # questions the strategy must answer (the program's assessment)


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
    background: list[Passage] = Field(min_length=1)  # the background and the need, each from its source
    stakeholders: Stakeholders
    frame: Frame
    strategy: Strategy
    procurement: Procurement
    hearing: Hearing
    risk: RiskAssessment


def draw_milestones(ctx: Context[Any]) -> Drawing:
    """The timeline of the program's milestones."""
    return milestone_timeline(ctx.program.milestones, ctx.lang)


CHARTS = (Chart("milestones", "milestones.png", draw_milestones, width=TIMELINE_WIDTH),)

DOCUMENT = DocumentType(
    name="governance",
    description="Styringsdokument: the updated governance document (background, goals, stakeholders, risks)",
    order=60,
    model=Governance,
    template="governance.md.j2",
    content_file="governance.yaml",
    scope="program",
    pages=(5, 20),
    charts=CHARTS,
)
