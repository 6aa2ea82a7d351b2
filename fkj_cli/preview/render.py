"""One document of the working tree, rendered for the preview: HTML, its charts, and its problems.

Nothing is written: the Markdown, the charts and the HTML stay in memory
(pandoc reads the Markdown on its standard input and writes HTML on its
output; a PDF asked for is made in a temporary folder, removed at once).
The content is loaded anew for every rendering, so that what the page shows
is what the files say now; a content tree that does not load gives its
problems, and no document, until it is mended.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fkj_cli.errors import ContentError, ConversionError, FkjError, Problem

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.documents.kind import DocumentType
    from fkj_cli.targets import Target


@dataclass(frozen=True)
class Key:
    """Which document: its type, whom it is for (a slug, a recipient or ``program``) and its language."""

    document: str
    whom: str
    lang: str

    @property
    def path(self) -> str:
        return f"/doc/{self.document}/{self.whom}/{self.lang}/"


@dataclass
class Shown:
    """A document as the preview shows it: its HTML (None when it cannot be rendered), its charts by file
    name, its problems (``FILE:LINE:COL: ...``) and the version of the files it was rendered from."""

    key: Key
    title: str
    html: str | None
    problems: list[str] = field(default_factory=list)
    images: dict[str, bytes] = field(default_factory=dict)
    version: int = 0


def load(root: Path) -> Content:
    """The content tree at ``root``, loaded and validated (stages 1–2; a document's texts are checked when it
    is rendered)."""
    from fkj_cli.pipeline import load_content

    return load_content(root)


def targets(content: Content) -> list[Target]:
    """Every document the content makes, each for whom it is for, in its language."""
    from fkj_cli.documents import document_types
    from fkj_cli.targets import every_target

    return every_target(content, document_types())


def find(content: Content, key: Key) -> Target:
    """The target ``key`` names; FkjError when the content makes no such document."""
    from fkj_cli.targets import find

    return find(content, key.document, key.whom, key.lang)


def concerns(problem: Problem, doc: DocumentType, whom: str, *, own: bool = False) -> bool:
    """Whether ``problem`` is in a file the document reads (its override for ``whom`` included); with
    ``own``, in its own content file."""
    files = (doc.content_file,) if own else doc.inputs
    parts = Path(problem.file).parts
    if "overrides" in parts:
        at = parts.index("overrides")
        return parts[at + 1 : at + 2] == (whom,) and parts[-1] in files
    return parts[-1] in files


def render(root: Path, templates: Path, key: Key, version: int) -> Shown:
    """The document ``key`` as the files under ``root`` and ``templates`` make it now."""
    from fkj_cli.convert import Converter
    from fkj_cli.documents import REGISTRY, document_type
    from fkj_cli.participation import compute
    from fkj_cli.render import Renderer, render_target

    title = f"{key.document} – {key.whom} ({key.lang})"
    doc = document_type(key.document) if key.document in REGISTRY else None
    try:
        content = load(root)
    except ContentError as exc:
        mine = [str(p) for p in exc.problems if doc is None or concerns(p, doc, key.whom)]
        return Shown(key, title, None, mine or [str(p) for p in exc.problems], version=version)
    try:
        target = find(content, key)
        # what is not wrong but not ready either, in what the editor is writing: the document's own file
        warnings = [f"{p} (warning)" for p in content.warnings if concerns(p, target.doc, key.whom, own=True)]
        rendered = render_target(Renderer(templates), content, compute(content), target)
        images = Converter.images(rendered)
        body = to_html(rendered.markdown, templates)
    except ContentError as exc:
        return Shown(key, title, None, [str(p) for p in exc.problems], version=version)
    except FkjError as exc:
        return Shown(key, title, None, [str(exc)], version=version)
    return Shown(key, f"{target.doc.name} – {target.label} ({target.lang})", body, warnings, images, version)


def to_html(markdown: str, templates: Path) -> str:
    """The Markdown as an HTML fragment, as pandoc reads it for the DOCX (raw HTML in it is text)."""
    from fkj_cli.convert import pandoc_binary

    cmd = [
        str(pandoc_binary()),
        "--from=markdown-raw_html-raw_attribute",
        "--to=html5",
        f"--lua-filter={templates / 'pandoc' / 'fkj.lua'}",
        "--wrap=none",
    ]
    proc = subprocess.run(cmd, input=markdown.encode("utf-8"), capture_output=True, check=False)
    if proc.returncode != 0:
        raise ConversionError(f"pandoc could not write HTML: {proc.stderr.decode('utf-8', 'replace').strip()}")
    return proc.stdout.decode("utf-8")


def pdf(root: Path, templates: Path, key: Key) -> bytes:
    """The document as PDF, made in memory (its charts in a temporary folder, removed at once)."""
    from fkj_cli.convert import Converter
    from fkj_cli.participation import compute
    from fkj_cli.render import Renderer, render_target

    content = load(root)
    target = find(content, key)
    rendered = render_target(Renderer(templates), content, compute(content), target)
    with Converter(templates) as converter:
        return converter.outputs(rendered, ["pdf"], Converter.images(rendered))["pdf"]
