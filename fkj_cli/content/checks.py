"""Checks across keys and files, run once every file has passed its model."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from fkj_cli.content.errors import suggest
from fkj_cli.content.kommuner import Register
from fkj_cli.content.program import Program
from fkj_cli.content.types import COUNTIES, Money
from fkj_cli.content.yamlfile import Path_

Found = Iterator[tuple[Path_, str]]


def _mnok(nok: Decimal) -> str:
    return f"{(nok / 1_000_000).normalize():f} MNOK"


def _ref(value: str, known: dict[str, Any], what: str) -> str | None:
    if value in known:
        return None
    return f"unknown {what} {value!r}" + suggest(value, known)


def check_program(program: Program, register: Register) -> Found:
    orgs = program.organisations
    parties = {**orgs, **register.kommuner}
    for key in ("organisation", "owner"):
        if msg := _ref(getattr(program.company, key), orgs, "organisation"):
            yield ("company", key), msg
    for body_id, body in program.bodies.items():
        base: Path_ = ("bodies", body_id)
        if msg := _ref(body.appointed_by, orgs, "organisation"):
            yield (*base, "appointed_by"), msg
        if body.chair and (msg := _ref(body.chair.represents, parties, "organisation or kommune")):
            yield (*base, "chair", "represents"), msg
        for i, seat in enumerate(body.seats):
            if msg := _ref(seat.represents, parties, "organisation or kommune"):
                yield (*base, "seats", i, "represents"), msg
        for i, observer in enumerate(body.observers):
            if msg := _ref(observer, parties, "organisation or kommune"):
                yield (*base, "observers", i), msg

    funding = program.funding
    for key in ("grantor", "administrator", "recipient"):
        if msg := _ref(getattr(funding, key), orgs, "organisation"):
            yield ("funding", key), msg
    for i, (prev_year, year) in enumerate(zip(funding.years, funding.years[1:], strict=False), start=1):
        if year.year <= prev_year.year:
            yield ("funding", "years", i, "year"), f"{year.year} must come after {prev_year.year}"
    parts = sum((y.amount.nok for y in funding.years), Decimal(0))
    if parts != funding.total.nok:
        shown = " + ".join(_money(y.amount) for y in funding.years)
        yield (
            ("funding", "total"),
            f"total {_money(funding.total)} is not the sum of the years: {shown} = {_mnok(parts)}",
        )

    intent = program.letter_of_intent
    if intent.signed > intent.eligible:
        yield ("letter_of_intent", "signed"), f"{intent.signed} signed cannot exceed {intent.eligible} eligible"
    for i, county in enumerate(program.commitment.excluded_counties):
        if county not in COUNTIES:
            yield ("commitment", "excluded_counties", i), f"unknown county number {county!r}"

    seen: dict[str, int] = {}
    for i, milestone in enumerate(program.milestones):
        if milestone.id in seen:
            yield (
                ("milestones", i, "id"),
                f"duplicate milestone id {milestone.id!r} (also milestones[{seen[milestone.id]}])",
            )
        seen.setdefault(milestone.id, i)
    for i, (prev, cur) in enumerate(zip(program.milestones, program.milestones[1:], strict=False), start=1):
        if cur.date.last_day < prev.date.last_day:
            yield (
                ("milestones", i, "date"),
                (
                    f"milestones must be in date order: {cur.id!r} ({_date(cur.date)}) comes before "
                    f"{prev.id!r} ({_date(prev.date)})"
                ),
            )


def check_register(register: Register) -> Found:
    numbers: dict[str, str] = {}
    for slug, kommune in register.kommuner.items():
        expected = COUNTIES[kommune.number[:2]]
        if kommune.county != expected:
            yield (
                ("kommuner", slug, "county"),
                (f"county {kommune.county!r} does not match kommunenummer {kommune.number} ({expected})"),
            )
        if kommune.number in numbers:
            yield ("kommuner", slug, "number"), f"kommunenummer {kommune.number} is also {numbers[kommune.number]}'s"
        numbers.setdefault(kommune.number, slug)


def check_references(doc: Any, program: Program) -> Found:
    """Every document names an issuing organisation and may list milestones by id."""
    if msg := _ref(doc.issuer, program.organisations, "organisation"):
        yield ("issuer",), msg
    ids = {m.id: m for m in program.milestones}
    for i, ref in enumerate(getattr(doc, "milestones", [])):
        if msg := _ref(ref, ids, "milestone"):
            yield ("milestones", i), msg


def check_needs(content: Any) -> Iterator[tuple[str, Path_, str]]:
    """Every municipality a document is made for has what the document needs (file, path, message)."""
    from fkj_cli.documents import REGISTRY

    for doc in REGISTRY.values():
        for slug, kommune in content.register.kommuner.items():
            if content.applies(doc, kommune) is not None:
                continue
            for need in doc.needs:
                if getattr(kommune, need) is None:
                    message = f"{doc.name} for {kommune.name} needs {need}; add it here"
                    yield "kommuner.yaml", ("kommuner", slug), message


def _money(m: Money) -> str:
    return f"{m.value.normalize():f} {m.unit}"


def _date(d: Any) -> str:
    return f"{d.year}-{d.month:02d}" + (f"-{d.day:02d}" if d.day else "")
