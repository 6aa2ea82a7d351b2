"""The registry of document types.

Adding a document type is a model, a template and one line here. This module
stays free of heavy imports so the CLI can list documents and build its
sub-commands without loading pydantic or the models.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pydantic import BaseModel

Audience = Literal["outside-midt-norge", "collaboration", "all"]


@dataclass(frozen=True)
class DocumentType:
    name: str  # the CLI name and the output file's stem
    description: str
    content_file: str  # under content/
    model_path: str  # "module:Class", imported only when needed
    template: str  # under templates/
    scope: Literal["kommune", "program", "recipient"]
    audience: Audience
    needs: tuple[str, ...] = ()  # what each municipality's register entry must have for this document
    # Where program- and recipient-scoped outputs go, under the output directory.
    folder: str = "program"
    # "module:function" taking the rendering context and returning {file name: bytes}
    # of images the template embeds (charts); drawn per document, before conversion.
    assets: str | None = None
    # The document shows each municipality its own economics: the context gets
    # ``economics`` (economics.yaml in the document's language) and ``figures``.
    economics: bool = False

    def asset_maker(self) -> Callable[[dict[str, Any]], dict[str, bytes]] | None:
        if self.assets is None:
            return None
        module, _, func = self.assets.partition(":")
        return getattr(importlib.import_module(module), func)  # type: ignore[no-any-return]

    def model(self) -> type[BaseModel]:
        module, _, cls = self.model_path.partition(":")
        return getattr(importlib.import_module(module), cls)  # type: ignore[no-any-return]


REGISTRY: dict[str, DocumentType] = {
    d.name: d
    for d in [
        DocumentType(
            name="decision-basis",
            description="Beslutningsunderlag: the decision basis each municipality processes politically",
            content_file="decision-basis.yaml",
            model_path="fkj_cli.documents.decision_basis:DecisionBasis",
            template="decision-basis.md.j2",
            scope="kommune",
            audience="outside-midt-norge",
            assets="fkj_cli.charts:economics_assets",
            economics=True,
        ),
        DocumentType(
            name="agreement",
            description="Samarbeidsavtale: the collaboration agreement between KS and a collaboration municipality",
            content_file="agreement.yaml",
            model_path="fkj_cli.documents.agreement:Agreement",
            template="agreement.md.j2",
            scope="kommune",
            audience="collaboration",
            needs=("org_number",),
        ),
        DocumentType(
            name="mandate",
            description="Mandat: the proposed mandate for continuing the program after summer 2023",
            content_file="mandate.yaml",
            model_path="fkj_cli.documents.mandate:Mandate",
            template="mandate.md.j2",
            scope="program",
            audience="all",
        ),
        DocumentType(
            name="governance",
            description="Styringsdokument: the updated governance document (goals, bodies, milestones, funding, risks)",
            content_file="governance.yaml",
            model_path="fkj_cli.documents.governance:Governance",
            template="governance.md.j2",
            scope="program",
            audience="all",
            assets="fkj_cli.charts:governance_assets",
        ),
        DocumentType(
            name="memo",
            description="Notat/saksframlegg: a collaboration municipality's case memo on the collaboration agreement",
            content_file="memo.yaml",
            model_path="fkj_cli.documents.memo:Memo",
            template="memo.md.j2",
            scope="kommune",
            audience="collaboration",
            assets="fkj_cli.charts:economics_assets",
            economics=True,
        ),
        # The letters and the summary read one file, and so one model.
        DocumentType(
            name="hearing",
            description="Høringsbrev: the letter sending the updated governance document on hearing, per recipient",
            content_file="hearing.yaml",
            model_path="fkj_cli.documents.hearing:Hearing",
            template="hearing.md.j2",
            scope="recipient",
            audience="all",
            folder="hearing",
        ),
        DocumentType(
            name="hearing-summary",
            description="Høringsoppsummering: who answered the hearing, with counts and main points",
            content_file="hearing.yaml",
            model_path="fkj_cli.documents.hearing:Hearing",
            template="hearing-summary.md.j2",
            scope="program",
            audience="all",
            folder="hearing",
        ),
    ]
}
