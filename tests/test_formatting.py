"""Norwegian formats of numbers, amounts, dates and percentages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fkj_cli.content.types import Money, MonthDate
from fkj_cli.formatting import amount, date_long, date_short, join_and, money, money_short, num, percent

NBSP = "\u00a0"


def test_thousands_are_grouped_with_a_non_breaking_space() -> None:
    assert num(291940) == f"291{NBSP}940"
    assert num(4796623) == f"4{NBSP}796{NBSP}623"
    assert num(950) == "950"
    assert num(Decimal("1234.5"), 1) == f"1{NBSP}234,5"


def test_amounts_in_text_and_tables() -> None:
    assert money(Money.model_validate("91,4 MNOK")) == "91,4 millioner kroner"
    assert money(Money.model_validate("103 MNOK")) == "103 millioner kroner"
    assert money(Money.model_validate("91,4 MNOK"), lang="nn") == "91,4 millionar kroner"
    assert money(Money.model_validate("20 NOK")) == "20 kroner"
    assert money_short(Money.model_validate("194.4 MNOK")) == f"194,4{NBSP}mill. kr"
    assert amount(Money.model_validate("103 MNOK")) == "103,0"


def test_dates() -> None:
    assert date_long(dt.date(2022, 6, 30)) == "30. juni 2022"
    assert date_long(MonthDate.model_validate("2022-09")) == "september 2022"
    assert date_long(MonthDate.model_validate(dt.date(2023, 4, 1)), lang="nn") == "1. april 2023"
    assert date_short(dt.date(2022, 6, 30)) == "30.06.2022"
    assert date_short(MonthDate.model_validate("2022-09")) == "09.2022"


def test_percent() -> None:
    assert percent(0.55) == f"55{NBSP}%"
    assert percent(0.5534, 1) == f"55,3{NBSP}%"


def test_join_and() -> None:
    assert join_and(["Bergen", "Bærum", "Bodø"]) == "Bergen, Bærum og Bodø"
    assert join_and(["Vinje"]) == "Vinje"
    assert join_and([]) == ""


def test_a_share_too_small_to_show_says_so() -> None:
    assert percent(Decimal(215) / Decimal(4_796_623), 1) == "under\u00a00,1\u00a0%"
    assert percent(0, 1) == "0,0\u00a0%"
    assert percent(Decimal("0.0006"), 1) == "0,1\u00a0%"
    assert percent(Decimal("0.004"), 0) == "under\u00a01\u00a0%"
