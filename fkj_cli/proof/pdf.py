"""The proof of a PDF: its pages as a reader sees them, its structure tree, and its conformance.

pypdfium2 reads the text with its boxes and the vector paths (the table
rules) of each page, in C, in a few milliseconds a document; pikepdf reads
the structure tree (typst writes each heading's text as its /T); the
page-validation package checks PDF/UA-1 and PDF/A-2a independently of the
engine that wrote the file. pdfplumber reads the same text boxes some twenty
times slower (pure Python); see the README.
"""

from __future__ import annotations

import functools
import io
import re
from typing import Any

from fkj_cli.proof import Expected, Finding
from fkj_cli.proof import markdown as md

MARGIN = 2.5 / 2.54 * 72  # templates/pandoc/fkj.typ: margin: (x: 2.5cm, y: 2.5cm)
SLACK_X = 2.0  # ink may pass the text area's side by this much (an italic's overhang)
SLACK_Y = 4.0  # descenders below the last baseline, accents above the first line
RULE_GAP = 2.0  # a cell's inset is 5 pt: text this close to a rule has lost its padding
FOOTER = re.compile(r"\s*Side \d+ av \d+\s*")
MARKUP = re.compile(r"(?:^|\s)#{1,6}\s|\*\*|!\[|\{=|\\|`")
# A table pandoc did not read as one (a row without its separator line, or swallowed into another block):
# its cells run on in the text with the pipes between them.
TABLE_AS_TEXT = re.compile(r"\S \| \S[^|]* \|")
SIGNS = ("#", "**", "![", "{=", "\\", "`", " | ")  # what a line MARKUP or TABLE_AS_TEXT finds has
BLANK = "________"  # a field to fill (the catalogues' to_fill)
SOFT = "\x02"  # pdfium's code for a hyphen it added at a line break
PROFILES = {"ua1": "PDF/UA-1", "2a": "PDF/A-2a"}
REPORTED = {f"/H{n}" for n in range(1, 7)} | {"/Figure"}
GROUPS = {"/Document", "/Part", "/Art", "/Sect", "/Div", "/NonStruct", "/Private"}  # what may hold a heading

Box = tuple[float, float, float, float]  # left, bottom, right, top in points, from the page's bottom


def proof_pdf(data: bytes, expected: Expected) -> list[Finding]:
    """Every finding in the PDF ``data``; one that does not open is the only one."""
    import pikepdf
    import pypdf
    import pypdfium2 as pdfium

    try:
        pypdf.PdfReader(io.BytesIO(data), strict=True)
        document = pdfium.PdfDocument(data)
    except Exception as exc:
        return [Finding("opens", f"the PDF does not open: {exc}")]
    try:
        found, text = _pages(document)
    finally:
        document.close()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        headings, tags = _structure(pdf)
        lang = str(pdf.Root.get("/Lang", ""))
    found += tags
    found += md.compare(expected.headings, headings, "PDF")
    if not lang.startswith(expected.lang):
        found.append(Finding("lang", f"the document's language is {lang or 'not set'}, not {expected.lang}"))
    pages = len(text)
    low, high = expected.pages
    if not low <= pages <= high:
        found.append(Finding("pages", f"{pages} pages; a document of its type has {low}–{high}"))
    if not expected.draft:
        found += [
            Finding("blank", f"a blank to fill in a document that is not a draft: «{_around(page, BLANK)}»", n)
            for n, page in enumerate(text, start=1)
            if BLANK in page
        ]
    return found + _conformance(data)


def _conformance(data: bytes) -> list[Finding]:
    """PDF/UA-1 and PDF/A-2a as page-validation reads them."""
    import page

    found = []
    for profile, name in PROFILES.items():
        report = page.validate_pdf_bytes(data, profile=profile)
        for failure in report.failures:
            obj = f" (object {failure.object_id.object_number})" if failure.object_id is not None else ""
            found.append(Finding("conformance", f"{name}: {failure.rule_id}: {failure.message}{obj}"))
    return found


def _clean(text: str) -> str:
    return " ".join(text.replace(SOFT, "-").split())


def _around(text: str, needle: str, width: int = 40) -> str:
    at = text.find(needle)
    return _clean(text[max(0, at - width) : at + len(needle) + width])


