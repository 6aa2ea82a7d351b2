"""Cost sharing, participation and net present value: plain computation, no I/O, no formatting.

Amounts are Decimal kroner. Shares are exact to the øre and always sum to the
amount shared, by the largest-remainder rule: everyone gets their share
rounded down to the øre, and the øre left over go one each to the largest
remainders (ties broken by slug, so the result is reproducible).
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal

from fkj_cli.content.economics import Economics, FixedVariable, PerInhabitant, Scenario, Tiered

ORE = Decimal("0.01")
_CONTEXT = decimal.Context(prec=60)

PriceModel = PerInhabitant | FixedVariable | Tiered


def years(econ: Economics) -> list[int]:
    """The years with program costs, in order."""
    return sorted({line.year for line in econ.costs})


def cost_to_cover(econ: Economics, year: int) -> Decimal:
    """The program's cost in ``year`` less the state grants that year: what the municipalities share."""
    cost = sum((c.amount.nok for c in econ.costs if c.year == year), Decimal(0))
    grants = sum((g.amount.nok for g in econ.state_grants if g.year == year), Decimal(0))
    return max(cost - grants, Decimal(0)).quantize(ORE)


def fractions(model: PriceModel, population: Mapping[str, int]) -> dict[str, Decimal]:
    """Each participant's fraction of the amount; the fractions sum to 1."""
    with decimal.localcontext(_CONTEXT):
        n = Decimal(len(population))
        pop_total = Decimal(sum(population.values()))
        if isinstance(model, PerInhabitant):
            return {s: Decimal(p) / pop_total for s, p in population.items()}
        if isinstance(model, FixedVariable):
            fixed = Decimal(str(model.fixed_share))
            return {s: fixed / n + (1 - fixed) * Decimal(p) / pop_total for s, p in population.items()}
        w = {s: tier_weight(model, p) for s, p in population.items()}
        w_total = sum(w.values(), Decimal(0))
        return {s: v / w_total for s, v in w.items()}


def tier_weight(model: Tiered, inhabitants: int) -> Decimal:
    """The weight of the first tier whose upper bound holds ``inhabitants``."""
    for tier in model.tiers:
        if tier.up_to is None or inhabitants <= tier.up_to:
            return tier.weight
    return model.tiers[-1].weight


def shares(model: PriceModel, population: Mapping[str, int], amount: Decimal) -> dict[str, Decimal]:
    """Split ``amount`` between the participants in ``population`` under ``model``, to the øre."""
    if not population:
        return {}
    amount = amount.quantize(ORE)
    with decimal.localcontext(_CONTEXT):
        raw = {s: amount * f for s, f in fractions(model, population).items()}
        floors = {s: v.quantize(ORE, rounding=ROUND_FLOOR) for s, v in raw.items()}
        left = int(((amount - sum(floors.values(), Decimal(0))) / ORE).to_integral_value())
        for slug in sorted(raw, key=lambda s: (-(raw[s] - floors[s]), s))[:left]:
            floors[slug] += ORE
    return floors


def participants(scenario: Scenario, population: Mapping[str, int], committed: set[str]) -> dict[str, int]:
    """The municipalities (slug -> population) that take part under ``scenario``."""
    if scenario.rule == "all":
        return dict(population)
    if scenario.rule == "committed":
        return {s: p for s, p in population.items() if s in committed}
    if scenario.rule == "list":
        return {s: population[s] for s in scenario.municipalities if s in population}
    assert scenario.inhabitant_share is not None
    total = sum(population.values())
    target = Decimal(str(scenario.inhabitant_share)) * total
    chosen: dict[str, int] = {}
    for slug in sorted(population, key=lambda s: (-population[s], s)):
        if sum(chosen.values()) >= target:
            break
        chosen[slug] = population[slug]
    return chosen


def coverage(committed_population: int, total_population: int) -> Decimal:
    """The committed share of the inhabitants, between 0 and 1."""
    if total_population <= 0:
        return Decimal(0)
    with decimal.localcontext(_CONTEXT):
        return Decimal(committed_population) / Decimal(total_population)


def closing_set(undecided: Mapping[str, int], gap: int) -> list[str]:
    """The fewest undecided municipalities whose inhabitants close ``gap``: the largest first."""
    chosen: list[str] = []
    covered = 0
    for slug in sorted(undecided, key=lambda s: (-undecided[s], s)):
        if covered >= gap:
            break
        chosen.append(slug)
        covered += undecided[slug]
    return chosen if covered >= gap else []


def net_present_value(econ: Economics, participating_population: int) -> Decimal:
    """NPV of benefits less costs over the analysis period, discounted to the start year."""
    a = econ.analysis
    rate = Decimal(str(a.discount_rate))
    total = Decimal(0)
    with decimal.localcontext(_CONTEXT):
        for t in range(a.period_years):
            year = a.start_year + t
            cost = sum((c.amount.nok for c in econ.costs if c.year == year), Decimal(0))
            benefit = sum(
                (
                    b.per_inhabitant_per_year.nok * participating_population
                    for b in econ.benefits
                    if year >= b.from_year
                ),
                Decimal(0),
            )
            total += (benefit - cost) / (1 + rate) ** t
    return total.quantize(Decimal(1))
