"""The compute stage: each municipality's figures and the 55 % condition, from the content tree.

This joins the content (register, commitments, economics) to the plain
computation in :mod:`fkj_cli.economics`; it formats nothing. A build computes
once (:func:`compute`) and passes the :class:`Figures` on to every document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import typing
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from fkj_cli import economics as calc
from fkj_cli.content.economics import CommitmentStatus, Decision, Economics

if TYPE_CHECKING:
    from fkj_cli.content.kommuner import Kommune
    from fkj_cli.content.load import Content


STATUSES: tuple[CommitmentStatus, ...] = typing.get_args(CommitmentStatus)
KRONE = Decimal(1)  # a municipality's year by year: in whole kroner, as its table shows it


def in_scope(content: Content) -> dict[str, Kommune]:
    """The municipalities the condition counts: those outside the excluded health region."""
    excluded = content.program.commitment.excluded_counties
    return {s: k for s, k in content.register.kommuner.items() if k.county_number not in excluded}


def decision(content: Content, slug: str) -> Decision:
    return content.commitments.commitments.get(slug) or Decision(status="ubehandlet")


@dataclass(frozen=True)
class Condition:
    committed_population: int
    total_population: int
    threshold: Decimal
    coverage: Decimal
    gap: int  # inhabitants still needed; 0 when the condition is met
    closing: list[str]  # the fewest undecided municipalities that would close the gap
    municipalities: int = 0  # the municipalities in scope
    excluded_counties: tuple[str, ...] = ()  # the names of the counties that make up the excluded region

    @property
    def met(self) -> bool:
        return self.gap == 0

    @property
    def needed(self) -> int:
        """The inhabitants the municipalities that commit must have."""
        return inhabitants_needed(self.threshold, self.total_population)


def inhabitants_needed(threshold: Decimal, total: int) -> int:
    """The inhabitants a share ``threshold`` of ``total`` asks for: rounded up, as a condition is met or not."""
    return int((threshold * total).to_integral_value(rounding=ROUND_CEILING))


def condition(content: Content) -> Condition:
    scope = in_scope(content)
    status = {s: decision(content, s).status for s in scope}
    committed = sum(k.population for s, k in scope.items() if status[s] == "forpliktelse")
    total = sum(k.population for k in scope.values())
    threshold = Decimal(str(content.program.commitment.threshold))
    needed = inhabitants_needed(threshold, total)
    gap = max(needed - committed, 0)
    undecided = {s: k.population for s, k in scope.items() if status[s] == "ubehandlet"}
    excluded = content.program.commitment.excluded_counties
    counties = {k.county_number: k.county for k in content.register.kommuner.values() if k.county_number in excluded}
    return Condition(
        committed,
        total,
        threshold,
        calc.coverage(committed, total),
        gap,
        calc.closing_set(undecided, gap),
        len(scope),
        tuple(counties[n] for n in sorted(counties)),
    )


@dataclass(frozen=True)
class Figure:
    """One municipality's cost under one price model and one scenario (None: it does not take part)."""

    scenario: str
    model: str
    annual: Decimal | None
    per_inhabitant: Decimal | None
    yearly: tuple[Decimal, ...] | None = None  # its share in each year of the period: their average is ``annual``
    joined: bool = False  # it is not among those the scenario counts, and is counted with them: what it would pay


