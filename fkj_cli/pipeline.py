"""The pipeline every build runs, stage by stage, in this order:

1. load      :func:`fkj_cli.content.load.load` — the YAML, with positions
2. validate  :func:`fkj_cli.content.load.validate` — models and cross-checks
3. compute   :func:`fkj_cli.participation.compute` — the figures, once per build
4. check     :func:`fkj_cli.texts.check_texts` — every text rendered in each language it is built in
5. render    :func:`fkj_cli.render.render_target` — a target's Markdown and charts
6. convert   :class:`fkj_cli.convert.Converter` — DOCX, and PDF through typst
7. write     :func:`fkj_cli.write.write_files` — every file whole, or none

Texts are checked after the figures are computed because texts refer to
them (``{{ figures.condition.coverage | percent }}``). `fkj validate` runs
stages 1–4; a build runs them all.

The content layer knows no document types: this is where the registry's are
handed to it (:func:`load_content`, :func:`prepare`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fkj_cli.content.load import Content, load, validate
from fkj_cli.documents import document_types
from fkj_cli.participation import Figures, compute
from fkj_cli.render import Renderer, render_target
from fkj_cli.texts import check_texts

if TYPE_CHECKING:
    from fkj_cli.content.spec import DocumentSpec
    from fkj_cli.convert import Converter
    from fkj_cli.incremental import Inputs
    from fkj_cli.targets import Target


@dataclass
class Prepared:
    """A content tree through stages 1–4: valid, its figures computed, its texts checked and compiled."""

    content: Content
    figures: Figures
    renderer: Renderer
    inputs: Inputs | None = field(default=None, repr=False)  # the targets' input digests, made when first asked


def load_content(root: Path, docs: Sequence[DocumentSpec] | None = None) -> Content:
    """Stages 1 and 2 on the content tree at ``root``, with the registry's document types unless ``docs``."""
    return validate(load(root, document_types() if docs is None else docs))


def prepare(root: Path, renderer: Renderer | None = None, texts: bool = True) -> Prepared:
    """Stages 1–4 on the content tree at ``root``: what `fkj validate` checks and every build starts with;
    without ``texts``, stages 1–3 (a proof renders no text: see :func:`check_texts`)."""
    renderer = renderer or Renderer()
    content = load_content(root)
    figures = compute(content)
    if texts:
        check_texts(content, figures, renderer)
    return Prepared(content, figures, renderer)


@dataclass(frozen=True)
class Made:
    """A target in memory: each requested format's bytes, the charts its Markdown links (drawn, by file
    name; written beside it when Markdown is asked for), and the Markdown itself (what proof compares)."""

    files: dict[str, bytes]
    images: dict[str, bytes]
    markdown: str


def make(prepared: Prepared, target: Target, formats: list[str], converter: Converter) -> Made:
    """Stages 5 and 6 for one target."""
    rendered = render_target(prepared.renderer, prepared.content, prepared.figures, target)
    if "docx" in formats:  # a reviewer's DOCX says what it was built from (fkj review import reads it)
        from fkj_cli import provenance

        markdown = provenance.stamp(rendered.markdown, target, provenance.revision(prepared, target))
        rendered = replace(rendered, markdown=markdown)
    images = converter.images(rendered)
    return Made(converter.outputs(rendered, formats, images), images, rendered.markdown)
