"""Cost sharing, participation and net present value: plain computation, no I/O, no formatting.

Amounts are Decimal kroner. Shares are exact to the øre and always sum to the
amount shared, by the largest-remainder rule: everyone gets their share
rounded down to the øre, and the øre left over go one each to the largest
remainders (ties broken by slug, so the result is reproducible).
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from fkj_cli.content.economics import Economics, FixedVariable, PerInhabitant, Scenario, Tiered

ORE = Decimal("0.01")
_CONTEXT = decimal.Context(prec=60)

PriceModel = PerInhabitant | FixedVariable | Tiered


def years(econ: Economics) -> list[int]:
    """The years with program costs, in order."""
    return sorted({line.year for line in econ.costs})


def program_cost(econ: Economics, year: int) -> Decimal:
    """The program's cost in ``year``, every phase."""
    return sum((c.amount.nok for c in econ.costs if c.year == year), Decimal(0))


def state_grant(econ: Economics, year: int) -> Decimal:
    """The state's grants in ``year``."""
    return sum((g.amount.nok for g in econ.state_grants if g.year == year), Decimal(0))


def cost_to_cover(econ: Economics, year: int, *, funded: bool = True) -> Decimal:
    """The program's cost in ``year`` less the state grants that year: what the municipalities share. Without
    ``funded`` (too few take part to meet the condition the state funds the program on) there are no grants."""
    grant = state_grant(econ, year) if funded else Decimal(0)
    return max(program_cost(econ, year) - grant, Decimal(0)).quantize(ORE)


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


def net_present_value(
    econ: Economics,
    participating_population: int,
    *,
    benefit_factor: Decimal = Decimal(1),
    benefit_per_inhabitant: Decimal | None = None,
    investment_factor: Decimal = Decimal(1),
    discount_rate: Decimal | None = None,
) -> Decimal:
    """NPV of benefits less costs over the analysis period, discounted to the start year, in whole kroner.

    With no keyword arguments this is the NPV at the assumptions; the keywords
    vary them for the sensitivity analysis (see :func:`present_value`).
    """
    return present_value(
        econ,
        participating_population,
        benefit_factor=benefit_factor,
        benefit_per_inhabitant=benefit_per_inhabitant,
        investment_factor=investment_factor,
        discount_rate=discount_rate,
    ).quantize(Decimal(1))


def present_value(
    econ: Economics,
    participating_population: int,
    *,
    benefit_factor: Decimal = Decimal(1),
    benefit_per_inhabitant: Decimal | None = None,
    investment_factor: Decimal = Decimal(1),
    discount_rate: Decimal | None = None,
) -> Decimal:
    """The NPV unrounded (to 60 digits): sum over t = 0 .. period - 1 of (B_t - C_t) / (1 + r)^t.

    B_t is the benefit in year start + t: each benefit line in effect that year
    (``from_year`` reached), per inhabitant, times the participating
    inhabitants. C_t is the cost that year (state grants are transfers, not
    a cost to society, so they do not count here). The keywords vary the
    assumptions:

    - ``benefit_factor`` multiplies every benefit line;
    - ``benefit_per_inhabitant`` instead sets the benefit per inhabitant per year
      at full effect (all lines in effect) and scales the lines in proportion;
      with one line it simply replaces that line's amount;
    - ``investment_factor`` multiplies the cost lines of phase ``investment``
      (operation costs stay as assumed);
    - ``discount_rate`` replaces the assumed discount rate (a fraction: 0.03 for 3 %).
    """
    a = econ.analysis
    rate = _rate(econ, discount_rate)
    total = Decimal(0)
    with decimal.localcontext(_CONTEXT):
        full = full_benefit(econ)
        for t in range(a.period_years):
            year = a.start_year + t
            cost = _cost(econ, year, investment_factor)
            per_inhabitant = sum(
                (
                    b.per_inhabitant_per_year.nok * benefit_factor
                    if benefit_per_inhabitant is None
                    else _scaled(benefit_per_inhabitant, b.per_inhabitant_per_year.nok, full, len(econ.benefits))
                    for b in econ.benefits
                    if year >= b.from_year
                ),
                Decimal(0),
            )
            total += (per_inhabitant * participating_population - cost) / (1 + rate) ** t
    return total


def benefit_per_inhabitant(econ: Economics) -> list[Decimal]:
    """The assumed benefit per inhabitant in each year of the analysis period: the lines in effect that year."""
    a = econ.analysis
    return [
        sum((b.per_inhabitant_per_year.nok for b in econ.benefits if year >= b.from_year), Decimal(0))
        for year in range(a.start_year, a.start_year + a.period_years)
    ]


def full_benefit(econ: Economics) -> Decimal:
    """The assumed benefit per inhabitant per year at full effect: the sum of the benefit lines."""
    return sum((b.per_inhabitant_per_year.nok for b in econ.benefits), Decimal(0))


def _scaled(target: Decimal, line: Decimal, full: Decimal, lines: int) -> Decimal:
    """A benefit line's part of ``target``: in proportion to its assumed amount (equal parts if all are zero).

    Multiplied before it is divided, so that a single line gets ``target`` exactly.
    """
    return target * line / full if full else target / lines


