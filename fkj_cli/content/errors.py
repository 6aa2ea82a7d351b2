"""Turning pydantic's validation errors into problems an editor can act on."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, Tag, ValidationError

from fkj_cli.content.yamlfile import YamlFile, format_path
from fkj_cli.errors import Problem


def suggest(word: str, choices: typing.Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that the mapping at ``loc`` (pydantic's, with the tag or class name by which a
    union chose its member) is validated against."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if members := _members(current):
            current = members.get(str(part))
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _members(tp: Any) -> dict[str, Any]:
    """A union's members by the name pydantic's error locations give them: a discriminated union's tag,
    else a model's class name; nothing when ``tp`` is not a union."""
    if typing.get_origin(tp) not in (typing.Union, types.UnionType):
        return {}
    out = {}
    for member in typing.get_args(tp):
        tags = [m.tag for m in getattr(member, "__metadata__", ()) if isinstance(m, Tag)]
        inner = _unwrap(member)
        out[tags[0] if tags else getattr(inner, "__name__", str(inner))] = inner
    return out


def _unwrap(tp: Any) -> Any:
    """Strip Annotated and Optional, so that ``Chair | None`` is ``Chair``."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


_MESSAGES = {
    "missing": "required key is missing",
    "int_type": "must be a whole number, not {input!r}",
    "int_from_float": "must be a whole number, not {input!r}",
    "float_type": "must be a number, not {input!r}",
    "decimal_type": "must be a number, not {input!r}",
    "bool_type": "must be true or false, not {input!r}",
    "date_type": "must be a date written like 2022-06-30, not {input!r}",
    "string_type": "must be text, not {input!r}",
    "list_type": "must be a list, not {kind}",
    "dict_type": "must be a mapping of keys to values, not {kind}",
    "model_type": "must be a mapping of keys to values, not {kind}",
    "model_attributes_type": "must be a mapping of keys to values, not {kind}",
    "string_too_short": "must not be empty",
    "too_short": "must have at least {min_length} item{plural}",
    "greater_than_equal": "must be at least {ge}, not {input!r}",
    "greater_than": "must be more than {gt}, not {input!r}",
    "less_than_equal": "must be at most {le}, not {input!r}",
    "less_than": "must be less than {lt}, not {input!r}",
    "literal_error": "must be one of {expected}, not {input!r}",
}

_PATTERNS = {
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "must be lowercase letters and digits joined by hyphens, like baerum; not {input!r}",
    r"^\d{9}$": "an organisation number is nine digits, not {input!r}",
}


def _data_path(data: Any, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """``loc`` without the parts pydantic adds that are not in the data (a union's tag)."""
    out: list[str | int] = []
    for i, part in enumerate(loc):
        if isinstance(data, dict) and part in data:  # noqa: SIM114 - separate for the type checker
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        elif isinstance(data, dict) and i == len(loc) - 1:
            pass  # a missing or unknown key: keep it, it is what the message is about
        else:
            continue
        out.append(part)
    return tuple(out)


def _plain_number(value: Any) -> Any:
    """``1.0`` -> ``1``, so that a bound reads as the editor would write it."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    return repr(value)


def problems_from(
    exc: ValidationError, model: type[BaseModel], file: YamlFile, prefix: tuple[str | int, ...] = ()
) -> list[Problem]:
    """One problem per pydantic error, placed at the key or value it concerns."""
    out = []
    for err in exc.errors(include_url=False):
        raw = tuple(p for p in err["loc"] if p != "[key]")
        loc = _data_path(file.data, raw)
        path = (*prefix, *loc)
        kind, ctx = err["type"], dict(err.get("ctx") or {})
        at_value = True
        if kind == "extra_forbidden":
            parent = _model_at(model, raw[:-1])
            allowed = [info.alias or name for name, info in parent.model_fields.items()] if parent else []
            message = f"unknown key {loc[-1]!r}" + suggest(str(loc[-1]), allowed)
            at_value = False
        elif kind == "missing":
            message = _MESSAGES[kind]
            at_value = False
        elif kind == "value_error":
            message = str(ctx.get("error", err["msg"]))
        elif kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERNS:
            message = _PATTERNS[ctx["pattern"]].format(input=err["input"])
        elif kind in _MESSAGES:
            ctx = {k: _plain_number(v) for k, v in ctx.items()}
            ctx.update(input=err["input"], kind=_kind(err["input"]))
            ctx["plural"] = "" if ctx.get("min_length") == 1 else "s"
            message = _MESSAGES[kind].format(**ctx)
        else:
            message = err["msg"][0].lower() + err["msg"][1:]
        if err["loc"] and err["loc"][-1] == "[key]":
            at_value = False
        if kind == "missing":
            pos = file.where(path[:-1])
            out.append(Problem(file.display, pos.line, pos.col, format_path(path), message))
        else:
            out.append(file.problem(path, message, at_value=at_value))
    return out
