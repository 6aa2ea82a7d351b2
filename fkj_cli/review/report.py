"""The review's report: every change and comment with where it is, who made it, when, and what became of it.

As Markdown (a table, for the editor's pull request) or CSV (for a
spreadsheet), and as the lines the terminal shows.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from fkj_cli.errors import FkjError, display_path

if TYPE_CHECKING:
    from fkj_cli.review.importer import Item, ReviewReport

FORMATS = (".md", ".csv")
COLUMNS = ("#", "what", "where", "author", "date", "text", "status", "why")
STATUS = {"applied": "applied", "to apply": "to apply", "by hand": "to do by hand", "conflict": "conflict"}


def check_path(path: Path) -> None:
    """A report is Markdown or CSV, by its suffix."""
    if path.suffix.lower() not in FORMATS:
        raise FkjError(f"{display_path(path)}: a report is Markdown (.md) or CSV (.csv)")


def title(report: ReviewReport) -> str:
    origin = report.provenance
    return f"{origin.document} for {report.label} ({origin.lang})"


def _row(n: int, item: Item) -> list[str]:
    return [str(n), item.kind, item.where, item.author, item.date[:10], item.text, STATUS[item.status], item.why]


def render(report: ReviewReport, suffix: str) -> str:
    """The report as Markdown or CSV."""
    rows = [_row(n, item) for n, item in enumerate(report.items, start=1)]
    if suffix == ".csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        return out.getvalue()
    shown = display_path(report.path)
    how = "applied with --apply" if report.applied else "read, nothing applied (--apply writes what can be)"
    lines = [
        f"# Review of {title(report)}",
        "",
        f"{shown}: {summary(report)}; {how}.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def summary(report: ReviewReport) -> str:
    changes = [i for i in report.items if i.kind != "comment"]
    comments = len(report.items) - len(changes)
    counts = [
        f"{report.count('applied' if report.applied else 'to apply')} "
        + ("applied" if report.applied else "can be applied"),
        f"{report.count('by hand')} to do by hand",
        f"{report.count('conflict')} conflict{'s' if report.count('conflict') != 1 else ''}",
    ]
    n = len(changes)
    return f"{n} change{'s' if n != 1 else ''} ({', '.join(counts)}), {comments} comment{'s' if comments != 1 else ''}"


def lines(report: ReviewReport) -> list[str]:
    """What the terminal shows: the document, each change and comment, the counts, what was written."""
    origin = [f"{display_path(report.path)}: {title(report)}"]
    if report.forced:
        origin[0] += ", built from another revision of the content (--force: only what still matches)"
    out = origin
    for item in report.items:
        where = f" at {item.where}" if item.where else ""
        who = f" ({item.author}, {item.date[:10]})" if item.author else ""
        why = f": {item.why}" if item.why else ""
        label = "comment" if item.kind == "comment" else STATUS[item.status]
        what = item.text if item.kind == "comment" else f"{item.kind} {item.text}"
        out.append(f"{label}: {what}{who}{where}{why}")
    out.append(summary(report))
    out += [f"wrote {display_path(p)}" for p in report.written]
    if not report.applied and report.count("to apply"):
        out.append("nothing written: --apply writes the changes that can be applied")
    return out


def write_report(report: ReviewReport, path: Path) -> None:
    from fkj_cli.write import write_text

    write_text(path, render(report, path.suffix.lower()))
