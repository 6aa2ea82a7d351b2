"""Importing a municipal register into ``content/kommuner.yaml``, keeping what editors added.

The latest register (``kommuner-2024.json``: numbers, names, counties,
populations of 1 January 2024, målform) is the base. An earlier structure's
register (``kommuner-2020-2023.json``, whose entries name their number in the
next structure) adds each municipality's number, county and name as they were
until that structure ended, and its organisation number; a municipality
with no predecessor (Haram, split from Ålesund in 2024) is marked as
established when the next structure began. A file of populations by date
(``folketall-2021-2023.json``: each municipality's number in its structure and
``population: {"2022-01-01": 286930, ...}``) adds each municipality's
populations of those dates, matched by the number it had on each date.
Populations of other dates already in kommuner.yaml are kept, and so are the
editors' comments: the file is rewritten in ruamel.yaml's round trip, changed
only where the register's facts changed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from fkj_cli.content.checks import check_register
from fkj_cli.content.kommuner import Register
from fkj_cli.content.types import COUNTIES
from fkj_cli.errors import FkjError, display_path
from fkj_cli.fmt import format_text
from fkj_cli.write import write_text

# What the register owns; everything else in an entry (role, org_number, ...) is the editors'.
REGISTER_KEYS = ("number", "name", "county", "population", "malform")
# What an earlier structure's register owns, when one is imported with the latest.
EARLIER_KEYS = ("org_number", "established", "earlier")
# A register whose entries carry this key is the structure of 2020–2023, which ended when 2024's began.
SUCCESSOR_KEY = "kommunenummer_2024"
EARLIER_UNTIL = dt.date(2023, 12, 31)
# The date of the latest register's populations: SSB's count of 1 January 2024.
LATEST_COUNTED = dt.date(2024, 1, 1)


def slugify(name: str) -> str:
    """``"Bærum"`` -> ``"baerum"``, ``"Nord-Fron"`` -> ``"nord-fron"``."""
    text = name.casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@dataclass
class ImportReport:
    new: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # number, old name, new name
    merged: list[tuple[str, str]] = field(default_factory=list)  # old slug, reason
    population: list[tuple[str, int, int]] = field(default_factory=list)  # slug, old, new


def read_register(path: Path) -> list[dict[str, Any]]:
    """The municipalities of a register file (the norway-geodata JSON structure)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FkjError(f"{display_path(path)}: cannot read the register: no such file") from None
    except OSError as exc:
        raise FkjError(
            f"{display_path(path)}: cannot read the register: {(exc.strerror or str(exc)).lower()}"
        ) from None
    except UnicodeDecodeError as exc:
        raise FkjError(f"{display_path(path)}: cannot read the register: not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise FkjError(f"{display_path(path)}:{exc.lineno}:{exc.colno}: cannot read the register: {exc.msg}") from None
    if not isinstance(data, list):
        raise FkjError(f"{display_path(path)}: expected a list of municipalities")
    if is_counts(data):
        return _read_counts(path, data)
    earlier = bool(data) and isinstance(data[0], dict) and SUCCESSOR_KEY in data[0]
    needed = {"kommunenummer", "name", "county_number", SUCCESSOR_KEY} if earlier else LATEST_NEEDS
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or needed - set(entry):
            missing = sorted(needed - set(entry)) if isinstance(entry, dict) else sorted(needed)
            raise FkjError(f"{display_path(path)}: entry {i} lacks {', '.join(missing)}")
    return data


LATEST_NEEDS = {"kommunenummer", "name", "county_number", "population", "malform"}


def is_counts(entries: list[Any]) -> bool:
    """Whether a register file gives populations by date (its entries' ``population`` is a mapping)."""
    return bool(entries) and isinstance(entries[0], dict) and isinstance(entries[0].get("population"), dict)


def _read_counts(path: Path, data: list[Any]) -> list[dict[str, Any]]:
    """The entries of a file of populations by date, each checked: a number, and counts by ISO date."""
    for i, entry in enumerate(data):
        counts = entry.get("population") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or not isinstance(entry.get("number"), str) or not isinstance(counts, dict):
            raise FkjError(f"{display_path(path)}: entry {i} lacks number or population (a mapping of dates)")
        for day, count in counts.items():
            try:
                dt.date.fromisoformat(day)
            except ValueError:
                raise FkjError(f"{display_path(path)}: entry {i} ({entry['number']}): {day!r} is not a date") from None
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise FkjError(f"{display_path(path)}: entry {i} ({entry['number']}): {count!r} is not a population")
    return data


def merge_counts(data: dict[str, Any], entries: list[dict[str, Any]], path: Path) -> None:
    """Add the populations by date of ``entries`` to ``data`` (merged), each matched by the number the
    municipality had on that date; a count for a number no municipality had then is an error."""
    counts = {(dt.date.fromisoformat(d), e["number"]): n for e in entries for d, n in e["population"].items()}
    used: set[tuple[dt.date, str]] = set()
    days = sorted({d for d, _ in counts})
    for kommune in data["kommuner"].values():
        for day in days:
            established = kommune.get("established")
            if established is not None and day < established:
                continue
            number = next(
                (
                    e["number"]
                    for e in sorted(kommune.get("earlier", []), key=lambda e: e["until"])
                    if day <= e["until"]
                ),
                kommune["number"],
            )
            if (day, number) in counts:
                kommune["population"][day] = counts[(day, number)]
                used.add((day, number))
    unknown = sorted(set(counts) - used)
    if unknown:
        listed = ", ".join(f"{n} ({d.isoformat()})" for d, n in unknown[:3])
        more = f" and {len(unknown) - 3} more" if len(unknown) > 3 else ""
        raise FkjError(
            f"{display_path(path)}: no municipality had the number {listed}{more} on that date; "
            "import the earlier structure's register with it"
        )
    for kommune in data["kommuner"].values():
        kommune["population"] = Counts(sorted(kommune["population"].items()))


class Counts(dict[dt.date, int]):
    """A municipality's populations by date, written on one line."""


def is_earlier(entries: list[dict[str, Any]]) -> bool:
    """Whether a register is an earlier structure's (its entries name their number in the next one)."""
    return bool(entries) and SUCCESSOR_KEY in entries[0]


def merge_earlier(data: dict[str, Any], entries: list[dict[str, Any]]) -> None:
    """Add an earlier structure's numbers, counties, names and organisation numbers to ``data`` (merged)."""
    by_number = {str(v["number"]): v for v in data["kommuner"].values()}
    successors: set[str] = set()
    for entry in entries:
        kommune = by_number.get(entry[SUCCESSOR_KEY])
        if kommune is None:
            continue  # gone by the next structure; documents of that time do not name it
        successors.add(entry[SUCCESSOR_KEY])
        county = COUNTIES.get(entry["county_number"], entry.get("county", ""))
        if entry.get("org_number"):
            kommune["org_number"] = entry["org_number"]
        kommune.pop("earlier", None)
        kommune.pop("established", None)
        if (entry["kommunenummer"], county, entry["name"]) != (kommune["number"], kommune["county"], kommune["name"]):
            before: dict[str, Any] = {"until": EARLIER_UNTIL, "number": entry["kommunenummer"], "county": county}
            if entry["name"] != kommune["name"]:
                before["name"] = entry["name"]
            kommune["earlier"] = [before]
    for number, kommune in by_number.items():
        if number not in successors:
            kommune["established"] = EARLIER_UNTIL + dt.timedelta(days=1)
            kommune.pop("earlier", None)


def _counted(value: Any, counted: dt.date) -> dict[dt.date, int]:
    """A municipality's populations by date as kommuner.yaml has them (a bare number: of ``counted``)."""
    if isinstance(value, dict):
        return {d if isinstance(d, dt.date) else dt.date.fromisoformat(str(d)): int(n) for d, n in value.items()}
    return {counted: int(value)} if isinstance(value, int) else {}


def merge_register(current: dict[str, Any], entries: list[dict[str, Any]]) -> tuple[dict[str, Any], ImportReport]:
    """The register's facts merged into ``current`` (kommuner.yaml's data), editors' keys kept; each
    municipality's populations of other dates than the register's are kept."""
    report = ImportReport()
    old = dict(current.get("kommuner") or {})
    # kommuner.yaml before populations were kept by date gave one date for all
    counted = current.get("population_date")
    counted = counted if isinstance(counted, dt.date) else LATEST_COUNTED
    by_number = {str(v.get("number")): slug for slug, v in old.items()}
    new: dict[str, Any] = {}
    seen_slugs: set[str] = set()
    for entry in sorted(entries, key=lambda e: e["kommunenummer"]):
        number = entry["kommunenummer"]
        facts = {
            "number": number,
            "name": entry["name"],
            "county": COUNTIES.get(entry["county_number"], entry.get("county", "")),
            "population": {LATEST_COUNTED: entry["population"]},
            "malform": entry["malform"],
        }
        slug = by_number.get(number) or slugify(entry["name"])
        if slug in seen_slugs:
            slug = f"{slug}-{number}"
        seen_slugs.add(slug)
        before = old.get(slug)
        if before is None:
            report.new.append(slug)
            new[slug] = {**facts, "population": Counts(facts["population"]), "role": "other"}
            continue
        if before.get("name") != facts["name"]:
            report.renamed.append((number, str(before.get("name")), facts["name"]))
        kept = _counted(before.get("population"), counted)
        if kept.get(LATEST_COUNTED) != entry["population"]:
            report.population.append((slug, kept.get(LATEST_COUNTED, 0), entry["population"]))
        facts["population"] = Counts(sorted({**kept, **facts["population"]}.items()))
        extra = {k: v for k, v in before.items() if k not in REGISTER_KEYS}
        new[slug] = {**facts, **extra}
    for slug, before in old.items():
        if slug not in new:
            report.merged.append((slug, f"{before.get('name')} ({before.get('number')}) is not in the register"))
    rest = {k: v for k, v in current.items() if k not in ("population_date", "population_source")}
    return {**rest, "kommuner": new}, report


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the same date in many entries is written out each time, not as an anchor


def _represent_counts(dumper: yaml.SafeDumper, data: Counts) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


_Dumper.add_representer(Counts, _represent_counts)


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def import_register(register_files: list[Path], target: Path) -> tuple[int, ImportReport]:
    """Rewrite ``target`` (kommuner.yaml) from the latest register and, optionally, an earlier
    structure's; nothing is written if the result is invalid."""
    text = target.read_text(encoding="utf-8") if target.is_file() else ""
    current = (yaml.safe_load(text) if text.strip() else None) or {}
    if not isinstance(current, dict):
        raise FkjError(f"{display_path(target)}: expected a mapping; run fkj validate")
    registers = [(path, read_register(path)) for path in register_files]
    counts = [(p, r) for p, r in registers if is_counts(r)]
    latest = [(p, r) for p, r in registers if not is_earlier(r) and not is_counts(r)]
    earlier = [(p, r) for p, r in registers if is_earlier(r)]
    if len(latest) != 1 or len(earlier) > 1 or len(counts) > 1:
        names = ", ".join(display_path(p) for p in register_files)
        raise FkjError(
            "give one latest register (with populations), and at most one earlier structure's and one of "
            f"populations by date; got {names}"
        )
    register_file, entries = latest[0]
    data, report = merge_register(current, entries)
    if earlier:
        merge_earlier(data, earlier[0][1])
    if counts:
        merge_counts(data, counts[0][1], counts[0][0])
    if isinstance(data.get("sources"), list):  # of one date, before sources were kept by date
        data["sources"] = {LATEST_COUNTED: data["sources"]}
    body = dump(data)
    try:
        register = Register.model_validate(yaml.safe_load(body))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FkjError(
            f"{display_path(register_file)}: the imported register is not valid at {where}: {first['msg']}"
        ) from None
    found = [f"{'.'.join(str(p) for p in path)}: {message}" for path, message in check_register(register)]
    if found:
        more = f"\n  and {len(found) - 5} more" if len(found) > 5 else ""
        files = ", ".join(display_path(p) for p in register_files)
        raise FkjError(f"the register imported from {files} is not consistent:\n  " + "\n  ".join(found[:5]) + more)
    # written over the file in ruamel.yaml's round trip: what changed is replaced, what did not keeps its
    # place and the editors' comments on it (an entry's note, the file's header)
    from fkj_cli.content.record import edited

    kept = body
    if text.strip():
        kept = edited(text, display_path(target), "import the register", lambda doc: _update(doc, data))
    formatted = format_text(kept, Register, display_path(target))
    write_text(target, formatted)
    return len(data["kommuner"]), report


def _update(target: Any, data: dict[str, Any]) -> None:
    """``target`` (a round-trip mapping) made equal to ``data``, changed in place."""
    for key in [k for k in target if k not in data]:
        del target[key]
    for i, (key, value) in enumerate(data.items()):
        old = target.get(key)
        if isinstance(value, dict) and not isinstance(value, Counts) and isinstance(old, dict):
            _update(old, value)
        elif key not in target:
            target.insert(i, key, _node(value))
        elif _plain(old) != _plain(value):
            target[key] = _node(value)


def _plain(value: Any) -> Any:
    """A round-trip value as plain Python: mappings as dicts, sequences as lists, strings as str."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _node(value: Any) -> Any:
    """A plain value as ruamel.yaml writes it: populations by date on one line."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        node = CommentedMap((k, _node(v)) for k, v in value.items())
        if isinstance(value, Counts):
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        return CommentedSeq(_node(v) for v in value)
    return value
