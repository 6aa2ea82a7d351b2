"""A reviewed DOCX read back: every tracked change and every comment, with the text around it.

Word and LibreOffice write a tracked insertion as ``w:ins`` around runs, a
deletion as ``w:del`` around runs whose text is ``w:delText`` (a move as
``w:moveTo`` / ``w:moveFrom``), each with ``w:author`` and ``w:date``; a
replacement is a deletion next to an insertion. A comment is in
``word/comments.xml`` and anchored in the text between
``w:commentRangeStart`` and ``w:commentRangeEnd`` of its id. Each paragraph
is read as the text it had before the review (what fkj built: kept and
deleted text) and where in it each change and each comment's anchor is.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from fkj_cli.errors import FkjError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_INSERTED = {f"{{{W}}}ins", f"{{{W}}}moveTo"}
_DELETED = {f"{{{W}}}del", f"{{{W}}}moveFrom"}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass(frozen=True)
class Change:
    """One tracked change: ``old`` replaced by ``new`` (an insertion has no ``old``, a deletion no ``new``)
    at ``start`` in the paragraph's text as built."""

    author: str
    date: str
    old: str
    new: str
    paragraph: int  # the paragraph's index in the document
    start: int

    @property
    def kind(self) -> str:
        return "replacement" if self.old and self.new else "insertion" if self.new else "deletion"


@dataclass(frozen=True)
class Comment:
    """A comment: its author, date and text, and the text it is anchored to (from ``start`` in its first
    paragraph, ``anchored`` long there)."""

    author: str
    date: str
    text: str
    anchored: str
    paragraph: int
    start: int


@dataclass
class Reviewed:
    """What a reviewer did to a document: the paragraphs as built, the changes and the comments."""

    paragraphs: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)


def read_review(data: bytes, shown: str) -> Reviewed:
    """The changes and comments of the DOCX ``data``; FkjError naming ``shown`` when it cannot be read."""
    from lxml import etree  # type: ignore[import-untyped]

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as docx:
            document = docx.read("word/document.xml")
            notes = docx.read("word/comments.xml") if "word/comments.xml" in docx.namelist() else None
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as exc:
        raise FkjError(f"{shown}: not a Word document, or a damaged one ({exc})") from None
    try:
        body = etree.fromstring(document).find(_w("body"))
        comment_root = etree.fromstring(notes) if notes is not None else None
    except etree.XMLSyntaxError as exc:
        raise FkjError(f"{shown}: a damaged Word document ({exc})") from None
    if body is None:
        raise FkjError(f"{shown}: a damaged Word document (no body)")
    texts: dict[str, tuple[str, str, str]] = {}  # comment id -> author, date, text
    if comment_root is not None:
        for c in comment_root.iter(_w("comment")):
            paragraphs = ["".join(t.text or "" for t in p.iter(_w("t"))) for p in c.iter(_w("p"))]
            texts[c.get(_w("id"), "")] = (c.get(_w("author"), ""), c.get(_w("date"), ""), "\n".join(paragraphs))
    reviewed = Reviewed()
    opened: dict[str, tuple[int, int]] = {}  # comment id -> (paragraph, start) of its anchor
    for index, paragraph in enumerate(body.iter(_w("p"))):
        _paragraph(paragraph, index, reviewed, opened, texts)
    return reviewed


def _paragraph(
    paragraph: Any,
    index: int,
    reviewed: Reviewed,
    opened: dict[str, tuple[int, int]],
    texts: dict[str, tuple[str, str, str]],
) -> None:
    """Read one paragraph: its text as built, its changes, and the comment anchors in it."""
    built: list[str] = []  # the paragraph's text as built, piece by piece
    pending: dict[str, Any] | None = None  # the change being read: consecutive inserted and deleted runs

    def position() -> int:
        return sum(len(piece) for piece in built)

    def close() -> None:
        nonlocal pending
        if pending is not None and (pending["old"] or pending["new"]):
            reviewed.changes.append(
                Change(pending["author"], pending["date"], pending["old"], pending["new"], index, pending["start"])
            )
        pending = None

    for element in paragraph.iter():
        tag = element.tag
        if tag == _w("commentRangeStart"):
            opened[element.get(_w("id"), "")] = (index, position())
        elif tag == _w("commentRangeEnd"):
            cid = element.get(_w("id"), "")
            at = opened.pop(cid, (index, position()))
            author, date, text = texts.get(cid, ("", "", ""))
            if at[0] == index:
                anchored = "".join(built)[at[1] :]
            else:  # across paragraphs: the anchor's first paragraph, from where it starts
                anchored = reviewed.paragraphs[at[0]][at[1] :] if at[0] < len(reviewed.paragraphs) else ""
            reviewed.comments.append(Comment(author, date, text, anchored, at[0], at[1]))
        elif tag == _w("r"):
            text = _run_text(element)
            if not text:
                continue
            wrapper = _inside(element, paragraph)
            if wrapper is None:
                close()
                built.append(text)
                continue
            author, date = wrapper.get(_w("author"), ""), wrapper.get(_w("date"), "")
            if pending is None:
                pending = {"author": author, "date": date, "old": "", "new": "", "start": position()}
            if wrapper.tag in _DELETED:
                pending["old"] += text
                built.append(text)
            else:
                pending["new"] += text
    close()
    reviewed.paragraphs.append("".join(built))


def _inside(run: Any, paragraph: Any) -> Any:
    """The insertion or deletion a run is in, if any (looking up to its paragraph)."""
    parent = run.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag in _INSERTED or parent.tag in _DELETED:
            return parent
        parent = parent.getparent()
    return None


def _run_text(run: Any) -> str:
    """A run's text as a reader sees it: text and deleted text, tabs and breaks as spaces."""
    out = []
    for child in run:
        tag = child.tag
        if tag in (_w("t"), _w("delText")):
            out.append(child.text or "")
        elif tag in (_w("tab"), _w("br"), _w("cr")):
            out.append(" ")
        elif tag == _w("noBreakHyphen"):
            out.append("-")
    return "".join(out)