def all_figures(content: Content) -> dict[str, list[Figure]]:
    # Shares are computed once per scenario, model and year for everyone: a
    # batch of 292 decision bases then costs one computation, not 292.
    econ = content.economics
    scope = {s: k.population for s, k in in_scope(content).items()}
    committed = {s for s in scope if decision(content, s).status == "forpliktelse"}
    period = econ.analysis
    years = [y for y in calc.years(econ) if period.start_year <= y < period.start_year + period.period_years]
    out: dict[str, list[Figure]] = {s: [] for s in content.register.kommuner}
    needed = condition(content).needed  # the state's grants come only where those taking part meet the condition
    # what the municipalities cover each year, with the state's grants (funded) and without
    to_cover = {funded: [calc.cost_to_cover(econ, y, funded=funded) for y in years] for funded in (True, False)}
    for scenario_id, scenario in econ.scenarios.items():
        members = calc.participants(scenario, scope, committed)
        funded = sum(members.values()) >= needed
        for model_id, model in econ.price_models.items():
            yearly: dict[str, list[Decimal]] = {s: [] for s in members}
            for amount in to_cover[funded]:
                for s, share in calc.shares(model, members, amount).items():
                    yearly[s].append(share)
            for slug, figures in out.items():
                joined = scenario.rule == "inhabitant_share" and slug in scope and slug not in members
                if joined and years:
                    # a municipality outside the largest that make up the share: what it pays if it takes part
                    # with them, which is what its own council asks (a year's share depends only on the year's
                    # amount, and the years have few amounts)
                    alongside = {**members, slug: scope[slug]}
                    amounts = to_cover[sum(alongside.values()) >= needed]
                    by_amount = {a: calc.shares(model, alongside, a)[slug] for a in set(amounts)}
                    yearly[slug] = [by_amount[a] for a in amounts]
                elif slug not in members or not years:
                    figures.append(Figure(scenario_id, model_id, None, None))
                    continue
                annual = (sum(yearly[slug], Decimal(0)) / len(years)).quantize(calc.ORE)
                per_inhabitant = (annual / content.register.kommuner[slug].population).quantize(calc.ORE)
                figures.append(Figure(scenario_id, model_id, annual, per_inhabitant, tuple(yearly[slug]), joined))
    return out


def net_present_values(content: Content) -> dict[str, Decimal]:
    """The program's net present value under each scenario."""
    scope = {s: k.population for s, k in in_scope(content).items()}
    committed = {s for s in scope if decision(content, s).status == "forpliktelse"}
    return {
        sid: calc.net_present_value(content.economics, sum(calc.participants(sc, scope, committed).values()))
        for sid, sc in content.economics.scenarios.items()
    }


@dataclass(frozen=True)
class Variant:
    """The programme's NPV with one assumption changed, the others as assumed."""

    change: Decimal  # relative for the benefit and the investment (-0.3: 30 % less), in points for the rate (0.01)
    value: Decimal  # the assumption as changed: kr per inhabitant a year, the investment in kr, or the rate (0.05)
    npv: Decimal  # whole kroner


@dataclass(frozen=True)
class Sensitivity:
    """The sensitivity analysis of one scenario: finished numbers, nothing formatted.

    The changes are those of ``analysis.sensitivity`` in economics.yaml, in
    its order; the base case (no change) is ``npv``, not in the lists.
    """

    scenario: str
    participants: int  # municipalities taking part
    inhabitants: int  # their inhabitants
    npv: Decimal  # at the assumptions, whole kroner (= Outlook.net_present_value[scenario])
    benefit: Decimal  # the assumed benefit per inhabitant a year at full effect, kr
    investment: Decimal  # the assumed investment costs (phase investment), undiscounted, kr
    discount_rate: Decimal  # the assumed discount rate (0.04)
    by_benefit: list[Variant]
    by_investment: list[Variant]
    by_discount_rate: list[Variant]
    break_even: Decimal | None  # benefit per inhabitant a year at which the NPV is 0, rounded up to the øre

    @property
    def sign(self) -> int:
        """1 if the NPV at the assumptions is positive, -1 if negative, 0 if zero."""
        return (self.npv > 0) - (self.npv < 0)

    @property
    def break_even_change(self) -> Decimal | None:
        """The break-even relative to the assumed benefit: -0.29 if 29 % less would do, 0.45 if 45 % more is needed."""
        if self.break_even is None or not self.benefit:
            return None
        return self.break_even / self.benefit - 1


