"""From a reviewed DOCX back to the content: where each change and comment is, and what can be applied.

The DOCX says what it was built from (:mod:`fkj_cli.provenance`). The
document is rendered again from the working tree with every content text it
uses recorded (:class:`fkj_cli.render.RenderedText`: file, key, source,
rendered text); a change is found in exactly one of those texts by the text
around it, and then in that text's source. It is applied only when the
source, changed, renders to the text the reviewer meant: a change to a
computed figure, to the template's own words, across several texts, or to
a text that has changed since the build is reported with the reason, never
guessed. A text shared by every municipality is changed in one
municipality's copy only with ``shared``; otherwise the report proposes an
override. Every change of a run is written, in the canonical style with
every comment kept, after the content with all of them has been validated,
or none is.
"""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jinja2

from fkj_cli.content import OVERRIDES_DIR
from fkj_cli.content.yamlfile import format_path
from fkj_cli.errors import ContentError, FkjError, display_path
from fkj_cli.review.docx import Change, Comment, Reviewed, read_review

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.content.yamlfile import Path_
    from fkj_cli.pipeline import Prepared
    from fkj_cli.provenance import Provenance
    from fkj_cli.render import RenderedText
    from fkj_cli.targets import Target

Status = Literal["applied", "to apply", "by hand", "conflict"]
CONTEXT = (40, 20, 10, 5, 0)  # how much of the text around a change is matched, most first


@dataclass(frozen=True)
class Item:
    """One change or comment of the review, where it is in the content, and what became of it."""

    kind: str  # insertion, deletion, replacement, comment
    author: str
    date: str
    text: str  # for a change "old → new", for a comment its text on the text it is anchored to
    where: str  # FILE:LINE:COL key, or "" where it is in no content text
    status: Status
    why: str = ""


@dataclass
class ReviewReport:
    """What `fkj review import` found in one DOCX and did."""

    path: Path
    provenance: Provenance
    label: str  # whom the document is for, as the user knows it
    items: list[Item] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    applied: bool = False  # --apply: the changes that can be applied were written
    forced: bool = False  # --force on a document built from another revision

    def count(self, status: Status, comments: bool = False) -> int:
        return sum(1 for i in self.items if i.status == status and (i.kind == "comment") == comments)


@dataclass(frozen=True)
class _Text:
    """A content text as the document showed it: its place, source, rendered text and plain text."""

    rendered: RenderedText
    plain: str
    render: Callable[[str], str]  # a source rendered as this text was: in its context
    where: str  # FILE:LINE:COL key
    disk: Path  # the file to write a change of it to (the override's, where it comes from one)
    override: bool
    own: bool  # in the document's own content file (or its override), not in one other documents share


@dataclass
class _Edit:
    """The new source of one text, after the changes applied to it so far."""

    text: _Text
    source: str


def import_review(
    path: Path,
    *,
    content_root: Path = Path("content"),
    apply: bool = False,
    shared: bool = False,
    force: bool = False,
) -> ReviewReport:
    """Read the reviewed DOCX at ``path``, map each of its changes and comments to the content, and with
    ``apply`` write the changes that can be applied (all of them, or none when the result would not be
    valid content). FkjError for a file fkj did not build or cannot read, and for one built from another
    revision of the content than the working tree's unless ``force``."""
    from fkj_cli import provenance
    from fkj_cli.pipeline import prepare
    from fkj_cli.render import Renderer

    shown = display_path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FkjError(f"{shown}: cannot be read ({(exc.strerror or str(exc)).lower()})") from None
    origin = provenance.read(data, shown)
    reviewed = read_review(data, shown)
    prepared = prepare(content_root, Renderer())
    target = _target(prepared.content, origin, shown)
    moved = provenance.revision(prepared, target) != origin.revision
    if moved and not force:
        raise FkjError(
            f"{shown}: built from another revision of the content than the working tree: {target.doc.name} for "
            f"{target.label} has changed since; build it again and send that, or import with --force "
            "(then only changes whose original text is still there are applied)"
        )
    texts = _texts(prepared, target)
    report = ReviewReport(path, origin, target.label, forced=moved)
    edits: dict[tuple[Path, Path_], _Edit] = {}
    placed: list[tuple[int, int, int, Item]] = []  # in the document's order: paragraph, place, found
    for change in reviewed.changes:
        found = _change(change, reviewed, texts, target, edits, apply=apply, shared=shared, moved=moved)
        placed.append((change.paragraph, change.start, len(placed), found))
    for comment in reviewed.comments:
        placed.append((comment.paragraph, comment.start, len(placed), _comment(comment, reviewed, texts)))
    report.items = [item for *_, item in sorted(placed, key=lambda p: p[:3])]
    if apply and edits:
        report.written = _write(prepared.content, edits, content_root)
    report.applied = apply
    return report


