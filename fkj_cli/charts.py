"""Charts the templates embed, as typst source that the convert stage draws as PNG.

Each chart is a small typst document: Python computes the figures and the
texts (formatted as in the tables), a typst function lays them out — it
measures the texts, wraps and hyphenates a long label, and leaves room for
a negative bar — and :func:`fkj_cli.convert.png` renders the page at 150
ppi: 6.4 inches (960 pixels) wide, or a share of that (``Chart.width``; the
documents show every chart at the same scale), with the same compiler and
fonts as the PDF. The PNG carries no software or time stamp, so the same
content gives the same bytes on every machine. What a document's charts
show is decided beside its document type (``documents/decision_basis.py``,
``documents/governance.py``); this module only lays charts out.

A chart costs a few milliseconds (matplotlib took 30–110 ms; a municipality's
two cost charts are drawn in one compilation), and the same typst that
compiles the PDF draws it: no chart library to import. Most of that is
typst's PNG encoder (deflate and row filters: three quarters of the
timeline's instructions under callgrind), so a chart's cost follows its
pixels and rows; the timeline is drawn only as wide and as tall as it needs.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel.dates import format_date

from fkj_cli.content.types import MonthDate
from fkj_cli.formatting import LOCALES, date_long, millions, num, percent

PPI = 150
WIDTH_IN = 6.4  # inches: 960 pixels at 150 ppi
TIMELINE_WIDTH = 0.87  # of WIDTH_IN: the timeline needs less, and every pixel costs time
FONT = "Noto Sans"
INK = "#1F3864"  # the headings' blue
TEXT = "#262626"
MUTED = "#595959"
LINE = "#808080"
THRESHOLD = "#C00000"
SERIES = ("#1F3864", "#4F81BD", "#A5B6D8", "#D9D9D9")  # darkest first; contrast against white and each other

Bars = tuple[tuple[str, Decimal], ...]  # a label and an amount for each bar
Rows = tuple[tuple[str, tuple[Decimal | None, ...]], ...]  # a label and a value for each model (None: not part)
CostInputs = tuple[tuple[Bars, str], tuple[Rows, tuple[str, ...], str, str], str]
Call = tuple[str, tuple[Any, ...], dict[str, Any]]  # a chart function of the typst at the end, and its arguments


@dataclass(frozen=True)
class Drawing:
    """A chart as typst source: page ``page`` of the document ``source`` (a municipality's two cost charts
    are one document of two pages, laid out in one compilation), drawn at ``ppi``."""

    source: bytes
    page: int = 0
    ppi: int = PPI


@functools.lru_cache(maxsize=64)
def cost_charts(
    by_model: tuple[Bars, str], per_inhabitant: tuple[Rows, tuple[str, ...], str, str], lang: str
) -> tuple[Drawing, Drawing]:
    """A municipality's two cost charts, laid out in one typst compilation (two pages): the same pictures
    as :func:`cost_by_model` and :func:`cost_per_inhabitant` give, a millisecond or two sooner."""
    first, second = _draw(lang, _cost_by_model(*by_model, lang), _cost_per_inhabitant(*per_inhabitant, lang))
    return first, second


@functools.lru_cache(maxsize=64)
def cost_by_model(bars: Bars, axis_label: str, lang: str) -> Drawing:
    """Horizontal bars: the annual cost (kr) under each price model, the amount at each bar's end."""
    return _draw(lang, _cost_by_model(bars, axis_label, lang))[0]


@functools.lru_cache(maxsize=64)
def cost_per_inhabitant(rows: Rows, models: tuple[str, ...], axis_label: str, not_part: str, lang: str) -> Drawing:
    """Grouped horizontal bars: kr per inhabitant for each scenario (a group) and price model (a bar)."""
    return _draw(lang, _cost_per_inhabitant(rows, models, axis_label, not_part, lang))[0]


@functools.lru_cache(maxsize=64)
def signed_bars(bars: Bars, axis_label: str, lang: str, in_millions: bool = False) -> Drawing:
    """Compact horizontal bars, one per label, each with its amount (kroner, or in millions): a negative
    value to the left of the axis. Society's net present value by share; a municipality's net per year."""
    groups = [_group(label, [value], lang, in_millions=in_millions) for label, value in bars]
    named = {"band": 24, "bar": 16, "gap": 0, "size": 8, "caption": axis_label, "legend": []}
    return _draw(lang, ("bars", (groups,), named))[0]