def sensitivities(content: Content) -> dict[str, Sensitivity]:
    """The sensitivity analysis of each scenario: the NPV as the key assumptions vary, and the break-even benefit."""
    econ = content.economics
    scope = {s: k.population for s, k in in_scope(content).items()}
    committed = {s for s in scope if decision(content, s).status == "forpliktelse"}
    ranges = econ.analysis.sensitivity
    rate = Decimal(str(econ.analysis.discount_rate))
    benefit = calc.full_benefit(econ)
    out: dict[str, Sensitivity] = {}
    for sid, scenario in econ.scenarios.items():
        members = calc.participants(scenario, scope, committed)
        p = sum(members.values())
        out[sid] = Sensitivity(
            scenario=sid,
            participants=len(members),
            inhabitants=p,
            npv=calc.net_present_value(econ, p),
            benefit=benefit,
            investment=calc.investment_cost(econ),
            discount_rate=rate,
            by_benefit=[
                Variant(
                    c, (benefit * (1 + c)).quantize(calc.ORE), calc.net_present_value(econ, p, benefit_factor=1 + c)
                )
                for c in ranges.benefit
            ],
            by_investment=[
                Variant(
                    c,
                    calc.investment_cost(econ, 1 + c).quantize(calc.ORE),
                    calc.net_present_value(econ, p, investment_factor=1 + c),
                )
                for c in ranges.investment
            ],
            by_discount_rate=[
                Variant(c, rate + c, calc.net_present_value(econ, p, discount_rate=rate + c))
                for c in ranges.discount_rate
                if rate + c >= 0  # below 0 % only by the default range (content's own is checked on load)
            ],
            break_even=calc.break_even_benefit(econ, p),
        )
    return out


@dataclass(frozen=True)
class Year:
    """One year of a municipality's costs and assumed gains, in kroner."""

    year: int
    cost: Decimal  # its share of what the municipalities cover that year
    gain: Decimal  # the assumed benefit per inhabitant that year, times its inhabitants
    cumulative: Decimal  # gains less costs from the first year to this one

    @property
    def net(self) -> Decimal:
        return self.gain - self.cost


@dataclass(frozen=True)
class FinancingYear:
    """How the program is financed in one year: its cost, the state's grants, and what the municipalities
    pay (the company's revenue under the price models)."""

    year: int
    cost: Decimal
    grant: Decimal
    municipalities: Decimal


@dataclass(frozen=True)
class SocietyPoint:
    """Society's net present value when municipalities with ``share`` of the inhabitants take part."""

    share: Decimal
    population: int
    npv: Decimal


@dataclass(frozen=True)
class ScenarioRow:
    """One scenario in a municipality's figures: its cost under each price model (None: not taking part)."""

    scenario: str
    takes_part: bool
    participants: int
    annual: dict[str, Decimal | None]
    per_inhabitant: dict[str, Decimal | None]
    yearly: dict[str, tuple[Decimal, ...] | None] = field(default_factory=dict)  # per model, each year's cost
    joined: bool = False  # the municipality is counted in addition to those the scenario counts (Figure.joined)
    share: Decimal = Decimal(0)  # of the inhabitants in scope, in the municipalities the scenario counts


