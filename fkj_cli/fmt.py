"""`fkj fmt`: content YAML in one canonical style.

The style:

- two spaces per level; a list is indented two spaces under its key (``  - item``);
- the keys of a mapping in the order the model declares its fields, recursively;
  keys the model does not know stay after the known ones, in their order, and
  the keys of free mappings (the kommuner, the organisations) keep theirs;
- a comment moves with the key it stands above; a comment indented deeper than
  the next key stays with the entry above it;
- plain scalars stay plain; quotes an editor wrote stay, written as double
  quotes (keys too); a value that needs quotes gets double quotes;
- an end-of-line comment keeps its column;
- strings are never re-wrapped, and block scalars (``|``, ``>``) keep their text
  exactly; a flow mapping or list (``{year: 2024, ...}``) stays in flow style
  while its line fits in :data:`WIDTH` columns, and is written as a block
  otherwise;
- an empty value, ``~`` and ``Null`` are written ``null``; ``True`` is written ``true``.

Formatting never changes the data fkj loads (checked on every file, with
fkj's own loader) nor drops a comment line; a file it cannot format safely is
reported and left as it is.

Key order is applied to the text before ruamel.yaml re-emits it: each entry of
a block mapping is a run of lines (with the comments above it), so moving the
runs moves the comments with them. ruamel.yaml then writes the indentation and
quoting.
"""

from __future__ import annotations

import datetime as dt
import io
import types
import typing
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import yaml
from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import SingleQuotedScalarString

from fkj_cli.content.load import content_models
from fkj_cli.content.yamlfile import YamlFile, _Builder, _Stop, load_yaml
from fkj_cli.errors import ContentError, FkjError, Problem, display_path, yaml_error_at
from fkj_cli.write import write_text

try:  # the C parser, as fkj's loader uses
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

WIDTH = 120  # a flow mapping or list longer than this is written as a block
_NO_WRAP = 100_000  # ruamel's width: long strings stay on one line

# A shape is what the model expects at a place in the file:
# ("model", cls), ("dict", shape of the values), ("list", shape of the items),
# ("union", [shapes]), or None where nothing is known.
Shape = tuple[str, Any] | None


# --- the models -----------------------------------------------------------


