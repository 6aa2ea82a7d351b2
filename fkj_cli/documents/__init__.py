"""The registry of document types.

Adding a document type is a model, a template and one line here. This module
stays free of heavy imports so the CLI can list documents and build its
sub-commands without loading pydantic or the models.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

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
    scope: Literal["kommune", "program"]
    audience: Audience
    needs: tuple[str, ...] = ()  # what each municipality's register entry must have for this document

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
    ]
}
