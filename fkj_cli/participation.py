"""A municipality's figures and the 55 % condition, computed from the content tree.

This joins the content (register, commitments, economics) to the plain
computation in :mod:`fkj_cli.economics`; it formats nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from fkj_cli import economics as calc

if TYPE_CHECKING:
    from fkj_cli.content import Content
    from fkj_cli.content.economics import Decision
    from fkj_cli.content.kommuner import Kommune


def in_scope(content: Content) -> dict[str, Kommune]:
    """The municipalities the condition counts: those outside the excluded health region."""
    excluded = content.program.commitment.excluded_counties
    return {s: k for s, k in content.register.kommuner.items() if k.county_number not in excluded}


def decision(content: Content, slug: str) -> Decision:
    from fkj_cli.content.economics import Decision

    return content.commitments.commitments.get(slug) or Decision(status="ubehandlet")


@dataclass(frozen=True)
class Condition:
    committed_population: int
    total_population: int
    threshold: Decimal
    coverage: Decimal
    gap: int  # inhabitants still needed; 0 when the condition is met
    closing: list[str]  # the fewest undecided municipalities that would close the gap

    @property
    def met(self) -> bool:
        return self.gap == 0


def condition(content: Content) -> Condition:
    scope = in_scope(content)
    status = {s: decision(content, s).status for s in scope}
    committed = sum(k.population for s, k in scope.items() if status[s] == "forpliktelse")
    total = sum(k.population for k in scope.values())
    threshold = Decimal(str(content.program.commitment.threshold))
    needed = int((threshold * total).to_integral_value(rounding="ROUND_CEILING"))
    gap = max(needed - committed, 0)
    undecided = {s: k.population for s, k in scope.items() if status[s] == "ubehandlet"}
    return Condition(
        committed, total, threshold, calc.coverage(committed, total), gap, calc.closing_set(undecided, gap)
    )


@dataclass(frozen=True)
class Figure:
    """One municipality's cost under one price model and one scenario (None: it does not take part)."""

    scenario: str
    model: str
    annual: Decimal | None
    per_inhabitant: Decimal | None


def kommune_figures(content: Content, slug: str) -> list[Figure]:
    """Average annual cost over the analysis period, for every scenario and price model."""
    table = content.cache.get("figures")
    if table is None:
        table = content.cache["figures"] = _all_figures(content)
    return table[slug]


def _all_figures(content: Content) -> dict[str, list[Figure]]:
    # Shares are computed once per scenario, model and year for everyone: a
    # batch of 292 decision bases then costs one computation, not 292.
    econ = content.economics
    scope = {s: k.population for s, k in in_scope(content).items()}
    committed = {s for s in scope if decision(content, s).status == "forpliktelse"}
    period = econ.analysis
    years = [y for y in calc.years(econ) if period.start_year <= y < period.start_year + period.period_years]
    out: dict[str, list[Figure]] = {s: [] for s in content.register.kommuner}
    for scenario_id, scenario in econ.scenarios.items():
        members = calc.participants(scenario, scope, committed)
        for model_id, model in econ.price_models.items():
            totals = {s: Decimal(0) for s in members}
            for year in years:
                for s, share in calc.shares(model, members, calc.cost_to_cover(econ, year)).items():
                    totals[s] += share
            for slug, figures in out.items():
                if slug not in members or not years:
                    figures.append(Figure(scenario_id, model_id, None, None))
                    continue
                annual = (totals[slug] / len(years)).quantize(calc.ORE)
                per_inhabitant = (annual / content.register.kommuner[slug].population).quantize(calc.ORE)
                figures.append(Figure(scenario_id, model_id, annual, per_inhabitant))
    return out


def net_present_values(content: Content) -> dict[str, Decimal]:
    """The program's net present value under each scenario."""
    scope = {s: k.population for s, k in in_scope(content).items()}
    committed = {s for s in scope if decision(content, s).status == "forpliktelse"}
    return {
        sid: calc.net_present_value(content.economics, sum(calc.participants(sc, scope, committed).values()))
        for sid, sc in content.economics.scenarios.items()
    }
