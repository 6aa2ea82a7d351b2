"""What the decision bases for the sector as a whole share: KS's and the national health authorities'.

Both show the same computation as every municipality's decision basis,
summed for the municipalities outside Midt-Norge (:class:`fkj_cli.participation.Sector`),
and end with the same appendix: every municipality in scope with its
population on the document's date, its status and its cost under each price
model in one scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from fkj_cli.content.types import Markdown, Slug, Sourced, Strict
from fkj_cli.documents.base import DocumentHeader, Resolution
from fkj_cli.documents.context import Context

if TYPE_CHECKING:
    from fkj_cli.content.economics import Economics
    from fkj_cli.participation import Sector

Level = Literal["low", "medium", "high"]


class Point(Sourced):
    """A statement from a source, or the program's assessment (``assumption: true``), which the document
    says where it prints it."""

    text: Markdown


class SectorRisk(Sourced):
    """A risk for the reader's side: from a source, or the program's assessment."""

    risk: Markdown
    probability: Level
    consequence: Level
    mitigation: Markdown


class SectorSections(Strict):
    background: Markdown
    choice: Markdown  # the choice the reader is asked to make
    economics: Markdown
    condition: Markdown


class SectorBasis(DocumentHeader):
    """A decision basis for the sector as a whole: its reader, the choice, the figures, the risks, and a
    proposed resolution."""

    status: Markdown
    recipient: Markdown  # who decides, and through whom the case goes
    summary: Markdown
    resolution: Resolution
    sections: SectorSections
    points: list[Point] = Field(min_length=1)  # the reader's roles (KS) or what the state has done (state)
    risks: list[SectorRisk] = Field(min_length=1)
    # The scenario whose costs the appendix lists for every municipality (an id in economics.yaml).
    appendix_scenario: Slug


@dataclass(frozen=True)
class SectorContext(Context[SectorBasis]):
    """A document for the sector as a whole: the sums of every municipality's figures."""

    sector: Sector
    economics: Economics  # its labels in the document's language
