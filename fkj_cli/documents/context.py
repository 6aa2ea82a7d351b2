"""What a template and its texts see: a typed render context per kind of document.

:meth:`fkj_cli.render.Renderer.context` makes one; a document type names its
class (``DocumentType.context``). Code outside rendering — charts, the
archive package, tests — reads its attributes, never a string-keyed dict;
templates see the same fields as variables (:meth:`Context.variables`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Mapping

    from fkj_cli.content.economics import Economics
    from fkj_cli.content.kommuner import Kommune, Register
    from fkj_cli.content.program import Program
    from fkj_cli.participation import Outlook, ScenarioRow

M = TypeVar("M")  # the document's content model


@dataclass(frozen=True)
class Context(Generic[M]):
    """Every document's: the program's and its own texts rendered in its language, and its labels."""

    recipient: str | None
    program: Program  # its texts rendered in the document's language
    register: Register  # numbers, counties and names as on the document's date
    slug: str | None
    kommune: Kommune | None  # as on the document's date
    as_of: dt.date  # the document's date: what its texts say of the state of things is as of it
    lang: str
    lang_tag: str
    t: Mapping[str, str]  # the fixed texts (headings, labels) of its language
    charts: Mapping[str, str]  # a chart's key -> its file name in the Markdown
    chart_width: Mapping[str, str]  # a chart's key -> the share of the text width it is shown at
    sources: Any  # fkj_cli.render.Sources: the sources of the facts printed so far
    doc: M  # its own content, texts rendered

    def variables(self) -> dict[str, Any]:
        """The fields as the template's variables."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class FiguresContext(Context[M]):
    """A document that shows a municipality its own figures (it reads economics.yaml and commitments.yaml)."""

    figures: Outlook  # the decisions made by the document's date
    economics: Economics  # its texts rendered

    def scenario_label(self, row: ScenarioRow) -> str:
        """The label of a scenario in the municipality's figures; a row that counts the municipality in addition
        to those the scenario counts says so («… (og Vinje kommune)»), in tables, charts and alt text alike."""
        label = str(self.economics.scenarios[row.scenario].label)
        if row.joined and self.kommune is not None:
            label += f" ({self.t['and']} {self.kommune.name} {self.t['kommune']})"
        return label

    def variables(self) -> dict[str, Any]:
        return {**super().variables(), "scenario_label": self.scenario_label}