@dataclass(frozen=True)
class Outlook:
    """What a document shows a municipality about its economics: finished numbers, nothing formatted."""

    slug: str
    population: int
    population_share: Decimal  # of the inhabitants in scope
    first_year: int
    last_year: int
    models: list[str]
    rows: list[ScenarioRow]
    net_present_value: dict[str, Decimal]
    condition: Condition
    decision: Decision
    by_status: dict[str, int]  # inhabitants in scope by commitment status, in the order of STATUSES
    # The sensitivity analysis per scenario, in the order of the scenarios: see Sensitivity.
    sensitivity: dict[str, Sensitivity] = field(default_factory=dict)
    # The fewest participating inhabitants at which the NPV is not negative, at the assumptions
    # (None: no number is enough); the NPV depends on who takes part only through this number.
    break_even_population: int | None = None
    # The assumed benefit per inhabitant in each year of the period (0 before a benefit takes effect).
    benefit_per_inhabitant: tuple[Decimal, ...] = ()
    # Society's NPV by the share of the inhabitants taking part: 0-100 % by tens, and the threshold.
    society: tuple[SocietyPoint, ...] = ()
    # The financing of each year with program costs.
    financing: tuple[FinancingYear, ...] = ()

    def years(self, scenario: str, model: str) -> list[Year]:
        """The municipality's cost under ``model`` in ``scenario``, its assumed gains and the running
        net, year by year, in whole kroner; empty when it does not take part in the scenario."""
        row = next(r for r in self.rows if r.scenario == scenario)
        costs = row.yearly.get(model)
        if costs is None:
            return []
        # in whole kroner, as the table shows them (rounded as it rounds): each running total is the sum
        # of the yearly nets above it
        out, running = [], Decimal(0)
        for i, (cost, benefit) in enumerate(zip(costs, self.benefit_per_inhabitant, strict=True)):
            cost = cost.quantize(KRONE, rounding=ROUND_HALF_EVEN)
            gain = (benefit * self.population).quantize(KRONE, rounding=ROUND_HALF_EVEN)
            running += gain - cost
            out.append(Year(self.first_year + i, cost, gain, running))
        return out

    def turns_positive(self, scenario: str, model: str) -> int | None:
        """The first year the municipality's running net (assumed gains less cost) is not negative under
        ``model`` in ``scenario``; None when it stays negative to the end of the period, or it does not
        take part."""
        return next((y.year for y in self.years(scenario, model) if y.cumulative >= 0), None)

    @property
    def break_even_share(self) -> Decimal | None:
        """The share of the inhabitants in scope that must take part for society's NPV not to be negative;
        None when even all of them are not enough."""
        total = self.condition.total_population
        if self.break_even_population is None or self.break_even_population > total:
            return None
        return calc.coverage(self.break_even_population, total)

    @property
    def break_even(self) -> dict[str, Decimal | None]:
        """Per scenario: the benefit per inhabitant a year at which the NPV is zero, rounded up to the øre."""
        return {sid: s.break_even for sid, s in self.sensitivity.items()}

    @property
    def npv_sign(self) -> dict[str, int]:
        """Per scenario: 1 if the NPV at the assumptions is positive, -1 if negative, 0 if zero."""
        return {sid: s.sign for sid, s in self.sensitivity.items()}

    @property
    def status_shares(self) -> dict[str, Decimal]:
        """The share of the inhabitants in scope by commitment status."""
        return {s: calc.coverage(p, self.condition.total_population) for s, p in self.by_status.items()}

    @property
    def any_decided(self) -> bool:
        """Whether a municipality in scope had made its decision on the document's date (until one has, a
        chart of the inhabitants by decision shows nothing but one bar)."""
        return _any_decided(self.by_status)

    @property
    def main(self) -> ScenarioRow | None:
        """The first scenario in which the municipality takes part, the one the charts single out."""
        return next((r for r in self.rows if r.takes_part), None)

    def costs_outweigh(self) -> list[tuple[list[str], list[str]]]:
        """Where the municipality's costs over the period exceed the gains the figures assume (its running net
        never turns positive): in each scenario it takes part in, the price models under which they do, as
        (scenarios, models), scenarios with the same models together, in the order of the scenarios."""
        found: dict[tuple[str, ...], list[str]] = {}
        for row in self.rows:
            if row.takes_part:
                models = tuple(m for m in self.models if self.turns_positive(row.scenario, m) is None)
                if models:
                    found.setdefault(models, []).append(row.scenario)
        return [(scenarios, list(models)) for models, scenarios in found.items()]