def investment_cost(econ: Economics, factor: Decimal = Decimal(1)) -> Decimal:
    """The investment costs (phase ``investment``) in the analysis period, undiscounted, times ``factor``."""
    a = econ.analysis
    in_period = range(a.start_year, a.start_year + a.period_years)
    return (
        sum((c.amount.nok for c in econ.costs if c.phase == "investment" and c.year in in_period), Decimal(0)) * factor
    )


def _cost(econ: Economics, year: int, investment_factor: Decimal) -> Decimal:
    """The program's cost in ``year``, its investment lines times ``investment_factor``."""
    return sum(
        (c.amount.nok * (investment_factor if c.phase == "investment" else 1) for c in econ.costs if c.year == year),
        Decimal(0),
    )


def _ceiling(value: Decimal, unit: Decimal) -> Decimal:
    """``value`` rounded up to a multiple of ``unit``.

    First to 30 decimal places, so that a value computed a hair (in the 60th
    digit) above a whole øre or inhabitant is not rounded up past it.
    """
    with decimal.localcontext(_CONTEXT):
        return value.quantize(Decimal("1e-30")).quantize(unit, rounding=ROUND_CEILING)


def _rate(econ: Economics, discount_rate: Decimal | None) -> Decimal:
    rate = Decimal(str(econ.analysis.discount_rate)) if discount_rate is None else discount_rate
    if rate <= -1:
        raise ValueError(f"a discount rate must be above -100 %, not {rate}")
    return rate


def discounted_costs(
    econ: Economics, *, investment_factor: Decimal = Decimal(1), discount_rate: Decimal | None = None
) -> Decimal:
    """C: the present value of the costs over the analysis period, unrounded: sum of C_t / (1 + r)^t."""
    a = econ.analysis
    rate = _rate(econ, discount_rate)
    total = Decimal(0)
    with decimal.localcontext(_CONTEXT):
        for t in range(a.period_years):
            year = a.start_year + t
            cost = _cost(econ, year, investment_factor)
            total += cost / (1 + rate) ** t
    return total


def discounted_benefit_years(econ: Economics, *, discount_rate: Decimal | None = None) -> Decimal:
    """D: the present value, per inhabitant, of a benefit of one krone a year at full effect; unrounded.

    The sum over the years t of s_t / (1 + r)^t, where s_t is the share of the
    full benefit in effect in year start + t (the lines whose ``from_year``
    has come, weighted by their assumed amounts). With one benefit line, s_t
    is 1 from its ``from_year`` on and 0 before. The NPV is linear in the
    benefit b per inhabitant at full effect: NPV(b) = b * P * D - C.
    """
    a = econ.analysis
    rate = _rate(econ, discount_rate)
    total = Decimal(0)
    with decimal.localcontext(_CONTEXT):
        full = full_benefit(econ)
        for t in range(a.period_years):
            year = a.start_year + t
            share = sum(
                (
                    _scaled(Decimal(1), b.per_inhabitant_per_year.nok, full, len(econ.benefits))
                    for b in econ.benefits
                    if year >= b.from_year
                ),
                Decimal(0),
            )
            total += share / (1 + rate) ** t
    return total


def break_even_benefit_exact(
    econ: Economics,
    participating_population: int,
    *,
    investment_factor: Decimal = Decimal(1),
    discount_rate: Decimal | None = None,
) -> Decimal | None:
    """b* = C / (P * D): the benefit per inhabitant per year at full effect at which the NPV is zero, unrounded.

    None when there is no such benefit: no participants, or no benefit in
    effect within the analysis period (D = 0).
    """
    if participating_population <= 0:
        return None
    with decimal.localcontext(_CONTEXT):
        d = discounted_benefit_years(econ, discount_rate=discount_rate)
        if d <= 0:
            return None
        c = discounted_costs(econ, investment_factor=investment_factor, discount_rate=discount_rate)
        return c / (participating_population * d)


def break_even_benefit(
    econ: Economics,
    participating_population: int,
    *,
    investment_factor: Decimal = Decimal(1),
    discount_rate: Decimal | None = None,
) -> Decimal | None:
    """The break-even benefit per inhabitant per year, rounded up to the øre.

    The smallest whole-øre benefit at which the NPV is not negative: b* = C / (P * D)
    (:func:`break_even_benefit_exact`) rounded up. None when there is no break-even.
    """
    exact = break_even_benefit_exact(
        econ, participating_population, investment_factor=investment_factor, discount_rate=discount_rate
    )
    return None if exact is None else _ceiling(exact, ORE)


def break_even_population(
    econ: Economics,
    *,
    benefit_factor: Decimal = Decimal(1),
    investment_factor: Decimal = Decimal(1),
    discount_rate: Decimal | None = None,
) -> int | None:
    """P* = C / (b * D): the fewest participating inhabitants at which the NPV is not negative.

    b is the assumed benefit per inhabitant at full effect (times ``benefit_factor``).
    The NPV depends on who takes part only through their number of inhabitants.
    None when no number of inhabitants is enough (no benefit in the period).
    """
    with decimal.localcontext(_CONTEXT):
        per_inhabitant = (
            full_benefit(econ) * benefit_factor * discounted_benefit_years(econ, discount_rate=discount_rate)
        )
        if per_inhabitant <= 0:
            return None
        c = discounted_costs(econ, investment_factor=investment_factor, discount_rate=discount_rate)
        return int(_ceiling(c / per_inhabitant, Decimal(1)))
