"""The render stage: content and templates to Pandoc Markdown with a sandboxed Jinja.

Texts in content are templates too, so that they can refer to program facts
instead of copying them; they render in the same sandbox as the templates,
and an error in one names the content file, line and key it came from.
:func:`render_target` is the one way any command turns a target into its
Markdown and the images it embeds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel

from fkj_cli import formatting
from fkj_cli.content import ECONOMICS_FILE, PROGRAM_FILE
from fkj_cli.content.errors import suggest
from fkj_cli.content.kommuner import Kommune
from fkj_cli.content.types import Money, MonthDate, Sourced, Text
from fkj_cli.content.yamlfile import Path_, YamlFile
from fkj_cli.documents import document_type, template_folders
from fkj_cli.errors import ContentError, FkjError, Problem, TemplateError, display_path, yaml_error_at
from fkj_cli.resources import TEMPLATES

if TYPE_CHECKING:
    from fkj_cli.charts import Drawing
    from fkj_cli.content.load import Content
    from fkj_cli.documents.context import Context
    from fkj_cli.documents.kind import DocumentType
    from fkj_cli.participation import Figures
    from fkj_cli.targets import Target

LANG_TAGS = {"nb": "nb-NO", "nn": "nn-NO"}
_LEAVES = (Money, MonthDate)
# A number and its per cent sign stay on one line wherever they are written ("30 % likt fordelt" in a
# table's header as in running text): the sign after a no-break space, as formatting.percent writes it.
_PERCENT = re.compile(r"(?<=\d) %")


def _with_lang(func: Callable[..., str]) -> Callable[..., str]:
    @jinja2.pass_context
    def filter_(ctx: jinja2.runtime.Context, value: Any, *args: Any, **kwargs: Any) -> str:
        return func(value, *args, lang=ctx.get("lang", "nb"), **kwargs)

    return filter_


class _Environment(SandboxedEnvironment):
    """The sandbox, noting the facts a document prints (while ``printed`` is a list), so that the
    document can list their sources."""

    printed: list[Any] | None = None

    def getattr(self, obj: Any, attribute: str) -> Any:
        if self.printed is not None and attribute not in _NOT_FACTS:
            if isinstance(obj, Sourced):
                self.printed.append(obj)
            elif isinstance(obj, Kommune):  # its name and number, or its population too
                self.printed.append(_KommuneFact.POPULATION if attribute in _POPULATION else _KommuneFact.OTHER)
        return super().getattr(obj, attribute)


class _KommuneFact(enum.Enum):
    """A municipality's fact a document printed: its population, or another (name, number, county)."""

    POPULATION = "population"
    OTHER = "other"


_POPULATION = {"population", "populations", "population_date"}


# Reading these says nothing about what a document prints.
_NOT_FACTS = {"source", "assumption", "lang", "malform", "role", "on", "earlier", "established"}


class Sources:
    """The sources of the facts a document has printed so far, in the order it first printed them.

    Lazy: a template's list of sources (at its end) shows every fact printed above it.
    """

    def __init__(self, printed: list[Any], program: Any, register: Any) -> None:
        self._printed, self._program, self._register = printed, program, register

    def _ids(self) -> list[str]:
        ids: list[str] = []
        for fact in self._printed:
            if isinstance(fact, _KommuneFact):
                ids += self._register.cited_for(population=fact is _KommuneFact.POPULATION)
            elif fact.source is not None:
                ids.append(fact.source)
        return list(dict.fromkeys(ids))

    def __iter__(self) -> Iterator[Any]:
        return iter([self._program.sources[i] for i in self._ids()])

    def __bool__(self) -> bool:
        return bool(self._ids())

    def __len__(self) -> int:
        return len(self._ids())


@dataclass(frozen=True)
class RenderedText:
    """One text of the content as a document used it: where it is (``file`` and the key ``path``, the
    language's key included), its source, what it rendered to, and the context it was rendered in."""

    file: YamlFile
    path: Path_
    source: str
    rendered: str
    context: dict[str, Any]


