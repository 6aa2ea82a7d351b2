"""`fkj decision`: the municipalities' decisions, recorded into ``content/commitments.yaml``.

A decision comes one at a time (:func:`record`) or from the secretariat's
tracking sheet, CSV or Excel (:func:`import_sheet`). Either way the inputs are
checked first, every problem at once, and nothing is written when one is bad.
The file is then changed entry by entry with ruamel.yaml's round trip (so
every comment stays), written in fkj's canonical style (:func:`fkj_cli.fmt.format_text`),
and the whole content tree is validated with the new file before it replaces
the old one, atomically.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from fkj_cli.content import COMMITMENTS_FILE
from fkj_cli.content.checks import outside_the_condition
from fkj_cli.content.economics import Commitments, CommitmentStatus, Decision
from fkj_cli.content.load import Content, Loaded, load, validate
from fkj_cli.content.record import edited, save, scalar
from fkj_cli.documents import document_types
from fkj_cli.errors import FkjError, InputError, UnknownKommuneError, display_path

STATUSES: tuple[str, ...] = get_args(CommitmentStatus)
DATE_FORMATS = "YYYY-MM-DD or DD.MM.YYYY"

# The sheet's columns: the name used in messages, then every header accepted for it (case-insensitive).
COLUMNS: dict[str, tuple[str, ...]] = {
    "kommune": ("kommune", "municipality"),
    "status": ("status",),
    "dato": ("dato", "date"),
    "organ": ("organ", "body"),
    "sak": ("saksnr", "saksnummer", "sak", "case"),
}
REQUIRED = ("kommune", "status", "dato", "organ")
# The tail of UnknownKommuneError's message: a sheet's line is long enough without it.
_LIST_HINT = " (`fkj list kommuner` shows them all)"


# Bad arguments or rows: every problem, one line each; ``summary`` (for a sheet) closes the list.
DecisionError = InputError


# --- what changes -------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One municipality's decision: as the content has it (None: not listed) and as recorded."""

    slug: str
    before: Decision | None
    after: Decision

    @property
    def kind(self) -> Literal["new", "changed", "unchanged"]:
        if self.before is None:
            return "unchanged" if self.after == Decision(status="ubehandlet") else "new"
        return "unchanged" if self.after == self.before else "changed"


@dataclass(frozen=True)
class Report:
    """What a record or an import changes in ``path``, and whether it was written."""

    path: Path
    changes: list[Change]
    written: bool
    dry_run: bool
    source: str | None = None  # the sheet, as shown to the user
    # rows of a sheet left out: a municipality the condition leaves out, with no decision ("row 4: Trondheim")
    skipped: list[str] = field(default_factory=list)
    skipped_why: str = ""

    def of(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def new(self) -> list[Change]:
        return self.of("new")

    @property
    def changed(self) -> list[Change]:
        return self.of("changed")

    @property
    def unchanged(self) -> list[Change]:
        return self.of("unchanged")


# --- values -------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NORWEGIAN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def _text(value: Any) -> str:
    """A cell or argument as text, its whitespace collapsed; an empty cell is ``""``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    return " ".join(str(value).split())


def parse_date(value: Any) -> dt.date:
    """``2023-03-22``, ``22.03.2023`` or a spreadsheet's date cell; ValueError with the message otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if m := _ISO.fullmatch(text):
        year, month, day = m.groups()
    elif m := _NORWEGIAN.fullmatch(text):
        day, month, year = m.groups()
    else:
        raise ValueError(f"not a date ({DATE_FORMATS}): {text!r}")
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"not a date ({DATE_FORMATS}): {text!r}") from None


def _not_made_yet(day: dt.date) -> str | None:
    """Why a decision dated ``day`` cannot be recorded: the day has not come."""
    today = dt.date.today()
    if day > today:
        return f"{day:%d.%m.%Y} is after today ({today:%d.%m.%Y}); record a decision once it is made"
    return None


def parse_status(value: Any) -> str:
    text = _text(value)
    if text.casefold() in STATUSES:
        return text.casefold()
    raise ValueError(f"must be one of {', '.join(STATUSES)}, not {text!r}")


