"""Importing a municipal register into ``content/kommuner.yaml``, keeping what editors added.

The latest register (``kommuner-2024.json``: numbers, names, counties,
populations, målform) is the base. An earlier structure's register
(``kommuner-2020-2023.json``, whose entries name their number in the next
structure) adds each municipality's number, county and name as they were
until that structure ended, and its organisation number; a municipality
with no predecessor (Haram, split from Ålesund in 2024) is marked as
established when the next structure began.
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
    earlier = bool(data) and isinstance(data[0], dict) and SUCCESSOR_KEY in data[0]
    needed = {"kommunenummer", "name", "county_number", SUCCESSOR_KEY} if earlier else LATEST_NEEDS
    for i, entry in enumerate(data):
        if not isinstance(entry, dict) or needed - set(entry):
            missing = sorted(needed - set(entry)) if isinstance(entry, dict) else sorted(needed)
            raise FkjError(f"{display_path(path)}: entry {i} lacks {', '.join(missing)}")
    return data


LATEST_NEEDS = {"kommunenummer", "name", "county_number", "population", "malform"}


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


def merge_register(current: dict[str, Any], entries: list[dict[str, Any]]) -> tuple[dict[str, Any], ImportReport]:
    """The register's facts merged into ``current`` (kommuner.yaml's data), editors' keys kept."""
    report = ImportReport()
    old = dict(current.get("kommuner") or {})
    by_number = {str(v.get("number")): slug for slug, v in old.items()}
    new: dict[str, Any] = {}
    seen_slugs: set[str] = set()
    for entry in sorted(entries, key=lambda e: e["kommunenummer"]):
        number = entry["kommunenummer"]
        facts = {
            "number": number,
            "name": entry["name"],
            "county": COUNTIES.get(entry["county_number"], entry.get("county", "")),
            "population": entry["population"],
            "malform": entry["malform"],
        }
        slug = by_number.get(number) or slugify(entry["name"])
        if slug in seen_slugs:
            slug = f"{slug}-{number}"
        seen_slugs.add(slug)
        before = old.get(slug)
        if before is None:
            report.new.append(slug)
            new[slug] = {**facts, "role": "other"}
            continue
        if before.get("name") != facts["name"]:
            report.renamed.append((number, str(before.get("name")), facts["name"]))
        if before.get("population") != facts["population"]:
            report.population.append((slug, int(before.get("population") or 0), facts["population"]))
        extra = {k: v for k, v in before.items() if k not in REGISTER_KEYS}
        new[slug] = {**facts, **extra}
    for slug, before in old.items():
        if slug not in new:
            report.merged.append((slug, f"{before.get('name')} ({before.get('number')}) is not in the register"))
    return {**current, "kommuner": new}, report


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # the same date in many entries is written out each time, not as an anchor


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def leading_comments(text: str) -> str:
    """The comment block a file starts with, which an import keeps above the data it rewrites."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line + "\n")
    return "".join(lines)


def import_register(register_files: list[Path], target: Path) -> tuple[int, ImportReport]:
    """Rewrite ``target`` (kommuner.yaml) from the latest register and, optionally, an earlier
    structure's; nothing is written if the result is invalid."""
    text = target.read_text(encoding="utf-8") if target.is_file() else ""
    current = (yaml.safe_load(text) if text.strip() else None) or {}
    if not isinstance(current, dict):
        raise FkjError(f"{display_path(target)}: expected a mapping; run fkj validate")
    registers = [(path, read_register(path)) for path in register_files]
    latest = [(p, r) for p, r in registers if not is_earlier(r)]
    earlier = [(p, r) for p, r in registers if is_earlier(r)]
    if len(latest) != 1 or len(earlier) > 1:
        names = ", ".join(display_path(p) for p in register_files)
        raise FkjError(f"give one latest register (with populations) and at most one earlier structure's; got {names}")
    register_file, entries = latest[0]
    data, report = merge_register(current, entries)
    if earlier:
        merge_earlier(data, earlier[0][1])
    data.setdefault("population_date", "2024-01-01")
    data.setdefault("population_source", f"Importert fra {register_file.name}")
    body = dump(data)
    try:
        Register.model_validate(yaml.safe_load(body))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise FkjError(
            f"{display_path(register_file)}: the imported register is not valid at {where}: {first['msg']}"
        ) from None
    header = leading_comments(text)
    formatted = format_text(header + ("\n" if header else "") + body, Register, display_path(target))
    write_text(target, formatted)
    return len(data["kommuner"]), report