def _any_decided(by_status: dict[str, int]) -> bool:
    """Whether a count (of inhabitants or municipalities) by commitment status has any but the undecided."""
    return any(n for status, n in by_status.items() if status != "ubehandlet")


@dataclass(frozen=True)
class _Shared:
    members: dict[str, int]  # participants per scenario
    member_population: dict[str, int]  # their inhabitants
    total: int
    npv: dict[str, Decimal]
    condition: Condition
    by_status: dict[str, int]
    sensitivity: dict[str, Sensitivity]
    break_even_population: int | None
    benefit_per_inhabitant: tuple[Decimal, ...]
    society: tuple[SocietyPoint, ...]
    financing: tuple[FinancingYear, ...]


def _shared(content: Content) -> _Shared:
    """What every municipality's outlook shows alike."""
    scope = in_scope(content)
    committed = {s for s in scope if decision(content, s).status == "forpliktelse"}
    population = {s: k.population for s, k in scope.items()}
    by_status: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for s, k in scope.items():
        by_status[decision(content, s).status] += k.population
    condition_ = condition(content)
    chosen = {sid: calc.participants(sc, population, committed) for sid, sc in content.economics.scenarios.items()}
    return _Shared(
        members={sid: len(m) for sid, m in chosen.items()},
        member_population={sid: sum(m.values()) for sid, m in chosen.items()},
        total=sum(population.values()),
        npv=net_present_values(content),
        condition=condition_,
        by_status=by_status,
        sensitivity=sensitivities(content),
        break_even_population=calc.break_even_population(content.economics),
        benefit_per_inhabitant=tuple(calc.benefit_per_inhabitant(content.economics)),
        society=society(content.economics, sum(population.values()), condition_.threshold),
        financing=tuple(
            FinancingYear(y, calc.program_cost(econ, y), calc.state_grant(econ, y), calc.cost_to_cover(econ, y))
            for econ in [content.economics]
            for y in calc.years(econ)
        ),
    )


def society(econ: Economics, total: int, threshold: Decimal) -> tuple[SocietyPoint, ...]:
    """Society's NPV (every cost of state and municipalities against every assumed gain; the state's
    grants are transfers) when municipalities with 10, 20, ..., 100 % of the ``total`` inhabitants in
    scope take part, and at the ``threshold``: at 100 % it is the NPV of the scenario in which all do.
    No row for 0 %: with nobody taking part there is no programme to count, and its NPV would not be
    the zero alternative's 0 but the programme's costs alone."""
    shares = sorted({Decimal(i) / 10 for i in range(1, 11)} | {threshold})
    points = []
    for share in shares:
        # at the threshold, the inhabitants the condition needs (as Condition.needed)
        if share == threshold:
            population = inhabitants_needed(share, total)
        else:
            population = int((share * total).to_integral_value(rounding=ROUND_HALF_UP))
        points.append(SocietyPoint(share, population, calc.net_present_value(econ, population)))
    return tuple(points)