def find_kommune(content: Content, value: Any) -> str:
    """The slug of the municipality a cell names (slug, number or name); a whole number is a kommunenummer
    whose leading zero a spreadsheet dropped (301 is 0301)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}"
    return content.kommune(_text(value))[0]


# --- record -------------------------------------------------------------------


def record(
    *,
    content_dir: Path,
    kommune: str,
    status: str,
    date: str,
    body: str,
    case: str | None = None,
    dry_run: bool = False,
) -> Report:
    """Record one municipality's decision; raise DecisionError naming every bad argument."""
    loaded, content = _load(content_dir)
    problems: list[str] = []
    slug = status_value = date_value = None
    try:
        slug = find_kommune(content, kommune)
    except UnknownKommuneError as exc:
        problems.append(f"KOMMUNE: {exc}")
    else:
        if why := outside_the_condition(content.register.kommuner[slug], content.program):
            problems.append(f"KOMMUNE: {why}")
    try:
        status_value = parse_status(status)
    except ValueError as exc:
        problems.append(f"STATUS: {exc}")
    try:
        date_value = parse_date(date)
    except ValueError as exc:
        problems.append(f"--date: {exc}")
    else:
        if why := _not_made_yet(date_value):
            problems.append(f"--date: {why}")
    if not _text(body):
        problems.append("--body: empty; give the body that decided, e.g. Bystyret")
    if problems:
        raise DecisionError(problems)
    assert slug is not None and status_value is not None
    decision = Decision.model_validate(
        {"status": status_value, "date": date_value, "body": _text(body), "case": _text(case) or None}
    )
    return _apply(loaded, content, [(slug, decision)], dry_run=dry_run)


# --- import -------------------------------------------------------------------


@dataclass
class Sheet:
    """A tracking sheet as read: its columns (the name in messages -> index and header as written)
    and its rows (row number -> cells), and what is wrong with its header."""

    display: str
    columns: dict[str, tuple[int, str]] = field(default_factory=dict)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    def cell(self, cells: list[Any], column: str) -> Any:
        if column not in self.columns:
            return None
        index = self.columns[column][0]
        return cells[index] if index < len(cells) else None

    def header(self, column: str) -> str:
        return self.columns[column][1]


def import_sheet(*, content_dir: Path, sheet: Path, dry_run: bool = False) -> Report:
    """Record every decision in a tracking sheet (CSV or .xlsx); raise DecisionError naming every bad row."""
    shown = display_path(sheet)
    read = read_sheet(sheet, shown)
    loaded, content = _load(content_dir)
    problems = list(read.problems)
    entries: list[tuple[str, Decision]] = []
    skipped: list[str] = []
    if not problems:
        entries = _entries(read, content, problems, skipped)
    if problems:
        lines = [f"{shown}:{row}: {message}" for row, message in sorted(problems, key=lambda p: p[0])]
        n = len(lines)
        raise DecisionError(lines, f"{n} problem{'s' if n != 1 else ''} in {shown}; nothing written")
    report = _apply(loaded, content, entries, dry_run=dry_run, source=shown)
    why = f"in {content.program.commitment.excluded_region}, which the condition leaves out"
    return dataclasses.replace(report, skipped=skipped, skipped_why=why) if skipped else report


def _entries(
    sheet: Sheet, content: Content, problems: list[tuple[int, str]], skipped: list[str]
) -> list[tuple[str, Decision]]:
    """Each good row's decision; each bad row's problems go to ``problems`` as (row, message). A row of a
    municipality the condition leaves out is skipped when it gives no decision (a tracking sheet of every
    municipality), and is a problem when it gives one."""
    entries: list[tuple[str, Decision]] = []
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        found: list[tuple[str, str]] = []  # (column, message)
        value = {name: sheet.cell(cells, name) for name in COLUMNS}
        slug = status = date = None
        if not _text(value["kommune"]):
            found.append(("kommune", "empty; give the kommune's name, number or slug"))
        else:
            try:
                slug = find_kommune(content, value["kommune"])
            except UnknownKommuneError as exc:
                found.append(("kommune", str(exc).removesuffix(_LIST_HINT)))
            else:
                if why := outside_the_condition(content.register.kommuner[slug], content.program):
                    if _text(value["status"]).casefold() in ("", "ubehandlet"):
                        skipped.append(f"row {number}: {content.register.kommuner[slug].name}")
                        continue
                    found.append(("kommune", why))
                    slug = None
        if slug is not None and slug in seen:
            name = content.register.kommuner[slug].name
            found.append(("kommune", f"{name} is given twice, in rows {seen[slug]} and {number}"))
            slug = None
        elif slug is not None:
            seen[slug] = number
        if not _text(value["status"]):
            found.append(("status", f"empty; give one of {', '.join(STATUSES)}"))
        else:
            try:
                status = parse_status(value["status"])
            except ValueError as exc:
                found.append(("status", str(exc)))
        decided = status is not None and status != "ubehandlet"
        if _text(value["dato"]):
            try:
                date = parse_date(value["dato"])
            except ValueError as exc:
                found.append(("dato", str(exc)))
            else:
                if why := _not_made_yet(date):
                    found.append(("dato", why))
        elif decided:
            found.append(("dato", f"empty; a decision ({status}) needs its date"))
        body = _text(value["organ"])
        if not body and decided:
            found.append(("organ", f"empty; a decision ({status}) needs the body that decided"))
        if found:
            problems.extend((number, f"{sheet.header(column)}: {message}") for column, message in found)
            continue
        assert slug is not None and status is not None
        decision = {"status": status, "date": date, "body": body or None, "case": _text(value["sak"]) or None}
        entries.append((slug, Decision.model_validate(decision)))
    return entries


