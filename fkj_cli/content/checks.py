"""Checks across keys and files, run once every file has passed its model."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from fkj_cli.content.economics import Commitments, Economics
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


def check_economics(econ: Economics, register: Register) -> Found:
    for slug, scenario in econ.scenarios.items():
        base: Path_ = ("scenarios", slug)
        if scenario.rule == "list" and not scenario.municipalities:
            yield (*base, "rule"), "a 'list' scenario names its municipalities"
        if scenario.rule == "inhabitant_share" and scenario.inhabitant_share is None:
            yield (*base, "rule"), "an 'inhabitant_share' scenario needs inhabitant_share"
        for i, ref in enumerate(scenario.municipalities):
            if msg := _ref(ref, register.kommuner, "kommune"):
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
        if msg := _ref(slug, register.kommuner, "kommune"):
            yield ("commitments", slug), msg
        if decision.status != "ubehandlet" and decision.date is None:
            yield ("commitments", slug, "status"), f"a decision ({decision.status}) needs its date"


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


def check_document(doc: Any, program: Program, register: Register) -> Found:
    """What a document type's content must agree on with the program and the register."""
    from fkj_cli.documents.hearing import Hearing
    from fkj_cli.documents.memo import Memo

    if isinstance(doc, Memo):
        yield from _check_cases(doc, register)
    if isinstance(doc, Hearing):
        yield from _check_hearing(doc, program, register)


def _check_cases(memo: Any, register: Register) -> Found:
    for slug, case in memo.cases.items():
        kommune = register.kommuner.get(slug)
        if kommune is None:
            yield ("cases", slug), f"unknown kommune {slug!r}" + suggest(slug, register.kommuner)
        elif kommune.role != "collaboration":
            yield ("cases", slug), f"the memo is only for the collaboration municipalities; {kommune.name} is not one"
        for i, body in enumerate(case.bodies):
            if body.meeting is not None and body.meeting < case.date:
                yield (
                    ("cases", slug, "bodies", i, "meeting"),
                    f"the meeting ({body.meeting.isoformat()}) is before the case's date ({case.date.isoformat()})",
                )


def _check_hearing(hearing: Any, program: Program, register: Register) -> Found:
    orgs = program.organisations
    if msg := _ref(hearing.signature.organisation, orgs, "organisation"):
        yield ("signature", "organisation"), msg
    parties = {**orgs, **register.kommuner}
    for slug, recipient in hearing.recipients.items():
        if recipient.organisation and (msg := _ref(recipient.organisation, parties, "organisation or kommune")):
            yield ("recipients", slug, "organisation"), msg
        yield from _check_letter_name(slug)
    letter = hearing.date.isoformat()
    if hearing.deadline <= hearing.date:
        yield (
            ("deadline",),
            f"the deadline ({hearing.deadline.isoformat()}) must come after the letter's date ({letter})",
        )
    milestones = {m.id: m for m in program.milestones}
    if msg := _ref(hearing.milestone, milestones, "milestone"):
        yield ("milestone",), msg
    elif hearing.deadline > (done := milestones[hearing.milestone].date).last_day:
        yield (
            ("deadline",),
            f"the deadline ({hearing.deadline.isoformat()}) is after the milestone {hearing.milestone!r} "
            f"({_date(done)}) by which the hearing is to be done",
        )
    for slug, response in hearing.responses.items():
        if slug not in hearing.recipients:
            yield ("responses", slug), f"unknown recipient {slug!r}" + suggest(slug, hearing.recipients)
        if response.received < hearing.date:
            yield (
                ("responses", slug, "received"),
                f"received ({response.received.isoformat()}) before the letter was sent ({letter})",
            )
    status = hearing.summary.date
    if status is not None:
        latest = max((r.received for r in hearing.responses.values()), default=hearing.date)
        if status < latest:
            yield (
                ("summary", "date"),
                f"the summary's date ({status.isoformat()}) is before the latest response or the letter "
                f"({latest.isoformat()})",
            )


def _check_letter_name(slug: str) -> Found:
    """A letter is ``<document>-<recipient>`` in its folder: it must not take another document's file."""
    from fkj_cli.documents import REGISTRY

    for doc in REGISTRY.values():
        if doc.scope != "recipient" or doc.content_file != "hearing.yaml":
            continue
        stem = f"{doc.name}-{slug}"
        other = REGISTRY.get(stem)
        if other is not None and other.scope == "program" and other.folder == doc.folder:
            yield (
                ("recipients", slug),
                f"the letter to {slug!r} would be {doc.folder}/{stem}.*, the file of {stem}; choose another slug",
            )
