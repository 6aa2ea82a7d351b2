"""The collaboration agreement (samarbeidsavtale) between KS and each collaboration municipality.

The eight agreements are identical in wording; only the parties differ.
"""

from __future__ import annotations

from pydantic import Field

from fkj_cli.content.types import Markdown, Strict
from fkj_cli.documents.base import DocumentHeader
from fkj_cli.documents.kind import DocumentType


class Signature(Strict):
    """Who signs for a party. What no source gives is left out, and the document leaves it to fill in."""

    place: str | None = Field(default=None, min_length=1)
    signatory: Markdown | None = None


class Agreement(DocumentHeader):
    background: Markdown
    purpose: list[Markdown] = Field(min_length=1)
    kommune_obligations: list[Markdown] = Field(min_length=1)
    # The sources give no text of the agreement beyond its purpose and the municipality's
    # obligations: where these are empty, the document leaves the section to fill in.
    ks_obligations: list[Markdown] = Field(default_factory=list)
    duration: Markdown
    disputes: Markdown | None = None
    ks_signature: Signature = Signature()
    kommune_signature: Signature = Signature()


DOCUMENT = DocumentType(
    name="agreement",
    description="Samarbeidsavtale: the collaboration agreement between KS and a collaboration municipality",
    order=40,
    model=Agreement,
    template="agreement.md.j2",
    content_file="agreement.yaml",
    scope="kommune",
    pages=(1, 4),
    audience="collaboration",
    needs=("org_number",),
    draft=True,  # the text to sign: the parties' places, dates and signatures are written in by hand
)
