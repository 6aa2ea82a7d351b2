"""The registry of document types: one line per type.

Each type lives in one module of this package, which declares everything
about it in a :class:`~fkj_cli.documents.kind.DocumentType`: its model and
template, the content files it reads, its cross-checks, whom it is made for,
and its charts. This module only names them, so the CLI can list documents
and build its sub-commands without importing pydantic or the models.
Adding a document type is that module, its template, and one line here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from fkj_cli.errors import FkjError

if TYPE_CHECKING:
    from fkj_cli.documents.kind import DocumentType


@dataclass(frozen=True)
class Entry:
    name: str  # the CLI name and the output file's stem
    where: str  # "module:ATTRIBUTE" of its DocumentType, imported only when needed
    description: str


REGISTRY: dict[str, Entry] = {
    e.name: e
    for e in [
        Entry(
            "decision-basis",
            "fkj_cli.documents.decision_basis:DOCUMENT",
            "Beslutningsunderlag: the decision basis each municipality processes politically",
        ),
        Entry(
            "letter",
            "fkj_cli.documents.letter:DOCUMENT",
            "Oversendelsesbrev: the cover letter to each municipality's mayor and chief executive",
        ),
        Entry(
            "saksframlegg",
            "fkj_cli.documents.saksframlegg:DOCUMENT",
            "Saksframlegg: the draft case presentation a municipality's administration can adopt",
        ),
        Entry(
            "agreement",
            "fkj_cli.documents.agreement:DOCUMENT",
            "Samarbeidsavtale: the collaboration agreement between KS and a collaboration municipality",
        ),
        Entry(
            "mandate",
            "fkj_cli.documents.mandate:DOCUMENT",
            "Mandat: the proposed mandate for continuing the program after summer 2023",
        ),
        Entry(
            "governance",
            "fkj_cli.documents.governance:DOCUMENT",
            "Styringsdokument: the updated governance document (goals, bodies, milestones, funding, risks)",
        ),
        Entry(
            "memo",
            "fkj_cli.documents.memo:DOCUMENT",
            "Notat/saksframlegg: a collaboration municipality's case memo on the collaboration agreement",
        ),
        Entry(
            "hearing",
            "fkj_cli.documents.hearing:LETTER",
            "Høringsbrev: the letter sending the updated governance document on hearing, per recipient",
        ),
        Entry(
            "hearing-summary",
            "fkj_cli.documents.hearing:SUMMARY",
            "Høringsoppsummering: who answered the hearing, with counts and main points",
        ),
    ]
}


@cache
def document_type(name: str) -> DocumentType:
    """The document type called ``name``; an unknown name is the user's error."""
    entry = REGISTRY.get(name)
    if entry is None:
        raise FkjError(f"unknown document {name!r}; fkj knows {', '.join(REGISTRY)}")
    module, _, attribute = entry.where.partition(":")
    doc: DocumentType = getattr(importlib.import_module(module), attribute)
    if doc.name != name:  # pragma: no cover - a registry line that points at the wrong type
        raise AssertionError(f"the registry's {name!r} points at {doc.name!r}")
    return doc


def document_types() -> list[DocumentType]:
    """Every document type, in the registry's order."""
    return [document_type(name) for name in REGISTRY]