def _cost_by_model(bars: Bars, axis_label: str, lang: str) -> Call:
    groups = [_group(label, [value], lang) for label, value in bars]
    return "bars", (groups,), {"band": 34, "bar": 20, "gap": 0, "size": 8, "caption": axis_label, "legend": []}


def _cost_per_inhabitant(rows: Rows, models: tuple[str, ...], axis_label: str, not_part: str, lang: str) -> Call:
    groups = [_group(label, values, lang, not_part, decimals=2) for label, values in rows]
    named = {"band": 22, "bar": 19.5, "gap": 16, "size": 7, "caption": axis_label, "legend": list(models)}
    return "bars", (groups,), named


@functools.lru_cache(maxsize=8)
def coverage_chart(
    shares: tuple[tuple[str, Decimal], ...], threshold: Decimal, threshold_label: str, lang: str
) -> Drawing:
    """One bar from 0 to 100 % of the inhabitants, stacked by commitment status, with the threshold marked."""
    segments = [(float(share), f"{label}: {percent(share, 1, lang=lang)}") for label, share in shares]
    ticks = [(i / 5, percent(Decimal(i) / 5, lang=lang)) for i in range(6)]
    return _draw(lang, ("coverage", (segments, float(threshold), threshold_label, ticks), {}))[0]


def milestone_timeline(milestones: Sequence[Any], lang: str) -> Drawing:
    """A vertical timeline, time running downwards, one band per month: a mark per milestone (on its
    day, or mid-month for a month), its date and text to the right, spread evenly and joined to it."""
    marks = tuple((_position(m.date), date_long(m.date, lang=lang), " ".join(str(m.text).split())) for m in milestones)
    return _timeline(marks, lang)


@functools.lru_cache(maxsize=8)
def _timeline(marks: tuple[tuple[float, str, str], ...], lang: str) -> Drawing:
    days = [dt.date.fromordinal(math.floor(at)) for at, _, _ in marks]
    start = dt.date(min(days).year, min(days).month, 1)
    end = _next_month(dt.date(max(days).year, max(days).month, 1))
    span = (end - start).days or 1
    low, high = start.toordinal() - span * 0.03, end.toordinal() + span * 0.03  # the axis, top to bottom

    def at(ordinal: float) -> float:
        return (ordinal - low) / (high - low)

    bounds, months = [at(start.toordinal())], list[tuple[str, str]]()
    month = start
    while month < end:  # a band per month: where it ends, and its name
        months.append(_month_name(month, lang))
        month = _next_month(month)
        bounds.append(at(month.toordinal()))
    step = span / len(marks)
    slots = [at(start.toordinal() + step * (i + 0.5)) for i in range(len(marks))]
    items = [(at(mark), slot, when, text) for (mark, when, text), slot in zip(marks, slots, strict=True)]
    height = max(2.4, 0.4 * len(marks) + 0.5)  # inches, at the least
    return _draw(lang, ("timeline", (bounds, months, items, height), {}))[0]


# The charts' typst: what every chart uses, and a function per chart that lays it out as a box as wide
# as the page. A chart's document has the common part and its own function only (less to parse).
_COMMON = f"""
#let W = {WIDTH_IN}in
#let TIMELINE = {TIMELINE_WIDTH}
#let INK = rgb("{INK}")
#let TEXT = rgb("{TEXT}")
#let MUTED = rgb("{MUTED}")
#let LINE = rgb("{LINE}")
#let THRESHOLD = rgb("{THRESHOLD}")
#let SERIES = ({", ".join(f'rgb("{c}")' for c in SERIES)})

// A series' colour; the lightest gets a grey edge, to stand out from the white.
#let fill-of(i) = SERIES.at(calc.rem(i, SERIES.len()))
#let edge-of(i) = if calc.rem(i, SERIES.len()) == SERIES.len() - 1 {{ 0.5pt + LINE }} else {{ none }}
#let swatch(i) = box(width: 14pt, height: 7pt, fill: fill-of(i), stroke: edge-of(i))
#let put(x, y, body) = place(top + left, dx: x, dy: y, body)
// ``body`` with its ``anchor`` point (left, right or center; top, horizon or bottom) at x, y: no measuring.
#let pin(x, y, anchor, body) = {{
  let (w, h) = (6in, 2in)
  let dx = if anchor.x == right {{ -w }} else if anchor.x == center {{ -w / 2 }} else {{ 0pt }}
  let dy = if anchor.y == bottom {{ -h }} else if anchor.y == horizon {{ -h / 2 }} else {{ 0pt }}
  put(x + dx, y + dy, box(width: w, height: h, align(anchor, body)))
}}
// Text in a column ``width`` wide, hyphenated only where a word is too long for a line of its own.
#let column(width, body, size: 8pt, fill: TEXT, align-to: left, leading: 0.65em, chars: 26) = {{
  let long = body.split(" ").any(word => word.clusters().len() > chars)
  // a set rule, not a par element around the body: the same bytes, for less layout work (measured)
  block(width: width, {{
    set par(leading: leading)
    align(align-to, text(size: size, fill: fill, hyphenate: long, body))
  }})
}}
"""

