"""The economics of participation: ``content/economics.yaml`` and ``content/commitments.yaml``.

Every figure in economics.yaml is a planning assumption (forutsetning), and
the documents say so; the computation lives in :mod:`fkj_cli.economics`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, model_validator

from fkj_cli.content.types import Markdown, Money, Share, Slug, Strict

Phase = Literal["investment", "operation"]


def _not_negative(value: Money) -> Money:
    if value.value < 0:
        raise ValueError(f"an amount here cannot be negative, not {value.value.normalize():f} {value.unit}")
    return value


Amount = Annotated[Money, AfterValidator(_not_negative)]


class CostLine(Strict):
    year: int = Field(ge=2000, le=2100)
    phase: Phase
    amount: Amount


class GrantLine(Strict):
    year: int = Field(ge=2000, le=2100)
    amount: Amount


class PerInhabitant(Strict):
    kind: Literal["per_inhabitant"]
    label: Markdown
    short_label: Markdown | None = None  # a column's header where the label is too long


class FixedVariable(Strict):
    """A fixed part shared equally between the participants, the rest by population."""

    kind: Literal["fixed_variable"]
    label: Markdown
    short_label: Markdown | None = None  # a column's header where the label is too long
    fixed_share: Share


class Tier(Strict):
    up_to: int | None = Field(default=None, ge=1)  # inhabitants; None for the last tier
    weight: Decimal = Field(gt=0, strict=False)  # a plain YAML number


class Tiered(Strict):
    """Size-tiered fees: each participant pays in proportion to its tier's weight."""

    kind: Literal["tiered"]
    label: Markdown
    short_label: Markdown | None = None  # a column's header where the label is too long
    tiers: list[Tier] = Field(min_length=1)


PriceModel = Annotated[PerInhabitant | FixedVariable | Tiered, Field(discriminator="kind")]


class Scenario(Strict):
    """Who participates: everyone in scope, those committed, a list, or the largest up to a share."""

    label: Markdown
    rule: Literal["all", "committed", "list", "inhabitant_share"]
    municipalities: list[Slug] = Field(default_factory=list)
    inhabitant_share: Share | None = None


class Benefit(Strict):
    label: Markdown
    per_inhabitant_per_year: Amount
    from_year: int = Field(ge=2000, le=2100)
    basis: Markdown


# A change of an assumption in the sensitivity analysis: a plain YAML number, -0.3 for 30 % less.
Change = Annotated[Decimal, Field(ge=-1, le=10, strict=False)]
# A change of the discount rate in percentage points as a fraction: 0.01 for one point up.
RateChange = Annotated[Decimal, Field(ge=-1, le=1, strict=False)]


class SensitivityRanges(Strict):
    """How far the sensitivity analysis (R-109) varies each key assumption: itself an assumption.

    Each list holds the changes the documents show, each one at a time, the
    other assumptions as assumed: ``benefit`` and ``investment`` relative to
    the assumed benefit per inhabitant and the investment costs (``-0.3`` for
    30 % less), ``discount_rate`` in percentage points (``0.01`` for one point
    more).
    """

    benefit: list[Change] = Field(default_factory=lambda: [Decimal("-0.3"), Decimal("0.3")])
    investment: list[Change] = Field(default_factory=lambda: [Decimal("-0.3"), Decimal("0.3")])
    discount_rate: list[RateChange] = Field(default_factory=lambda: [Decimal("-0.01"), Decimal("0.01")])


class Analysis(Strict):
    """Net present value per R-109: fixed prices of the base year, against a zero alternative."""

    discount_rate: Share
    period_years: int = Field(ge=1, le=100)
    start_year: int = Field(ge=2000, le=2100)
    price_base_year: int = Field(ge=2000, le=2100)
    sensitivity: SensitivityRanges = Field(default_factory=SensitivityRanges)

    @model_validator(mode="after")
    def _rates_not_negative(self) -> Analysis:
        # Only where content writes the ranges: the computation leaves out a default change below 0 %.
        if "sensitivity" not in self.model_fields_set:
            return self
        rate = Decimal(str(self.discount_rate))
        low = [c for c in self.sensitivity.discount_rate if rate + c < 0]
        if low:
            raise ValueError(
                f"sensitivity.discount_rate: {low[0].normalize():f} would make the discount rate "
                f"{(rate + low[0]).normalize():f}, below 0"
            )
        return self


class Texts(Strict):
    """The prose around a municipality's figures in the documents that show them."""

    figures: Markdown  # before the tables of the municipality's costs
    coverage: Markdown  # before the chart of commitments against the threshold


class Economics(Strict):
    assumption_note: Markdown
    texts: Texts
    costs: list[CostLine] = Field(min_length=1)
    state_grants: list[GrantLine] = Field(default_factory=list)
    price_models: dict[Slug, PriceModel] = Field(min_length=1)
    scenarios: dict[Slug, Scenario] = Field(min_length=1)
    benefits: list[Benefit] = Field(default_factory=list)
    analysis: Analysis
    rounding: Literal["largest-remainder-ore"] = "largest-remainder-ore"


CommitmentStatus = Literal["forpliktelse", "opsjon", "nei", "ubehandlet"]


class Decision(Strict):
    status: CommitmentStatus
    date: dt.date | None = None
    body: str | None = Field(default=None, min_length=1)
    case: str | None = Field(default=None, min_length=1)  # the case reference (saksnummer), as the sheet gives it


class Commitments(Strict):
    """What each municipality has decided; a municipality not listed is ``ubehandlet``."""

    commitments: dict[Slug, Decision] = Field(default_factory=dict)
