"""What changed in the content between two trees, in terms of meaning, and which documents it touches.

The validated models of both trees are walked side by side. A change is a
key path, such as ``program.funding.years.2022.amount``: list items are named
by a natural key where they have one (``id``, ``year``, ``represents``,
``name``), otherwise by their index. Values are shown in Norwegian formats.

Which documents a change touches is found by rendering, not guessed: every
document is rendered from both trees, and each change is applied on its own
to the old tree and the documents that differed are rendered again. A change
that cannot stand alone (say a year's amount without the total that must
match it) is credited with everything the changes together touch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from fkj_cli.content import OVERRIDES_DIR
from fkj_cli.content.load import cross_checks
from fkj_cli.content.types import Money, MonthDate, Text
from fkj_cli.content.yamlfile import load_yaml
from fkj_cli.documents import document_type, document_types
from fkj_cli.errors import FkjError
from fkj_cli.formatting import NBSP, date_short, num, percent
from fkj_cli.participation import compute
from fkj_cli.render import Renderer, render_target
from fkj_cli.targets import every_target

if TYPE_CHECKING:
    from fkj_cli.content.load import Content


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
KEY_FIELDS = ("id", "year", "represents", "name")
_LEAVES = (Money, MonthDate)
_SCALARS = (str, int, float, Decimal, dt.date, bool, Money, MonthDate)
MAX_VALUE = 100  # characters of a value shown on a line
CONTEXT_WORDS = 4  # words shown either side of a change inside a long text

# A step into the content: ("attr", field), ("key", dict key), ("item", key field, value), ("index", i),
# or ("insert", i) for an item added at i.
Step = tuple[Any, ...]
# A document made for one municipality, one recipient or the program: (document name, slug or recipient).
TargetKey = tuple[str, str | None]


@dataclass(frozen=True)
class Change:
    unit: tuple[str, ...]  # where it is: ("program",), ("document", file), ("override", document, slug) ...
    label: str
    steps: tuple[Step, ...]
    old: Any
    new: Any
    field: str | None = None  # the last field name, which picks a value's format

    @property
    def kind(self) -> str:
        if self.old is MISSING:
            return "added"
        return "removed" if self.new is MISSING else "changed"

    def line(self) -> str:
        if self.kind == "added":
            return f"+ {self.label}: {show(self.new, self.field)}"
        if self.kind == "removed":
            return f"- {self.label}: {show(self.old, self.field)}"
        return f"{self.label}: {show_change(self.old, self.new, self.field)}"


@dataclass
class Report:
    changes: list[Change]
    touches: list[tuple[set[TargetKey], bool]]  # per change: what it touches, and whether alone
    old_targets: dict[TargetKey, str]
    new_targets: dict[TargetKey, str]

    def lines(self) -> list[str]:
        out: list[str] = []
        for change, (touched, alone) in zip(self.changes, self.touches, strict=True):
            out.append(change.line())
            where = describe(touched, self.old_targets, self.new_targets)
            out.append(f"  → {where}" + ("" if alone or not touched else " (together with the other changes)"))
        return out


# ---------------------------------------------------------------- comparing


def compare(old: Content, new: Content) -> list[Change]:
    """Every change from ``old`` to ``new``, in the order of the files and their keys."""
    out: list[Change] = []
    _walk(old.program, new.program, ("program",), (), "program", None, out)
    _walk(old.register, new.register, ("register",), (), "kommuner", None, out)
    _walk(old.economics, new.economics, ("economics",), (), "economics", None, out)
    _walk(old.commitments, new.commitments, ("commitments",), (), "commitments", None, out)
    seen: set[str] = set()
    for doc in document_types():
        if doc.content_file in seen:
            continue
        seen.add(doc.content_file)
        stem = doc.content_file.removesuffix(".yaml")
        _walk(old.documents[doc.name], new.documents[doc.name], ("document", doc.content_file), (), stem, None, out)
    for doc_name, slug in sorted(set(old.overrides) | set(new.overrides), key=lambda k: (k[1], k[0])):
        before = _override_data(old, doc_name, slug)
        after = _override_data(new, doc_name, slug)
        _walk(before, after, ("override", doc_name, slug), (), f"overrides.{slug}.{doc_name}", None, out)
    return out


def _override_data(content: Content, doc_name: str, slug: str) -> dict[str, Any]:
    """What the override file itself says (not merged), as plain data; empty where there is none."""
    if (doc_name, slug) not in content.overrides:
        return {}
    path = content.root / OVERRIDES_DIR / slug / document_type(doc_name).content_file
    loaded, _ = load_yaml(path, str(path))
    return loaded.data if loaded is not None and isinstance(loaded.data, dict) else {}


def _walk(
    a: Any, b: Any, unit: tuple[str, ...], steps: tuple[Step, ...], label: str, field: str | None, out: list[Change]
) -> None:
    if a is None:
        a = MISSING
    if b is None:
        b = MISSING
    if a is MISSING and b is MISSING:
        return
    if a is not MISSING and b is not MISSING and type(a) is type(b) and a == b:
        return
    if a is MISSING or b is MISSING:
        out.append(Change(unit, label, steps, a, b, field))
        return
    if isinstance(a, BaseModel) and type(a) is type(b) and not isinstance(a, _LEAVES):
        for name, info in type(a).model_fields.items():
            key = info.alias or name  # as the file writes it
            # a file whose main key is its own name (kommuner.kommuner) reads as one level
            sub = label if key == label else f"{label}.{key}"
            _walk(getattr(a, name), getattr(b, name), unit, (*steps, ("attr", name)), sub, key, out)
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*b, *(k for k in a if k not in b)]:
            sub = label if key == label else f"{label}.{key}"
            _walk(a.get(key, MISSING), b.get(key, MISSING), unit, (*steps, ("key", key)), sub, str(key), out)
        return
    if isinstance(a, list) and isinstance(b, list) and not (_all_scalars(a) and _all_scalars(b)):
        key_field = _natural_key(a, b)
        if key_field is not None:
            old_items = {_get_field(item, key_field): item for item in a}
            new_items = {_get_field(item, key_field): item for item in b}
            for value in [*new_items, *(v for v in old_items if v not in new_items)]:
                step = ("item", key_field, value)
                sub = f"{label}.{value}"
                _walk(
                    old_items.get(value, MISSING), new_items.get(value, MISSING), unit, (*steps, step), sub, field, out
                )
            return
        # no names: align the items, so that one removed from the middle is one removal
        matcher = SequenceMatcher(None, [repr(i) for i in a], [repr(i) for i in b], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            paired = min(i2 - i1, j2 - j1)
            for k in range(paired):
                i, j = i1 + k, j1 + k
                _walk(a[i], b[j], unit, (*steps, ("index", i)), f"{label}[{j}]", field, out)
            for i in range(i1 + paired, i2):
                out.append(Change(unit, f"{label}[{i}]", (*steps, ("index", i)), a[i], MISSING, field))
            for j in range(j1 + paired, j2):
                out.append(Change(unit, f"{label}[{j}]", (*steps, ("insert", j)), MISSING, b[j], field))
        return
    out.append(Change(unit, label, steps, a, b, field))


def _all_scalars(items: list[Any]) -> bool:
    return all(isinstance(i, _SCALARS) for i in items)


def _get_field(item: Any, name: str) -> Any:
    if isinstance(item, dict):
        return item.get(name, MISSING)
    return getattr(item, name, MISSING)


def _usable_keys(values: list[Any]) -> bool:
    named = all(isinstance(v, str | int) and not isinstance(v, bool) for v in values)
    return named and len(set(values)) == len(values)


def _natural_key(a: list[Any], b: list[Any]) -> str | None:
    """The field that names the items of both lists: present in each, a string or number, unique."""
    for name in KEY_FIELDS:
        columns = [[_get_field(item, name) for item in items] for items in (a, b)]
        if all(_usable_keys(values) for values in columns):
            return name
    return None


# ---------------------------------------------------------------- values


def show(value: Any, field: str | None = None) -> str:
    """A value as a line shows it: Norwegian numbers and dates, long texts shortened."""
    return _clip(_show(value, field))


def _show(value: Any, field: str | None) -> str:
    if isinstance(value, Money):
        return f"{_num(value.value)} {value.unit}"
    if isinstance(value, MonthDate | dt.date):
        return date_short(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if field and "year" in field else _num(value)
    if isinstance(value, float):
        return _percent(value)
    if isinstance(value, Decimal):
        return _num(value)
    if isinstance(value, str):
        return _clip(" ".join(value.split()), 60)
    if isinstance(value, Text):
        text = _clip(" ".join(value.nb.split()), 60)
        return text + (f" / nn: {_clip(' '.join(value.nn.split()), 40)}" if value.nn else "")
    if isinstance(value, list):
        return ", ".join(_show(v, field) for v in value) or "—"
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        parts = {
            name: getattr(value, name)
            for name, info in fields.items()
            if getattr(value, name) is not None and getattr(value, name) != info.get_default(call_default_factory=True)
        }
        return "{" + ", ".join(f"{k}: {_show(v, k)}" for k, v in parts.items()) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v, str(k))}" for k, v in value.items()) + "}"
    return str(value)


def show_change(old: Any, new: Any, field: str | None) -> str:
    """``old → new``; amounts in one unit name it once, long texts show only what changed."""
    if isinstance(old, Money) and isinstance(new, Money) and old.unit == new.unit:
        decimals = max(_decimals(old.value), _decimals(new.value))
        return f"{_num(old.value, decimals)} → {_num(new.value, decimals)} {new.unit}"
    if isinstance(old, str) and isinstance(new, str):
        before, after = " ".join(old.split()), " ".join(new.split())
        if len(before) > 60 or len(after) > 60:
            before, after = _excerpts(before.split(" "), after.split(" "))
        return f"{before} → {after}"
    return f"{show(old, field)} → {show(new, field)}"


def _excerpts(old: list[str], new: list[str]) -> tuple[str, str]:
    """The changed words of two texts with a few words around them."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1

    def part(words: list[str]) -> str:
        start = max(prefix - CONTEXT_WORDS, 0)
        end = len(words) - max(suffix - CONTEXT_WORDS, 0)
        text = " ".join(words[start:end])
        return ("…" if start else "") + _clip(text, MAX_VALUE // 2 * 2) + ("…" if end < len(words) else "")

    return part(old), part(new)


def _decimals(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def _num(value: int | Decimal, decimals: int | None = None) -> str:
    return num(value, decimals).replace(NBSP, " ")


def _percent(value: float) -> str:
    decimals = next((d for d in range(4) if round(value * 100, d) == round(value * 100, 6)), 4)
    return percent(value, decimals).replace(NBSP, " ")


def _clip(text: str, width: int = MAX_VALUE) -> str:
    """``text`` cut to ``width`` characters, at a space where there is one."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut[width // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip() + "…"


# ---------------------------------------------------------------- touches


def render_all(content: Content, renderer: Renderer, only: Iterable[TargetKey] | None = None) -> dict[TargetKey, str]:
    """The Markdown of every document the content makes (or of those in ``only``), by target."""
    wanted = set(only) if only is not None else None
    figures = compute(content)
    out: dict[TargetKey, str] = {}
    for target in every_target(content, document_types()):
        key = (target.doc.name, target.slug or target.recipient)
        if wanted is None or key in wanted:
            out[key] = render_target(renderer, content, figures, target, images=False).markdown
    return out


def report(old: Content, new: Content, renderer: Renderer) -> Report:
    """The changes from ``old`` to ``new`` and, for each, the documents it touches."""
    changes = compare(old, new)
    if not changes:
        return Report([], [], {}, {})
    before = render_all(old, renderer)
    after = render_all(new, renderer)
    differing = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    touches: list[tuple[set[TargetKey], bool]] = []
    by_unit: dict[tuple[str, ...], tuple[set[TargetKey], bool]] = {}
    for change in changes:
        if change.unit[0] == "override" and change.unit in by_unit:
            touches.append(by_unit[change.unit])  # an override file is tried as a whole
            continue
        found = _touched(old, new, change, renderer, before, differing)
        by_unit[change.unit] = found
        touches.append(found)
    return Report(changes, touches, before, after)


class _CannotApply(LookupError):
    """A change to a list item that is not there without another change."""


def _touched(
    old: Content,
    new: Content,
    change: Change,
    renderer: Renderer,
    before: dict[TargetKey, str],
    differing: set[TargetKey],
) -> tuple[set[TargetKey], bool]:
    if not differing:
        return set(), True
    # A change that does not stand without others (a total that must match its years,
    # a reference to something added alongside) is credited with all of them. What
    # says so is the content's own checks, never an exception from fkj's code.
    try:
        hybrid = _with_change(old, new, change)
    except _CannotApply:
        return set(differing), False
    if next(cross_checks(hybrid.models(), hybrid.overrides, hybrid.docs), None) is not None:
        return set(differing), False
    try:
        rendered = render_all(hybrid, renderer, differing)
        made = _target_keys(hybrid)
    except FkjError:
        return set(differing), False
    touched = {k for k in differing if (k in made) != (k in before) or (k in made and rendered.get(k) != before[k])}
    return touched, True


def _target_keys(content: Content) -> set[TargetKey]:
    return {(t.doc.name, t.slug or t.recipient) for t in every_target(content, document_types())}


def _with_change(old: Content, new: Content, change: Change) -> Content:
    """``old`` with this one change made."""
    value = change.new
    kind = change.unit[0]
    if kind == "override":
        _, doc_name, slug = change.unit
        overrides = dict(old.overrides)
        if (doc_name, slug) in new.overrides:
            overrides[(doc_name, slug)] = new.overrides[(doc_name, slug)]
        else:
            overrides.pop((doc_name, slug), None)
        return dataclasses.replace(old, overrides=overrides)
    if kind == "document":
        file = change.unit[1]
        names = [d.name for d in document_types() if d.content_file == file]
        shared = old.documents[names[0]]
        changed = _apply(shared, change.steps, value)
        documents = {n: changed if n in names else m for n, m in old.documents.items()}
        overrides = dict(old.overrides)
        for (doc_name, slug), (model, file_) in old.overrides.items():
            # an override that does not set this key follows the shared file
            if doc_name in names and _get(model, change.steps) == _get(shared, change.steps):
                overrides[(doc_name, slug)] = (_apply(model, change.steps, value), file_)
        return dataclasses.replace(old, documents=documents, overrides=overrides)
    attribute = {"program": "program", "register": "register", "economics": "economics", "commitments": "commitments"}
    name = attribute[kind]
    changed_model = _apply(getattr(old, name), change.steps, value)
    return dataclasses.replace(old, **{name: changed_model})


def _get(root: Any, steps: tuple[Step, ...]) -> Any:
    for step in steps:
        if root is MISSING or root is None:
            return MISSING
        kind = step[0]
        if kind == "attr":
            root = getattr(root, step[1], MISSING)
        elif kind == "key":
            root = root.get(step[1], MISSING) if isinstance(root, dict) else MISSING
        elif kind == "item":
            root = next((i for i in root if _get_field(i, step[1]) == step[2]), MISSING)
        elif kind == "insert":
            return MISSING
        else:
            root = root[step[1]] if step[1] < len(root) else MISSING
    return root


def _apply(root: Any, steps: tuple[Step, ...], value: Any) -> Any:
    """A copy of ``root`` with the value at ``steps`` replaced by ``value`` (removed when MISSING)."""
    if not steps:
        return value
    step, rest = steps[0], steps[1:]
    kind = step[0]
    if kind == "attr":
        name = step[1]
        assert isinstance(root, BaseModel)
        if rest:
            child = _apply(getattr(root, name), rest, value)
        elif value is MISSING:
            child = type(root).model_fields[name].get_default(call_default_factory=True)
        else:
            child = value
        return root.model_copy(update={name: child})
    if kind == "key":
        out = dict(root)
        key = step[1]
        if rest:
            out[key] = _apply(out[key], rest, value)
        elif value is MISSING:
            out.pop(key, None)
        else:
            out[key] = value
        return out
    items = list(root)
    if kind == "insert":
        items.insert(step[1], value)
        return items
    if kind == "item":
        index = next((i for i, item in enumerate(items) if _get_field(item, step[1]) == step[2]), None)
    else:
        index = step[1] if step[1] < len(items) else None
    if index is None:
        if rest or value is MISSING:
            raise _CannotApply(step)
        items.append(value)
    elif rest:
        items[index] = _apply(items[index], rest, value)
    elif value is MISSING:
        del items[index]
    else:
        items[index] = value
    return items


def describe(touched: set[TargetKey], old: dict[TargetKey, str], new: dict[TargetKey, str]) -> str:
    """``decision-basis: all 9; memo: baerum; governance``, or ``no document``."""
    if not touched:
        return "no document"
    parts: list[str] = []
    for doc in document_types():
        mine = [k for k in [*new, *(k for k in old if k not in new)] if k[0] == doc.name and k in touched]
        if not mine:
            continue
        if doc.scope == "program":
            parts.append(doc.name)
            continue
        total = sum(1 for k in new if k[0] == doc.name)
        if len(mine) == total > 1 and all(k in old for k in mine):
            parts.append(f"{doc.name}: all {total}")
            continue
        names = [_target_name(k, old, new) for k in mine]
        parts.append(f"{doc.name}: {', '.join(names)}")
    return "; ".join(parts)


def _target_name(key: TargetKey, old: dict[TargetKey, str], new: dict[TargetKey, str]) -> str:
    name = key[1] or "program"
    if key not in old:
        return f"{name} (new)"
    if key not in new:
        return f"{name} (gone)"
    return name
