"""Charts the templates embed, drawn with matplotlib.

matplotlib is imported inside the functions, so that the CLI starts without
it. Every chart uses the Noto Sans font from fontpkg-noto-sans and no
system font, and its PNG carries no software or time stamp: the same content
gives the same bytes on every machine.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from pathlib import Path
from typing import Any

from fkj_cli.content.types import MonthDate
from fkj_cli.formatting import date_long

DPI = 150
FONT = "Noto Sans"
INK = "#1F3864"  # the headings' blue
TEXT = "#262626"
MUTED = "#595959"
LINE = "#808080"


def governance_assets(context: dict[str, Any]) -> dict[str, bytes]:
    """The governance document's images: the milestone timeline."""
    return {"milestones.png": milestone_timeline(context["program"].milestones, context["lang"])}


def milestone_timeline(milestones: list[Any], lang: str) -> bytes:
    """A vertical timeline, time running downwards, one band per month: a mark per milestone (on its
    day, or mid-month for a month), its date and text to the right, spread evenly and joined to it."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    path = _register_font(font_manager)

    def font(size: float) -> Any:  # by file, so that no system font of the same name is picked
        return font_manager.FontProperties(fname=path, size=size)

    days = [m.date.last_day for m in milestones]
    marks = [_position(m.date) for m in milestones]
    first, last = min(days), max(days)
    start = dt.date(first.year, first.month, 1)
    end = _next_month(dt.date(last.year, last.month, 1))
    span = (end - start).days or 1
    margin = span * 0.03

    height = max(3.2, 0.74 * len(milestones) + 0.5)
    with matplotlib.rc_context({"font.family": FONT, "font.size": 8.5}):
        fig = Figure(figsize=(6.4, height), dpi=DPI)
        FigureCanvasAgg(fig)
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

        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


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