def _shape(tp: Any) -> Shape:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _shape(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        options = [s for s in (_shape(a) for a in typing.get_args(tp)) if s is not None]
        if not options:
            return None
        return options[0] if len(options) == 1 else ("union", options)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return ("model", tp)
    if origin in (list, tuple, set, frozenset):
        args = typing.get_args(tp)
        return ("list", _shape(args[0]) if args else None)
    if origin is dict:
        args = typing.get_args(tp)
        return ("dict", _shape(args[1]) if len(args) == 2 else None)
    return None


def _fields(model: type[BaseModel]) -> list[tuple[str, Any]]:
    """(key as written in content, annotation) in declaration order."""
    return [(info.alias or name, info.annotation) for name, info in model.model_fields.items()]


def _pick(shape: Shape, node: yaml.Node) -> Shape:
    """Resolve a union against the node: the option whose kind and keys fit best."""
    if shape is None or shape[0] != "union":
        return shape
    options: list[Shape] = shape[1]
    if isinstance(node, yaml.MappingNode):
        keys = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        best: tuple[int, Shape] = (-1, None)
        for option in options:
            if option is not None and option[0] == "model":
                score = len(keys & {name for name, _ in _fields(option[1])})
            elif option is not None and option[0] == "dict":
                score = 0
            else:
                continue
            if score > best[0]:
                best = (score, option)
        return best[1]
    if isinstance(node, yaml.SequenceNode):
        return next((o for o in options if o is not None and o[0] == "list"), None)
    return None


def _order(node: yaml.MappingNode, shape: Shape) -> tuple[list[int], list[Shape]]:
    """The entries' new order (indexes into node.value) and each entry's value shape."""
    keys = [k.value if isinstance(k, yaml.ScalarNode) else None for k, _ in node.value]
    if shape is not None and shape[0] == "model":
        fields = _fields(shape[1])
        rank = {name: i for i, (name, _) in enumerate(fields)}
        annotations = dict(fields)
        ranks = [rank.get(k, len(rank)) if k is not None else len(rank) for k in keys]
        order = sorted(range(len(keys)), key=lambda i: (ranks[i], i))
        shapes = [_shape(annotations[k]) if k is not None and k in annotations else None for k in keys]
        return order, shapes
    inner = shape[1] if shape is not None and shape[0] == "dict" else None
    return list(range(len(keys))), [inner] * len(keys)


# --- key order, applied to the text -----------------------------------------


@dataclass(frozen=True)
class _Op:
    depth: int
    apply: Callable[[list[str]], list[str]]


def _is_comment(line: str) -> bool:
    return line.lstrip(" ").startswith("#")


def _is_blank(line: str) -> bool:
    return not line.strip(" \t\n")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _end_line(node: yaml.Node, lines: list[str]) -> int:
    """The line after the node's last line.

    A block collection's end mark, and a block scalar's, stand on the next token,
    past any comments; so a collection ends where its last value ends."""
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    mark = node.end_mark
    if mark.line >= len(lines) or not lines[mark.line][: mark.column].strip():
        return int(mark.line)
    return int(mark.line) + 1


class _Reorder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))
        self.ops: list[_Op] = []

    def _slice(self, node: yaml.Node) -> str:
        start, end = node.start_mark, node.end_mark
        return self.text[self.starts[start.line] + start.column : self.starts[end.line] + end.column]

    def visit(self, node: yaml.Node, shape: Shape, depth: int) -> None:
        shape = _pick(shape, node)
        if isinstance(node, yaml.MappingNode):
            if node.flow_style:
                if node.start_mark.line == node.end_mark.line:
                    self._flow(node, shape, depth)
                return
            if any(not isinstance(k, yaml.ScalarNode) for k, _ in node.value):
                return
            order, shapes = _order(node, shape)
            for (_, value), inner in zip(node.value, shapes, strict=True):
                self.visit(value, inner, depth + 1)
            if order != sorted(order):
                self._block(node, order, depth)
        elif isinstance(node, yaml.SequenceNode):
            if node.flow_style:
                if node.start_mark.line == node.end_mark.line:
                    self._flow(node, shape, depth)
                return
            inner = shape[1] if shape is not None and shape[0] == "list" else None
            for item in node.value:
                self.visit(item, inner, depth + 1)

    def _flow(self, node: yaml.Node, shape: Shape, depth: int) -> None:
        new = self._flow_text(node, shape)
        start, end = node.start_mark, node.end_mark
        if new == self._slice(node):
            return
        line, a, b = start.line, start.column, end.column

        def apply(lines: list[str]) -> list[str]:
            lines = list(lines)
            lines[line] = lines[line][:a] + new + lines[line][b:]
            return lines

        self.ops.append(_Op(depth, apply))

    def _flow_text(self, node: yaml.Node, shape: Shape) -> str:
        shape = _pick(shape, node)
        if isinstance(node, yaml.MappingNode):
            order, shapes = _order(node, shape)
            parts = []
            for i in order:
                key, value = node.value[i]
                parts.append(f"{self._flow_text(key, None)}: {self._flow_text(value, shapes[i])}")
            return "{" + ", ".join(parts) + "}"
        if isinstance(node, yaml.SequenceNode):
            inner = shape[1] if shape is not None and shape[0] == "list" else None
            return "[" + ", ".join(self._flow_text(item, inner) for item in node.value) + "]"
        return self._slice(node)

    def _block(self, node: yaml.MappingNode, order: list[int], depth: int) -> None:
        lines = self.lines
        n = len(node.value)
        key_lines = [int(k.start_mark.line) for k, _ in node.value]
        col = int(node.value[0][0].start_mark.column)
        ends = [_end_line(v, lines) for _, v in node.value]
        ends = [min(e, key_lines[i + 1]) if i + 1 < n else e for i, e in enumerate(ends)]
        prefix = lines[key_lines[0]][:col]
        inline = bool(prefix.strip())  # the first key shares its line with "- "

        # Where each entry starts: the comments above its key that are not indented
        # deeper than the key (those belong to the entry above), and blank lines.
        leads = [key_lines[0]] * n
        if not inline:
            i = key_lines[0]
            while i > 0 and _is_comment(lines[i - 1]) and _indent(lines[i - 1]) <= col:
                i -= 1
            leads[0] = i
        for j in range(1, n):
            i = key_lines[j]
            while i > ends[j - 1] and (
                _is_blank(lines[i - 1]) or (_is_comment(lines[i - 1]) and _indent(lines[i - 1]) <= col)
            ):
                i -= 1
            leads[j] = i
        bounds = [*leads[1:], ends[-1]]
        start, stop = leads[0], ends[-1]

        def apply(current: list[str]) -> list[str]:
            blocks = [current[leads[j] : bounds[j]] for j in range(n)]
            # Blank lines that open an entry stay at their place; the rest moves.
            seps: list[list[str]] = []
            bodies: list[list[str]] = []
            for block in blocks:
                k = 0
                while k < len(block) and _is_blank(block[k]):
                    k += 1
                seps.append(block[:k])
                bodies.append(block[k:])
            out: list[str] = []
            for place, j in enumerate(order):
                body = list(bodies[j])
                key_at = key_lines[j] - leads[j] - len(seps[j])
                if inline and (place == 0) != (j == 0):
                    key_line = body[key_at]
                    # comments above a new first key stay above its "- "
                    body[key_at] = (prefix if place == 0 else " " * col) + key_line[col:]
                out += seps[place] + body
            return current[:start] + out + current[stop:]

        self.ops.append(_Op(depth, apply))

    def result(self) -> str:
        lines = self.lines
        for op in sorted(self.ops, key=lambda o: -o.depth):
            lines = op.apply(lines)
        return "".join(lines)


