"""The economics computation: hand-computed figures and invariants that hold for any input."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fkj_cli.content.economics import FixedVariable, PerInhabitant, Scenario, Tier, Tiered
from fkj_cli.economics import closing_set, coverage, participants, shares

from .conftest import SHIPPED
from .helpers import SAMPLE_REGISTER

PER_INHABITANT = PerInhabitant(kind="per_inhabitant", label="Pris per innbygger")
SPLIT_30_70 = FixedVariable(kind="fixed_variable", label="30/70", fixed_share=0.3)
TIERS = Tiered(
    kind="tiered",
    label="Størrelsesklasser",
    tiers=[
        Tier(up_to=5000, weight=Decimal(1)),
        Tier(up_to=50000, weight=Decimal(4)),
        Tier(up_to=None, weight=Decimal(10)),
    ],
)
# Bergen and Vinje (population 1 January 2024), sharing 10 million kroner.
TWO = {"bergen": 291_940, "vinje": 3_851}
AMOUNT = Decimal("10000000")


def test_per_inhabitant_by_hand() -> None:
    # 10 000 000 × 291 940 / 295 791 = 9 869 806,72...; Vinje gets the rest
    assert shares(PER_INHABITANT, TWO, AMOUNT) == {"bergen": Decimal("9869806.72"), "vinje": Decimal("130193.28")}


def test_fixed_and_variable_by_hand() -> None:
    # each: 3 000 000 / 2 = 1 500 000 fixed; variable 7 000 000 × p / 295 791
    # Bergen 1 500 000 + 6 908 864,706... ; Vinje 1 500 000 + 91 135,293...
    assert shares(SPLIT_30_70, TWO, AMOUNT) == {"bergen": Decimal("8408864.71"), "vinje": Decimal("1591135.29")}


def test_tiers_by_hand() -> None:
    # Bergen weight 10, Vinje weight 1: 10/11 and 1/11 of 10 000 000
    assert shares(TIERS, TWO, AMOUNT) == {"bergen": Decimal("9090909.09"), "vinje": Decimal("909090.91")}


def test_leftover_ore_go_to_the_largest_remainders() -> None:
    three = {"a": 1, "b": 1, "c": 1}
    assert shares(PER_INHABITANT, three, Decimal("100")) == {
        "a": Decimal("33.34"),
        "b": Decimal("33.33"),
        "c": Decimal("33.33"),
    }


populations = st.dictionaries(
    st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.integers(min_value=1, max_value=1_000_000), min_size=1, max_size=40
)
amounts = st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False)
models = st.sampled_from([PER_INHABITANT, SPLIT_30_70, TIERS])


@settings(max_examples=200, deadline=None)
@given(population=populations, amount=amounts, model=models)
def test_shares_sum_to_the_amount(population: dict[str, int], amount: Decimal, model: object) -> None:
    result = shares(model, population, amount)  # type: ignore[arg-type]
    assert set(result) == set(population)
    assert sum(result.values()) == amount
    assert all(v >= 0 and v == v.quantize(Decimal("0.01")) for v in result.values())


@settings(max_examples=200, deadline=None)
@given(population=populations, amount=amounts)
def test_per_inhabitant_cost_is_monotone_in_population(population: dict[str, int], amount: Decimal) -> None:
    result = shares(PER_INHABITANT, population, amount)
    ordered = sorted(population, key=lambda s: population[s])
    for smaller, larger in itertools.pairwise(ordered):
        if population[smaller] < population[larger]:
            assert result[smaller] <= result[larger]


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=0, max_value=10**7))
def test_coverage_lies_between_0_and_1(a: int, b: int) -> None:
    committed, total = min(a, b), max(a, b)
    assert Decimal(0) <= coverage(committed, total) <= Decimal(1)


def test_scenario_of_the_largest_up_to_a_share() -> None:
    scenario = Scenario(label="55 %", rule="inhabitant_share", inhabitant_share=0.55)
    population = {"a": 50, "b": 30, "c": 15, "d": 5}
    assert participants(scenario, population, set()) == {"a": 50, "b": 30}


def outside_midt_norge(register_file: Path) -> dict[str, int]:
    """Kommunenummer and population of each municipality outside Møre og Romsdal (15) and Trøndelag (50)."""
    register = json.loads(register_file.read_text(encoding="utf-8"))
    return {k["kommunenummer"]: k["population"] for k in register if k["county_number"] not in ("15", "50")}


def test_the_55_percent_condition_on_the_real_register() -> None:
    """Oslo, Bergen, Stavanger, Bærum and Kristiansand commit; checked by hand below (the shipped register)."""
    register = yaml.safe_load((SHIPPED / "kommuner.yaml").read_text(encoding="utf-8"))["kommuner"]
    counted = dt.date(2024, 1, 1)
    outside = {k["number"]: k["population"][counted] for k in register.values() if k["number"][:2] not in ("15", "50")}
    assert len(outside) == 292
    assert sum(outside.values()) == 4_796_623
    committed = {"0301", "4601", "1103", "3201", "4204"}
    committed_population = sum(outside[n] for n in committed)
    # 717 710 + 291 940 + 149 048 + 130 921 + 116 986 = 1 406 605
    assert committed_population == 1_406_605
    share = coverage(committed_population, sum(outside.values()))
    # 1 406 605 / 4 796 623 = 0,29325... (29,3 %)
    assert share.quantize(Decimal("0.0001")) == Decimal("0.2932")
    # 55 % of 4 796 623 is 2 638 142,65: the gap is 1 231 537,65 inhabitants, so 1 231 538 whole ones
    gap = 2_638_143 - committed_population
    undecided = {n: p for n, p in outside.items() if n not in committed}
    chosen = closing_set(undecided, gap)
    assert sum(undecided[n] for n in chosen) >= gap
    assert sum(undecided[n] for n in chosen[:-1]) < gap


def test_the_55_percent_condition_on_the_sample_register() -> None:
    """The same computation on the 42 municipalities of the sample register, with Oslo and Bergen committed."""
    outside = outside_midt_norge(SAMPLE_REGISTER)
    # 42 less six in Møre og Romsdal and six in Trøndelag
    assert len(outside) == 30
    assert sum(outside.values()) == 2_189_675
    committed = {"0301", "4601"}
    committed_population = sum(outside[n] for n in committed)
    # 717 710 + 291 940 = 1 009 650
    assert committed_population == 1_009_650
    share = coverage(committed_population, sum(outside.values()))
    # 1 009 650 / 2 189 675 = 0,46109... (46,1 %)
    assert share.quantize(Decimal("0.0001")) == Decimal("0.4611")
    # 55 % of 2 189 675 is 1 204 321,25: the gap is 194 671,25 inhabitants, so 194 672 whole ones
    gap = 1_204_322 - committed_population
    undecided = {n: p for n, p in outside.items() if n not in committed}
    chosen = closing_set(undecided, gap)
    assert sum(undecided[n] for n in chosen) >= gap
    assert sum(undecided[n] for n in chosen[:-1]) < gap
    # the largest first: Stavanger (149 048) is not enough, Bærum (130 921) closes it
    assert chosen == ["1103", "3201"]


def test_the_states_grants_come_only_where_those_taking_part_meet_the_condition() -> None:
    """Seed 004: the state funds the program after 2022 only if municipalities with 55 % of the inhabitants
    commit. A scenario with fewer (the collaboration municipalities alone) pays the whole cost; one that
    meets it (all, or 55 %) pays the cost less the grants."""
    from fkj_cli.participation import all_figures, condition, in_scope
    from fkj_cli.pipeline import load_content

    content = load_content(SHIPPED)
    econ = content.economics
    years = range(econ.analysis.start_year, econ.analysis.start_year + econ.analysis.period_years)
    cost = sum(c.amount.nok for c in econ.costs if c.year in years) / len(years)
    grants = sum(g.amount.nok for g in econ.state_grants if g.year in years) / len(years)
    figures = all_figures(content)
    scope = in_scope(content)
    needed = condition(content).needed
    for scenario_id, scenario in econ.scenarios.items():
        members = participants(scenario, {s: k.population for s, k in scope.items()}, set())
        funded = sum(members.values()) >= needed
        paid = sum(
            f.annual for s in members for f in figures[s] if f.scenario == scenario_id and f.model == "per-innbygger"
        )
        expected = cost - grants if funded else cost
        assert abs(paid - expected) < len(members), scenario_id  # each share rounded to the øre
        assert funded == (scenario_id != "samarbeidskommunene"), scenario_id
