"""A reviewer in Word, for the tests: tracked changes and comments put into a DOCX as Word writes them.

A change replaces (or deletes, or inserts at) a phrase in the first paragraph
holding it: the run holding it is split, the old text goes into ``w:del`` as
``w:delText``, the new into ``w:ins``, each with ``w:author`` and ``w:date``.
A comment goes into ``word/comments.xml`` and is anchored with
``w:commentRangeStart``/``w:commentRangeEnd`` and a ``w:commentReference``
run, as Word anchors one.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
AUTHOR, DATE = "Kari Revisor", "2023-01-10T09:30:00Z"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


@dataclass(frozen=True)
class Tracked:
    """Replace ``old`` by ``new`` in the first paragraph that holds ``old`` after ``near``."""

    near: str
    old: str
    new: str


@dataclass(frozen=True)
class Note:
    """A comment saying ``text`` on ``on`` in the first paragraph that holds ``on`` after ``near``."""

    near: str
    on: str
    text: str


def _paragraph(body: Any, near: str, phrase: str) -> Any:
    for p in body.iter(w("p")):
        text = "".join(t.text or "" for t in p.iter(w("t")))
        if near in text and phrase in text[text.index(near) :]:
            return p
    raise AssertionError(f"no paragraph with {near!r} … {phrase!r}")


def _split(p: Any, phrase: str) -> tuple[Any, Any, Any, Any]:
    """The run holding ``phrase`` split in three: (the run before, a run of the phrase, the run after), and
    its parent; a phrase across runs is no test's."""
    for r in p.iter(w("r")):
        t = r.find(w("t"))
        if t is not None and t.text and phrase in t.text:
            break
    else:
        raise AssertionError(f"{phrase!r} is not in one run")
    before, after = t.text.split(phrase, 1)
    props = r.find(w("rPr"))

    def run(text: str, tag: str = "t") -> Any:
        new = etree.Element(w("r"))
        if props is not None:
            new.append(etree.fromstring(etree.tostring(props)))
        element = etree.SubElement(new, w(tag))
        element.text = text
        element.set(XML_SPACE, "preserve")
        return new

    parent = r.getparent()
    at = parent.index(r)
    parent.remove(r)
    pieces = [run(before), run(phrase), run(after)]
    for i, piece in enumerate(pieces):
        parent.insert(at + i, piece)
    return (*pieces, run)


def review(
    source: Path, target: Path, changes: Sequence[Tracked] = (), notes: Sequence[Note] = (), author: str = AUTHOR
) -> Path:
    """A copy of the DOCX ``source`` at ``target`` with ``changes`` tracked and ``notes`` commented."""
    with zipfile.ZipFile(source) as docx:
        parts = {info.filename: docx.read(info) for info in docx.infolist()}
    document = etree.fromstring(parts["word/document.xml"])
    body = document.find(w("body"))
    ids = iter(range(900, 2000))
    for change in changes:
        p = _paragraph(body, change.near, change.old or change.near)
        phrase = change.old or change.near
        _, middle, _, run = _split(p, phrase)
        parent, at = middle.getparent(), middle.getparent().index(middle)
        if change.old:
            deleted = etree.Element(w("del"), {w("id"): str(next(ids)), w("author"): author, w("date"): DATE})
            deleted.append(run(change.old, "delText"))
            parent.remove(middle)
            parent.insert(at, deleted)
        else:  # an insertion after ``near``
            at += 1
        if change.new:
            inserted = etree.Element(w("ins"), {w("id"): str(next(ids)), w("author"): author, w("date"): DATE})
            inserted.append(run(change.new))
            parent.insert(at + 1 if change.old else at, inserted)
    comments = etree.fromstring(parts["word/comments.xml"])
    for note in notes:
        cid = str(next(ids))
        p = _paragraph(body, note.near, note.on)
        _, middle, _, run = _split(p, note.on)
        parent = middle.getparent()
        parent.insert(parent.index(middle), etree.Element(w("commentRangeStart"), {w("id"): cid}))
        parent.insert(parent.index(middle) + 1, etree.Element(w("commentRangeEnd"), {w("id"): cid}))
        reference = etree.Element(w("r"))
        etree.SubElement(reference, w("commentReference"), {w("id"): cid})
        parent.insert(parent.index(middle) + 2, reference)
        comment = etree.SubElement(comments, w("comment"), {w("id"): cid, w("author"): author, w("date"): DATE})
        text = etree.SubElement(etree.SubElement(etree.SubElement(comment, w("p")), w("r")), w("t"))
        text.text = note.text
    parts["word/document.xml"] = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts["word/comments.xml"] = etree.tostring(comments, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as docx:
        for name, data in parts.items():
            docx.writestr(name, data)
    target.write_bytes(out.getvalue())
    return target