_FUNCTIONS = {
    "bars": """
// Horizontal bars in groups (a category label left of each group, a value at the end of each bar), the
// zero line they grow from, a caption under it and a legend of the series. A negative value's bar grows
// left of zero, its value at its left end; a long category label wraps, and its group grows to fit it.
#let bars(groups, band: 34, bar: 20, gap: 0, size: 8, caption: "", legend: ()) = context {
  let (band, bar, gap) = (band * 1pt, bar * 1pt, gap * 1pt)
  let (area-x, area-w, label-w, pad) = (0.34 * W, 0.62 * W, 0.31 * W, 0.011 * W)
  let value-text(t) = text(size: size * 1pt, fill: TEXT, t)
  let values = groups.map(g => g.values).flatten().filter(v => v != none)
  let (lo, hi) = (calc.min(0.0, ..values), calc.max(0.0, ..values))
  let note-text(t) = text(size: 8pt, fill: MUTED, t)
  // the room the texts beside the bars need: left of zero for a negative value, right of it for the rest
  let room(side, gap, notes) = {
    let widths = groups.map(g => g.values.zip(g.texts).filter(((v, t)) => v != none and side(v))
      .map(((v, t)) => measure(value-text(t)).width)).flatten()
    widths += notes.map(t => measure(note-text(t)).width)
    if widths.len() == 0 { 0pt } else { calc.max(..widths) + gap }
  }
  let notes = groups.map(g => g.note).filter(t => t != none)
  let (room-left, room-right) = (room(v => v < 0, 3 * pad, ()), room(v => v >= 0, pad, notes))
  let span = hi - lo
  let k = if span > 0 { calc.min((area-w - room-left - room-right) / span, 0.5 * W / span) } else { 0pt }
  let zero = area-x + room-left - lo * k
  let y = 6pt
  let shapes = ()
  for g in groups {
    let label = column(label-w, g.label, fill: MUTED, align-to: right)
    let height = calc.max(g.values.len() * band, measure(label).height + 8pt) + gap
    shapes.push(pin(area-x - pad, y + height / 2, right + horizon, label))
    let first = y + (height - g.values.len() * band) / 2
    for (j, (v, t)) in g.values.zip(g.texts).enumerate() {
      if v == none { continue }
      let at = first + j * band + (band - bar) / 2
      shapes.push(put(zero + calc.min(v, 0.0) * k, at,
        box(width: calc.abs(v) * k, height: bar, fill: fill-of(j), stroke: edge-of(j))))
      let (x, anchor) = if v < 0 { (zero + v * k - pad, right) } else { (zero + v * k + pad, left) }
      shapes.push(pin(x, at + bar / 2, anchor + horizon, value-text(t)))
    }
    if g.note != none {
      shapes.push(pin(zero + pad, y + height / 2, left + horizon, note-text(g.note)))
    }
    y += height
  }
  shapes.insert(0, put(zero, 6pt, line(angle: 90deg, length: y - 6pt, stroke: 0.8pt + LINE)))
  y += 6pt
  let under = text(size: 7.5pt, fill: MUTED, caption)
  shapes.push(put(calc.min(zero, W - measure(under).width - 6pt), y, under))
  y += 7.5pt + 6pt
  if legend.len() > 0 { y += 14pt }
  for (i, name) in legend.enumerate() {
    let entry = column(W - area-x - 33pt, name, size: 7.5pt, chars: 50)
    shapes.push(put(area-x + 6pt, y + 0.5pt, swatch(i)))
    shapes.push(put(area-x + 27pt, y, entry))
    y += measure(entry).height + 6pt
  }
  box(width: W, height: y + 6pt, shapes.join())
}
""",
    "coverage": """
// One bar from 0 to 100 %, stacked by share, a red line at the threshold with its label above, a scale
// under it and a legend under that (in one row, wrapping if it must).
#let coverage(segments, threshold, label, ticks) = context {
  let (x0, width) = (0.04 * W, 0.92 * W)
  let mark = text(size: 8.5pt, fill: THRESHOLD, label)
  let mw = measure(mark).width
  let axes = 36pt  // the axes' top: room for the threshold's label above
  let (bar, inset) = (34.5pt, 4.3pt)
  let base = axes + bar + 2 * inset  // the axes' bottom
  let shapes = ()
  let done = 0.0
  for (i, (share, _)) in segments.enumerate() {
    if share > 0 {
      shapes.push(put(x0 + done * width, axes + inset,
        box(width: share * width, height: bar, fill: fill-of(i), stroke: edge-of(i))))
    }
    done += share
  }
  shapes.push(put(x0, base, line(length: width, stroke: 0.8pt + LINE)))
  for (at, tick) in ticks {
    shapes.push(put(x0 + at * width, base, line(angle: 90deg, length: 3.5pt, stroke: 0.8pt + LINE)))
    shapes.push(pin(x0 + at * width, base + 7pt, center + top, text(size: 8pt, fill: MUTED, tick)))
  }
  let x = x0 + threshold * width
  shapes.push(put(x - 0.8pt, axes, box(width: 1.6pt, height: base - axes, fill: THRESHOLD)))
  shapes.push(pin(calc.max(mw / 2, calc.min(W - mw / 2, x)), axes - 6pt, center + bottom, mark))
  let entries = segments.enumerate().map(((i, (_, name))) =>
    box(box(swatch(i)) + h(6pt) + text(size: 7.5pt, fill: TEXT, name)))
  let legend = block(width: W - 2 * x0, align(center, entries.join(h(20pt))))
  let y = base + 29pt
  shapes.push(put(x0, y, legend))
  box(width: W, height: y + measure(legend).height + 22pt, shapes.join())
}
""",
    "timeline": """
// Time runs downwards, a band per month named left of the axis; each milestone a mark on the axis joined
// to its date and text on the right. The texts are spread evenly, at least as far apart as the tallest.
// Compact on purpose: the PNG encoder's time follows the rows.
#let timeline(bounds, months, items, height) = context {
  let (axis, labels, width) = (0.14 * W, 0.23 * W, 0.62 * W)
  // each milestone's date in bold and its text, in one paragraph (a long word hyphenated, if it must)
  let texts = items.map(((_, _, date, body)) => block(width: width, {
    set par(leading: 0.5em)
    let long = body.split(" ").any(word => word.clusters().len() > 50)
    text(size: 8.5pt, fill: TEXT, hyphenate: long)[#text(fill: INK, weight: "bold", date)#h(0.6em)#body]
  }))
  let above = 6pt  // the first line's upper half, and room above it
  let below = calc.max(..texts.map(t => measure(t).height)) - 3pt
  let slots = items.map(i => i.at(1))
  let closest = calc.min(1.0, ..slots.windows(2).map(((a, b)) => b - a))
  let scale = calc.max(height * 1in, (above + below + 10pt) / closest)
  let shift = calc.max(0pt, above + 6pt - slots.first() * scale)
  let end = calc.max(scale, slots.last() * scale + below + 6pt)
  let y(at) = shift + at * scale
  let shapes = ()
  shapes.push(put(axis - 0.6pt, y(bounds.first()), box(width: 1.2pt, height: (bounds.last() - bounds.first()) * scale,
    fill: LINE)))
  shapes.push(put(0pt, 0pt, curve(stroke: 0.8pt + LINE,
    ..bounds.map(at => (curve.move((axis - 0.012 * W, y(at))), curve.line((axis, y(at))))).flatten())))
  let every = calc.max(1, calc.ceil(9pt / ((bounds.at(1) - bounds.at(0)) * scale)))
  let named = none  // the year of the last month named: a month of another year is named with its year
  for (i, (name, year)) in months.enumerate() {
    if calc.rem(i, every) == 0 {
      let label = if year == named { name } else { name + " " + year }
      named = year
      let middle = y((bounds.at(i) + bounds.at(i + 1)) / 2)
      shapes.push(pin(axis - 0.02 * W, middle, right + horizon, text(size: 7.5pt, fill: MUTED, label)))
      shapes.push(metadata(label))  // for the tests, which read the names back
    }
  }
  shapes.push(put(0pt, 0pt, curve(stroke: 0.7pt + LINE, ..items.map(((mark, slot, ..)) => (
    curve.move((axis, y(mark))), curve.line((axis + 0.03 * W, y(slot))), curve.line((labels - 0.01 * W, y(slot))),
  )).flatten())))
  for ((mark, slot, ..), body) in items.zip(texts) {
    shapes.push(put(axis - 4pt, y(mark) - 4pt, circle(radius: 4pt, fill: INK, stroke: 1pt + white)))
    shapes.push(put(labels, y(slot) - 3pt, body))
  }
  box(width: TIMELINE * W, height: shift + end, shapes.join())
}
""",
}


