"""The draft saksframlegg: the case presentation a municipality's administration can adopt for its council.

One per municipality outside helseregion Midt-Norge, in its written language.
It proposes the decision basis's resolution, and shows the municipality its
own figures from the same computation, and what its commitment would do to
the coverage against the 55 % condition. The municipality's case metadata
(case officer, archive code, case number, the meetings) is the
municipality's: the draft leaves it blank unless content gives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import Field

from fkj_cli import economics as calc
from fkj_cli.content.types import Markdown, Slug, Strict
from fkj_cli.documents.base import DocumentHeader
from fkj_cli.documents.case import Case, Filing
from fkj_cli.documents.context import FiguresContext
from fkj_cli.documents.kind import FIGURES, DocumentType
from fkj_cli.documents.memo import Case as MemoCase

if TYPE_CHECKING:
    from fkj_cli.content.kommuner import Kommune
    from fkj_cli.content.load import Content
    from fkj_cli.documents.decision_basis import DecisionBasis
    from fkj_cli.participation import Figures
    from fkj_cli.targets import Target


class Attachment(Strict):
    title: Markdown


class Saksframlegg(DocumentHeader):
    status: Markdown
    facts: Markdown  # Saksopplysninger
    assessment: Markdown  # Vurdering; the municipality's own figures follow it
    economics: Markdown  # Økonomiske konsekvenser
    conclusion: Markdown  # Konklusjon: what the administration recommends, a blank for it to fill
    attachments: list[Attachment] = Field(default_factory=list)
    # How `fkj package` files the mailing in each municipality's archive where cases.<kommune> does not say.
    filing: Filing = Field(default_factory=Filing)
    cases: dict[Slug, Case] = Field(default_factory=dict)


@dataclass(frozen=True)
class SaksframleggContext(FiguresContext["Saksframlegg"]):
    """It proposes the decision basis's resolution, and shows the case's metadata and what the
    municipality's commitment would do to the coverage."""

    decision_basis: DecisionBasis  # for the same municipality, texts rendered
    case: Case | None
    bodies: list[dict[str, Any]]
    coverage_now: Decimal
    coverage_with: Decimal
    meets_with: bool
    earlier_case: MemoCase | None  # a collaboration municipality's memo on its agreement, where its archive has it


def bodies_for(kommune: Kommune, case: Case | None) -> list[dict[str, Any]]:
    """The bodies the case goes to: the case's own, else formannskap and kommunestyre (bystyre where a
    city government rules), with the meeting dates open."""
    if case is not None and case.bodies:
        return [{"name": b.name, "meeting": b.meeting} for b in case.bodies]
    names = ["Bystyret"] if kommune.byrad else ["Formannskapet", "Kommunestyret"]
    return [{"name": name, "meeting": None} for name in names]


def extra(content: Content, figures: Figures, target: Target) -> dict[str, Any]:
    """The fields :class:`SaksframleggContext` adds but the one it shows (decision_basis): the case's
    metadata, the bodies, and the coverage with the municipality's commitment added."""
    assert target.slug is not None and target.kommune is not None
    doc = content.document("saksframlegg", target.slug)
    case = doc.cases.get(target.slug)
    outlook = figures.outlook(target.slug)
    condition = outlook.condition
    already = outlook.decision.status == "forpliktelse"
    committed = condition.committed_population + (0 if already else outlook.population)  # of the document's date
    return {
        "case": case,
        "earlier_case": earlier_case(content, target.slug),
        "bodies": bodies_for(target.kommune, case),
        "coverage_now": condition.coverage,
        "coverage_with": calc.coverage(committed, condition.total_population),
        "meets_with": committed >= condition.total_population * condition.threshold,
    }


def earlier_case(content: Content, slug: str) -> MemoCase | None:
    """The municipality's earlier case on its collaboration agreement (its memo of 2021, in memo.yaml),
    when its archive's number and date are known: a document of the case the saksframlegg refers to."""
    memo = content.documents.get("memo")
    case = memo.cases.get(slug) if memo is not None else None
    return case if isinstance(case, MemoCase) and case.arkivsaksnr and case.date else None


DOCUMENT = DocumentType(
    name="saksframlegg",
    description="Saksframlegg: the draft case presentation a municipality's administration can adopt",
    order=30,
    model=Saksframlegg,
    template="saksframlegg.md.j2",
    content_file="saksframlegg.yaml",
    scope="kommune",
    pages=(2, 5),
    audience="outside-midt-norge",
    reads=(*FIGURES, "decision-basis.yaml", "memo.yaml"),
    uses=("decision-basis",),
    extra=extra,
    context=SaksframleggContext,
    draft=True,  # the administration's to edit and adopt
)
