"""Writing recorded values into a content file, as `fkj decision` and `fkj receipt import` do.

The file is changed with ruamel.yaml's round trip, so every comment and the
editor's layout stay; the result is formatted as `fkj fmt` would, the whole
content tree is validated with it in place, and only then is it written (one
atomic write). A change that would lose a comment is refused: the editor then
records it by hand.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from fkj_cli.content.load import Loaded, validate
from fkj_cli.content.yamlfile import parse_yaml
from fkj_cli.errors import ContentError, FkjError
from fkj_cli.fmt import _ruamel, comments, format_text
from fkj_cli.write import write_text

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def edited(text: str, shown: str, what: str, change: Callable[[CommentedMap], None]) -> str:
    """``text`` after ``change`` has edited its top-level mapping in place; everything else, comments too,
    as it was. ``what`` says what is being done ("record the decisions"), for the errors."""
    y = _ruamel()
    try:
        data = y.load(text.removeprefix("\ufeff"))
    except RuamelError as exc:
        raise FkjError(f"{shown}: cannot be read to {what}: {exc}") from None
    if not isinstance(data, CommentedMap):
        raise FkjError(f"{shown}: cannot {what}: the file must be a mapping of keys to values")
    change(data)
    out = io.StringIO()
    y.dump(data, out)
    new = out.getvalue()
    if comments(text) - comments(new):  # a safety net: every comment must still be there
        raise FkjError(f"{shown}: cannot {what} without losing a comment; do it by hand")
    return new


def scalar(value: Any) -> Any:
    """A value as ruamel.yaml should write it: a string fkj's loader would read as something else (a
    date, a number, true) is quoted."""
    if isinstance(value, str):
        try:
            same = yaml.load(value, Loader=_Loader) == value
        except yaml.YAMLError:
            same = False
        return value if same else DoubleQuotedScalarString(value)
    return value


def save(loaded: Loaded, path: Path, shown: str, text: str, model: type[BaseModel]) -> None:
    """Format ``text`` as `fkj fmt` does, validate the whole content tree with it as ``path``, and write
    it; raise ContentError (and write nothing) when the content would not be valid."""
    new = format_text(text, model, shown)
    file, problem = parse_yaml(new, path, shown)
    if file is None:
        assert problem is not None
        raise ContentError([problem])
    validate(replace(loaded, files={**loaded.files, path.name: file}))
    write_text(path, new, keep_mode=True)
