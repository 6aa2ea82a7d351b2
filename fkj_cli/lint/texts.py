"""Which texts of the content `fkj lint` checks, and in which written language each is printed.

- A text ``{nb: ..., nn: ...}`` (the models' ``Text``/``Markdown``): ``nb`` in
  bokmål, ``nn`` in nynorsk. A text written as one string is bokmål, and
  nynorsk too where it says ``allow_fallback: true`` and a nynorsk document
  prints it.
- A single-language field (a plain ``str`` in the model: a body's name, a
  recipient's name, a chair's title) is checked in the målform of every
  document that prints it: in bokmål when a bokmål document reads its file,
  and in nynorsk when a nynorsk document prints it. Which those are is found,
  not guessed: where a value would be wrong in nynorsk, the nynorsk documents
  that read its file are rendered (one of each type, for each role of the
  municipalities it is made for) until one is found whose Markdown holds the
  value. A value that is itself a template, or a document that fails to
  render, counts as printed. An entry of a per-municipality document that is
  one municipality's (its case in the memo) is printed in that municipality's
  language only, and so is an override.
- Identifiers, references, numbers, dates, amounts and fields with a fixed
  form (a pattern, a choice of values) are not text. The register
  (``kommuner.yaml``) holds names from Statistics Norway, not prose: it is
  not checked.
"""

from __future__ import annotations

import re
import types
import typing
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, PlainValidator, WrapValidator
from pydantic.fields import FieldInfo

from fkj_cli.content import COMMITMENTS_FILE, ECONOMICS_FILE, PROGRAM_FILE
from fkj_cli.content.types import Money, MonthDate, Text
from fkj_cli.content.yamlfile import Path_, Position, YamlFile
from fkj_cli.documents import document_types
from fkj_cli.errors import FkjError

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.targets import Target

_LEAVES = (Money, MonthDate)


@dataclass(frozen=True)
class Piece:
    """One string of the content, as `fkj lint` checks it."""

    file: str  # the display path of the file it is written in (an override's own file)
    path: Path_  # its key path
    text: str
    position: Position  # where the scalar starts
    langs: tuple[str, ...]  # the written languages it is checked in
    maybe: tuple[str, ...]  # ... and those it is checked in if a document of that language prints it
    content_file: str  # the content file it belongs to
    prose: bool  # a text of the models (Markdown): counted by the plain-language check
    single: bool  # a single-language value printed where another language is expected, possibly
    document: str  # the row of `fkj lint --stats` it counts in
    section: Path_  # the section whose LIX it counts in
    section_at: Position  # where that section's key is


CATALOGUES = "the templates' fixed text"  # their row in `fkj lint --stats`


def catalogue_pieces(folder: Path) -> list[Piece]:
    """The fixed text of the documents (``templates/i18n/nb.yaml`` and ``nn.yaml``): each string in its
    catalogue's language. Raises FkjError when a catalogue cannot be read."""
    from fkj_cli.content.yamlfile import load_yaml
    from fkj_cli.errors import display_path

    out: list[Piece] = []
    for lang in ("nb", "nn"):
        path = folder / f"{lang}.yaml"
        file, problem = load_yaml(path, display_path(path))
        if file is None:
            assert problem is not None
            raise FkjError(f"{problem.file}:{problem.line}:{problem.col}: {problem.message}")
        for key, text in file.data.items():
            if not isinstance(text, str):
                continue
            at = file.where((key,), at_value=True)
            out.append(
                Piece(file.display, (key,), text, at, (lang,), (), path.name, False, False, CATALOGUES, (key,), at)
            )
    return out


