"""The updated governance document (styringsdokument): one for the program.

Goals, bodies, milestones and funding come from ``program.yaml``; this model
holds the document's own text, the hearing plan and the risk assessment.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from fkj_cli.charts import GOVERNANCE_CHARTS
from fkj_cli.content.types import Markdown, Strict
from fkj_cli.documents.base import DocumentHeader
from fkj_cli.documents.kind import DocumentType

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


DOCUMENT = DocumentType(
    name="governance",
    model=Governance,
    template="governance.md.j2",
    content_file="governance.yaml",
    scope="program",
    charts=GOVERNANCE_CHARTS,
)