def _drawn(page: Any) -> tuple[list[tuple[float, float, float]], list[tuple[float, float, float]], bool]:
    """The page's rules, vertical ones as (x, bottom, top) and horizontal ones as (y, left, right), and
    whether it shows an image: one pass over its paths and images, in form objects too (pdfium's own
    calls: the page's few hundred objects need no Python object each)."""
    import ctypes

    import pypdfium2.raw as raw

    vertical, horizontal, images = [], [], False
    box = [ctypes.c_float() for _ in range(4)]
    pointers = [ctypes.byref(b) for b in box]
    pending = [(raw.FPDFPage_CountObjects(page.raw), functools.partial(raw.FPDFPage_GetObject, page.raw), 0)]
    while pending:
        count, get, depth = pending.pop()
        for i in range(count):
            obj = get(i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_IMAGE:
                images = True
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < 2:
                pending.append(
                    (raw.FPDFFormObj_CountObjects(obj), functools.partial(raw.FPDFFormObj_GetObject, obj), depth + 1)
                )
            elif kind == raw.FPDF_PAGEOBJ_PATH and raw.FPDFPageObj_GetBounds(obj, *pointers):
                left, bottom, right, top = (b.value for b in box)
                if right - left <= 1.5 and top - bottom >= 8:
                    vertical.append(((left + right) / 2, bottom, top))
                elif top - bottom <= 1.5 and right - left >= 8:
                    horizontal.append(((bottom + top) / 2, left, right))
    return vertical, horizontal, images


def _pages(document: Any) -> tuple[list[Finding], list[str]]:
    """What a reader sees wrong on each page, and each page's text."""
    found: list[Finding] = []
    texts: list[str] = []
    for number, page in enumerate(document, start=1):
        width, height = page.get_size()
        textpage = page.get_textpage()
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        texts.append(text)
        # the text's lines, each with a tight box (one without height is white space)
        boxes: list[Box] = []
        for i in range(textpage.count_rects(0, -1)):
            left, bottom, right, top = textpage.get_rect(i)
            if top - bottom > 0.3:
                boxes.append((left, bottom, right, top))

        def text_of(box: Box, tp: Any = textpage) -> str:
            return str(tp.get_text_bounded(*box))

        body = [b for b in boxes if not (b[1] < MARGIN and FOOTER.fullmatch(text_of(b)))]
        vertical, horizontal, images = _drawn(page)
        if not body and not images:
            found.append(Finding("empty", "the page has nothing but its footer", number))
        found += _outside(body, (MARGIN, MARGIN, width - MARGIN, height - MARGIN), textpage, number)
        found += _on_rules(body, boxes, vertical, textpage, number)
        found += _broken_headers(vertical, horizontal, textpage, number)
        found += _overlaps(body, textpage, number)
        plain = text.replace(SOFT, "")
        if any(sign in plain for sign in SIGNS):  # most pages have no sign of either
            found += _markup(plain, number)
        page.close()
    return found, texts


def _markup(text: str, number: int) -> list[Finding]:
    """Literal markup, or a table's row shown as text, line by line."""
    found = []
    for line in text.splitlines():
        if m := MARKUP.search(line):
            found.append(Finding("markup", f"literal markup {m.group().strip()!r} in «{_clean(line)[:80]}»", number))
        elif TABLE_AS_TEXT.search(line):
            found.append(Finding("markup", f"a table row shown as text: «{_clean(line)[:80]}»", number))
    return found


def _outside(body: list[Box], area: Box, textpage: Any, number: int) -> list[Finding]:
    """Text outside the text area; white space that pokes out (a line's trailing space) is none."""
    found = []
    for box in body:
        left, bottom, right, top = box
        strips = []
        if left < area[0] - SLACK_X:
            strips.append(("left", (left, bottom, area[0], top)))
        if right > area[2] + SLACK_X:
            strips.append(("right", (area[2], bottom, right, top)))
        if bottom < area[1] - SLACK_Y:
            strips.append(("bottom", (left, bottom, right, area[1])))
        if top > area[3] + SLACK_Y:
            strips.append(("top", (left, area[3], right, top)))
        for side, strip in strips:
            if textpage.get_text_bounded(*strip).replace(SOFT, "").strip():
                text = _clean(textpage.get_text_bounded(*box))[:80]
                found.append(Finding("margin", f"text in the {side} margin: «{text}»", number))
    return found


def _on_rules(
    body: list[Box], boxes: list[Box], rules: list[tuple[float, float, float]], textpage: Any, number: int
) -> list[Finding]:
    """Text on or across a table's vertical rule: a cell's padding gone, numbers running together."""
    rows: dict[float, list[str]] = {}
    for box in body if rules else ():
        left, bottom, right, top = box
        for x, low, high in rules:
            if left - RULE_GAP < x < right + RULE_GAP and min(top, high) - max(bottom, low) > 0.5 * (top - bottom):
                rows.setdefault(round(bottom), []).append(_clean(textpage.get_text_bounded(*box)))
    found = []
    for y, hits in sorted(rows.items(), reverse=True):
        row = sorted((b for b in boxes if abs(b[1] - y) < 3), key=lambda b: b[0])
        shown = " | ".join(_clean(textpage.get_text_bounded(*b)) for b in row)
        bad = ", ".join(sorted(set(hits)))
        found.append(Finding("rule", f"text on a table's rule ({bad}) in the row «{shown}»", number))
    return found


def _broken_headers(
    vertical: list[tuple[float, float, float]],
    horizontal: list[tuple[float, float, float]],
    textpage: Any,
    number: int,
) -> list[Finding]:
    """A word of a table's header row broken over two lines ("Nyt-te"): pdfium marks the hyphen typst
    adds at a line break."""
    found = []
    for y, left, right in horizontal:
        # a table's top rule: vertical rules hang from it; its header row runs down to the next rule
        if not any(abs(high - y) < 2 and left - 1 <= x <= right + 1 for x, _, high in vertical):
            continue
        below = [h for h, lo, hi in horizontal if h < y - 2 and lo < right and hi > left]
        if not below:
            continue
        header = str(textpage.get_text_bounded(left, max(below), right, y))
        broken = [w.replace(SOFT, "-") for w in re.findall(rf"\S*\w{SOFT}\S*", header)]
        if broken:
            found.append(Finding("broken-word", f"words of a table's header broken: {', '.join(broken)}", number))
    return found


def _overlaps(body: list[Box], textpage: Any, number: int) -> list[Finding]:
    """Lines of text drawn over each other (only lines at the same height can meet)."""
    found = []
    ordered = sorted(body, key=lambda b: b[1])
    for i, a in enumerate(ordered):
        for c in ordered[i + 1 :]:
            if c[1] >= a[3]:
                break
            high = min(a[3], c[3]) - c[1]
            wide = min(a[2], c[2]) - max(a[0], c[0])
            if high > 0.5 * min(a[3] - a[1], c[3] - c[1]) and wide > 1.0:
                one, two = (_clean(textpage.get_text_bounded(*b))[:40] for b in (a, c))
                found.append(Finding("overlap", f"«{one}» and «{two}» are drawn over each other", number))
    return found


def _structure(pdf: Any) -> tuple[list[tuple[int, str, int | None]], list[Finding]]:
    """The headings (level, text, page) in the structure tree's order, and figures without /Alt.

    Only grouping elements are walked into: a heading or a figure sits in one of them, never in a
    paragraph, list or table, whose marked content makes up most of the tree (page-validation's
    PDF/UA-1 checks the alt text of a figure wherever it is)."""
    import pikepdf

    pages = {p.objgen: i for i, p in enumerate(pdf.pages, start=1)}
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return [], [Finding("tags", "the PDF has no structure tree")]
    roles = {str(k): str(v) for k, v in root.get("/RoleMap", {}).items()}
    headings: list[tuple[int, str, int | None]] = []
    found: list[Finding] = []
    stack = [root.get("/K")]
    while stack:  # depth first, in document order
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed([k for k in node.as_list() if isinstance(k, pikepdf.Dictionary)]))
        elif isinstance(node, pikepdf.Dictionary) and (kind := node.get("/S")) is not None:
            name = roles.get(str(kind), str(kind))
            if name in GROUPS:
                if (kids := node.get("/K")) is not None:
                    stack.append(kids)
                continue
            if name not in REPORTED:
                continue
            where = node.get("/Pg")
            page = pages.get(where.objgen) if where is not None else None
            if name == "/Figure":
                if not str(node.get("/Alt", "")).strip():
                    found.append(Finding("alt", "a figure without alt text (/Alt)", page))
            else:
                headings.append((int(name[2]), str(node.get("/T", "")), page))
    return headings, found