def pieces(content: Content) -> tuple[list[Piece], Printed]:
    """Every string of the content `fkj lint` checks, with the languages it is checked in; and what
    tells whether a document of a language prints a string."""
    printed = Printed(content)
    out: list[Piece] = []
    files = [(PROGRAM_FILE, content.program), (ECONOMICS_FILE, content.economics)]
    files += [(COMMITMENTS_FILE, content.commitments)]
    files += [(d.content_file, content.documents[d.name]) for d in document_types()]
    seen: set[str] = set()
    kommuner = content.register.kommuner
    for name, model in files:
        if name in seen:
            continue
        seen.add(name)
        keyed = _keyed(content, name, model)
        reads = printed.reads.get(name, set())
        shared = (tuple(lang for lang in ("nb",) if lang in reads), tuple(lang for lang in ("nn",) if lang in reads))

        def str_langs(path: Path_, keyed: set[str] = keyed, shared: Langs = shared) -> Langs:
            if len(path) >= 2 and path[0] in keyed and path[1] in kommuner:
                return (kommuner[str(path[1])].lang,), ()  # a municipality's own entry: its documents
            return shared

        _Walker(content.files[name], name, Path(name).stem, str_langs, own_only=False, out=out).walk(model, ())
    for (doc_name, slug), (model, merged) in content.overrides.items():
        lang = kommuner[slug].lang
        name = next(d.content_file for d in document_types() if d.name == doc_name)

        def kommune_lang(path: Path_, lang: str = lang) -> Langs:
            return (lang,), ()

        document = f"{Path(name).stem} ({slug})"
        _Walker(merged, name, document, kommune_lang, own_only=True, out=out).walk(model, ())
    return out, printed


# The languages a string is checked in, and those it is checked in if a document of that language prints it.
Langs = tuple[tuple[str, ...], tuple[str, ...]]


def _keyed(content: Content, name: str, model: Any) -> set[str]:
    """The fields of a per-municipality document whose entries are each one municipality's (its case),
    printed only in that municipality's document."""
    if not any(d.content_file == name and d.scope == "kommune" for d in document_types()):
        return set()
    out = set()
    for field_name, field in type(model).model_fields.items():
        value = getattr(model, field_name)
        if isinstance(value, dict) and value and all(k in content.register.kommuner for k in value):
            out.add(field.alias or field_name)
    return out


class _Walker:
    """Walks one validated model beside its file, noting each text and checked string."""

    def __init__(
        self,
        file: YamlFile,
        content_file: str,
        document: str,
        str_langs: typing.Callable[[Path_], Langs],
        *,
        own_only: bool,
        out: list[Piece],
    ) -> None:
        self.file, self.content_file, self.document = file, content_file, document
        self.str_langs, self.own_only, self.out = str_langs, own_only, out

    def walk(self, value: Any, path: Path_, checked: bool = False) -> None:
        if isinstance(value, Text):
            self.text(value, path)
        elif isinstance(value, BaseModel) and not isinstance(value, _LEAVES):
            cls = type(value)
            for name, field in cls.model_fields.items():
                self.walk(getattr(value, name), (*path, field.alias or name), _is_text(cls, name))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self.walk(item, (*path, i), checked)
        elif isinstance(value, dict):
            for key, item in value.items():
                self.walk(item, (*path, key), checked)
        elif isinstance(value, str) and checked:
            self.add(path, value, self.str_langs(path), prose=False)

    def text(self, text: Text, path: Path_) -> None:
        nb_path = (*path, "nb") if (*path, "nb") in self.file.values else path
        langs: Langs = (("nb",), ())
        if text.nn is None and text.allow_fallback:  # printed as it is where a nynorsk document needs it
            definite, maybe = self.str_langs(path)
            langs = (tuple(dict.fromkeys(("nb", *(x for x in definite if x == "nn")))), maybe)
        self.add(nb_path, text.nb, langs, prose=True)
        if text.nn is not None:
            self.add((*path, "nn"), text.nn, (("nn",), ()), prose=True)

    def add(self, path: Path_, text: str, langs: Langs, *, prose: bool) -> None:
        position = self.file.values.get(path)
        if position is None or (self.own_only and position.file is None):
            return  # a default the file does not write, or (in an override) the shared file's text
        definite, maybe = langs
        if not definite and not maybe:
            return  # no document prints it
        shown = position.file or self.file.display
        single = not prose or len(definite) + len(maybe) > 1
        self.out.append(
            Piece(
                shown,
                path,
                text,
                position,
                definite,
                maybe,
                self.content_file,
                prose,
                single,
                self.document,
                _section(path),
                self.file.where(_section(path)),
            )
        )