def _has_anchors(text: str) -> bool:
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return True
    return False


def reorder(text: str, model: type[BaseModel] | None) -> str:
    """``text`` with every mapping's keys in the model's order (no other change)."""
    if model is None or any(c in text for c in "\r\x85\u2028\u2029") or _has_anchors(text):
        return text
    node = yaml.compose(text, Loader=_Loader)
    if node is None:
        return text
    work = _Reorder(text)
    work.visit(node, ("model", model), 0)
    return work.result()


# --- the style, written by ruamel.yaml --------------------------------------


class _Float(float):
    """A float that is written back exactly as it was read (ruamel.yaml may round some)."""

    text: str


class _Constructor(RoundTripConstructor):
    def construct_yaml_float(self, node: Any) -> Any:
        value = _Float(super().construct_yaml_float(node))
        value.text = node.value
        return value


_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)


class _Representer(RoundTripRepresenter):
    def ignore_aliases(self, data: Any) -> bool:
        # a date written in many places (an import's end date of a structure) is written out each time: an
        # anchor and aliases would be YAML fkj's loader and editors do not expect
        return isinstance(data, dt.date) or bool(super().ignore_aliases(data))

    def represent_float_text(self, data: _Float) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:float", data.text)

    def represent_single_quoted(self, data: SingleQuotedScalarString) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')

    def represent_null(self, data: None) -> Any:
        return self.represent_scalar("tag:yaml.org,2002:null", "null")


_Representer.add_representer(_Float, _Representer.represent_float_text)
_Representer.add_representer(SingleQuotedScalarString, _Representer.represent_single_quoted)
_Representer.add_representer(type(None), _Representer.represent_null)


def _ruamel() -> YAML:
    y = YAML(typ="rt")
    y.Constructor = _Constructor
    y.Representer = _Representer
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = _NO_WRAP
    y.allow_unicode = True
    return y


