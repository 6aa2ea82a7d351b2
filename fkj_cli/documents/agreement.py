"""The collaboration agreement (samarbeidsavtale) between KS and each collaboration municipality.

The eight agreements are identical in wording; only the parties differ.
"""

from __future__ import annotations

from pydantic import Field

from fkj_cli.content.types import Markdown, Strict
from fkj_cli.documents.base import DocumentHeader
from fkj_cli.documents.kind import DocumentType


class Signature(Strict):
    place: str = Field(min_length=1)
    signatory: Markdown


class Agreement(DocumentHeader):
    background: Markdown
    purpose: list[Markdown] = Field(min_length=1)
    kommune_obligations: list[Markdown] = Field(min_length=1)
    ks_obligations: list[Markdown] = Field(min_length=1)
    duration: Markdown
    disputes: Markdown
    ks_signature: Signature
    kommune_signature: Signature


DOCUMENT = DocumentType(
    name="agreement",
    model=Agreement,
    template="agreement.md.j2",
    content_file="agreement.yaml",
    scope="kommune",
    audience="collaboration",
    needs=("org_number",),
)
