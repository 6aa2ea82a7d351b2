"""The draft saksframlegg: the case presentation a municipality's administration can adopt for its council.

One per municipality outside helseregion Midt-Norge, in its written language.
It proposes the decision basis's resolution, and shows the municipality its
own figures from the same computation, and what its commitment would do to
the coverage against the 55 % condition. The municipality's case metadata
(case officer, archive code, case number, the meetings) is the
municipality's: the draft leaves it blank unless content gives it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from fkj_cli import economics as calc
from fkj_cli.content.types import TO_FILL, Markdown, Slug, Strict
from fkj_cli.documents.base import DocumentHeader
from fkj_cli.documents.kind import FIGURES, DocumentType
from fkj_cli.documents.memo import Arkivkode, Arkivsaksnr, JournalpostId

if TYPE_CHECKING:
    from fkj_cli.content.kommuner import Kommune
    from fkj_cli.content.load import Content
    from fkj_cli.participation import Figures
    from fkj_cli.targets import Target


class Meeting(Strict):
    """A body the case goes to, and when it meets on it, once that is set."""

    name: str = Field(min_length=1)
    meeting: Annotated[dt.date | None, TO_FILL] = None


class Skjerming(Strict):
    """An access restriction the municipality's archive puts on the mailing's case and journal post."""

    tilgangsrestriksjon: str = Field(min_length=1)  # the archive's own code for the restriction
    skjermingshjemmel: str = Field(min_length=1)  # the legal ground, e.g. Offl. § 13, jf. fvl. § 13


class Case(Strict):
    """What a municipality's archive gives its case; written here only where the program knows it.

    `fkj receipt import` records the case number and the mailing's journal post numbers from the
    archive's receipt; `fkj package` then files the mailing in that case instead of creating one.
    """

    saksbehandler: Annotated[str | None, TO_FILL] = None
    arkivkode: Annotated[Arkivkode | None, TO_FILL] = None
    arkivsaksnr: Annotated[Arkivsaksnr | None, TO_FILL] = None
    journalpost_id: JournalpostId | None = None  # the mailing's journal post: journal year / sequence number
    journalpostnr: int | None = Field(default=None, ge=1)  # its number within the case (22/1234-3)
    date: Annotated[dt.date | None, TO_FILL] = None
    bodies: list[Meeting] = Field(default_factory=list)  # the usual ones (see bodies_for) when empty
    skjerming: Skjerming | None = None  # none unless the municipality restricts access


class Attachment(Strict):
    title: Markdown


class Saksframlegg(DocumentHeader):
    status: Markdown
    facts: Markdown  # Saksopplysninger
    assessment: Markdown  # Vurdering; the municipality's own figures follow it
    economics: Markdown  # Økonomiske konsekvenser
    attachments: list[Attachment] = Field(default_factory=list)
    cases: dict[Slug, Case] = Field(default_factory=dict)


def bodies_for(kommune: Kommune, case: Case | None) -> list[dict[str, Any]]:
    """The bodies the case goes to: the case's own, else formannskap and kommunestyre (bystyre where a
    city government rules), with the meeting dates open."""
    if case is not None and case.bodies:
        return [{"name": b.name, "meeting": b.meeting} for b in case.bodies]
    names = ["Bystyret"] if kommune.byrad else ["Formannskapet", "Kommunestyret"]
    return [{"name": name, "meeting": None} for name in names]


def extra(content: Content, figures: Figures, target: Target) -> dict[str, Any]:
    """The case's metadata, the bodies, and the coverage with the municipality's commitment added."""
    assert target.slug is not None and target.kommune is not None
    doc = content.document("saksframlegg", target.slug)
    case = doc.cases.get(target.slug)
    outlook = figures.outlook(target.slug)
    condition = outlook.condition
    already = outlook.decision.status == "forpliktelse"
    committed = condition.committed_population + (0 if already else target.kommune.population)
    return {
        "case": case,
        "bodies": bodies_for(target.kommune, case),
        "coverage_now": condition.coverage,
        "coverage_with": calc.coverage(committed, condition.total_population),
        "meets_with": committed >= condition.total_population * condition.threshold,
    }


DOCUMENT = DocumentType(
    name="saksframlegg",
    model=Saksframlegg,
    template="saksframlegg.md.j2",
    content_file="saksframlegg.yaml",
    scope="kommune",
    audience="outside-midt-norge",
    reads=(*FIGURES, "decision-basis.yaml"),
    uses=("decision-basis",),
    extra=extra,
)