def _flow_length(value: CommentedMap | CommentedSeq, y: YAML) -> int:
    out = io.StringIO()
    y.dump(value, out)
    return len(out.getvalue().rstrip("\n"))


def _to_block(value: Any) -> None:
    if isinstance(value, (CommentedMap, CommentedSeq)):
        value.fa.set_block_style()
        for child in value.values() if isinstance(value, CommentedMap) else value:
            _to_block(child)


def _is_flow(value: Any) -> bool:
    return isinstance(value, (CommentedMap, CommentedSeq)) and bool(value.fa.flow_style())


def _style(value: Any, col: int, y: YAML) -> None:
    """Flow collections that do not fit become blocks.

    ``col`` is the column where the keys (of a mapping) or the dashes (of a list) stand.
    """
    if isinstance(value, CommentedMap):
        items: Iterable[tuple[Any, Any]] = list(value.items())
    elif isinstance(value, CommentedSeq):
        items = list(enumerate(value))
    else:
        return
    block = not _is_flow(value)
    for key, child in items:
        if not block:
            _style(child, col, y)
            continue
        if isinstance(value, CommentedMap):
            at = col + len(str(key)) + 2
            inner = col + 2
        else:
            at = inner = col + 2
        if _is_flow(child) and at + _flow_length(child, y) > WIDTH:
            _to_block(child)
        _style(child, inner, y)


def restyle(text: str) -> str:
    """``text`` re-emitted in the canonical style (indentation, quoting, flow width).

    ruamel.yaml writes a comment at the column it had, which after re-indenting
    may fall inside a block scalar; so comments go to column 0 first, and then
    each takes the indentation of the line it stands above.
    """
    lines = text.splitlines(keepends=True)
    for i in _comment_indexes(text):
        lines[i] = lines[i].lstrip(" \t")
    y = _ruamel()
    data = y.load("".join(lines))
    _style(data, 0, y)
    out = io.StringIO()
    y.dump(data, out)
    lines = out.getvalue().splitlines(keepends=True)
    standalone = set(_comment_indexes(out.getvalue()))
    indent = 0
    for i in range(len(lines) - 1, -1, -1):
        if i in standalone:
            lines[i] = " " * indent + lines[i].lstrip(" \t")
        elif not _is_blank(lines[i]):
            indent = _indent(lines[i])
    return "".join(lines)


# --- checks -----------------------------------------------------------------


