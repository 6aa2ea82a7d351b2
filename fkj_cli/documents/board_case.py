"""The board's case: the company's board approves the decision basis and what goes with it for sending.

Seed 000's milestone for November 2022: "Beslutningsunderlag er godkjent av
selskapsstyret og klart til utsending". The case lists the documents the
board approves (the municipalities' decision bases, the letter, the draft
saksframlegg, the decision bases for KS and for the national health
authorities) with their version, date and editions, and every one of their
DOCX and PDF files with its SHA-256 as built, in a checksum list written
beside the case (``sha256sum -c`` checks it in the output folder); the case
prints the list's own SHA-256. So what the board approved is exactly what
is sent, and a change to any of it builds the case anew.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from fkj_cli.content.types import TO_FILL, Markdown, Slug, Strict
from fkj_cli.documents.base import DocumentHeader, Resolution
from fkj_cli.documents.context import Context
from fkj_cli.documents.kind import DocumentType, Found
from fkj_cli.targets import CHECKSUMS

if TYPE_CHECKING:
    from fkj_cli.content.kommuner import Register
    from fkj_cli.content.load import Content
    from fkj_cli.content.program import Program
    from fkj_cli.participation import Figures
    from fkj_cli.targets import Target


class BoardSections(Strict):
    facts: Markdown  # Saksopplysninger
    documents: Markdown  # what the board is asked to approve; the table of documents follows it
    after: Markdown  # what happens once the board has approved


class BoardCase(DocumentHeader):
    status: Markdown
    case_number: Annotated[str | None, TO_FILL] = None  # the board's own number for the case
    meeting: Annotated[dt.date | None, TO_FILL] = None  # the board meeting that treats it
    resolution: Resolution
    sections: BoardSections
    # What each approved document type is called in the case, by its name (decision-basis: ...):
    # one for each type the case approves, no other.
    documents: dict[Slug, Markdown]


@dataclass(frozen=True)
class Edition:
    """One approved document type: what the case calls it, its version and date, for how many it is made
    and in which languages, and how many of the listed files are its."""

    name: str  # its document type; the case's ``documents`` says what it is called
    version: str
    date: dt.date
    targets: int
    languages: dict[str, int]  # language -> targets in it
    files: int


@dataclass(frozen=True)
class BoardContext(Context[BoardCase]):
    editions: list[Edition]
    checksums_file: str  # the checksum list's path under the output folder
    checksums_sha256: str  # of the list itself
    files: int  # the files the list names


def extra(content: Content, figures: Figures, target: Target) -> dict[str, Any]:
    """The approved documents as :class:`BoardContext` shows them, from the target's approved outputs."""
    del figures  # it shows none
    editions = []
    for name in target.doc.approves:
        approved = [a for a in target.approved if a.doc == name]
        made = {(a.whom, a.lang) for a in approved}
        header = content.document(name)
        editions.append(
            Edition(
                name=name,
                version=header.version,
                date=header.date,
                targets=len(made),
                languages=dict(Counter(lang for _, lang in sorted(made))),
                files=len(approved),
            )
        )
    return {
        "editions": editions,
        "checksums_file": f"{target.folder}/{target.stem}.{CHECKSUMS}",
        "checksums_sha256": hashlib.sha256(target.checksums()).hexdigest(),
        "files": len(target.approved),
    }


def check(doc: BoardCase, program: Program, register: Register) -> Found:
    """The case names each document it approves, and only those."""
    for name in DOCUMENT.approves:
        if name not in doc.documents:
            yield ("documents",), f"name the approved document {name!r} here (what the case calls it)"
    for name in doc.documents:
        if name not in DOCUMENT.approves:
            approved = ", ".join(DOCUMENT.approves)
            yield ("documents", name), f"the case approves {approved}; {name!r} is not one of them"


DOCUMENT = DocumentType(
    name="board-case",
    description="Styresak: the company's board approves the decision basis and its variants for sending",
    order=13,
    model=BoardCase,
    template="board-case.md.j2",
    content_file="board-case.yaml",
    scope="program",
    pages=(2, 6),
    check=check,
    approves=("decision-basis", "letter", "saksframlegg", "decision-basis-ks", "decision-basis-state"),
    context=BoardContext,
    extra=extra,
)
