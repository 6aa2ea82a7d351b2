"""The decision basis (beslutningsunderlag): one per municipality outside Midt-Norge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from fkj_cli.charts import CostInputs, Drawing, cost_charts, coverage_chart, signed_bars
from fkj_cli.content.types import Markdown, Slug, Sourced, Strict
from fkj_cli.documents.base import DocumentHeader, Resolution
from fkj_cli.documents.context import FiguresContext
from fkj_cli.documents.kind import FIGURES, Chart, DocumentType
from fkj_cli.formatting import percent


class Sections(Strict):
    """The document's own text, in reading order; headings come from the language catalogue."""

    background: Markdown
    history: Markdown
    options: Markdown
    economics: Markdown
    milestones: Markdown
    assessment: Markdown
    recommendation: Markdown  # FKJI's recommendation, after what the figures add to the assessment


class Argument(Sourced):
    """What speaks for or against an alternative: from a source, or the program's assessment
    (``assumption: true``), which the document says where it prints it."""

    text: Markdown


class Alternative(Strict):
    name: Markdown
    pros: list[Argument] = Field(min_length=1)
    cons: list[Argument] = Field(min_length=1)


class ProsCons(Strict):
    """Fordeler og ulemper: for each alternative the municipality has, what speaks for and against it."""

    text: Markdown
    alternatives: list[Alternative] = Field(min_length=1)


Level = Literal["low", "medium", "high"]
Bearer = Literal["state", "municipalities", "both"]


class Risk(Sourced):
    """A risk for the state, the municipalities or both: from a source, or the program's assessment."""

    risk: Markdown
    bearer: Bearer
    probability: Level
    consequence: Level
    mitigation: Markdown


class RiskPicture(Strict):
    """Risikobildet for stat og kommune, as the minister's letter asks the decision basis to give it."""

    text: Markdown
    risks: list[Risk] = Field(min_length=1)


class Attachment(Strict):
    title: Markdown
    date: dt.date | None = None


class DecisionBasis(DocumentHeader):
    status: Markdown
    summary: Markdown
    resolution: Resolution  # for a commitment agreement (forpliktelsesavtale)
    alternative: Resolution  # the same for an option agreement (opsjonsavtale), in full
    sections: Sections
    pros_cons: ProsCons
    risk: RiskPicture
    milestones: list[Slug] = Field(min_length=1)
    attachments: list[Attachment] = Field(default_factory=list)


def cost_inputs(ctx: FiguresContext[Any]) -> CostInputs | None:
    """What a municipality's two cost charts show: the annual cost under each price model (in the first
    scenario it takes part in) and the cost per inhabitant by scenario and model; None when it is in none."""
    figures, economics, t = ctx.figures, ctx.economics, ctx.t
    main = figures.main
    if main is None:
        return None
    models = tuple((str(economics.price_models[m].label), m) for m in figures.models)
    bars = tuple((label, main.annual[m] or Decimal(0)) for label, m in models)
    rows = tuple((ctx.scenario_label(r), tuple(r.per_inhabitant[m] for _, m in models)) for r in figures.rows)
    labels = tuple(label for label, _ in models)
    return (bars, t["econ_axis_kr"]), (rows, labels, t["econ_axis_kr_per_inhabitant"], t["econ_not_part"]), ctx.lang


def draw_cost_by_model(ctx: FiguresContext[Any]) -> Drawing | None:
    """The municipality's annual cost under each price model, in the first scenario it takes part in."""
    inputs = cost_inputs(ctx)
    return None if inputs is None else cost_charts(*inputs)[0]


def draw_cost_per_inhabitant(ctx: FiguresContext[Any]) -> Drawing | None:
    """The municipality's cost per inhabitant by scenario and price model."""
    inputs = cost_inputs(ctx)
    return None if inputs is None else cost_charts(*inputs)[1]


def draw_coverage(ctx: FiguresContext[Any]) -> Drawing | None:
    """The inhabitants by commitment status against the threshold: the same for every municipality; None
    until a municipality has decided."""
    figures, t, lang = ctx.figures, ctx.t, ctx.lang
    if not figures.any_decided:
        return None
    shares = tuple((t[f"econ_status_{s}"], share) for s, share in figures.status_shares.items())
    threshold = figures.condition.threshold
    return coverage_chart(shares, threshold, f"{t['econ_condition']} {percent(threshold, lang=lang)}", lang)


def draw_society(ctx: FiguresContext[Any]) -> Drawing:
    """Society's net present value by the share of the inhabitants taking part, the condition's marked:
    the same for every municipality of a language."""
    t, lang, threshold = ctx.t, ctx.lang, ctx.figures.condition.threshold
    bars = tuple(
        (percent(p.share, lang=lang) + (f" ({t['econ_society_condition']})" if p.share == threshold else ""), p.npv)
        for p in ctx.figures.society
    )
    return signed_bars(bars, t["econ_society_axis"], lang, in_millions=True)


def draw_net_by_year(ctx: FiguresContext[Any]) -> Drawing | None:
    """The municipality's assumed gains less its costs, year by year, in the first scenario it takes part
    in and under the first price model (as the year table); None when it is in none."""
    main = ctx.figures.main
    if main is None:
        return None
    years = ctx.figures.years(main.scenario, ctx.figures.models[0])
    return signed_bars(tuple((str(y.year), y.net) for y in years), ctx.t["econ_years_axis"], ctx.lang)


# Each is laid out once per distinct input in a process: a municipality's two cost charts together,
# the coverage chart (the same for every municipality) once per language. The template refers to
# them as ``charts.<key>``.
CHARTS = (
    Chart("cost_by_model", "kostnad-prismodell.png", draw_cost_by_model),
    Chart("cost_per_inhabitant", "kostnad-per-innbygger.png", draw_cost_per_inhabitant),
    Chart("coverage", "tilslutning.png", draw_coverage),
    Chart("society", "samfunnsokonomi.png", draw_society),
    Chart("net_by_year", "netto-per-ar.png", draw_net_by_year),
)

DOCUMENT = DocumentType(
    name="decision-basis",
    description="Beslutningsunderlag: the decision basis each municipality processes politically",
    order=10,
    model=DecisionBasis,
    template="decision-basis.md.j2",
    content_file="decision-basis.yaml",
    scope="kommune",
    pages=(6, 18),
    audience="outside-midt-norge",
    reads=FIGURES,
    charts=CHARTS,
)
