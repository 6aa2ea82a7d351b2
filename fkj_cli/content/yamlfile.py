"""Loading YAML content safely, keeping where every key and item stands.

PyYAML composes the node graph (with its C parser when available); the graph
is then turned into plain Python data here, so that duplicate keys, unknown
tags and alias bombs can be refused with a line and column, and every key
path can later be traced back to its position for error messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml.constructor

from fkj_cli.errors import Problem

try:  # the C parser is ~20x faster; fall back when libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path_ = tuple[str | int, ...]

# Content files hold a few thousand nodes at most (the full register of 357
# municipalities is ~4 000); anything expanding far beyond that through
# aliases is an attack or a mistake, not content.
MAX_NODES = 200_000

_STR = "tag:yaml.org,2002:str"
_SAFE_SCALARS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_constructor = yaml.constructor.SafeConstructor()


@dataclass
class Position:
    line: int  # 1-based
    col: int  # 1-based
    block: bool = False  # a literal or folded block scalar (| or >)
    file: str | None = None  # set where a merged file's key comes from another file


@dataclass
class YamlFile:
    """A loaded content file: its data and the position of every key path."""

    path: Path
    display: str
    data: Any
    keys: dict[Path_, Position] = field(default_factory=dict)
    values: dict[Path_, Position] = field(default_factory=dict)

    def where(self, path: Path_, *, at_value: bool = False) -> Position:
        """The position of the deepest known prefix of ``path``."""
        table = self.values if at_value else self.keys
        for n in range(len(path), -1, -1):
            pos = table.get(path[:n]) or self.keys.get(path[:n])
            if pos is not None:
                return pos
        return Position(1, 1)

    def problem(self, path: Path_, message: str, *, at_value: bool = False) -> Problem:
        pos = self.where(path, at_value=at_value)
        return Problem(pos.file or self.display, pos.line, pos.col, format_path(path), message)

    def text_problem(self, path: Path_, lineno: int, message: str) -> Problem:
        """A problem at line ``lineno`` (1-based) inside the string at ``path``."""
        pos = self.values.get(path) or self.where(path)
        line = pos.line + lineno if pos.block else pos.line + lineno - 1
        col = self.where(path).col
        return Problem(pos.file or self.display, line, col, format_path(path), message)

    def merged(self, override: YamlFile) -> YamlFile:
        """This file with ``override`` merged over it: mappings merge key by key, anything
        else is replaced. Positions of what the override sets point into the override."""
        keys = dict(self.keys)
        values = dict(self.values)
        for path in override.leaves():
            for table in (keys, values):
                for known in [k for k in table if k[: len(path)] == path]:
                    del table[known]
        for table, theirs in ((keys, override.keys), (values, override.values)):
            for path, pos in theirs.items():
                if path:
                    table[path] = Position(pos.line, pos.col, pos.block, pos.file or override.display)
        return YamlFile(self.path, self.display, _merge(self.data, override.data), keys, values)

    def leaves(self) -> list[Path_]:
        """The key paths this file sets without merging: every non-mapping value."""
        out: list[Path_] = []

        def walk(value: Any, path: Path_) -> None:
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(v, (*path, k))
            else:
                out.append(path)

        walk(self.data, ())
        return out


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        return {**base, **{k: _merge(base[k], v) if k in base else v for k, v in over.items()}}
    return over


def format_path(path: Path_) -> str:
    """``("kommuner", 2, "population")`` -> ``kommuner[2].population``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class _Stop(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _Builder:
    def __init__(self, result: YamlFile) -> None:
        self.result = result
        self.count = 0

    def fail(self, node: yaml.Node, key: Path_, message: str) -> _Stop:
        mark = node.start_mark
        return _Stop(Problem(self.result.display, mark.line + 1, mark.column + 1, format_path(key), message))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                node,
                path,
                f"the file expands to more than {MAX_NODES:,} nodes through aliases; refusing to load it",
            )
        mark = node.start_mark
        block = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
        self.result.values.setdefault(path, Position(mark.line + 1, mark.column + 1, block))
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                raise self.fail(node, path, f"unsupported YAML tag {node.tag}")
            return self.build_mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise self.fail(node, path, f"unsupported YAML tag {node.tag}")
            items = []
            for i, item in enumerate(node.value):
                m = item.start_mark
                self.result.keys.setdefault((*path, i), Position(m.line + 1, m.column + 1))
                items.append(self.build(item, (*path, i)))
            return items
        if node.tag not in _SAFE_SCALARS:
            raise self.fail(node, path, f"unsupported YAML tag {node.tag}")
        try:
            return _constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            raise self.fail(node, path, f"invalid value {node.value!r}: {exc}") from None

    def build_mapping(self, node: yaml.MappingNode, path: Path_) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, path, "merge keys (<<) are not supported; write the keys out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, path, "a key must be a plain value, not a list or mapping")
            key = self.build(key_node, path)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                key = str(key_node.value)
            kpath = (*path, key)
            m = key_node.start_mark
            if key in out:
                first = self.result.keys[kpath]
                raise self.fail(key_node, kpath, f"duplicate key {key!r} (first defined at line {first.line})")
            self.result.keys[kpath] = Position(m.line + 1, m.column + 1)
            out[key] = self.build(value_node, kpath)
        return out


def load_yaml(path: Path, display: str) -> tuple[YamlFile | None, Problem | None]:
    """Load one YAML file; return the file or the first problem that stops loading it."""

    def problem(message: str, line: int = 1, col: int = 1) -> tuple[None, Problem]:
        return None, Problem(display, line, col, "", message)

    try:
        raw = path.read_bytes()
    except OSError as exc:
        return problem(f"cannot read the file: {exc.strerror}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return problem(f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8", line, col)
    return parse_yaml(text, path, display)


def parse_yaml(text: str, path: Path, display: str) -> tuple[YamlFile | None, Problem | None]:
    """The YAML ``text`` as the file ``path`` (shown as ``display``), or the first problem that stops it."""
    result = YamlFile(path=path, display=display, data=None)

    def problem(message: str, line: int = 1, col: int = 1) -> tuple[None, Problem]:
        return None, Problem(display, line, col, "", message)

    text = text.removeprefix("\ufeff")
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return problem("the file is empty")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"invalid YAML: {exc.problem or exc.context}"
        if mark is None:
            return problem(message)
        return problem(message, mark.line + 1, mark.column + 1)
    except yaml.YAMLError as exc:
        return problem(f"invalid YAML: {exc}")
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null") and not node.value):
        return problem("the file is empty")
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        return problem(f"the file must be a mapping of keys to values, not {kind}")
    try:
        result.data = _Builder(result).build(node, ())
    except _Stop as stop:
        return None, stop.problem
    except RecursionError:
        return problem("the file nests too deeply to be content")
    return result, None
