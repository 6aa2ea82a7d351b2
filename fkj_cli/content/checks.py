"""Checks across keys and files, run once every file has passed its model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from fkj_cli.content.economics import Commitments, Economics
from fkj_cli.content.errors import suggest
from fkj_cli.content.kommuner import Kommune, Register
from fkj_cli.content.program import Program
from fkj_cli.content.types import COUNTIES, Money, Sourced, ToFill
from fkj_cli.content.yamlfile import Path_

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
        appointers = {**orgs, **program.bodies}
        if body.appointed_by is not None and (
            msg := unknown_ref(body.appointed_by, appointers, "organisation or body")
        ):
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
    """Each number's county is the county of its first two digits, and no number is two municipalities'
    in one structure."""
    numbers: dict[tuple[str, str], str] = {}
    for slug, kommune in register.kommuner.items():
        entries: list[tuple[Path_, str, str, str]] = [(("kommuner", slug), "latest", kommune.number, kommune.county)]
        entries += [
            (("kommuner", slug, "earlier", i), e.until.isoformat(), e.number, e.county)
            for i, e in enumerate(kommune.earlier)
        ]
        for base, structure, number, county in entries:
            expected = COUNTIES[number[:2]]
            if county != expected:
                yield (*base, "county"), f"county {county!r} does not match kommunenummer {number} ({expected})"
            if (structure, number) in numbers:
                yield (*base, "number"), f"kommunenummer {number} is also {numbers[(structure, number)]}'s"
            numbers.setdefault((structure, number), slug)
    # every municipality that existed on a date populations are counted on has its count: a document's
    # shares are then all of one date
    for day in register.population_dates:
        for slug, kommune in register.kommuner.items():
            if day not in kommune.populations and (kommune.established is None or kommune.established <= day):
                yield (
                    ("kommuner", slug, "population"),
                    f"no population of {day.isoformat()}, which the other municipalities have: give it, "
                    "or remove that date from all",
                )


def check_dated(doc: Any, register: Register) -> Found:
    """A document is dated on or after the register's first population count: it shows the latest on or
    before its date."""
    day = getattr(doc, "date", None)
    first = register.population_dates[0]
    if isinstance(day, dt.date) and day < first:
        yield (
            ("date",),
            (
                f"{day.isoformat()} is before the register's first population count ({first.isoformat()}): "
                "give kommuner.yaml the populations of an earlier 1 January, or date the document later"
            ),
        )


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


def outside_the_condition(kommune: Kommune, program: Program) -> str | None:
    """Why a decision of ``kommune`` cannot be recorded: it is in the region the condition leaves out."""
    if kommune.county_number in program.commitment.excluded_counties:
        return (
            f"{kommune.name} is in {program.commitment.excluded_region}, which the condition leaves out: "
            "it has no decision on the decision basis to record"
        )
    return None


def check_commitment_scope(commitments: Commitments, program: Program, register: Register) -> Found:
    for slug in commitments.commitments:
        kommune = register.kommuner.get(slug)
        if kommune is not None and (msg := outside_the_condition(kommune, program)):
            yield ("commitments", slug), msg


def check_commitments(commitments: Commitments, register: Register) -> Found:
    for slug, decision in commitments.commitments.items():
        if msg := unknown_ref(slug, register.kommuner, "kommune"):
            yield ("commitments", slug), msg
        if decision.status != "ubehandlet" and decision.date is None:
            yield ("commitments", slug, "status"), f"a decision ({decision.status}) needs its date"


def sourced_facts(model: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Sourced]]:
    """Every fact in ``model`` that can carry a source, with its key path."""
    if isinstance(model, Sourced):
        yield path, model
    if isinstance(model, BaseModel):
        for name in type(model).model_fields:
            yield from sourced_facts(getattr(model, name), (*path, name))
    elif isinstance(model, dict):
        for key, value in model.items():
            yield from sourced_facts(value, (*path, key))
    elif isinstance(model, list):
        for i, value in enumerate(model):
            yield from sourced_facts(value, (*path, i))


def check_sources(model: Any, program: Program) -> Found:
    """Every ``source:`` names one of program.yaml's sources."""
    for path, fact in sourced_facts(model):
        if fact.source is not None and (msg := unknown_ref(fact.source, program.sources, "source")):
            yield (*path, "source"), msg + " (sources are listed under sources: in program.yaml)"
    if isinstance(model, Register):
        for day, refs in model.sources.items():
            for i, ref in enumerate(refs):
                if msg := unknown_ref(ref, program.sources, "source"):
                    where = f"{day.isoformat()}[{i}]: "
                    yield ("sources",), where + msg + " (sources are listed under sources: in program.yaml)"
        listed = {ref for refs in model.sources.values() for ref in refs}
        for i, ref in enumerate(model.population_only):
            if ref not in listed:
                yield ("population_only", i), f"{ref!r} is not one of the sources: above"


def unsourced(model: Any) -> Found:
    """Facts with neither a source nor ``assumption: true``: warnings, errors with --strict."""
    for path, fact in sourced_facts(model):
        if fact.source is None and not fact.assumption:
            yield path, "no source: give source: (an id under sources: in program.yaml), or assumption: true"


def open_fields(model: Any, path: Path_ = ()) -> Found:
    """Fields to fill in (marked TO_FILL) that content leaves empty: warnings, errors with --strict."""
    if isinstance(model, BaseModel):
        for name, info in type(model).model_fields.items():
            value = getattr(model, name)
            key = info.alias or name
            marker = next((m for m in info.metadata if isinstance(m, ToFill)), None)
            if value is None and marker is not None and name in model.model_fields_set:
                yield (*path, key), f"open field: fill it in {marker.by}"
            yield from open_fields(value, (*path, key))
    elif isinstance(model, dict):
        for key, value in model.items():
            yield from open_fields(value, (*path, key))
    elif isinstance(model, list):
        for i, value in enumerate(model):
            yield from open_fields(value, (*path, i))


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
    for doc in content.docs:
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