def _target(content: Content, origin: Provenance, shown: str) -> Target:
    from fkj_cli.targets import find

    try:
        return find(content, origin.document, origin.whom, origin.lang)
    except FkjError as exc:
        raise FkjError(f"{shown}: built as {origin.document} for {origin.whom!r}, but {exc}") from None


def _texts(prepared: Prepared, target: Target) -> list[_Text]:
    """Every content text the document shows, once each, as the working tree renders it for ``target``."""
    renderer = prepared.renderer
    renderer.recording = []
    try:
        renderer.context(prepared.content, prepared.figures, target)
        recorded = renderer.recording
    finally:
        renderer.recording = None
    content, doc = prepared.content, target.doc
    override_file = content.root / OVERRIDES_DIR / str(target.slug) / doc.content_file
    own_display = content.files[doc.content_file].display
    seen: set[tuple[str, Path_]] = set()
    out: list[_Text] = []
    for text in recorded:
        position = text.file.where(text.path)
        file = position.file or text.file.display
        if (file, text.path) in seen:
            continue
        seen.add((file, text.path))
        override = position.file is not None and position.file != text.file.display
        where = f"{file}:{position.line}:{position.col} {format_path(text.path)}"
        disk = override_file if override else text.file.path
        own = override or text.file.display == own_display
        render = functools.partial(renderer.render_text, context=text.context)
        out.append(_Text(text, plain(text.rendered), render, where, disk, override, own))
    return out


# ---------------------------------------------------------------- plain text, as a reader sees it

_SPACES = re.compile(r"[ \t\u00a0\u202f\u2007\u2009]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\u00ad": None})


def normal(text: str) -> str:
    """Text as compared: one kind of space and of quote, no soft hyphens, nothing around it."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_QUOTES).replace("…", "..."))


_MARKUP = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?"), ""),  # an image
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # a link: its text
    (re.compile(r"\[([^\]]*)\]\{[^}]*\}"), r"\1"),  # a span with attributes
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),  # emphasis
    (re.compile(r"(?m)^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?|:\s+)"), ""),  # heading, list, quote, definition
    (re.compile(r"\\(.)"), r"\1"),  # an escape
    (re.compile(r"(?<!-)--(?!-)"), "–"),  # pandoc's smart dash
]


def plain(markdown: str) -> str:
    """A text's Markdown as a DOCX shows it: paragraphs one per line, markup gone, spaces as in :func:`normal`."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", markdown):
        lines = block.split("\n")
        items: list[list[str]] = [[]]  # a list item or a line of a table starts a paragraph of its own
        for line in lines:
            if re.match(r"^\s{0,3}([-*+]|\d+[.)])\s+|^\s*\|", line) and items[-1]:
                items.append([])
            items[-1].append(line)
        for item in items:
            text = " ".join(item)
            for pattern, replacement in _MARKUP:
                text = pattern.sub(replacement, text)
            text = normal(text).strip()
            if text:
                paragraphs.append(text)
    return "\n".join(paragraphs)


# ---------------------------------------------------------------- finding and applying


@dataclass(frozen=True)
class _Found:
    text: _Text
    at: int  # where the change starts in the text's plain form
    before: str  # the context matched before it
    after: str  # and after it