def _group(
    label: str,
    values: Sequence[Decimal | None],
    lang: str,
    note: str | None = None,
    *,
    in_millions: bool = False,
    decimals: int = 0,
) -> dict[str, Any]:
    """A category and its bars' values, each with its amount as the tables write it (in millions of
    kroner with ``in_millions``; with ``decimals``, in kroner and øre as the per-inhabitant table)."""

    def text(v: Decimal) -> str:
        return f"{millions(v, lang=lang)} mill. kr" if in_millions else f"{num(v, decimals, lang=lang)} kr"

    return {
        "label": label,
        "values": [None if v is None else float(v) for v in values],
        "texts": [None if v is None else text(v) for v in values],
        "note": note if all(v is None for v in values) else None,
    }


def _literal(value: Any) -> str:
    """A Python value (None, bool, number, string, list, tuple, dict) as a typst literal."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"a chart cannot show {value}")
        return repr(number)
    if isinstance(value, str):
        return '"' + "".join(_ESCAPES.get(c, c if c >= " " else f"\\u{{{ord(c):x}}}") for c in value) + '"'
    if isinstance(value, list | tuple):
        return "(" + "".join(f"{_literal(v)}, " for v in value) + ")"
    if isinstance(value, dict):
        return "(" + ", ".join(f"{k}: {_literal(v)}" for k, v in value.items()) + ")" if value else "(:)"
    raise TypeError(f"no typst literal for {type(value).__name__}")


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _source(lang: str, calls: Sequence[Call]) -> bytes:
    """The typst document of one or more charts, a page each: a call of a chart function with Python
    values on a white page as wide and as tall as the chart, in the document's language. It holds the
    functions it calls only (less to parse)."""
    functions = "".join(_FUNCTIONS[name] for name in dict.fromkeys(name for name, _, _ in calls))
    pages = "#pagebreak()\n".join(
        f"#{name}({', '.join([*map(_literal, args), *(f'{k}: {_literal(v)}' for k, v in named.items())])})\n"
        for name, args, named in calls
    )
    return (
        "#set page(width: auto, height: auto, margin: 0pt, fill: white)\n"
        f'#set text(font: "{FONT}", lang: {_literal(lang)})\n'
        f"{_COMMON}{functions}{pages}"
    ).encode()


def _draw(lang: str, *calls: Call) -> list[Drawing]:
    """The charts ``calls`` lay out, as the pages of one typst document."""
    source = _source(lang, calls)
    return [Drawing(source, page) for page in range(len(calls))]


def _position(date: MonthDate) -> float:
    """Where a date sits on the axis: its day, or the middle of its month."""
    if date.day is not None:
        return date.last_day.toordinal() + 0.5
    first = dt.date(date.year, date.month, 1)
    return (first.toordinal() + _next_month(first).toordinal()) / 2


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_name(month: dt.date, lang: str) -> tuple[str, str]:
    """A band's month abbreviated ("aug.", "mars") and its year: the axis names a month with its year
    when the month named above it is of another year (or there is none)."""
    return format_date(month, "MMM", locale=LOCALES[lang]), str(month.year)
