"""Charts the templates embed, drawn with matplotlib.

matplotlib is imported inside the functions, so that the CLI starts without
it. Every chart uses the Noto Sans font from fontpkg-noto-sans and no
system font, and its PNG carries no software or time stamp: the same content
gives the same bytes on every machine.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

from fkj_cli.content.types import MonthDate
from fkj_cli.documents.kind import Chart
from fkj_cli.formatting import date_long, num, percent

DPI = 150
FONT = "Noto Sans"
INK = "#1F3864"  # the headings' blue
TEXT = "#262626"
MUTED = "#595959"
LINE = "#808080"
SERIES = ("#1F3864", "#4F81BD", "#A5B6D8", "#D9D9D9")  # darkest first; contrast against white and each other


def _models(context: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    economics = context["economics"]
    return tuple((str(economics.price_models[m].label), m) for m in context["figures"].models)


def draw_cost_by_model(context: dict[str, Any]) -> bytes | None:
    """The municipality's annual cost under each price model, in the first scenario it takes part in."""
    main, t = context["figures"].main, context["t"]
    if main is None:
        return None
    bars = tuple((label, main.annual[m] or Decimal(0)) for label, m in _models(context))
    return cost_by_model(bars, t["econ_axis_kr"], context["lang"])


def draw_cost_per_inhabitant(context: dict[str, Any]) -> bytes | None:
    """The municipality's cost per inhabitant by scenario and price model."""
    figures, economics, t = context["figures"], context["economics"], context["t"]
    if figures.main is None:
        return None
    models = _models(context)
    rows = tuple(
        (str(economics.scenarios[r.scenario].label), tuple(r.per_inhabitant[m] for _, m in models))
        for r in figures.rows
    )
    labels = tuple(label for label, _ in models)
    return cost_per_inhabitant(rows, labels, t["econ_axis_kr_per_inhabitant"], t["econ_not_part"], context["lang"])


def draw_coverage(context: dict[str, Any]) -> bytes:
    """The inhabitants by commitment status against the threshold: the same for every municipality."""
    figures, t, lang = context["figures"], context["t"], context["lang"]
    shares = tuple((t[f"econ_status_{s}"], share) for s, share in figures.status_shares.items())
    threshold = figures.condition.threshold
    return coverage_chart(shares, threshold, f"{t['econ_condition']} {percent(threshold, lang=lang)}", lang)


def draw_milestones(context: dict[str, Any]) -> bytes:
    """The governance document's timeline of the program's milestones."""
    return milestone_timeline(context["program"].milestones, context["lang"])


# The charts of the documents that show a municipality its economics (each is
# drawn from plain values once per distinct input in a process: the coverage
# chart, the same for every municipality, once per language), and the
# governance document's. Templates refer to them as ``charts.<key>``.
ECONOMICS_CHARTS = (
    Chart("cost_by_model", "kostnad-prismodell.png", draw_cost_by_model),
    Chart("cost_per_inhabitant", "kostnad-per-innbygger.png", draw_cost_per_inhabitant),
    Chart("coverage", "tilslutning.png", draw_coverage),
)
GOVERNANCE_CHARTS = (Chart("milestones", "milestones.png", draw_milestones),)


