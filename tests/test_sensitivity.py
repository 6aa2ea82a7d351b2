"""The sensitivity analysis (R-109): the NPV as the key assumptions vary, and the break-even benefit.

The NPV is linear in the benefit b per inhabitant a year (at full effect):
NPV(b) = b * P * D - C, with P the participating inhabitants, D the present
value of one krone a year per inhabitant (the years the benefit is in effect,
discounted) and C the present value of the costs. So the break-even benefit
is b* = C / (P * D). The figures below are worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from fkj_cli.content.economics import Analysis, Economics
from fkj_cli.economics import (
    break_even_benefit,
    break_even_benefit_exact,
    break_even_population,
    discounted_benefit_years,
    discounted_costs,
    investment_cost,
    net_present_value,
    present_value,
)
from fkj_cli.participation import compute
from fkj_cli.pipeline import load_content  # the content only: the figures need no document's texts

from .conftest import SHIPPED, replace, use_full_register
from .helpers import Maker

ORE = Decimal("0.01")


def economics(
    costs: list[tuple[int, str, str]], benefits: list[tuple[str, int]], rate: float, period: int, start: int = 2024
) -> Economics:
    """A small Economics: costs (year, phase, amount), benefit lines (amount per inhabitant, from year)."""
    return Economics.model_validate(
        {
            "assumption_note": "Forutsetninger",
            "texts": {"figures": "Tall", "coverage": "Dekning"},
            "costs": [{"year": y, "phase": p, "amount": a} for y, p, a in costs],
            "price_models": {"per-innbygger": {"kind": "per_inhabitant", "label": "Per innbygger"}},
            "scenarios": {"alle": {"label": "Alle", "rule": "all"}},
            "benefits": [
                {"label": "Gevinst", "per_inhabitant_per_year": a, "from_year": y, "basis": "Forutsetning"}
                for a, y in benefits
            ],
            "analysis": {"discount_rate": rate, "period_years": period, "start_year": start, "price_base_year": start},
        }
    )


# Two years at 4 %: 2024 investment 100 kr, 2025 operation 50 kr; a benefit of 10 kr per inhabitant from 2025.
# 1,04 = 26/25, so the 2025 discount factor is 25/26.
TWO_YEARS = economics([(2024, "investment", "100 NOK"), (2025, "operation", "50 NOK")], [("10 NOK", 2025)], 0.04, 2)


def test_two_years_by_hand() -> None:
    """C = 100 + 50 * 25/26 = 3850/26 = 148,0769...; D = 25/26 (the benefit only in 2025).

    NPV(b, P) = b * P * 25/26 - 3850/26 = (25 b P - 3850) / 26.
    - P = 10: (2500 - 3850) / 26 = -1350/26 = -51,92... -> -52
    - P = 26: (6500 - 3850) / 26 = 2650/26 = 101,92... -> 102
    Year by year for P = 10: -100 + (100 - 50) / 1,04 = -100 + 48,0769... = -51,92...
    """
    assert net_present_value(TWO_YEARS, 10) == Decimal(-52)
    assert net_present_value(TWO_YEARS, 26) == Decimal(102)
    with localcontext() as ctx:
        ctx.prec = 60
        assert discounted_costs(TWO_YEARS) == Decimal(3850) / Decimal(26)
        assert discounted_benefit_years(TWO_YEARS) == Decimal(25) / Decimal(26)
    assert investment_cost(TWO_YEARS) == Decimal(100)


def test_two_years_sensitivity_by_hand() -> None:
    """P = 10, one assumption changed at a time.

    - benefit -30 % (7 kr): (25 * 7 * 10 - 3850) / 26 = -2100/26 = -80,77 -> -81
    - benefit +30 % (13 kr): (3250 - 3850) / 26 = -600/26 = -23,08 -> -23
    - benefit 15,40 kr (absolute): (3850 - 3850) / 26 = 0
    - investment -30 % (70 kr): -70 + 50 * 25/26 = -70 + 48,08 = -21,92 -> -22
    - investment +30 % (130 kr): -130 + 48,08 = -81,92 -> -82
    - rate 3 %: -100 + 50 / 1,03 = -100 + 48,54 = -51,46 -> -51
    - rate 5 %: -100 + 50 / 1,05 = -100 + 47,62 = -52,38 -> -52
    """
    assert net_present_value(TWO_YEARS, 10, benefit_factor=Decimal("0.7")) == Decimal(-81)
    assert net_present_value(TWO_YEARS, 10, benefit_factor=Decimal("1.3")) == Decimal(-23)
    assert present_value(TWO_YEARS, 10, benefit_per_inhabitant=Decimal("15.40")) == 0
    assert net_present_value(TWO_YEARS, 10, investment_factor=Decimal("0.7")) == Decimal(-22)
    assert net_present_value(TWO_YEARS, 10, investment_factor=Decimal("1.3")) == Decimal(-82)
    assert net_present_value(TWO_YEARS, 10, discount_rate=Decimal("0.03")) == Decimal(-51)
    assert net_present_value(TWO_YEARS, 10, discount_rate=Decimal("0.05")) == Decimal(-52)
    # the same 100 kr investment only ever counts once: operation costs do not scale with it
    assert investment_cost(TWO_YEARS, Decimal("1.3")) == Decimal(130)


def test_two_years_break_even_by_hand() -> None:
    """b* = C / (P * D) = (3850/26) / (P * 25/26) = 3850 / (25 P) = 154 / P.

    - P = 10: 15,40 kr exactly; the NPV there is -100 + (154 - 50) / 1,04 = -100 + 100 = 0.
    - P = 26: 154/26 = 5,923... -> 5,93 (rounded up to the øre: the least whole-øre benefit with NPV >= 0).
    - At r the break-even is (100 (1 + r) + 50) / P: 15,30 kr at 3 %, 15,50 kr at 5 % for P = 10.
    - With the investment -30 %: (70 * 1,04 + 50) / 10 = 122,8 / 10 = 12,28 kr.
    - The fewest inhabitants for NPV >= 0 at 10 kr: 3850 / (25 * 10) = 15,4 -> 16.
    """
    assert break_even_benefit(TWO_YEARS, 10) == Decimal("15.40")
    assert break_even_benefit_exact(TWO_YEARS, 10) == Decimal("15.4")
    assert net_present_value(TWO_YEARS, 10, benefit_per_inhabitant=Decimal("15.40")) == 0
    assert break_even_benefit(TWO_YEARS, 26) == Decimal("5.93")
    assert net_present_value(TWO_YEARS, 26, benefit_per_inhabitant=Decimal("5.93")) >= 0
    assert present_value(TWO_YEARS, 26, benefit_per_inhabitant=Decimal("5.92")) < 0
    assert break_even_benefit(TWO_YEARS, 10, discount_rate=Decimal("0.03")) == Decimal("15.30")
    assert break_even_benefit(TWO_YEARS, 10, discount_rate=Decimal("0.05")) == Decimal("15.50")
    assert break_even_benefit(TWO_YEARS, 10, investment_factor=Decimal("0.7")) == Decimal("12.28")
    assert break_even_population(TWO_YEARS) == 16
    assert net_present_value(TWO_YEARS, 16) >= 0 > present_value(TWO_YEARS, 15)


# Three years at 25 % (discount factors 1, 0,8, 0,64: every figure terminates): 2024 investment 100 kr,
# 2025 investment 20 kr, 2026 operation 30 kr; benefit lines 6 kr from 2025 and 4 kr from 2026 (10 kr at full effect).
THREE_YEARS = economics(
    [(2024, "investment", "100 NOK"), (2025, "investment", "20 NOK"), (2026, "operation", "30 NOK")],
    [("6 NOK", 2025), ("4 NOK", 2026)],
    0.25,
    3,
)


def test_two_benefit_lines_by_hand() -> None:
    """C = 100 + 20 * 0,8 + 30 * 0,64 = 100 + 16 + 19,2 = 135,2.

    D = 0,6 * 0,8 + 1 * 0,64 = 1,12 (in 2025 the 6 kr line is 6/10 of the full benefit).
    P = 5: NPV = 10 * 5 * 1,12 - 135,2 = 56 - 135,2 = -79,2 -> -79;
    year by year -100 + (30 - 20) * 0,8 + (50 - 30) * 0,64 = -100 + 8 + 12,8 = -79,2.
    - benefit 20 kr at full effect (lines 12 and 8 kr): 20 * 5 * 1,12 - 135,2 = 112 - 135,2 = -23,2
    - investment -30 % (70 and 14 kr): C = 70 + 11,2 + 19,2 = 100,4; NPV = 56 - 100,4 = -44,4
    - b* = 135,2 / (5 * 1,12) = 135,2 / 5,6 = 24,142857... -> 24,15
    - fewest inhabitants at 10 kr: 135,2 / (10 * 1,12) = 12,07... -> 13
    """
    assert discounted_costs(THREE_YEARS) == Decimal("135.2")
    assert discounted_benefit_years(THREE_YEARS) == Decimal("1.12")
    assert present_value(THREE_YEARS, 5) == Decimal("-79.2")
    assert net_present_value(THREE_YEARS, 5) == Decimal(-79)
    assert present_value(THREE_YEARS, 5, benefit_per_inhabitant=Decimal(20)) == Decimal("-23.2")
    assert present_value(THREE_YEARS, 5, benefit_factor=Decimal(2)) == Decimal("-23.2")
    assert present_value(THREE_YEARS, 5, investment_factor=Decimal("0.7")) == Decimal("-44.4")
    assert investment_cost(THREE_YEARS) == Decimal(120)
    with localcontext() as ctx:
        ctx.prec = 60
        assert break_even_benefit_exact(THREE_YEARS, 5) == Decimal("135.2") / Decimal("5.6")
    assert break_even_benefit(THREE_YEARS, 5) == Decimal("24.15")
    assert break_even_population(THREE_YEARS) == 13


def test_no_break_even_without_participants_or_benefit() -> None:
    assert break_even_benefit(TWO_YEARS, 0) is None
    # the benefit starts after the analysis period: no benefit is ever enough
    late = economics([(2024, "investment", "100 NOK")], [("10 NOK", 2030)], 0.04, 2)
    assert break_even_benefit(late, 1000) is None
    assert break_even_population(late) is None
    none = economics([(2024, "investment", "100 NOK")], [], 0.04, 2)
    assert break_even_benefit(none, 1000) is None
    assert break_even_population(none) is None
    # no costs in the period: any benefit breaks even
    free = economics([(2030, "investment", "100 NOK")], [("10 NOK", 2024)], 0.04, 2)
    assert break_even_benefit(free, 10) == 0


@settings(max_examples=150, deadline=None)
@given(
    costs=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=5),
            st.sampled_from(["investment", "operation"]),
            st.integers(min_value=0, max_value=10**6),
        ),
        min_size=1,
        max_size=8,
    ),
    benefits=st.lists(
        st.tuples(st.integers(min_value=1, max_value=10_000), st.integers(min_value=0, max_value=5)),
        min_size=1,
        max_size=3,
    ),
    rate=st.sampled_from([0.0, 0.01, 0.035, 0.04, 0.07, 0.25]),
    population=st.integers(min_value=1, max_value=10**6),
)
def test_the_npv_at_the_break_even_is_zero(
    costs: list[tuple[int, str, int]], benefits: list[tuple[int, int]], rate: float, population: int
) -> None:
    econ = economics(
        [(2024 + y, p, f"{a / 100:.2f} NOK") for y, p, a in costs],
        [(f"{a / 100:.2f} NOK", 2024 + y) for a, y in benefits],
        rate,
        6,
    )
    exact = break_even_benefit_exact(econ, population)
    assert exact is not None
    # exactly zero up to the 60-digit arithmetic
    assert abs(present_value(econ, population, benefit_per_inhabitant=exact)) < Decimal("1e-40")
    assert net_present_value(econ, population, benefit_per_inhabitant=exact) == 0
    # rounded up to the øre: not negative there, negative one øre below
    rounded = break_even_benefit(econ, population)
    assert rounded is not None
    assert rounded == rounded.quantize(ORE)
    assert present_value(econ, population, benefit_per_inhabitant=rounded) > Decimal("-1e-30")
    if rounded > 0:
        assert present_value(econ, population, benefit_per_inhabitant=rounded - ORE) < 0
    # linear in the benefit: NPV(b) = b P D - C
    b = Decimal(benefits[0][0]) / 100
    d = discounted_benefit_years(econ)
    c = discounted_costs(econ)
    with localcontext() as ctx:
        ctx.prec = 60
        assert abs(present_value(econ, population, benefit_per_inhabitant=b) - (b * population * d - c)) < Decimal(
            "1e-40"
        )


def test_the_sensitivity_ranges_are_content_assumptions() -> None:
    analysis = {"discount_rate": 0.04, "period_years": 10, "start_year": 2024, "price_base_year": 2023}
    default = Analysis.model_validate(analysis).sensitivity
    assert default.benefit == [Decimal("-0.3"), Decimal("0.3")]
    assert default.investment == [Decimal("-0.3"), Decimal("0.3")]
    assert default.discount_rate == [Decimal("-0.01"), Decimal("0.01")]
    shipped = yaml.safe_load((SHIPPED / "economics.yaml").read_text(encoding="utf-8"))["analysis"]["sensitivity"]
    assert shipped == {"benefit": [-0.3, 0.3], "investment": [-0.3, 0.3], "discount_rate": [-0.01, 0.01]}
    with pytest.raises(ValidationError, match=r"would make the discount rate -0\.01, below 0"):
        Analysis.model_validate({**analysis, "sensitivity": {"discount_rate": [-0.05]}})
    # the default ranges do not make a low rate an error: the computation leaves out a rate below 0 %
    assert Analysis.model_validate({**analysis, "discount_rate": 0.005}).sensitivity == default


def test_outlook_shows_the_sensitivity_of_each_scenario(make_tree: Maker) -> None:
    root = make_tree({"economics.yaml": replace("    benefit: [-0.3, 0.3]\n", "    benefit: [-0.5, -0.3, 0.3]\n")})
    content = load_content(root)
    econ = content.economics
    outlook = compute(content).outlook("bergen")
    assert list(outlook.sensitivity) == list(econ.scenarios) == list(outlook.break_even) == list(outlook.npv_sign)
    for sid, s in outlook.sensitivity.items():
        p = s.inhabitants
        assert s.npv == outlook.net_present_value[sid] == net_present_value(econ, p)
        assert s.participants == next(r.participants for r in outlook.rows if r.scenario == sid)
        assert (s.benefit, s.investment, s.discount_rate) == (Decimal(120), Decimal(900_000_000), Decimal("0.04"))
        assert [(v.change, v.value) for v in s.by_benefit] == [
            (Decimal("-0.5"), Decimal(60)),
            (Decimal("-0.3"), Decimal(84)),
            (Decimal("0.3"), Decimal(156)),
        ]
        assert [v.npv for v in s.by_benefit] == [
            net_present_value(econ, p, benefit_factor=f) for f in (Decimal("0.5"), Decimal("0.7"), Decimal("1.3"))
        ]
        assert [(v.value, v.npv) for v in s.by_investment] == [
            (Decimal(630_000_000), net_present_value(econ, p, investment_factor=Decimal("0.7"))),
            (Decimal(1_170_000_000), net_present_value(econ, p, investment_factor=Decimal("1.3"))),
        ]
        assert [(v.value, v.npv) for v in s.by_discount_rate] == [
            (Decimal("0.03"), net_present_value(econ, p, discount_rate=Decimal("0.03"))),
            (Decimal("0.05"), net_present_value(econ, p, discount_rate=Decimal("0.05"))),
        ]
        # less benefit or more investment: a lower NPV
        assert [v.npv for v in s.by_benefit] == sorted(v.npv for v in s.by_benefit)
        assert s.by_investment[0].npv > s.npv > s.by_investment[1].npv
        # (not so for the rate: when the net flows are negative late, a higher rate makes the NPV less negative)
        assert s.break_even == outlook.break_even[sid] == break_even_benefit(econ, p)
        assert outlook.npv_sign[sid] == (1 if s.npv > 0 else -1)
    # the ten-municipality register has too few inhabitants for a positive NPV in any scenario
    assert set(outlook.npv_sign.values()) == {-1}
    assert outlook.break_even_population == break_even_population(econ)


# ---------------------------------------------------------------- the shipped assumptions on the full register

SCENARIOS = ("alle", "terskel", "samarbeidskommunene")


def by_hand(inhabitants: int) -> tuple[Fraction, Fraction, Fraction]:
    """NPV, C and D of the shipped assumptions with exact fractions, independently of fkj's code.

    Costs 300 MNOK a year 2024–2026 (investment) and 250 MNOK a year 2027–2033
    (operation); 120 kr per inhabitant a year from 2027; 4 % (1,04 = 26/25), ten years from 2024.
    C = 300 M * (1 + 25/26 + (25/26)^2) + 250 M * sum_{t=3..9} (25/26)^t
      = 865,83 M + 1 387,31 M = 2 253,14 M
    D = sum_{t=3..9} (25/26)^t = 5,549237
    """
    f = Fraction(25, 26)
    c = sum(Fraction(300_000_000) * f**t for t in range(3)) + sum(Fraction(250_000_000) * f**t for t in range(3, 10))
    d = sum(f**t for t in range(3, 10))
    return 120 * inhabitants * d - c, c, d


def round_half_even(value: Fraction) -> int:
    return round(value)  # Fraction rounds half to even, as Decimal.quantize does


@pytest.fixture
def full(make_tree: Maker) -> Any:
    root = make_tree()
    use_full_register(root)
    content = load_content(root)
    return content, compute(content).outlook("bergen")


def test_headline_npvs_on_the_full_register(full: Any) -> None:
    """+941, -495 and -1 725 MNOK (the issue), from 4 796 623, 2 640 287 and 793 408 inhabitants.

    alle: 120 * 4 796 623 * 5,549237 - 2 253,14 M = 3 194,11 M - 2 253,14 M = 940,97 M
    terskel: 120 * 2 640 287 * 5,549237 - 2 253,14 M = 1 758,19 M - 2 253,14 M = -494,95 M
    samarbeidskommunene: 120 * 793 408 * 5,549237 - 2 253,14 M = 528,34 M - 2 253,14 M = -1 724,80 M
    """
    _, outlook = full
    register = yaml.safe_load((SHIPPED / "kommuner.yaml").read_text(encoding="utf-8"))["kommuner"]
    # the figures as they stand now: of the latest count
    counted = dt.date(2024, 1, 1)
    outside = {s: k["population"][counted] for s, k in register.items() if k["number"][:2] not in ("15", "50")}
    largest = sorted(outside.values(), reverse=True)
    # the largest municipalities until they have 55 % of the 4 796 623 inhabitants (2 638 142,65)
    n = next(i for i in range(len(largest)) if sum(largest[: i + 1]) >= Fraction(55, 100) * sum(largest))
    collaboration = ["bergen", "baerum", "bodo", "hammerfest", "kristiansand", "ringsaker", "stavanger", "vinje"]
    inhabitants = {
        "alle": sum(outside.values()),
        "terskel": sum(largest[: n + 1]),
        "samarbeidskommunene": sum(outside[s] for s in collaboration),
    }
    assert inhabitants == {"alle": 4_796_623, "terskel": 2_640_287, "samarbeidskommunene": 793_408}
    s = outlook.sensitivity
    assert {sid: (s[sid].participants, s[sid].inhabitants) for sid in SCENARIOS} == {
        "alle": (292, 4_796_623),
        "terskel": (24, 2_640_287),
        "samarbeidskommunene": (8, 793_408),
    }
    assert {sid: outlook.net_present_value[sid] for sid in SCENARIOS} == {
        sid: Decimal(round_half_even(by_hand(inhabitants[sid])[0])) for sid in SCENARIOS
    }
    mnok = {sid: (outlook.net_present_value[sid] / 1_000_000).quantize(Decimal(1)) for sid in SCENARIOS}
    assert mnok == {"alle": 941, "terskel": -495, "samarbeidskommunene": -1725}
    assert outlook.npv_sign == {"alle": 1, "terskel": -1, "samarbeidskommunene": -1}


def test_break_even_on_the_full_register(full: Any) -> None:
    """b* = C / (P * D) = 2 253 137 636,36 / (P * 5,549237):

    alle 84,648... -> 84,65 kr; terskel 153,781... -> 153,79 kr; samarbeidskommunene 511,750... -> 511,76 kr
    (against an assumed 120 kr: 29 % less is enough when all take part; 28 % and 326 % more are needed).
    """
    content, outlook = full
    econ = content.economics
    for sid in SCENARIOS:
        p = outlook.sensitivity[sid].inhabitants
        _, c, d = by_hand(p)
        exact = c / (p * d)
        assert outlook.break_even[sid] == Decimal(math.ceil(exact * 100)) / 100
        # at the exact break-even the NPV is zero to the krone (and to 40 digits)
        b = break_even_benefit_exact(econ, p)
        assert b is not None
        assert net_present_value(econ, p, benefit_per_inhabitant=b) == 0
        assert abs(present_value(econ, p, benefit_per_inhabitant=b)) < Decimal("1e-40")
        # the øre it is rounded up to moves the NPV by less than 0,01 kr * P * D
        rounded = outlook.break_even[sid]
        assert (
            0
            <= present_value(econ, p, benefit_per_inhabitant=rounded)
            < ORE * p * Decimal(d.numerator) / Decimal(d.denominator)
        )
        assert present_value(econ, p, benefit_per_inhabitant=rounded - ORE) < 0
    assert outlook.break_even == {
        "alle": Decimal("84.65"),
        "terskel": Decimal("153.79"),
        "samarbeidskommunene": Decimal("511.76"),
    }
    # the fewest inhabitants at 120 kr: 2 253 137 636,36 / (120 * 5,549237) = 3 383 554,1 -> 3 383 555
    _, c, d = by_hand(0)
    assert outlook.break_even_population == math.ceil(c / (120 * d)) == 3_383_555


def test_sensitivity_table_on_the_full_register(full: Any) -> None:
    """The NPV in whole kroner with one assumption changed, checked against the exact fractions.

    Benefit ±30 % (84 and 156 kr): 84 < 84,65, so even with all taking part the NPV turns (just) negative;
    156 > 153,79, so the 55 % scenario turns (just) positive.
    Investment ±30 %: C changes by ∓0,3 * 300 M * (1 + 25/26 + (25/26)^2) = ∓259,75 M.
    """
    _, outlook = full
    f = Fraction(25, 26)
    invest = sum(Fraction(300_000_000) * f**t for t in range(3))
    expected: dict[str, list[int]] = {}
    for sid in SCENARIOS:
        p = outlook.sensitivity[sid].inhabitants
        npv, c, d = by_hand(p)
        expected[sid] = [
            round_half_even(Fraction(84) * p * d - c),
            round_half_even(Fraction(156) * p * d - c),
            round_half_even(npv + Fraction(3, 10) * invest),
            round_half_even(npv - Fraction(3, 10) * invest),
        ]
    actual = {sid: [int(v.npv) for v in (*s.by_benefit, *s.by_investment)] for sid, s in outlook.sensitivity.items()}
    assert actual == expected
    assert actual == {
        "alle": [-17_259_445, 1_899_207_577, 1_200_722_587, 681_225_545],
        "terskel": [-1_022_405_072, 32_508_554, -235_199_739, -754_696_780],
        "samarbeidskommunene": [-1_883_301_682, -1_566_299_436, -1_465_052_038, -1_984_549_080],
    }
    rates = {sid: [int(v.npv) for v in s.by_discount_rate] for sid, s in outlook.sensitivity.items()}
    assert rates == {
        "alle": [1_038_059_651, 851_032_070],
        "terskel": [-481_546_355, -507_048_503],
        "samarbeidskommunene": [-1_783_072_842, -1_670_230_164],
    }
    # at 3 % and 5 %, by hand for all taking part: 1,03 and 1,05 as fractions
    p = outlook.sensitivity["alle"].inhabitants
    for i, r in enumerate((Fraction(103, 100), Fraction(105, 100))):
        c = sum(Fraction(300_000_000) / r**t for t in range(3)) + sum(
            Fraction(250_000_000) / r**t for t in range(3, 10)
        )
        assert rates["alle"][i] == round_half_even(120 * p * sum(1 / r**t for t in range(3, 10)) - c)
