"""The proposed mandate (mandat) for continuing the program after summer 2023: one for the program.

The structure is the usual one for a mandate: background; purpose (need and
change); constraints and dependencies; experience so far; organisation and
responsibility; results, costs, time frame and resources.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from fkj_cli.content.types import TO_FILL, Markdown, Slug, Strict
from fkj_cli.documents.base import DocumentHeader
from fkj_cli.documents.kind import DocumentType


class Purpose(Strict):
    need: Markdown  # why the work is needed
    change: Markdown  # what is to be different when it is done


class Role(Strict):
    """One row of the table of roles: who, and what they answer for."""

    role: Markdown
    responsibility: Markdown


class Organisation(Strict):
    text: Markdown
    roles: list[Role] = Field(min_length=1)


class Delivery(Strict):
    """Results, costs, time frame and resources of the continued work."""

    results: list[Markdown] = Field(min_length=1)
    costs: Markdown
    time_frame: Markdown
    resources: Markdown


class Mandate(DocumentHeader):
    status: Markdown
    summary: Markdown
    background: Markdown
    # What the municipalities had decided by the mandate's date: no source gives it, and commitments.yaml
    # holds no decision of 2023; left to fill until it is known.
    decisions: Annotated[Markdown | None, TO_FILL] = None
    purpose: Purpose
    constraints: list[Markdown] = Field(min_length=1)
    dependencies: list[Markdown] = Field(min_length=1)
    experience: Markdown
    organisation: Organisation
    delivery: Delivery
    # Milestones (ids in program.yaml) shown in the time frame's table.
    milestones: list[Slug] = Field(min_length=1)


DOCUMENT = DocumentType(
    name="mandate",
    description="Mandat: the proposed mandate for continuing the program after summer 2023",
    order=50,
    model=Mandate,
    template="mandate.md.j2",
    content_file="mandate.yaml",
    scope="program",
    pages=(4, 10),
)
