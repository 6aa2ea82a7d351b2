"""A redline: the document as of one revision, with Word tracked changes against another.

Both renderings are parsed by pandoc into its document tree. Blocks are
aligned (difflib over whole blocks, then pairing blocks of the same kind);
inside a paragraph, heading, list item or table cell the inlines are diffed
word by word. Removed text goes into a ``deletion`` span and added text into
an ``insertion`` span, each with an author and a date, which pandoc's DOCX
writer turns into ``w:del`` and ``w:ins``. Whole blocks become spans around
all their text. The result is written with the project's converter (same
reference document and filters as a build); afterwards the paragraph marks of
wholly removed or added paragraphs, and whole table rows, are marked too, so
that accepting or rejecting in Word leaves no empty paragraphs or rows.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import tempfile
import zipfile
from collections.abc import Callable
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from fkj_cli.convert import Converter, markdown_tree, png
from fkj_cli.documents import document_type
from fkj_cli.errors import FkjError, display_path
from fkj_cli.participation import compute
from fkj_cli.render import Renderer, render_target
from fkj_cli.revisions import between
from fkj_cli.targets import Target, plan
from fkj_cli.write import check_out_dir, write_files

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.documents.kind import DocumentType

Block = dict[str, Any]
Inline = dict[str, Any]
DELETION = "deletion"
INSERTION = "insertion"
# Metadata pandoc's DOCX writer shows on the page; the others are written as they are in the new version.
SHOWN_META = ("title", "subtitle", "author", "date", "abstract")
SEPARATE_BELOW = 0.25  # paragraphs less alike than this are shown as one removed and one added
SHORT = 15  # inlines (words and spaces): a paragraph this short is never split so
_BLANK = ("Space", "SoftBreak", "LineBreak")
_PIECES = re.compile(r"\w+|\W", re.UNICODE)


class Marks:
    """The attributes of every change: who and when."""

    def __init__(self, author: str, date: dt.datetime) -> None:
        self.author = author
        self.date = date.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def span(self, kind: str, inlines: list[Inline]) -> Inline:
        return {"t": "Span", "c": [["", [kind], [["author", self.author], ["date", self.date]]], inlines]}


def _key(node: Any) -> str:
    return json.dumps(node, sort_keys=True, ensure_ascii=False)


# ---------------------------------------------------------------- the tree diff


def redline_tree(old: dict[str, Any], new: dict[str, Any], marks: Marks) -> dict[str, Any]:
    """``new`` with what changed since ``old`` marked as insertions and deletions."""
    meta = dict(new.get("meta", {}))
    for name in SHOWN_META:
        before, after = old.get("meta", {}).get(name), meta.get(name)
        if before == after or before is None or after is None:
            continue
        if before.get("t") == after.get("t") == "MetaInlines":
            meta[name] = {"t": "MetaInlines", "c": diff_inlines(before["c"], after["c"], marks)}
    blocks = diff_blocks(old.get("blocks", []), new.get("blocks", []), marks)
    return {**new, "meta": meta, "blocks": blocks}


def _diff_sequence(
    old: list[Any],
    new: list[Any],
    score: Callable[[Any, Any], float],
    merge: Callable[[Any, Any], list[Any]],
    mark: Callable[[Any, str], Any],
) -> list[Any]:
    """Blocks, list items or table rows: the equal kept, the others paired by ``score`` and
    merged, the rest marked as removed or added."""
    out: list[Any] = []
    matcher = SequenceMatcher(None, [_key(x) for x in old], [_key(x) for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += new[j1:j2]
            continue
        before, after = old[i1:i2], new[j1:j2]
        for i, j in align(before, after, score):
            if i is None:
                out.append(mark(after[j], INSERTION))  # type: ignore[index]
            elif j is None:
                out.append(mark(before[i], DELETION))
            else:
                out += merge(before[i], after[j])
    return out


def diff_blocks(old: list[Block], new: list[Block], marks: Marks) -> list[Block]:
    def merge(before: Block, after: Block) -> list[Block]:
        merged = merge_block(before, after, marks)
        if merged is None:
            return [mark_block(before, DELETION, marks), mark_block(after, INSERTION, marks)]
        return [merged]

    return _diff_sequence(old, new, _block_score, merge, lambda b, kind: mark_block(b, kind, marks))


def _signature(block: Block) -> str:
    if block["t"] == "Header":
        return f"Header{block['c'][0]}"
    if block["t"] == "Table":
        return f"Table{len(block['c'][2])}"
    return str(block["t"])


def _words(node: Any) -> list[str]:
    """The words of any part of the tree, in order."""
    if isinstance(node, dict):
        if node.get("t") == "Str":
            return list(_PIECES.findall(node["c"]))
        return _words(node.get("c"))
    if isinstance(node, list):
        return [w for item in node for w in _words(item)]
    return []


def _similarity(old: Any, new: Any) -> float:
    return SequenceMatcher(None, _words(old), _words(new), autojunk=False).ratio()


def _block_score(old: Block, new: Block) -> float:
    if _signature(old) != _signature(new):
        return 0.0
    # blocks of a kind pair up in order when nothing better is there, short ones always
    return _similarity(old, new) + 0.001


def _row_score(old: list[Any], new: list[Any]) -> float:
    return _similarity(old, new) if len(old[1]) == len(new[1]) else 0.0


def align(old: list[Any], new: list[Any], score: Callable[[Any, Any], float]) -> list[tuple[int | None, int | None]]:
    """Pairs of old and new items in order, matched to the greatest total score (above 0);
    an item with no partner comes with None. Removals come before additions between pairs."""
    n, m = len(old), len(new)
    scores = [[score(old[i], new[j]) for j in range(m)] for i in range(n)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if scores[i][j] > 0:
                options.append(best[i + 1][j + 1] + scores[i][j])
            best[i][j] = max(options)
    pairs: list[tuple[int | None, int | None]] = []
    removed: list[tuple[int | None, int | None]] = []
    added: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n or j < m:
        if i < n and j < m and scores[i][j] > 0 and best[i][j] == best[i + 1][j + 1] + scores[i][j]:
            pairs += removed + added + [(i, j)]
            removed, added = [], []
            i, j = i + 1, j + 1
        elif i < n and (j == m or best[i][j] == best[i + 1][j]):
            removed.append((i, None))
            i += 1
        else:
            added.append((None, j))
            j += 1
    return pairs + removed + added


def _alike(old: list[Inline], new: list[Inline]) -> bool:
    matcher = SequenceMatcher(None, [_key(i) for i in old], [_key(i) for i in new], autojunk=False)
    return matcher.ratio() >= SEPARATE_BELOW


def merge_block(old: Block, new: Block, marks: Marks) -> Block | None:
    """One block showing the changes from ``old`` to ``new``, or None when they are better shown apart."""
    kind = new["t"]
    if old["t"] != kind:
        return None
    if kind in ("Para", "Plain"):
        if min(len(old["c"]), len(new["c"])) > SHORT and not _alike(old["c"], new["c"]):
            return None
        return {"t": kind, "c": diff_inlines(old["c"], new["c"], marks)}
    if kind == "Header":
        (level, _, before), (new_level, attr, after) = old["c"], new["c"]
        if level != new_level:
            return None
        return {"t": kind, "c": [level, attr, diff_inlines(before, after, marks)]}
    if kind == "BulletList":
        return {"t": kind, "c": _diff_items(old["c"], new["c"], marks)}
    if kind == "OrderedList":
        return {"t": kind, "c": [new["c"][0], _diff_items(old["c"][1], new["c"][1], marks)]}
    if kind == "BlockQuote":
        return {"t": kind, "c": diff_blocks(old["c"], new["c"], marks)}
    if kind == "Div" and old["c"][0] == new["c"][0]:
        return {"t": kind, "c": [new["c"][0], diff_blocks(old["c"][1], new["c"][1], marks)]}
    if kind == "Table":
        return _merge_table(old, new, marks)
    return None


def _diff_items(old: list[list[Block]], new: list[list[Block]], marks: Marks) -> list[list[Block]]:
    return _diff_sequence(
        old,
        new,
        lambda b, a: _similarity(b, a) + 0.001,
        lambda b, a: [diff_blocks(b, a, marks)],
        lambda item, kind: [mark_block(b, kind, marks) for b in item],
    )


def _merge_table(old: Block, new: Block, marks: Marks) -> Block | None:
    _, o_caption, o_cols, o_head, o_bodies, o_foot = old["c"]
    attr, caption, cols, head, bodies, foot = new["c"]
    if len(o_cols) != len(cols) or len(o_bodies) != len(bodies):
        return None
    caption = [caption[0], diff_blocks(o_caption[1], caption[1], marks)]
    head = [head[0], _diff_rows(o_head[1], head[1], marks)]
    bodies = [
        [b[0], b[1], _diff_rows(ob[2], b[2], marks), _diff_rows(ob[3], b[3], marks)]
        for ob, b in zip(o_bodies, bodies, strict=True)
    ]
    foot = [foot[0], _diff_rows(o_foot[1], foot[1], marks)]
    return {"t": "Table", "c": [attr, caption, cols, head, bodies, foot]}


def _diff_rows(old: list[Any], new: list[Any], marks: Marks) -> list[Any]:
    def merge(before: list[Any], after: list[Any]) -> list[Any]:
        cells = [[*a[:4], diff_blocks(b[4], a[4], marks)] for b, a in zip(before[1], after[1], strict=True)]
        return [[after[0], cells]]

    return _diff_sequence(old, new, _row_score, merge, lambda row, kind: _mark_row(row, kind, marks))


def _mark_row(row: list[Any], kind: str, marks: Marks) -> list[Any]:
    return [row[0], [[*cell[:4], [mark_block(b, kind, marks) for b in cell[4]]] for cell in row[1]]]


def mark_block(block: Block, kind: str, marks: Marks) -> Block:
    """The whole block as removed or added: every run of its text in a span."""
    t: str = block["t"]
    c: Any = block.get("c")

    def inl(inlines: list[Inline]) -> list[Inline]:
        return [marks.span(kind, inlines)] if inlines else inlines

    def blocks(items: list[Block]) -> list[Block]:
        return [mark_block(b, kind, marks) for b in items]

    if t in ("Para", "Plain"):
        return {"t": t, "c": inl(c)}
    if t == "Header":
        return {"t": t, "c": [c[0], c[1], inl(c[2])]}
    if t == "LineBlock":
        return {"t": t, "c": [inl(line) for line in c]}
    if t == "BulletList":
        return {"t": t, "c": [blocks(item) for item in c]}
    if t == "OrderedList":
        return {"t": t, "c": [c[0], [blocks(item) for item in c[1]]]}
    if t == "BlockQuote":
        return {"t": t, "c": blocks(c)}
    if t == "Div":
        return {"t": t, "c": [c[0], blocks(c[1])]}
    if t == "Figure":
        # the image stays bare, or pandoc would lay the figure out as a table; the DOCX
        # is finished by marking the image's run like its caption (see mark_structure)
        return {"t": t, "c": [c[0], [c[1][0], blocks(c[1][1])], c[2]]}
    if t == "DefinitionList":
        return {"t": t, "c": [[inl(term), [blocks(d) for d in defs]] for term, defs in c]}
    if t == "Table":
        attr, caption, cols, head, bodies, foot = c
        return {
            "t": t,
            "c": [
                attr,
                [caption[0], blocks(caption[1])],
                cols,
                [head[0], [_mark_row(r, kind, marks) for r in head[1]]],
                [
                    [b[0], b[1], [_mark_row(r, kind, marks) for r in b[2]], [_mark_row(r, kind, marks) for r in b[3]]]
                    for b in bodies
                ],
                [foot[0], [_mark_row(r, kind, marks) for r in foot[1]]],
            ],
        }
    return block  # a code block or a rule has no text to mark; fkj's templates make none


def _split(inlines: list[Inline]) -> list[Inline]:
    """Words apart from their punctuation, so that "ramme" → "ramme," adds only the comma."""
    out: list[Inline] = []
    for inline in inlines:
        if inline["t"] == "Str":
            out += [{"t": "Str", "c": piece} for piece in _PIECES.findall(inline["c"])]
        else:
            out.append(inline)
    return out


def _join(inlines: list[Inline]) -> list[Inline]:
    """Neighbouring words as one again."""
    out: list[Inline] = []
    for inline in inlines:
        if inline["t"] == "Str" and out and out[-1]["t"] == "Str":
            out[-1] = {"t": "Str", "c": out[-1]["c"] + inline["c"]}
        else:
            out.append(inline)
    return out


def diff_inlines(old: list[Inline], new: list[Inline], marks: Marks) -> list[Inline]:
    """Word by word: pandoc's inlines are words and spaces; formatted runs count as one word."""
    old, new = _split(old), _split(new)
    matcher = SequenceMatcher(None, [_key(i) for i in old], [_key(i) for i in new], autojunk=False)
    pieces: list[tuple[str, list[Inline], list[Inline]]] = [
        (tag, old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    # a space alone between two changes joins them, so that a changed phrase reads as one
    joined: list[tuple[str, list[Inline], list[Inline]]] = []
    for n, (tag, before, after) in enumerate(pieces):
        between = 0 < n < len(pieces) - 1 and tag == "equal" and all(i["t"] in _BLANK for i in after)
        if between and joined and joined[-1][0] != "equal":
            _, b, a = joined.pop()
            joined.append(("replace", b + before, a + after))
            continue
        if joined and joined[-1][0] != "equal" and tag != "equal":
            _, b, a = joined.pop()
            joined.append(("replace", b + before, a + after))
            continue
        joined.append((tag, before, after))
    out: list[Inline] = []
    for tag, before, after in joined:
        if tag == "equal":
            out += after
            continue
        if before:
            out.append(marks.span(DELETION, _join(before)))
        if after:
            out.append(marks.span(INSERTION, _join(after)))
    return _join(out)


def rename_images(tree: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The tree with images pointing to other files (the old charts get their own names)."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if node.get("t") == "Image":
                attr, alt, (src, title) = node["c"]
                return {"t": "Image", "c": [attr, walk(alt), [names.get(src, src), title]]}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result: dict[str, Any] = walk(tree)
    return result


# ---------------------------------------------------------------- the DOCX


_TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_ROW = re.compile(r"<w:tr>(?:<w:trPr>(.*?)</w:trPr>)?(.*?)</w:tr>", re.S)
_CELL = re.compile(r"<w:tc>.*?</w:tc>", re.S)
_PARA = re.compile(r"<w:p>(.*?)</w:p>", re.S)
_FIGURE = re.compile(
    r"(?P<start><w:p><w:pPr><w:pStyle w:val=\"CaptionedFigure\" /></w:pPr>)(?P<runs>(?:(?!</w:p>).)*)</w:p>"
    r"(?P<gap>\s*)(?P<caption><w:p><w:pPr><w:pStyle w:val=\"ImageCaption\" /></w:pPr>(?:(?!</w:p>).)*</w:p>)",
    re.S,
)
_TRACKED = re.compile(r"<w:(ins|del) [^>]*>.*?</w:\1>", re.S)


def _state(paragraph: str) -> str | None:
    """``del`` or ``ins`` when all of a paragraph's content is one tracked change, else None."""
    kinds: set[str] = set(re.findall(r"<w:(ins|del) ", paragraph))
    if len(kinds) != 1:
        return None
    rest = _TRACKED.sub("", paragraph)
    if re.search(r"<w:(r|hyperlink)[ >]", rest):
        return None
    return kinds.pop()


class _Ids:
    def __init__(self, marks: Marks) -> None:
        self.next = 90000  # above the ids pandoc gives its changes
        self.marks = marks

    def attributes(self) -> str:
        self.next += 1
        return f'w:id="{self.next}" w:author={quoteattr(self.marks.author)} w:date={quoteattr(self.marks.date)}'

    def element(self, kind: str) -> str:
        return f"<w:{kind} {self.attributes()} />"


def mark_structure(document_xml: str, marks: Marks) -> str:
    """Mark the paragraph marks of wholly removed or added paragraphs, and wholly removed or added rows."""
    ids = _Ids(marks)

    def para(match: re.Match[str]) -> str:
        body = match.group(1)
        kind = _state(body)
        if kind is None:
            return match.group(0)
        mark = f"<w:rPr>{ids.element(kind)}</w:rPr>"
        if body.lstrip().startswith("<w:pPr>"):
            end = body.index("</w:pPr>")
            props = body[:end]
            if "<w:rPr>" in props:  # the paragraph mark has properties already: add to them
                at = props.rindex("</w:rPr>")
                props = props[:at] + ids.element(kind) + props[at:]
            else:
                props += mark
            return f"<w:p>{props}{body[end:]}</w:p>"
        return f"<w:p><w:pPr>{mark}</w:pPr>{body}</w:p>"

    def row(match: re.Match[str]) -> str:
        props, body = match.group(1) or "", match.group(2)
        states = {_state(p) for p in _PARA.findall(body) if re.search(r"<w:(ins|del) ", p)}
        plain = any(_state(p) is None and re.search(r"<w:r[ >]", p) for p in _PARA.findall(body))
        if len(states) != 1 or None in states or plain:
            return match.group(0)
        kind = states.pop()
        assert kind is not None
        return f"<w:tr><w:trPr>{props}{ids.element(kind)}</w:trPr>{body}</w:tr>"

    def cell(match: re.Match[str]) -> str:
        # a cell keeps its last paragraph mark: Word allows no cell without one
        paragraphs = list(_PARA.finditer(match.group(0)))
        if len(paragraphs) < 2:
            return match.group(0)
        end = paragraphs[-1].start()
        return _PARA.sub(para, match.group(0)[:end]) + match.group(0)[end:]

    def table(match: re.Match[str]) -> str:
        return _CELL.sub(cell, _ROW.sub(row, match.group(0)))

    def figure(match: re.Match[str]) -> str:
        kind = _state(match.group("caption"))
        if kind is None:
            return match.group(0)
        runs = f"<w:{kind} {ids.attributes()}>{match.group('runs')}</w:{kind}>"
        return f"{match.group('start')}{runs}</w:p>{match.group('gap')}{match.group('caption')}"

    document_xml = _FIGURE.sub(figure, document_xml)
    out: list[str] = []
    last = 0
    for found in _TABLE.finditer(document_xml):
        out.append(_PARA.sub(para, document_xml[last : found.start()]))
        out.append(table(found))
        last = found.end()
    out.append(_PARA.sub(para, document_xml[last:]))
    return "".join(out)


def finish_docx(data: bytes, marks: Marks) -> bytes:
    """The DOCX with :func:`mark_structure` applied to its body, every other part as it was."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = mark_structure(content.decode("utf-8"), marks).encode("utf-8")
            out.writestr(info, content)
    return target.getvalue()


# ---------------------------------------------------------------- the command


def write_redline(
    document: str,
    *,
    ref: str | None,
    from_rev: str,
    to_rev: str | None,
    out: Path | None,
    content_dir: Path,
    lang: str | None,
) -> str:
    """Write the redline of ``document`` (for the kommune or recipient ``ref``); return what to tell the user."""
    doc = document_type(document)
    renderer = Renderer()
    with between(content_dir, from_rev, to_rev, renderer=renderer) as revisions:
        before_rev, after_rev = revisions.before, revisions.after
        new, old = revisions.new, revisions.old  # the newer first: its problems are the ones to fix
        target = _target(new, doc, ref, lang, after_rev.label)
        try:
            old_target = _target(old, doc, target.slug or target.recipient, target.lang, before_rev.label)
        except FkjError as exc:
            raise FkjError(f"{exc}; there is nothing to compare with") from None
        after = render_target(renderer, new, compute(new), target)
        before = render_target(renderer, old, compute(old), old_target)
        shown = f"{doc.name} for {target.label}" if target.slug or target.recipient else doc.name
        if before.markdown == after.markdown and before.charts == after.charts:
            return f"{shown} is identical at {before_rev.label} and {after_rev.label}; no redline written"
        signed = revisions.repo.author_and_date(after_rev)
        if signed is None:  # the working tree: no commit to take them from; the document's date, as builds do
            signed = ("fkj", dt.datetime.fromtimestamp(after.epoch, tz=dt.UTC))
        marks = Marks(*signed)
        # an old chart that differs from the new one of the same name is kept under its own name
        renamed = {n: f"from-{n}" for n, drawing in before.charts.items() if after.charts.get(n) != drawing}
        images = {n: png(d) for n, d in after.charts.items()}
        images |= {renamed[n]: png(d) for n, d in before.charts.items() if n in renamed}
        tree = redline_tree(
            rename_images(markdown_tree(before.markdown), renamed), markdown_tree(after.markdown), marks
        )
        path = (
            (out or Path("build")) / target.folder / f"{target.stem}-redline-{before_rev.short}-{after_rev.short}.docx"
        )
        if out is not None and out.suffix == ".docx":
            path = out
        check_out_dir(path.parent, content_dir)
        with tempfile.TemporaryDirectory(prefix="fkj-redline-") as folder:
            resources = Path(folder)
            for name, data in images.items():
                (resources / name).write_bytes(data)
            docx = Converter(renderer.templates).docx_from_tree(tree, epoch=after.epoch, resources=resources)
        write_files({path: finish_docx(docx, marks)})
    return f"wrote {display_path(path)}"


def _target(content: Content, doc: DocumentType, ref: str | None, lang: str | None, where: str) -> Target:
    if doc.scope == "program":
        if ref:
            raise FkjError(f"{doc.name} is made once for the program; leave out --kommune")
        return plan(content, doc, [], every=False, lang=lang)[0]
    if not ref:
        what = "a recipient" if doc.scope == "recipient" else "a kommune"
        raise FkjError(f"name {what} with --kommune for the redline of {doc.name}")
    if doc.scope == "recipient":
        targets = {t.recipient: t for t in plan(content, doc, [], every=False, lang=lang)}
        if ref not in targets:
            raise FkjError(
                f"{ref!r} is not a recipient of {doc.name} at {where} (recipients: {', '.join(map(str, targets))})"
            )
        return targets[ref]
    try:
        return plan(content, doc, [ref], every=False, lang=lang)[0]
    except FkjError as exc:
        raise FkjError(f"{exc} (at {where})") from None