@dataclass
class Figures:
    """What the compute stage gives a build: every municipality's figures, computed once when first asked.

    Shares, NPV, the sensitivity analysis and the condition are computed for all municipalities at once,
    so 292 decision bases cost one computation, not 292.
    """

    content: Content
    _table: dict[str, list[Figure]] | None = field(default=None, repr=False)
    _shared: _Shared | None = field(default=None, repr=False)
    _dated: dict[tuple[dt.date, frozenset[str], frozenset[str]], Figures] = field(default_factory=dict, repr=False)

    def on(self, day: dt.date) -> Figures:
        """The figures as they stood on ``day``: of the municipalities as they were then, each with its
        population counted last on or before ``day``; a decision recorded with a later date is not made yet.

        The same object when nothing differed on ``day``; else one computation for every day with the
        same populations and decisions, so a build's figures are computed once per date of its documents'
        populations. An undated decision counts, as it did when it was recorded."""
        decided = self.content.commitments.commitments
        later = frozenset(s for s, d in decided.items() if d.date is not None and d.date > day)
        register = self.content.register
        dated = register.on(day)
        if (
            not later
            and dated.population_date == register.population_date
            and dated.kommuner.keys() == register.kommuner.keys()
        ):
            return self
        key = (dated.population_date, frozenset(dated.kommuner), later)
        if key not in self._dated:
            kept = {s: d for s, d in decided.items() if s not in later}
            commitments = self.content.commitments.model_copy(update={"commitments": kept})
            content = dataclasses.replace(self.content, commitments=commitments, register=dated)
            self._dated[key] = Figures(content)
        return self._dated[key]

    def kommune(self, slug: str) -> list[Figure]:
        """Average annual cost over the analysis period, for every scenario and price model."""
        if self._table is None:
            self._table = all_figures(self.content)
        return self._table[slug]

    def shared(self) -> _Shared:
        if self._shared is None:
            self._shared = _shared(self.content)
        return self._shared

    def outlook(self, slug: str) -> Outlook:
        """A municipality's annual cost by scenario and price model, the program's NPV and the condition."""
        return outlook(self.content, slug, self)

    def sector(self) -> Sector:
        """Every municipality in scope and the sums of their figures: the sector's documents' figures."""
        return sector(self.content, self)


def compute(content: Content) -> Figures:
    """The compute stage: the figures every document of a build shows, computed once, when first needed."""
    return Figures(content)


def outlook(content: Content, slug: str, figures: Figures | None = None) -> Outlook:
    """A municipality's annual cost by scenario and price model, the program's NPV and the condition."""
    figures = figures or Figures(content)
    shared = figures.shared()
    annual: dict[str, dict[str, Decimal | None]] = {}
    per_inhabitant: dict[str, dict[str, Decimal | None]] = {}
    for f in figures.kommune(slug):
        annual.setdefault(f.scenario, {})[f.model] = f.annual
        per_inhabitant.setdefault(f.scenario, {})[f.model] = f.per_inhabitant
    yearly: dict[str, dict[str, tuple[Decimal, ...] | None]] = {}
    joined: set[str] = set()
    for f in figures.kommune(slug):
        yearly.setdefault(f.scenario, {})[f.model] = f.yearly
        if f.joined:
            joined.add(f.scenario)
    rows = [
        ScenarioRow(
            sid,
            any(v is not None for v in annual[sid].values()),
            shared.members[sid],
            annual[sid],
            per,
            yearly[sid],
            sid in joined,
            calc.coverage(shared.member_population[sid], shared.total),
        )
        for sid, per in per_inhabitant.items()
    ]
    period = content.economics.analysis
    population = content.register.kommuner[slug].population
    return Outlook(
        slug=slug,
        population=population,
        population_share=calc.coverage(population, shared.total),
        first_year=period.start_year,
        last_year=period.start_year + period.period_years - 1,
        models=list(content.economics.price_models),
        rows=rows,
        net_present_value=shared.npv,
        condition=shared.condition,
        decision=decision(content, slug),
        by_status=shared.by_status,
        sensitivity=shared.sensitivity,
        break_even_population=shared.break_even_population,
        benefit_per_inhabitant=shared.benefit_per_inhabitant,
        society=shared.society,
        financing=shared.financing,
    )


@dataclass(frozen=True)
class SectorRow:
    """A municipality in scope as the sector's documents list it: its cost under each price model in each
    scenario, in whole kroner, as its own decision basis prints it (None: it does not take part)."""

    slug: str  # its name and number as on the document's date are the context's register's
    population: int
    status: str
    annual: dict[str, dict[str, Decimal | None]]  # scenario -> model -> average annual cost, whole kroner


@dataclass(frozen=True)
class SectorTotal:
    """A scenario for the sector as a whole: who takes part, what they pay a year under each price model
    (the sum of the rows), and the program's net present value."""

    scenario: str
    participants: int
    inhabitants: int
    annual: dict[str, Decimal]  # model -> the participants' costs a year, summed from their rows
    npv: Decimal


