"""The municipalities the program addresses: ``content/kommuner.yaml``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from fkj_cli.content.types import Kommunenummer, OrgNumber, Slug, Strict

Malform = Literal["nb", "nn", "neutral"]
Role = Literal["collaboration", "dialogue", "other"]


class Earlier(Strict):
    """The municipality's number, county (and name, where it differed) in an earlier structure."""

    until: dt.date  # the last day the structure was in force
    number: Kommunenummer
    county: str = Field(min_length=1)
    name: str | None = None


class Kommune(Strict):
    """A municipality as the latest structure has it; ``earlier`` gives what differed before."""

    number: Kommunenummer
    name: str = Field(min_length=1)
    county: str = Field(min_length=1)
    population: int = Field(ge=1)
    malform: Malform
    role: Role = "other"
    # governed by a byråd (parliamentary rule): the city government, not a kommunedirektør, presents a case,
    # and the city council (bystyret) decides it
    byrad: bool = False
    org_number: OrgNumber | None = None
    established: dt.date | None = None  # where it came into being within the register's span (Haram, 2024)
    earlier: list[Earlier] = Field(default_factory=list)

    def on(self, day: dt.date) -> Kommune | None:
        """The municipality as it was on ``day``: the number, county and name valid then; None before it existed."""
        if self.established is not None and day < self.established:
            return None
        for before in sorted(self.earlier, key=lambda e: e.until):
            if day <= before.until:
                changed = {"number": before.number, "county": before.county, "name": before.name or self.name}
                return self.model_copy(update=changed)
        return self

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
    # Where the numbers, names, counties, populations and organisation numbers come from: ids of
    # program.yaml's sources, listed by a document that prints any of them.
    sources: list[Slug] = Field(default_factory=list)
    kommuner: dict[Slug, Kommune] = Field(min_length=1)

    def on(self, day: dt.date) -> Register:
        """The register as it was on ``day``: each municipality's number, county and name valid then.

        Populations stay the latest the register has (``population_date``).
        """
        kommuner = {slug: k.on(day) for slug, k in self.kommuner.items()}
        return self.model_copy(update={"kommuner": {s: k for s, k in kommuner.items() if k is not None}})

    def with_role(self, role: Role) -> list[Kommune]:
        """The municipalities with ``role``, in alphabetical order (Norwegian letters last)."""
        return sorted((k for k in self.kommuner.values() if k.role == role), key=lambda k: _sort_key(k.name))


_ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"


def _sort_key(name: str) -> list[int]:
    return [_ALPHABET.find(c) if c in _ALPHABET else ord(c) + 100 for c in name.casefold()]
