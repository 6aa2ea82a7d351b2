"""Checks across keys and files, run once every file has passed its model."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from fkj_cli.content.economics import Commitments, Economics
from fkj_cli.content.errors import suggest
from fkj_cli.content.kommuner import Register
from fkj_cli.content.program import Program
from fkj_cli.content.types import COUNTIES, Money
from fkj_cli.content.yamlfile import Path_
from fkj_cli.documents import document_types

if TYPE_CHECKING:
    from fkj_cli.content.load import Content

Found = Iterator[tuple[Path_, str]]


def _mnok(nok: Decimal) -> str:
    return f"{(nok / 1_000_000).normalize():f} MNOK"


def unknown_ref(value: str, known: dict[str, Any], what: str) -> str | None:
    if value in known:
        return None
    return f"unknown {what} {value!r}" + suggest(value, known)


def check_program(program: Program, register: Register) -> Found:
    orgs = program.organisations
    parties = {**orgs, **register.kommuner}
    for key in ("organisation", "owner"):
        if msg := unknown_ref(getattr(program.company, key), orgs, "organisation"):
            yield ("company", key), msg
    for body_id, body in program.bodies.items():
        base: Path_ = ("bodies", body_id)
        if msg := unknown_ref(body.appointed_by, orgs, "organisation"):
            yield (*base, "appointed_by"), msg
        if body.chair and (msg := unknown_ref(body.chair.represents, parties, "organisation or kommune")):
            yield (*base, "chair", "represents"), msg
        for i, seat in enumerate(body.seats):
            if msg := unknown_ref(seat.represents, parties, "organisation or kommune"):
                yield (*base, "seats", i, "represents"), msg
        for i, observer in enumerate(body.observers):
            if msg := unknown_ref(observer, parties, "organisation or kommune"):
                yield (*base, "observers", i), msg

    funding = program.funding
    for key in ("grantor", "administrator", "recipient"):
        if msg := unknown_ref(getattr(funding, key), orgs, "organisation"):
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
                    f"milestones must be in date order: {cur.id!r} ({month_text(cur.date)}) comes before "
                    f"{prev.id!r} ({month_text(prev.date)})"
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


def check_economics(econ: Economics, register: Register) -> Found:
    for slug, scenario in econ.scenarios.items():
        base: Path_ = ("scenarios", slug)
        if scenario.rule == "list" and not scenario.municipalities:
            yield (*base, "rule"), "a 'list' scenario names its municipalities"
        if scenario.rule == "inhabitant_share" and scenario.inhabitant_share is None:
            yield (*base, "rule"), "an 'inhabitant_share' scenario needs inhabitant_share"
        for i, ref in enumerate(scenario.municipalities):
            if msg := unknown_ref(ref, register.kommuner, "kommune"):
                yield (*base, "municipalities", i), msg
    for slug, model in econ.price_models.items():
        if model.kind != "tiered":
            continue
        bounds = [t.up_to for t in model.tiers]
        if bounds[-1] is not None or None in bounds[:-1]:
            yield ("price_models", slug, "tiers"), "every tier but the last has up_to; the last has none"
        elif bounds[:-1] != sorted(set(bounds[:-1])):  # type: ignore[type-var]
            yield ("price_models", slug, "tiers"), "tiers must be in increasing order of up_to"


def check_commitments(commitments: Commitments, register: Register) -> Found:
    for slug, decision in commitments.commitments.items():
        if msg := unknown_ref(slug, register.kommuner, "kommune"):
            yield ("commitments", slug), msg
        if decision.status != "ubehandlet" and decision.date is None:
            yield ("commitments", slug, "status"), f"a decision ({decision.status}) needs its date"


def check_references(doc: Any, program: Program) -> Found:
    """Every document names an issuing organisation and may list milestones by id."""
    if msg := unknown_ref(doc.issuer, program.organisations, "organisation"):
        yield ("issuer",), msg
    ids = {m.id: m for m in program.milestones}
    for i, ref in enumerate(getattr(doc, "milestones", [])):
        if msg := unknown_ref(ref, ids, "milestone"):
            yield ("milestones", i), msg


def check_needs(content: Content) -> Iterator[tuple[str, Path_, str]]:
    """Every municipality a document is made for has what the document needs (file, path, message)."""
    for doc in document_types():
        for slug, kommune in content.register.kommuner.items():
            if doc.applies(content, slug, kommune) is not None:
                continue
            for need in doc.needs:
                if getattr(kommune, need) is None:
                    message = f"{doc.name} for {kommune.name} needs {need}; add it here"
                    yield "kommuner.yaml", ("kommuner", slug), message


def _money(m: Money) -> str:
    return f"{m.value.normalize():f} {m.unit}"


def month_text(d: Any) -> str:
    """A date or a month as in the content: 2022-09 or 2022-09-30."""
    return f"{d.year}-{d.month:02d}" + (f"-{d.day:02d}" if d.day else "")