class Renderer:
    """One Jinja environment, its compiled templates and the language catalogues."""

    def __init__(self, templates: Path = TEMPLATES) -> None:
        self.templates = templates
        self.env = _Environment(
            loader=jinja2.FileSystemLoader([templates, *template_folders()]),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update({name: _with_lang(f) for name, f in formatting.FILTERS.items()})
        self.env.filters["yaml_str"] = _yaml_str
        self.env.filters["attr"] = _attr
        self._catalogues: dict[str, dict[str, str]] = {}
        self._texts: dict[str, jinja2.Template] = {}
        self.recording: list[RenderedText] | None = None  # when a list, every text rendered is added to it

    def catalogue(self, lang: str) -> dict[str, str]:
        """The fixed texts (headings, labels) of one language."""
        if lang in self._catalogues:
            return self._catalogues[lang]
        path = self.templates / "i18n" / f"{lang}.yaml"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.MarkedYAMLError as exc:  # where, as content's errors say it, not a traceback
            where, problem = yaml_error_at(exc, display_path(path)), exc.problem or exc.context
            raise TemplateError(f"{where}: not valid YAML: {problem}") from None
        if not isinstance(data, dict):  # pragma: no cover - a shipped file
            raise FkjError(f"{display_path(path)}: expected a mapping of labels")
        self._catalogues[lang] = data
        return data

    def _compile_text(self, text: str) -> jinja2.Template:
        # Each text is compiled once per renderer, however many documents use it.
        if text not in self._texts:
            self._texts[text] = self.env.from_string(text)
        return self._texts[text]

    def texts(self, file: YamlFile, model: Any, context: dict[str, Any], problems: list[Problem]) -> Any:
        """A copy of ``model`` with every text in the context's language, rendered.

        Failures (a missing nynorsk text, a bad reference) are added to
        ``problems`` with their place in ``file``.
        """
        lang = context["lang"]

        def walk(value: Any, path: Path_) -> Any:
            if isinstance(value, Text):
                return self._pick(value, path, file, context, problems, lang)
            if isinstance(value, str):
                return self._render_text(value, path, file, context, problems)
            if isinstance(value, list):
                return [walk(v, (*path, i)) for i, v in enumerate(value)]
            if isinstance(value, dict):
                return {k: walk(v, (*path, k)) for k, v in value.items()}
            if isinstance(value, BaseModel) and not isinstance(value, _LEAVES):
                fields = {name: walk(getattr(value, name), (*path, name)) for name in type(value).model_fields}
                # model_construct keeps the class, so templates can still call its methods
                return type(value).model_construct(**fields)
            return value

        return walk(model, ())

    def _pick(
        self, text: Text, path: Path_, file: YamlFile, context: dict[str, Any], problems: list[Problem], lang: str
    ) -> str:
        if lang == "nn" and text.nn is not None:
            return self._render_text(text.nn, (*path, "nn"), file, context, problems)
        if lang == "nn" and not text.allow_fallback:
            message = (
                "no nynorsk text (nn) for a nynorsk document; write one, "
                "or set allow_fallback: true to use the bokmål text"
            )
            problems.append(file.problem(path, message, at_value=True))
            return ""
        nb_path = (*path, "nb") if (*path, "nb") in file.keys else path
        return self._render_text(text.nb, nb_path, file, context, problems)

    def _render_text(
        self, text: str, path: Path_, file: YamlFile, context: dict[str, Any], problems: list[Problem]
    ) -> str:
        if "{" not in text:
            rendered = text
        else:
            try:
                rendered = self._compile_text(text).render(context)
            except jinja2.TemplateError as exc:
                lineno = getattr(exc, "lineno", None) or _template_line(exc, "<template>") or 1
                problems.append(file.text_problem(path, lineno, _explain(exc)))
                return ""
        if self.recording is not None:
            self.recording.append(RenderedText(file, path, text, rendered, context))
        return rendered

    def render_text(self, text: str, context: dict[str, Any]) -> str:
        """``text`` (Markdown and Jinja) rendered in a context a text was rendered in (:class:`RenderedText`)."""
        return self._compile_text(text).render(context) if "{" in text else text

    def context(self, content: Content, figures: Figures, target: Target) -> Context[Any]:
        """What the target's template and texts see: the program's and the document's texts in the
        target's language, rendered, and what the document's declared inputs give (its figures), as the
        document type's context class."""
        doc, slug, lang = target.doc, target.slug, target.lang
        # numbers, counties, names and populations as they were on the document's date
        day = content.document(doc.name, slug).date
        kommune = target.kommune.on(day) if target.kommune is not None else None
        values: dict[str, Any] = {
            "recipient": target.recipient,
            "program": content.program,
            "register": content.register.on(day),
            "slug": slug,
            "kommune": kommune,
            "as_of": day,  # the document's date: what a text says of the state of things is as of it
            "lang": lang,
            "lang_tag": LANG_TAGS[lang],
            "t": self.catalogue(lang),
            "charts": {chart.key: target.chart_file(chart) for chart in doc.charts},
            "chart_width": {chart.key: f"{chart.width:.0%}" for chart in doc.charts},
        }
        problems: list[Problem] = []
        figures = figures.on(day)  # a decision recorded after the document's date is not in it
        if doc.shows_figures and slug is not None:
            values["figures"] = figures.outlook(slug)  # first: texts refer to it
        elif doc.shows_figures:
            values["sector"] = figures.sector()  # a document for the sector as a whole
        values["program"] = self.texts(content.files[PROGRAM_FILE], content.program, values, problems)
        printed: list[Any] = []
        values["sources"] = Sources(printed, values["program"], values["register"])
        self.env.printed = printed  # what the document's own texts print counts, the program's texts not
        try:
            values["doc"] = self.texts(
                content.document_file(doc, slug), content.document(doc.name, slug), values, problems
            )
        finally:
            self.env.printed = None
        for name in doc.uses:
            other = document_type(name)
            used = self.texts(content.document_file(other, slug), content.document(name, slug), values, problems)
            values[name.replace("-", "_")] = used
        if doc.shows_figures:
            economics = content.economics
            if slug is None:  # its prose speaks of one municipality's figures: the sector's documents have none
                economics = economics.model_copy(update={"texts": None})
            values["economics"] = self.texts(content.files[ECONOMICS_FILE], economics, values, problems)
        if doc.extra is not None:
            values.update(doc.extra(content, figures, target))
        if problems:
            raise ContentError(problems)
        return doc.context_type(**values)

    def render(self, doc: DocumentType, context: Context[Any]) -> str:
        """The document's template rendered in ``context`` (from :meth:`context`)."""
        sources = context.sources
        self.env.printed = sources._printed if isinstance(sources, Sources) else None
        try:
            return _PERCENT.sub(formatting.NBSP + "%", self.env.get_template(doc.template).render(context.variables()))
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"templates/{exc.name}:{exc.lineno}: {exc.message}") from None
        except jinja2.TemplateError as exc:
            name = doc.template
            line = _template_line(exc, str(self.templates / name))
            where = f"templates/{name}:{line}" if line else f"templates/{name}"
            raise TemplateError(f"{where}: {_explain(exc)}") from None
        finally:
            self.env.printed = None


