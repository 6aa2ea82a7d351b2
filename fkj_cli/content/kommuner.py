"""The municipalities the program addresses: ``content/kommuner.yaml``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from fkj_cli.content.types import Kommunenummer, OrgNumber, Slug, Strict

Malform = Literal["nb", "nn", "neutral"]
Role = Literal["collaboration", "dialogue", "other"]


class Kommune(Strict):
    number: Kommunenummer
    name: str = Field(min_length=1)
    county: str = Field(min_length=1)
    population: int = Field(ge=1)
    malform: Malform
    role: Role = "other"
    org_number: OrgNumber | None = None

    @property
    def county_number(self) -> str:
        return self.number[:2]

    @property
    def lang(self) -> Literal["nb", "nn"]:
        """The written language of fixed text: nynorsk only where the municipality chose it."""
        return "nn" if self.malform == "nn" else "nb"


class Register(Strict):
    population_date: dt.date
    population_source: str = Field(min_length=1)
    kommuner: dict[Slug, Kommune] = Field(min_length=1)

    def with_role(self, role: Role) -> list[Kommune]:
        """The municipalities with ``role``, in alphabetical order (Norwegian letters last)."""
        return sorted((k for k in self.kommuner.values() if k.role == role), key=lambda k: _sort_key(k.name))


_ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"


def _sort_key(name: str) -> list[int]:
    return [_ALPHABET.find(c) if c in _ALPHABET else ord(c) + 100 for c in name.casefold()]