def _locate(before: str, old: str, after: str, texts: list[_Text], *, whole: bool = False) -> _Found | str:
    """The one text whose plain form holds ``old`` between ``before`` and ``after`` (as much of them as
    makes it unique; with ``whole``, as much as there is, up to the most matched); else why there is none."""
    for k in CONTEXT[:1] if whole else CONTEXT:
        if k == 0 and not old:
            break  # an insertion is placed by the text around it
        b, a = before[len(before) - k :] if k else "", after[:k]
        needle = b + old + a
        hits = [(t, m.start()) for t in texts for m in re.finditer(re.escape(needle), t.plain)]
        if len(hits) == 1:
            text, start = hits[0]
            return _Found(text, start + len(b), b, a)
        if len(hits) > 1:
            return "the text occurs in several places of the document's content; change it by hand"
    return "not inside one content text: it touches the template's own words, a computed figure or several texts"


def _pieces(reviewed: Reviewed, paragraph: int, start: int, length: int) -> tuple[str, str, str]:
    text = reviewed.paragraphs[paragraph]
    return normal(text[:start]), normal(text[start : start + length]), normal(text[start + length :])


def _change(
    change: Change,
    reviewed: Reviewed,
    texts: list[_Text],
    target: Target,
    edits: dict[tuple[Path, Path_], _Edit],
    *,
    apply: bool,
    shared: bool,
    moved: bool,
) -> Item:
    before, old, after = _pieces(reviewed, change.paragraph, change.start, len(change.old))
    new = normal(change.new)
    shown_text = f"«{change.old}» → «{change.new}»" if change.old and change.new else f"«{change.old or change.new}»"

    def item(status: Status, why: str, where: str = "") -> Item:
        return Item(change.kind, change.author, change.date, shown_text, where, status, why)

    found = _locate(before, old, after, texts, whole=moved)  # what changed since the build may be around it
    if isinstance(found, str):
        if moved:
            return item("conflict", "not in the working tree's text (changed since the build?), or " + found)
        return item("by hand", found)
    text = found.text
    if "{" in new or "}" in new:
        return item("by hand", "the new text has braces, which a content text reads as template code", text.where)
    key = (text.disk, text.rendered.path)
    edit = edits.get(key) or _Edit(text, text.rendered.source)
    done = _apply(edit, found, old, new)
    if isinstance(done, str):
        return item("by hand", done, text.where)
    source, at = done
    where = _where(text, edit.source, at)
    if not text.override and (not text.own or target.whom != "program") and not shared:
        return item("by hand", _shared_why(text, target), where)
    edit.source = source
    edits[key] = edit
    return item("applied" if apply else "to apply", "", where)


def _where(text: _Text, source: str, at: int) -> str:
    """FILE:LINE:COL key of the place ``at`` in the text's source: the line within a block text."""
    rendered = text.rendered
    lineno = source[:at].count("\n") + 1
    problem = rendered.file.text_problem(rendered.path, lineno, "")
    return f"{problem.file}:{problem.line}:{problem.col} {problem.key}"


def _shared_why(text: _Text, target: Target) -> str:
    if text.own:
        override = f"{OVERRIDES_DIR}/{target.slug or target.recipient}/{target.doc.content_file}"
        return (
            f"the text is the same for every {'municipality' if target.slug else 'recipient'}: --shared changes it "
            f"for all, or give {target.label} its own in content/{override} under {format_path(text.rendered.path)}"
        )
    return "the text is shared with other documents: --shared changes it everywhere it is used"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _apply(edit: _Edit, found: _Found, old: str, new: str) -> tuple[str, int] | str:
    """The text's source with the change made, checked by rendering it, and where in the source the change
    is; else why it cannot be made."""
    source = edit.source
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", new)
    for k in CONTEXT:
        b, a = found.before[len(found.before) - k :] if k else "", found.after[:k]
        if not old and not (b or a):
            break
        needle = b + old + a
        at = [m.start() for m in re.finditer(re.escape(needle), source)]
        if len(at) != 1:
            continue
        changed = source[: at[0]] + b + escaped + a + source[at[0] + len(needle) :]
        try:
            rendered = edit.text.render(changed)
        except jinja2.TemplateError:  # a source that no longer renders is not applied
            return "the change would break the text's template code; change it by hand"
        if plain(rendered) == _expected(edit, found, old, new):
            return changed, at[0] + len(b)
        return "the change touches the text's formatting or a computed figure; change it by hand"
    return "the text comes from a computed figure or template code ({{ … }}), or is formatted in the YAML"