@dataclass(frozen=True)
class Sector:
    """What a document for the sector as a whole (KS, the state, the company's board) shows: the same
    computation as every municipality's figures, summed; finished numbers, nothing formatted."""

    first_year: int
    last_year: int
    models: list[str]
    condition: Condition
    by_status: dict[str, int]  # inhabitants in scope by commitment status, in the order of STATUSES
    count_by_status: dict[str, int]  # municipalities in scope by commitment status
    totals: list[SectorTotal]  # in the order of the scenarios
    rows: list[SectorRow]  # every municipality in scope, in alphabetical order
    society: tuple[SocietyPoint, ...]
    break_even_population: int | None
    financing: tuple[FinancingYear, ...]

    def total(self, scenario: str) -> SectorTotal:
        return next(t for t in self.totals if t.scenario == scenario)

    @property
    def status_shares(self) -> dict[str, Decimal]:
        return {s: calc.coverage(p, self.condition.total_population) for s, p in self.by_status.items()}

    @property
    def any_decided(self) -> bool:
        """Whether any municipality in scope has made its decision."""
        return _any_decided(self.count_by_status)

    @property
    def break_even_share(self) -> Decimal | None:
        total = self.condition.total_population
        if self.break_even_population is None or self.break_even_population > total:
            return None
        return calc.coverage(self.break_even_population, total)


_NORWEGIAN = str.maketrans({"æ": "z\u0001", "ø": "z\u0002", "å": "z\u0003", "é": "e", "á": "a"})


def _alphabetical(name: str) -> str:
    """A name's place in Norwegian alphabetical order: æ, ø and å after z, in that order."""
    return name.casefold().translate(_NORWEGIAN)


def _kroner(value: Decimal | None) -> Decimal | None:
    """Whole kroner, rounded as the documents print an amount (babel rounds half to even)."""
    return None if value is None else value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)


def sector(content: Content, figures: Figures) -> Sector:
    """The figures of every municipality in scope, and their sums, from the same computation as theirs."""
    shared = figures.shared()
    scope = in_scope(content)
    econ = content.economics
    rows = []
    exact: list[dict[str, dict[str, Decimal | None]]] = []  # each row's amounts, before rounding
    count_by_status: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for slug, kommune in sorted(scope.items(), key=lambda item: (_alphabetical(item[1].name), item[1].number)):
        status = decision(content, slug).status
        count_by_status[status] += 1
        annual: dict[str, dict[str, Decimal | None]] = {}
        for f in figures.kommune(slug):  # what it pays with those the scenario counts, not as one added to them
            annual.setdefault(f.scenario, {})[f.model] = None if f.joined else f.annual
        exact.append(annual)
        rows.append(
            SectorRow(
                slug, kommune.population, status, {s: {m: _kroner(v) for m, v in a.items()} for s, a in annual.items()}
            )
        )
    totals = []
    for sid in econ.scenarios:
        taking_part = [i for i, r in enumerate(rows) if any(v is not None for v in r.annual[sid].values())]
        totals.append(
            SectorTotal(
                sid,
                len(taking_part),
                sum(rows[i].population for i in taking_part),
                # the sum of the amounts before each was rounded to whole kroner: what the municipalities cover
                {
                    m: _kroner(sum((exact[i][sid][m] or Decimal(0) for i in taking_part), Decimal(0))) or Decimal(0)
                    for m in econ.price_models
                },
                shared.npv[sid],
            )
        )
    period = econ.analysis
    return Sector(
        first_year=period.start_year,
        last_year=period.start_year + period.period_years - 1,
        models=list(econ.price_models),
        condition=shared.condition,
        by_status=shared.by_status,
        count_by_status=count_by_status,
        totals=totals,
        rows=rows,
        society=shared.society,
        break_even_population=shared.break_even_population,
        financing=shared.financing,
    )