def read_sheet(path: Path, shown: str | None = None) -> Sheet:
    """The rows of a CSV (UTF-8, with or without BOM; ``;``, ``,`` or tab) or an .xlsx file's first sheet."""
    shown = shown or display_path(path)
    if not path.is_file():
        raise FkjError(f"{shown}: no such file" if not path.exists() else f"{shown}: not a file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path, shown)
    elif suffix in (".csv", ".txt", ".tsv"):
        rows = _csv_rows(path, shown)
    elif suffix == ".xls":
        raise FkjError(f"{shown}: the old Excel format (.xls) is not read; save the sheet as .xlsx or CSV")
    else:
        raise FkjError(f"{shown}: not a CSV or Excel (.xlsx) file")
    return _columns(shown, rows)


def _columns(shown: str, rows: Iterable[tuple[int, list[Any]]]) -> Sheet:
    sheet = Sheet(shown)
    header_row: int | None = None
    for number, cells in rows:
        if header_row is None:
            if not any(_text(c) for c in cells):
                continue  # blank rows above the header
            header_row = number
            aliases = {alias: name for name, names in COLUMNS.items() for alias in names}
            for i, cell in enumerate(cells):
                header = _text(cell)
                name = aliases.get(header.casefold())
                if name is None:
                    continue  # the sheet's own columns (notes, contacts) are not read
                if name in sheet.columns:
                    first = sheet.columns[name][1]
                    sheet.problems.append((number, f"{header}: a second column for {name}, after {first!r}"))
                    continue
                sheet.columns[name] = (i, header)
            continue
        if any(_text(sheet.cell(cells, name)) for name in sheet.columns):
            sheet.rows.append((number, cells))
    if header_row is None:
        columns = f"{', '.join(REQUIRED)} and, if you like, saksnr"
        raise FkjError(f"{shown}: empty; the first row names the columns ({columns})")
    for name in REQUIRED:
        if name not in sheet.columns:
            others = " or ".join(COLUMNS[name][1:])
            sheet.problems.append((header_row, f"missing column {name}" + (f" (or {others})" if others else "")))
    return sheet


def _csv_rows(path: Path, shown: str) -> list[tuple[int, list[Any]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[: exc.start].count(b"\n") + 1
        raise FkjError(f"{shown}:{row}: not UTF-8 (byte 0x{raw[exc.start]:02x}); save the sheet as CSV UTF-8") from None
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count) if first else ","
    try:
        return [
            (i, list(cells))
            for i, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1)
        ]
    except csv.Error as exc:
        raise FkjError(f"{shown}: not a readable CSV file: {exc}") from None


def _xlsx_rows(path: Path, shown: str) -> list[tuple[int, list[Any]]]:
    import zipfile

    import openpyxl  # type: ignore[import-untyped]
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FkjError(f"{shown}: not a readable Excel workbook (.xlsx): {exc}") from None
    try:
        sheet = book.worksheets[0]
        rows = [(i, list(cells)) for i, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), 1)]
    finally:
        book.close()
    return rows


# --- writing ------------------------------------------------------------------


def _load(content_dir: Path) -> tuple[Loaded, Content]:
    loaded = load(content_dir, document_types())
    return loaded, validate(loaded)


def _apply(
    loaded: Loaded,
    content: Content,
    entries: list[tuple[str, Decision]],
    *,
    dry_run: bool,
    source: str | None = None,
) -> Report:
    """Write the entries that change something into commitments.yaml, unless ``dry_run``."""
    path = content.root / COMMITMENTS_FILE
    current = content.commitments.commitments
    changes = [Change(slug, current.get(slug), decision) for slug, decision in entries]
    todo = [c for c in changes if c.kind != "unchanged"]
    if not todo or dry_run:
        return Report(path, changes, written=False, dry_run=dry_run, source=source)
    shown = display_path(path)
    save(loaded, path, shown, _updated(path.read_text(encoding="utf-8"), shown, todo), Commitments)
    return Report(path, changes, written=True, dry_run=False, source=source)