def _canon(value: Any) -> Any:
    """Data in a form where 1, 1.0 and True differ, and mapping order does not count."""
    if isinstance(value, dict):
        return ("map", frozenset((_canon(k), _canon(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("seq", tuple(_canon(v) for v in value))
    if isinstance(value, float):
        return ("float", repr(value))
    return (type(value).__name__, value)


def _parse(text: str, display: str) -> tuple[yaml.Node | None, Any]:
    node = yaml.compose(text, Loader=_Loader)
    if node is None:
        return None, None
    return node, _Builder(YamlFile(Path(display), display, None)).build(node, ())


def _scalars(text: str) -> list[yaml.ScalarNode]:
    """Every scalar of ``text`` (keys too), as composed; none when it is not valid YAML."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        root = None
    todo, found = [root] if root is not None else [], []
    while todo:
        node = todo.pop()
        if isinstance(node, yaml.ScalarNode):
            found.append(node)
        elif isinstance(node, yaml.MappingNode):
            todo += [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            todo += node.value
    return found


def _comment_indexes(text: str) -> list[int]:
    """The 0-based numbers of the lines that are full-line comments (not block-scalar lines)."""
    lines = text.splitlines(keepends=True)
    inside: set[int] = set()
    for node in _scalars(text):
        inside.update(range(node.start_mark.line + 1, _end_line(node, lines)))
    return [i for i, line in enumerate(lines) if i not in inside and _is_comment(line)]


def comments(text: str) -> Counter[str]:
    """Every comment in ``text``, on a line of its own or after a value (``a: 1  # one``), counted: what a
    program that rewrites the file must keep. A ``#`` inside a value (a quoted or block string) is not one."""
    lines = text.splitlines()
    free = [0] * len(lines)  # where each line's values end: a comment starts after that
    inside: set[int] = set()  # lines within a value spanning lines
    for node in _scalars(text):
        start, end = node.start_mark, node.end_mark
        if node.style in ("|", ">"):  # the header line (``key: |  # note``) may end in a comment
            free[start.line] = max(free[start.line], start.column + 1)
            inside.update(range(start.line + 1, _end_line(node, lines)))
        elif end.line == start.line:
            free[start.line] = max(free[start.line], end.column)
        else:
            free[start.line] = len(lines[start.line])
            inside.update(range(start.line + 1, end.line))
            if end.line < len(lines):
                free[end.line] = max(free[end.line], end.column)
    found: Counter[str] = Counter()
    for i, line in enumerate(lines):
        if i in inside:
            continue
        at = free[i]
        while (at := line.find("#", at)) != -1:
            if at == 0 or line[at - 1] in " \t":
                found[line[at:].strip()] += 1
                break
            at += 1
    return found


# --- files ------------------------------------------------------------------


@dataclass
class Formatted:
    path: Path
    display: str
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


def format_text(text: str, model: type[BaseModel] | None, display: str = "<text>") -> str:
    """The canonical form of ``text``; raise FkjError when it cannot be formatted safely."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    try:
        node, before = _parse(text, display)
    except yaml.MarkedYAMLError as exc:
        raise FkjError(f"{yaml_error_at(exc, display)}: invalid YAML: {exc.problem or exc.context}") from None
    except _Stop as stop:
        raise ContentError([stop.problem]) from None
    if node is None:
        return text
    kept = comments(text)
    reasons: list[str] = []
    candidates: list[Callable[[], str]] = [lambda: restyle(reorder(text, model)), lambda: restyle(text)]
    for candidate in candidates:
        try:
            new = candidate()
            _, after = _parse(new, display)
        except (RuamelError, yaml.YAMLError, _Stop) as exc:
            reasons.append(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            continue
        if _canon(after) != _canon(before):
            reasons.append("the formatted data would differ")
        elif comments(new) != kept:
            reasons.append("a comment would be lost")
        elif new != text and restyle(reorder(new, model)) != new:  # (text itself was just formatted)
            reasons.append("the style would not be stable")
        else:
            return new
    raise FkjError(f"{display}: cannot be formatted safely ({'; '.join(reasons)}); left as it is")


def content_files(root: Path) -> list[Path]:
    """Every content file under ``root``, overrides included."""
    if not root.is_dir():
        raise FkjError(f"content directory {display_path(root)} does not exist")
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += content_files(path)
        elif path.is_file():
            out.append(path)
        else:
            raise FkjError(f"{display_path(path)}: no such file or directory")
    return list(dict.fromkeys(out))


def format_files(paths: list[Path]) -> list[Formatted]:
    """Format every file (directories: their YAML files) in memory; write nothing.

    Raise ContentError naming every file that does not load."""
    from fkj_cli.documents import document_types  # the registry, only when formatting a tree

    models = content_models(document_types())
    problems: list[Problem] = []
    results: list[Formatted] = []
    for path in _expand(paths):
        shown = display_path(path)
        loaded, problem = load_yaml(path, shown)
        if loaded is None:
            assert problem is not None
            problems.append(problem)
            continue
        old = path.read_text(encoding="utf-8")
        results.append(Formatted(path, shown, old, format_text(old, models.get(path.name), shown)))
    if problems:
        raise ContentError(problems)
    return results


def write(result: Formatted) -> None:
    """Replace the file with its formatted text atomically, keeping its permissions."""
    write_text(result.path, result.new, keep_mode=True)