def _section(path: Path_) -> Path_:
    """The section a text belongs to for LIX: its key path up to the first list item, without nb/nn."""
    out: list[str | int] = []
    for part in path:
        if isinstance(part, int):
            return tuple(out)
        out.append(part)
    if out and out[-1] in ("nb", "nn"):
        out.pop()
    return tuple(out)


@cache
def _is_text(model: type[BaseModel], name: str) -> bool:
    """Whether the field's strings are free text (``str``), not identifiers or forms with a pattern."""
    field = model.model_fields[name]
    return _free_str(field.annotation, tuple(field.metadata))


def _free_str(tp: Any, metadata: tuple[Any, ...] = ()) -> bool:
    if any(_constrains(m) for m in metadata):
        return False
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *more = typing.get_args(tp)
        return _free_str(base, tuple(more))
    if origin in (typing.Union, types.UnionType):
        return any(_free_str(a) for a in typing.get_args(tp) if a is not type(None))
    if origin in (list, tuple, set, frozenset, dict):
        args = typing.get_args(tp)
        return bool(args) and _free_str(args[-1])
    return tp is str


def _constrains(meta: Any) -> bool:
    """A pattern or a validator: a value of a fixed form (a slug, a kommunenummer, an arkivkode)."""
    if isinstance(meta, FieldInfo):
        return any(_constrains(m) for m in meta.metadata)
    if isinstance(meta, (BeforeValidator, AfterValidator, PlainValidator, WrapValidator)):
        return True
    return getattr(meta, "pattern", None) is not None


_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).casefold()


class Printed:
    """Whether a nynorsk document prints a value: the nynorsk documents are rendered when first asked,
    one at a time, only as many as it takes."""

    def __init__(self, content: Content) -> None:
        self.content = content
        self.reads: dict[str, set[str]] = defaultdict(set)  # content file -> languages of documents reading it
        self._waiting = samples(content, self.reads)  # nynorsk documents not rendered yet
        self._rendered = ""
        self._render: Any = None

    def prints(self, file: str, value: str) -> bool:
        """Whether a nynorsk document that reads ``file`` prints ``value``."""
        if "{" in value:
            return True  # a template itself: what it prints is not the value
        wanted = _norm(value).strip()
        if wanted in self._rendered:
            return True
        for target in [t for t in self._waiting if file in t.doc.inputs]:
            self._waiting.remove(target)
            try:
                markdown = self._markdown(target)
            except FkjError:  # `fkj validate` says what is wrong; count the value as printed
                return True
            self._rendered += "\n" + _norm(markdown)
            if wanted in self._rendered:
                return True
        return False

    def _markdown(self, target: Target) -> str:
        from fkj_cli.render import Renderer, render_target

        if self._render is None:
            from fkj_cli.participation import compute

            renderer, figures = Renderer(), compute(self.content)
            self._render = lambda t: render_target(renderer, self.content, figures, t, images=False).markdown
        return str(self._render(target))


def samples(content: Content, reads: dict[str, set[str]]) -> list[Target]:
    """The documents to render in nynorsk: the nynorsk ones among those `fkj validate` checks the texts
    on (:func:`fkj_cli.targets.samples`: one of each type for each language and role of the
    municipalities it is made for, and one for each override). Notes in ``reads`` the languages of the
    documents that read each file."""
    from fkj_cli.targets import samples as text_samples

    out: list[Target] = []
    for target in text_samples(content, document_types()):
        for name in target.doc.inputs:
            reads[name].add(target.lang)
        if target.lang == "nn":
            out.append(target)
    return out