def _updated(text: str, shown: str, changes: list[Change]) -> str:
    """``text`` with each change's entry added or replaced; everything else, comments too, as it was.

    ruamel.yaml keeps the comments below a key with that key (the last key of a block
    mapping holds the comments after the whole mapping); so before keys are added at
    the end or removed, those comments are taken off and put back where they were.
    """

    def change(data: CommentedMap) -> None:
        entries = data.get("commitments")
        if not isinstance(entries, CommentedMap):
            entries = data["commitments"] = CommentedMap()
        if not entries:
            entries.fa.set_block_style()  # `commitments: {}` gets its first entry on a line of its own
        after_all = _take_trailing(entries)
        for one in changes:
            values = {key: scalar(getattr(one.after, key)) for key in Decision.model_fields}
            entry = entries.get(one.slug)
            if isinstance(entry, CommentedMap):
                _replace(entry, values)
            else:
                entry = CommentedMap((k, v) for k, v in values.items() if v is not None)
                entry.fa.set_flow_style()  # `bergen: {status: forpliktelse, date: 2023-03-22, body: Bystyret}`
                entries[one.slug] = entry
        _add_trailing(entries, after_all)

    return edited(text, shown, "record the decisions", change)


def _replace(entry: CommentedMap, values: dict[str, Any]) -> None:
    """Set ``entry``'s keys to ``values`` (None removes a key) in place, so that its comments stay."""
    after = _take_trailing(entry)
    for key, value in values.items():
        if value is not None:
            entry[key] = value
        elif key in entry:
            eol, rest = _comment(entry, key)
            keys = list(entry)
            before = [k for k in keys[: keys.index(key)] if values.get(k) is not None]
            if before:  # the removed line's comments go below the line above it
                above_eol, above_rest = _comment(entry, before[-1])
                _set_comment(entry, before[-1], above_eol, above_rest + eol + rest)
            else:
                after = eol + rest + after
            entry.ca.items.pop(key, None)
            del entry[key]
    _add_trailing(entry, after)


def _comment(mapping: CommentedMap, key: Any) -> tuple[str, str]:
    """The comments ruamel.yaml keeps with ``key``: on its line (``# ...\n`` or ``""``), and the lines below."""
    item = mapping.ca.items.get(key)
    token = item[2] if item and len(item) > 2 else None
    if not isinstance(token, CommentToken):
        return "", ""
    value = token.value
    if value.startswith("#"):
        eol, _, rest = value.partition("\n")
        return eol + "\n", rest
    return "", value.removeprefix("\n")


def _set_comment(mapping: CommentedMap, key: Any, eol: str, rest: str) -> None:
    value = (eol or "\n") + rest
    item = mapping.ca.items.get(key)
    token = item[2] if item and len(item) > 2 else None
    if value == "\n":
        if item and len(item) > 2:
            item[2] = None
        return
    if isinstance(token, CommentToken):
        token.value = value
        return
    if not item:
        item = mapping.ca.items[key] = [None, None, None, None]
    item[2] = CommentToken(value, CommentMark(0))  # a new token holds whole lines: its column is not used


def _last_block(mapping: CommentedMap) -> tuple[CommentedMap, Any] | None:
    """The block mapping and key whose comments come after ``mapping``'s last line."""
    if not mapping or mapping.fa.flow_style():
        return None
    key = list(mapping)[-1]
    value = mapping[key]
    if isinstance(value, CommentedMap) and value and not value.fa.flow_style():
        return _last_block(value)
    return mapping, key


def _take_trailing(mapping: CommentedMap) -> str:
    """Take off the comment lines after ``mapping``'s last line, and return them.

    Lines indented deeper than ``mapping``'s keys right below its last entry belong to that entry, and stay."""
    last = _last_block(mapping)
    if last is None:
        return ""
    eol, rest = _comment(*last)
    lines = rest.splitlines(keepends=True)
    col = mapping.lc.col if mapping.lc.col is not None else -1
    keep = 0
    while keep < len(lines) and lines[keep].strip() and len(lines[keep]) - len(lines[keep].lstrip(" ")) > col:
        keep += 1
    _set_comment(*last, eol, "".join(lines[:keep]))
    return "".join(lines[keep:])


def _add_trailing(mapping: CommentedMap, lines: str) -> None:
    """Put ``lines`` back after ``mapping``'s last line."""
    if not lines:
        return
    last = _last_block(mapping)
    if last is None:
        raise FkjError("cannot keep the comments after a mapping written in one line")  # not reached: see callers
    eol, rest = _comment(*last)
    _set_comment(*last, eol, rest + lines)
