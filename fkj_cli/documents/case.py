"""The archive's case data: what a municipality's Noark 5 archive gives a case, and its numbers.

Kept apart from the documents that print it (the draft saksframlegg, the
memo) because the archive package and the receipts read and write it too.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from fkj_cli.content.types import TO_FILL, TO_FILL_ARCHIVE, Strict


def _pattern(rx: str, what: str, example: str) -> BeforeValidator:
    def check(value: Any) -> Any:
        if not isinstance(value, str) or not re.fullmatch(rx, value):
            raise ValueError(f"{what}, like {example}; not {value!r}")
        return value

    return BeforeValidator(check)


# Noark 5 mappeID as municipal systems show it: saksår (two digits) / sakssekvensnummer.
Arkivsaksnr = Annotated[
    str, _pattern(r"[0-9]{2}/[0-9]{1,10}", "an arkivsaksnr is the case year in two digits / the case number", "20/8813")
]
# The journal entry's id in the same form: year / running number in the archive.
JournalpostId = Annotated[
    str,
    _pattern(r"[0-9]{2}/[0-9]{1,10}", "a journalpost_id is the year in two digits / the entry number", "21/188842"),
]
# A Noark 5 klasseID in the municipal key (KS-K): a two- or three-digit class,
# optionally after the ordningsprinsipp the archive system prefixes it with
# (N-151 in Bærum, FE-151 or K1-151 elsewhere).
Arkivkode = Annotated[
    str,
    _pattern(
        r"(?:[A-Z][A-Z0-9]{0,3}-)?\d{2,3}",
        "an arkivkode is a class of two or three digits, optionally after its ordningsprinsipp",
        "N-151, FE-151 or 151",
    ),
]


class Meeting(Strict):
    """A body the case goes to, and when it meets on it, once that is set."""

    name: str = Field(min_length=1)
    meeting: Annotated[dt.date | None, TO_FILL] = None


class Skjerming(Strict):
    """An access restriction the municipality's archive puts on the mailing's case and journal post."""

    tilgangsrestriksjon: str = Field(min_length=1)  # the archive's own code for the restriction
    skjermingshjemmel: str = Field(min_length=1)  # the legal ground, e.g. Offl. § 13, jf. fvl. § 13


# The archive part (arkivdel) a new case file goes to: the archive's own code for it (SAK, SAKARKIV).
Arkivdel = Annotated[str, Field(min_length=1, max_length=40)]


class Filing(Strict):
    """How `fkj package` files the mailing in an archive, where a case file is made for it: the archive part
    and class of the case file, the administrative unit it belongs to, and its saksbehandler. Each is to
    fill in where no source gives it; none is ever guessed."""

    arkivdel: Annotated[Arkivdel | None, TO_FILL_ARCHIVE] = None
    arkivkode: Annotated[Arkivkode | None, TO_FILL_ARCHIVE] = None
    enhet: Annotated[str | None, TO_FILL_ARCHIVE] = Field(default=None, min_length=1)  # administrativ enhet
    saksbehandler: Annotated[str | None, TO_FILL_ARCHIVE] = Field(default=None, min_length=1)


class Case(Strict):
    """What a municipality's archive gives its case; written here only where the program knows it.

    `fkj receipt import` records the case number and the mailing's journal post numbers from the
    archive's receipt; `fkj package` then files the mailing in that case instead of creating one.
    """

    saksbehandler: Annotated[str | None, TO_FILL] = None
    arkivkode: Annotated[Arkivkode | None, TO_FILL] = None
    arkivdel: Annotated[Arkivdel | None, TO_FILL_ARCHIVE] = None  # where a new case file for the mailing goes
    enhet: Annotated[str | None, TO_FILL_ARCHIVE] = Field(default=None, min_length=1)  # the unit that receives it
    arkivsaksnr: Annotated[Arkivsaksnr | None, TO_FILL] = None
    journalpost_id: JournalpostId | None = None  # the mailing's journal post: journal year / sequence number
    journalpostnr: int | None = Field(default=None, ge=1)  # its number within the case (22/1234-3)
    date: Annotated[dt.date | None, TO_FILL] = None
    bodies: list[Meeting] = Field(default_factory=list)  # the usual ones (see bodies_for) when empty
    skjerming: Skjerming | None = None  # none unless the municipality restricts access
