"""The proposed mandate (mandat) for continuing the program after summer 2023: one for the program.

The structure is the usual one for a mandate: background; purpose (need and
change); constraints and dependencies; experience so far; organisation and
responsibility; results, costs, time frame and resources.

The mandate is FKJI's proposal: most of its texts are the proposal itself and
have no source. A text that restates what a source says is written as a
passage with its source (``{source: ..., text: ...}``), and the mandate lists
that source among its Kilder, as it lists those of the program's facts.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag

from fkj_cli.content.types import TO_FILL, Markdown, Passage, Slug, Strict
from fkj_cli.documents.base import DocumentHeader
from fkj_cli.documents.kind import DocumentType


def _prose_kind(value: Any) -> str:
    """A mapping with a ``text``, a ``source`` or ``assumption`` is a passage; anything else is a text (a string,
    or ``{nb, nn}``). Deciding first means an editor's slip is told against the form they wrote, not both."""
    if isinstance(value, Passage) or (isinstance(value, dict) and {"text", "source", "assumption"} & value.keys()):
        return "passage"
    return "text"


# A text of the proposal, or a passage that restates a source's facts and names it.
Prose = Annotated[Annotated[Markdown, Tag("text")] | Annotated[Passage, Tag("passage")], Discriminator(_prose_kind)]


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

    results: list[Prose] = Field(min_length=1)
    costs: Markdown
    time_frame: Markdown
    resources: Prose


class Mandate(DocumentHeader):
    status: Markdown
    summary: Markdown
    background: Prose
    # What the municipalities had decided by the mandate's date: no source gives it, and commitments.yaml
    # holds no decision of 2023; left to fill until it is known.
    decisions: Annotated[Markdown | None, TO_FILL] = None
    purpose: Purpose
    constraints: list[Prose] = Field(min_length=1)
    dependencies: list[Prose] = Field(min_length=1)
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
