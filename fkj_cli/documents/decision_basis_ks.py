"""The decision basis for KS: the municipal sector as a whole, for KS's governing board."""

from __future__ import annotations

from fkj_cli.documents.kind import FIGURES, DocumentType
from fkj_cli.documents.sector import SectorBasis, SectorContext

DOCUMENT = DocumentType(
    name="decision-basis-ks",
    description="Beslutningsunderlag for KS: the municipal sector as a whole, for KS's hovedstyre",
    order=11,
    model=SectorBasis,
    template="decision-basis-ks.md.j2",
    content_file="decision-basis-ks.yaml",
    scope="program",
    pages=(8, 20),
    reads=FIGURES,
    context=SectorContext,
)
