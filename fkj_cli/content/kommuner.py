"""The municipalities the program addresses: ``content/kommuner.yaml``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PrivateAttr

from fkj_cli.content.types import Kommunenummer, OrgNumber, Slug, Sourced, Strict

Malform = Literal["nb", "nn", "neutral"]


def _day(value: object) -> object:
    """A mapping's key that is a date: YAML gives it as text."""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"must be a date written like 2022-01-01, not {value!r}") from None
    return value


# The date a population was counted, as a key of ``population``.
Counted = Annotated[dt.date, BeforeValidator(_day)]
Role = Literal["collaboration", "dialogue", "other"]


class Earlier(Strict):
    """The municipality's number, county (and name, where it differed) in an earlier structure."""

    until: dt.date  # the last day the structure was in force
    number: Kommunenummer
    county: str = Field(min_length=1)
    name: str | None = None


class EarlierRole(Sourced):
    """The municipality's role in the program until a date, as a source of that time gives it."""

    role: Role
    until: dt.date  # the last day it is known to have had it: a document of a later date has the next one


class Kommune(Strict):
    """A municipality as the latest structure has it; ``earlier`` gives what differed before.

    Its populations are by the 1 January they were counted (``population: {2022-01-01: 286930, ...}``):
    a document shows the latest on or before its date (:meth:`on`).
    """

    number: Kommunenummer
    name: str = Field(min_length=1)
    county: str = Field(min_length=1)
    populations: dict[Counted, Annotated[int, Field(ge=1)]] = Field(alias="population", min_length=1)
    malform: Malform
    role: Role = "other"
    # governed by a byråd (parliamentary rule): the city government, not a kommunedirektør, presents a case,
    # and the city council (bystyret) decides it
    byrad: bool = False
    org_number: OrgNumber | None = None
    established: dt.date | None = None  # where it came into being within the register's span (Haram, 2024)
    earlier: list[Earlier] = Field(default_factory=list)
    earlier_roles: list[EarlierRole] = Field(default_factory=list)  # Oslo: a collaboration municipality in 2021

    @property
    def population(self) -> int:
        """Its population on :attr:`population_date`."""
        return self.populations[self.population_date]

    @property
    def population_date(self) -> dt.date:
        """The latest date its population was counted (of a municipality :meth:`on` a day: on or before it)."""
        return max(self.populations)

    def on(self, day: dt.date) -> Kommune | None:
        """The municipality as it was on ``day``: the number, county and name valid then, and its population
        counted last on or before ``day`` (its earliest, where none was counted by then); None before it
        existed."""
        if self.established is not None and day < self.established:
            return None
        counted = [d for d in self.populations if d <= day] or [min(self.populations)]
        changed: dict[str, object] = {}
        if len(self.populations) > 1 or max(counted) != self.population_date:
            changed["populations"] = {max(counted): self.populations[max(counted)]}
        for before in sorted(self.earlier, key=lambda e: e.until):
            if day <= before.until:
                changed |= {"number": before.number, "county": before.county, "name": before.name or self.name}
                break
        for earlier_role in sorted(self.earlier_roles, key=lambda r: r.until):
            if day <= earlier_role.until:
                changed["role"] = earlier_role.role
                break
        return self.model_copy(update=changed) if changed else self

    @property
    def county_number(self) -> str:
        return self.number[:2]

    @property
    def lang(self) -> Literal["nb", "nn"]:
        """The written language of fixed text: nynorsk only where the municipality chose it."""
        return "nn" if self.malform == "nn" else "nb"


class Register(Strict):
    # Where the numbers, names, counties, populations and organisation numbers valid from a date on come
    # from (until the next date): ids of program.yaml's sources, listed by a document of that time that
    # prints any of them.
    sources: dict[Counted, list[Slug]] = Field(default_factory=dict)
    # of those, the sources of the populations alone: listed by a document that prints a population, not
    # by one that prints only names and numbers
    population_only: list[Slug] = Field(default_factory=list)
    kommuner: dict[Slug, Kommune] = Field(min_length=1)
    _dated: dict[dt.date, Register] = PrivateAttr(default_factory=dict)  # what on() gave, by day: its own

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Register:
        """A copy, with a cache of :meth:`on` of its own (pydantic's would share this one's)."""
        copy = super().model_copy(update=update, deep=deep)
        copy._dated = {}
        return copy

    @property
    def population_dates(self) -> list[dt.date]:
        """The dates the register counts populations on, earliest first."""
        return sorted({d for k in self.kommuner.values() for d in k.populations})

    @property
    def population_date(self) -> dt.date:
        """The date of the populations it gives (of a register :meth:`on` a day: the latest on or before it)."""
        return self.population_dates[-1]

    @property
    def shared_names(self) -> set[str]:
        """The names more than one municipality has (Våler in Innlandet and in Østfold): a list of them gives
        such a name with the county, so that no two rows read alike (see :meth:`label`)."""
        names = Counter(k.name for k in self.kommuner.values())
        return {name for name, n in names.items() if n > 1}

    def label(self, slug: Slug) -> str:
        """A municipality's name in a list of them: with its county where another has the same name."""
        kommune = self.kommuner[slug]
        return f"{kommune.name} ({kommune.county})" if kommune.name in self.shared_names else kommune.name

    @property
    def cited(self) -> list[Slug]:
        """The sources of its facts (:attr:`sources`, of the latest date it has them from)."""
        return self.sources[max(self.sources)] if self.sources else []

    def cited_for(self, *, population: bool) -> list[Slug]:
        """The sources of a population it gives (``population``), or of a name, number or county."""
        return self.cited if population else [s for s in self.cited if s not in self.population_only]

    def on(self, day: dt.date) -> Register:
        """The register as it was on ``day``: each municipality's number, county and name valid then, its
        population counted last on or before ``day``, and the sources of those."""
        if day in self._dated:
            return self._dated[day]
        kommuner = {slug: k.on(day) for slug, k in self.kommuner.items()}
        since = [d for d in self.sources if d <= day] or sorted(self.sources)[:1]
        sources = {max(since): self.sources[max(since)]} if since else {}
        update = {"kommuner": {s: k for s, k in kommuner.items() if k is not None}, "sources": sources}
        dated = self.model_copy(update=update)
        self._dated[day] = dated
        return dated

    def with_role(self, role: Role) -> list[Kommune]:
        """The municipalities with ``role``, in alphabetical order (Norwegian letters last)."""
        return sorted((k for k in self.kommuner.values() if k.role == role), key=lambda k: _sort_key(k.name))


_ALPHABET = "abcdefghijklmnopqrstuvwxyzæøå"


def _sort_key(name: str) -> list[int]:
    return [_ALPHABET.find(c) if c in _ALPHABET else ord(c) + 100 for c in name.casefold()]
