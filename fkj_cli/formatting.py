"""Norwegian number, amount and date formats, as the Jinja filters templates use.

Templates format and never compute: every number reaches a template finished
and leaves through one of these filters, in the document's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal

from fkj_cli.content.types import Money, MonthDate

NBSP = "\u00a0"
MINUS = "\u2212"
LOCALES = {"nb": "nb_NO", "nn": "nn_NO"}
_UNIT_WORDS = {
    "nb": {"MNOK": "millioner kroner", "NOK": "kroner"},
    "nn": {"MNOK": "millionar kroner", "NOK": "kroner"},
}
_UNIT_SHORT = {"MNOK": "mill. kr", "NOK": "kr"}
_AND = {"nb": "og", "nn": "og"}


def num(value: int | float | Decimal, decimals: int | None = None, lang: str = "nb") -> str:
    """``291940`` -> ``"291 940"`` (non-breaking space); ``decimals`` fixes the decimals shown."""
    if decimals is None:
        text = format_decimal(value, locale=LOCALES[lang])
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        text = format_decimal(value, format=pattern, locale=LOCALES[lang])
    # babel writes a hyphen; Norwegian typesetting uses the minus sign
    return MINUS + text[1:] if text.startswith("-") else text


def money(value: Money, lang: str = "nb") -> str:
    """``91,4 MNOK`` -> ``"91,4 millioner kroner"``, the form for running text."""
    return f"{num(value.value, lang=lang)} {_UNIT_WORDS[lang][value.unit]}"


def money_short(value: Money, lang: str = "nb") -> str:
    """``91,4 MNOK`` -> ``"91,4 mill. kr"``, the form for tables."""
    return f"{num(value.value, lang=lang)}{NBSP}{_UNIT_SHORT[value.unit]}"


def amount(value: Money, decimals: int = 1, lang: str = "nb") -> str:
    """The bare number of an amount, for a table column whose header names the unit."""
    return num(value.value, decimals, lang=lang)


def millions(value: int | Decimal, decimals: int = 1, lang: str = "nb") -> str:
    """An amount in kroner as millions for a column headed "mill. kr": ``-1234567`` -> ``"−1,2"``."""
    return num(Decimal(value) / 1_000_000, decimals, lang=lang)


def date_long(value: dt.date | MonthDate, lang: str = "nb") -> str:
    """``"30. juni 2022"``, or ``"september 2022"`` for a month."""
    if isinstance(value, MonthDate):
        if value.day is None:
            return format_date(dt.date(value.year, value.month, 1), "MMMM y", locale=LOCALES[lang])
        value = dt.date(value.year, value.month, value.day)
    return format_date(value, "d. MMMM y", locale=LOCALES[lang])


def date_short(value: dt.date | MonthDate, lang: str = "nb") -> str:
    """``"30.06.2022"``, or ``"09.2022"`` for a month."""
    if isinstance(value, MonthDate):
        if value.day is None:
            return f"{value.month:02d}.{value.year}"
        value = dt.date(value.year, value.month, value.day)
    return value.strftime("%d.%m.%Y")


def percent(value: float | Decimal, decimals: int = 0, lang: str = "nb") -> str:
    """``0.55`` -> ``"55 %"`` (non-breaking space before the sign).

    A share above zero too small to show at ``decimals`` reads ``"under 0,1 %"``, not ``"0,0 %"``
    (Utsira's 215 inhabitants of 4,8 million)."""
    hundred = Decimal(str(value)) * 100
    step = Decimal(1).scaleb(-decimals)
    if 0 < hundred < step / 2:
        return f"under{NBSP}{num(step, decimals, lang=lang)}{NBSP}%"
    return f"{num(hundred, decimals, lang=lang)}{NBSP}%"


def join_and(items: Iterable[Any], lang: str = "nb") -> str:
    """``["A", "B", "C"]`` -> ``"A, B og C"``."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {_AND[lang]} {words[-1]}"


def org_number(value: str, lang: str = "nb") -> str:
    """``"971032146"`` -> ``"971 032 146"``, grouped in threes as Enhetsregisteret shows it."""
    return NBSP.join(value[i : i + 3] for i in range(0, len(value), 3))


FILTERS: dict[str, Callable[..., str]] = {
    "org_number": org_number,
    "num": num,
    "money": money,
    "money_short": money_short,
    "amount": amount,
    "millions": millions,
    "date_long": date_long,
    "date_short": date_short,
    "percent": percent,
    "join_and": join_and,
}
