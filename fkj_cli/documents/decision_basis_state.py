"""The decision basis for the national health authorities: the ministry, with the directorate as grant
administrator."""

from __future__ import annotations

from fkj_cli.documents.kind import FIGURES, DocumentType
from fkj_cli.documents.sector import SectorBasis, SectorContext

DOCUMENT = DocumentType(
    name="decision-basis-state",
    description="Beslutningsunderlag for nasjonale helsemyndigheter: the state's view, for the ministry",
    order=12,
    model=SectorBasis,
    template="decision-basis-state.md.j2",
    content_file="decision-basis-state.yaml",
    scope="program",
    pages=(8, 20),
    reads=FIGURES,
    context=SectorContext,
)