def _figure(width: float, height: float) -> tuple[Any, Any, Any]:
    """A white figure with Noto Sans; returns (figure, matplotlib, font factory)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    path = _register_font(font_manager)
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig, matplotlib, lambda size: font_manager.FontProperties(fname=path, size=size)


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def _style_axes(ax: Any, font: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(LINE)
    ax.tick_params(colors=MUTED, labelsize=8)
    for label in [*ax.get_xticklabels(), *ax.get_yticklabels()]:
        label.set_fontproperties(font(8))


def _bar_axes(fig: Any, height: float, bottom: float) -> Any:
    """Axes for horizontal bars labelled directly: no ticks (matplotlib's tick machinery is most of
    a small chart's drawing time), a category label left of each bar, a value at its end."""
    ax = fig.add_axes((0.34, bottom / height, 0.56, 1 - (bottom + 0.1) / height))
    ax.set_axis_off()
    return ax


def _category(ax: Any, y: float, label: str, font: Any) -> None:
    ax.text(
        -0.02,
        y,
        textwrap.fill(label, 30, break_on_hyphens=False),
        ha="right",
        va="center",
        transform=ax.get_yaxis_transform(),
        fontproperties=font(8),
        color=MUTED,
        parse_math=False,
    )


def _value(ax: Any, y: float, value: Decimal, top: float, font: Any, lang: str) -> None:
    """The amount in kroner at the end of a bar."""
    ax.text(
        float(value) + top * 0.02,
        y,
        f"{num(value, 0, lang=lang)} kr",
        va="center",
        fontproperties=font,
        color=TEXT,
        parse_math=False,
    )


def _baseline(ax: Any, count: int, caption: str, font: Any) -> None:
    """The zero line the bars grow from, and what the values are in, under the bars."""
    ax.plot([0, 0], [-0.5, count - 0.5], color=LINE, linewidth=0.8)
    ax.text(0, count - 0.35, caption, ha="left", va="top", fontproperties=font(7.5), color=MUTED, parse_math=False)


@functools.lru_cache(maxsize=64)
def cost_by_model(bars: tuple[tuple[str, Decimal], ...], axis_label: str, lang: str) -> bytes:
    """Horizontal bars: the annual cost (kr) under each price model, the amount at each bar's end."""
    height = 0.5 * len(bars) + 0.35
    fig, matplotlib, font = _figure(6.4, height)
    with matplotlib.rc_context({"font.family": FONT}):
        ax = _bar_axes(fig, height, 0.1)
        values = [float(v) for _, v in bars]
        top = max(values) or 1.0
        ax.barh(range(len(bars)), values, color=SERIES[0], height=0.6)
        ax.set_xlim(0, top * 1.3)
        ax.set_ylim(len(bars) - 0.5 + 0.45, -0.5)  # first bar on top, room for the caption below
        for y, (label, value) in enumerate(bars):
            _category(ax, y, label, font)
            _value(ax, y, value, top, font(8), lang)
        _baseline(ax, len(bars), axis_label, font)
        return _png(fig)


@functools.lru_cache(maxsize=64)
def cost_per_inhabitant(
    rows: tuple[tuple[str, tuple[Decimal | None, ...]], ...],
    models: tuple[str, ...],
    axis_label: str,
    not_part: str,
    lang: str,
) -> bytes:
    """Grouped horizontal bars: kr per inhabitant for each scenario (a group) and price model (a bar)."""
    legend = 0.2 * len(models) + 0.15
    height = len(rows) * (0.28 * len(models) + 0.3) + 0.2 + legend
    fig, matplotlib, font = _figure(6.4, height)
    with matplotlib.rc_context({"font.family": FONT}):
        ax = _bar_axes(fig, height, 0.1 + legend)
        band = 0.8 / max(1, len(models))
        top = max((float(v) for _, vs in rows for v in vs if v is not None), default=1.0) or 1.0
        ax.set_xlim(0, top * 1.2)
        ax.set_ylim(len(rows) - 0.5 + 0.45, -0.5)
        for i, (label, values) in enumerate(rows):
            _category(ax, i, label, font)
            if all(v is None for v in values):
                ax.text(top * 0.02, i, not_part, va="center", fontproperties=font(8), color=MUTED, parse_math=False)
        for j, model in enumerate(models):
            ys = [i - 0.4 + band * (j + 0.5) for i in range(len(rows))]
            ax.barh(
                ys,
                [float(vs[j] or 0) for _, vs in rows],
                height=band * 0.9,
                color=SERIES[j % len(SERIES)],
                label=model,
                edgecolor=LINE if j % len(SERIES) == 3 else "none",
                linewidth=0.5,
            )
            for y, (_, vs) in zip(ys, rows, strict=True):
                if (value := vs[j]) is not None:
                    _value(ax, y, value, top, font(7), lang)
        _baseline(ax, len(rows), axis_label, font)
        fig.legend(loc="lower left", bbox_to_anchor=(0.34, 0.02), ncol=1, frameon=False, prop=font(7.5))
        return _png(fig)


@functools.lru_cache(maxsize=8)
def coverage_chart(
    shares: tuple[tuple[str, Decimal], ...], threshold: Decimal, threshold_label: str, lang: str
) -> bytes:
    """One bar from 0 to 100 % of the inhabitants, stacked by commitment status, with the threshold marked."""
    fig, matplotlib, font = _figure(6.4, 2.0)
    with matplotlib.rc_context({"font.family": FONT}):
        ax = fig.add_axes((0.04, 0.42, 0.92, 0.3))
        left = 0.0
        for i, (label, share) in enumerate(shares):
            width = float(share)
            ax.barh(
                [0],
                [width],
                left=left,
                height=0.8,
                color=SERIES[i % len(SERIES)],
                edgecolor=LINE if i % len(SERIES) == 3 else "none",
                linewidth=0.5,
                label=f"{label}: {percent(share, 1, lang=lang)}",
            )
            left += width
        ax.axvline(float(threshold), color="#C00000", linewidth=1.6)
        ax.text(
            float(threshold),
            0.62,
            threshold_label,
            ha="center",
            va="bottom",
            fontproperties=font(8.5),
            color="#C00000",
            parse_math=False,
        )
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.5, 0.5)
        ax.set_yticks([])
        from matplotlib.ticker import FuncFormatter

        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: percent(Decimal(str(round(x, 2))), lang=lang)))
        _style_axes(ax, font)
        ax.spines["left"].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.45), ncol=len(shares), frameon=False, prop=font(7.5))
        return _png(fig)