@dataclass(frozen=True)
class Rendered:
    """A target as Markdown, with the charts it embeds (by file name, as typst source for the convert
    stage to draw) and the timestamp its outputs carry."""

    markdown: str
    charts: dict[str, Drawing]
    epoch: int


def epoch_of(date: dt.date) -> int:
    """A date as seconds since 1970: the timestamp every output of a document of that date carries."""
    return calendar.timegm(date.timetuple())


def render_target(
    renderer: Renderer, content: Content, figures: Figures, target: Target, *, images: bool = True
) -> Rendered:
    """The target's Markdown and, with ``images``, the charts it embeds, by the names it gives them."""
    context = renderer.context(content, figures, target)
    markdown = renderer.render(target.doc, context)
    drawn: dict[str, Drawing] = {}
    if images:
        for chart in target.doc.charts:
            drawing = chart.draw(context)
            if drawing is not None:
                drawn[target.chart_file(chart)] = drawing
    return Rendered(markdown, drawn, epoch_of(content.document(target.doc.name, target.slug).date))


def _template_line(exc: BaseException, filename: str) -> int | None:
    """The line in ``filename`` where ``exc`` was raised, from Jinja's rewritten traceback."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_NO_ATTR = re.compile(r"^'(?:[\w.]+\.)?(\w+) object' has no attribute '(\w+)'$")


def _explain(exc: jinja2.TemplateError) -> str:
    message = exc.message or str(exc)
    match = _NO_ATTR.match(message)
    if match:
        cls_name, attr = match.groups()
        fields = _model_fields(cls_name)
        return f"{cls_name} has no {attr!r}{suggest(attr, fields)}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"template syntax: {message}"
    return message


def _model_fields(cls_name: str) -> list[str]:
    for module in ("fkj_cli.content.program", "fkj_cli.content.kommuner", "fkj_cli.content.types"):
        cls = getattr(sys.modules.get(module), cls_name, None)
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            return [*cls.model_fields, *(n for n in vars(cls) if not n.startswith("_"))]
    return []


def _attr(value: Any) -> str:
    """Text for a quoted Pandoc attribute such as an image's alt text: one line, quotes escaped."""
    text = re.sub(r"[ \t\r\n]+", " ", str(value)).strip()  # not str.split(): it would eat no-break spaces
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _yaml_str(value: Any) -> str:
    """A value as a double-quoted YAML scalar, for Pandoc's metadata block."""
    return json.dumps(str(value), ensure_ascii=False)