def _expected(edit: _Edit, found: _Found, old: str, new: str) -> str:
    """The text's plain form with the change made, as the reviewer meant it."""
    current = plain(edit.text.render(edit.source)) if edit.source != edit.text.rendered.source else edit.text.plain
    # the change's place in the current text: the context, found again (earlier changes may have moved it)
    needle = found.before + old + found.after
    at = current.find(needle)
    if at < 0:
        return ""
    start = at + len(found.before)
    return current[:start] + new + current[start + len(old) :]


def _comment(comment: Comment, reviewed: Reviewed, texts: list[_Text]) -> Item:
    anchored = comment.anchored
    before, old, after = _pieces(reviewed, comment.paragraph, comment.start, len(anchored))
    found = _locate(before, old, after, texts) if old.strip() else "anchored to no text"
    where = ""
    if not isinstance(found, str):
        at = found.text.rendered.source.find(old)
        where = _where(found.text, found.text.rendered.source, at) if at >= 0 else found.text.where
    shown = f"{comment.text} (on «{anchored}»)" if anchored else comment.text
    why = "a comment: answer it in the content" + (f"; {found}" if isinstance(found, str) else "")
    return Item("comment", comment.author, comment.date, shown, where, "by hand", why)


# ---------------------------------------------------------------- writing


def _write(content: Content, edits: dict[tuple[Path, Path_], _Edit], root: Path) -> list[Path]:
    """Write every edited file, or none: each edited with the recorder (comments kept), formatted as `fkj
    fmt` would, and the content validated with all of them in place first."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    from fkj_cli.content.record import edited, scalar
    from fkj_cli.fmt import format_text
    from fkj_cli.pipeline import prepare
    from fkj_cli.write import write_files

    by_file: dict[Path, list[_Edit]] = {}
    for (disk, _), edit in edits.items():
        by_file.setdefault(disk, []).append(edit)
    new_texts: dict[Path, str] = {}
    for disk, file_edits in by_file.items():
        shown = display_path(disk)
        text = disk.read_text(encoding="utf-8")

        def change(data: Any, file_edits: list[_Edit] = file_edits) -> None:
            for e in file_edits:
                node = data
                *parents, last = e.text.rendered.path
                for part in parents:
                    node = node[part]
                literal = "\n" in e.source or isinstance(node[last], LiteralScalarString)
                node[last] = LiteralScalarString(e.source) if literal else scalar(e.source)

        changed = edited(text, shown, "apply the review", change)
        model = type(content.models()[disk.name]) if disk.parent == content.root else None
        new_texts[disk] = format_text(changed, model, shown)
    with tempfile.TemporaryDirectory(prefix="fkj-review-") as tmp:
        copy = Path(tmp) / "content"
        shutil.copytree(content.root, copy)
        for disk, text in new_texts.items():
            (copy / disk.relative_to(content.root)).parent.mkdir(parents=True, exist_ok=True)
            (copy / disk.relative_to(content.root)).write_text(text, encoding="utf-8")
        try:
            prepare(copy)
        except ContentError as exc:
            lines = [str(p).replace(display_path(copy), display_path(root)) for p in exc.problems]
            message = "the review's changes would make the content invalid; nothing written:\n" + "\n".join(lines)
            raise FkjError(message) from None
    write_files({disk: text.encode("utf-8") for disk, text in new_texts.items()}, keep_mode=True)
    return sorted(new_texts)