def milestone_timeline(milestones: list[Any], lang: str) -> bytes:
    """A vertical timeline, time running downwards, one band per month: a mark per milestone (on its
    day, or mid-month for a month), its date and text to the right, spread evenly and joined to it."""
    days = [m.date.last_day for m in milestones]
    marks = [_position(m.date) for m in milestones]
    first, last = min(days), max(days)
    start = dt.date(first.year, first.month, 1)
    end = _next_month(dt.date(last.year, last.month, 1))
    span = (end - start).days or 1
    margin = span * 0.03

    fig, matplotlib, font = _figure(6.4, max(3.2, 0.74 * len(milestones) + 0.5))
    with matplotlib.rc_context({"font.family": FONT, "font.size": 8.5}):
        ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
        ax.set_xlim(0.0, 1.0)
        ax.set_ylim(end.toordinal() + margin, start.toordinal() - margin)  # time runs downwards
        ax.set_axis_off()

        axis_x, label_x = 0.19, 0.28
        ax.plot([axis_x, axis_x], [start.toordinal(), end.toordinal()], color=LINE, linewidth=1.2)
        month = start
        while month <= end:  # a tick between months, the month's name in the middle of its band
            y = month.toordinal()
            ax.plot([axis_x - 0.012, axis_x], [y, y], color=LINE, linewidth=0.8)
            if month < end:
                middle = (y + _next_month(month).toordinal()) / 2
                label = date_long(_month_date(month), lang=lang)
                ax.text(
                    axis_x - 0.02,
                    middle,
                    label,
                    ha="right",
                    va="center",
                    fontproperties=font(7.5),
                    color=MUTED,
                    parse_math=False,
                )
            month = _next_month(month)

        slots = _spread(len(milestones), start.toordinal(), end.toordinal())
        for milestone, mark, slot in zip(milestones, marks, slots, strict=True):
            ax.plot([axis_x, axis_x + 0.03, label_x - 0.01], [mark, slot, slot], color=LINE, linewidth=0.7, zorder=1)
            ax.plot([axis_x], [mark], marker="o", markersize=7, color=INK, markeredgecolor="white", zorder=3)
            when = date_long(milestone.date, lang=lang)
            text = textwrap.fill(" ".join(str(milestone.text).split()), width=66)
            ax.text(label_x, slot, when, ha="left", va="bottom", fontproperties=font(9.5), color=INK, parse_math=False)
            ax.text(
                label_x,
                slot,
                text,
                ha="left",
                va="top",
                fontproperties=font(8.5),
                color=TEXT,
                linespacing=1.2,
                parse_math=False,
            )

        return _png(fig)


def _register_font(font_manager: Any) -> str:
    """Noto Sans from fontpkg-noto-sans, known to matplotlib's font manager; its path."""
    import fontpkg_noto_sans

    path = Path(fontpkg_noto_sans.__file__).parent / "files" / "NotoSans[wdth,wght].ttf"
    if not any(Path(f.fname) == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(path))
    return str(path)


def _position(date: MonthDate) -> float:
    """Where a date sits on the axis: its day, or the middle of its month."""
    if date.day is not None:
        return date.last_day.toordinal() + 0.5
    first = dt.date(date.year, date.month, 1)
    return (first.toordinal() + _next_month(first).toordinal()) / 2


def _spread(count: int, low: int, high: int) -> list[float]:
    """``count`` label positions spread evenly between ``low`` and ``high``, a half step from each end."""
    step = (high - low) / count
    return [low + step * (i + 0.5) for i in range(count)]


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_date(day: dt.date) -> MonthDate:
    return MonthDate.model_validate(f"{day.year}-{day.month:02d}")
