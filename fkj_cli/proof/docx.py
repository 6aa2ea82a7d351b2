"""The proof of a DOCX: that Word and LibreOffice open it, and show what the Markdown means.

Read with lxml from the package's parts (python-docx opens it first: a file
it cannot open is the worst finding there is). A table's column must be as
wide as its longest word, or Word and LibreOffice break the word inside;
words are measured in Noto Sans (the PDF's font, shipped with fkj), which
is wider than the DOCX's Calibri and about as wide as the sans-serif fonts
LibreOffice falls back to where Calibri and Carlito are missing.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import Any

from fkj_cli.proof import Expected, Finding
from fkj_cli.proof import markdown as md

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
# A run may be bold or italic, in a character style, and say its language; anything else on a run
# (a font, a size, a colour) is formatting the styles should give.
PLAIN_RUN = {"b", "i", "bCs", "iCs", "lang", "rStyle", "noProof", "webHidden"}
BOLD = 1.07  # Noto Sans Bold's letters are this much wider than its Regular's (measured with fontTools)
FALLBACK_EM = 0.6  # a character the font does not have
SPACES = re.compile(r"[ \t\n]+")  # where Word may break a line (not at a no-break space)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


# the tags and attributes a table's cells are read by, named once
TC, RUN, TEXT, VAL, TYPE, WIDTH = _w("tc"), _w("r"), _w("t"), _w("val"), _w("type"), _w("w")
GRID_SPAN, TC_WIDTH = f"{_w('tcPr')}/{_w('gridSpan')}", f"{_w('tcPr')}/{_w('tcW')}"
RUN_PROPS, BOLD_TAG, SIZE = _w("rPr"), _w("b"), _w("sz")  # a run's properties; in them, bold and size
PLAIN_TAGS = {_w(name) for name in PLAIN_RUN}


def proof_docx(data: bytes, expected: Expected) -> list[Finding]:
    """Every finding in the DOCX ``data``; one that does not open is the only one."""
    import docx
    from docx.opc.part import XmlPart
    from lxml import etree  # type: ignore[import-untyped]

    try:
        opened = docx.Document(io.BytesIO(data))  # parses the package's relationships and its XML parts
        document, styles = opened.element, opened.styles.element
        for part in opened.part.package.iter_parts():  # the XML parts it keeps as bytes well-formed too
            if not isinstance(part, XmlPart) and part.content_type.endswith("xml"):
                etree.fromstring(part.blob)
    except Exception as exc:
        return [Finding("opens", f"the DOCX does not open: {exc}")]
    size, heading_styles, margins, lang = _styles(styles)
    found: list[Finding] = []
    if not (lang or "").startswith(expected.lang):
        found.append(Finding("lang", f"the document's language is {lang or 'not set'}, not {expected.lang}"))
    body = document.find("w:body", NS)
    headings: list[tuple[int, str, int | None]] = []
    for style in body.iter(_w("pStyle")):  # a paragraph's style, in w:p/w:pPr
        if (level := heading_styles.get(style.get(_w("val")))) is not None:
            headings.append((level, _text(style.getparent().getparent()).strip(), None))
    found += md.compare(expected.headings, headings, "DOCX")
    text_width = _text_width(body)
    for n, table in enumerate(body.iter(_w("tbl")), start=1):
        found += _table(n, table, margins, size, text_width)
    for picture in document.iter(f"{{{NS['wp']}}}docPr"):
        if not (picture.get("descr") or "").strip():
            found.append(Finding("alt", f"the picture «{picture.get('name')}» has no alt text"))
    for rpr in body.iter(RUN_PROPS):
        if any(c.tag not in PLAIN_TAGS for c in rpr) and (run := rpr.getparent()) is not None and run.tag == RUN:
            extra = sorted({etree.QName(c).localname for c in rpr} - PLAIN_RUN)
            if extra:
                found.append(Finding("format", f"direct formatting ({', '.join(extra)}) on «{_text(run)[:40]}»"))
    return found


def _styles(styles: Any) -> tuple[float, dict[str, int], dict[str, tuple[int, int]], str | None]:
    """The default size (pt), the heading styles' levels, each table style's cell margins (twips), and
    the document's language."""
    size = 10.0
    if (sz := styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", NS)) is not None:
        size = int(sz.get(_w("val"))) / 2
    headings: dict[str, int] = {}
    margins: dict[str, tuple[int, int]] = {}
    for style in styles.iterfind("w:style", NS):
        sid = style.get(_w("styleId"))
        name = style.find("w:name", NS)
        if m := re.fullmatch(r"heading ([1-6])", name.get(_w("val")) if name is not None else "", re.IGNORECASE):
            headings[sid] = int(m.group(1))
        if style.get(_w("type")) == "table":
            mar = style.find("w:tblPr/w:tblCellMar", NS)
            margins[sid] = (_twips(mar, "left"), _twips(mar, "right"))
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    return size, headings, margins, lang.get(_w("val")) if lang is not None else None


def _twips(parent: Any, side: str, default: int = 108) -> int:
    el = parent.find(f"w:{side}", NS) if parent is not None else None
    value = el.get(_w("w")) if el is not None else None
    return int(value) if value is not None else default


def _text(el: Any) -> str:
    return "".join(t.text or "" for t in el.iter(_w("t")))


def _text_width(body: Any) -> int:
    """The width between the page's margins, in twips (A4 with 2.5 cm margins when the file does not say)."""
    section = body.find("w:sectPr", NS)
    size = section.find("w:pgSz", NS) if section is not None else None
    margin = section.find("w:pgMar", NS) if section is not None else None
    if size is None or margin is None:
        return 11906 - 2 * 1417
    return int(size.get(_w("w"))) - int(margin.get(_w("left"), 0)) - int(margin.get(_w("right"), 0))


def _table(n: int, table: Any, margins: dict[str, tuple[int, int]], size: float, text_width: int) -> list[Finding]:
    """A table's header row, and words wider than their column."""
    style = table.find("w:tblPr/w:tblStyle", NS)
    left, right = margins.get(style.get(_w("val")) if style is not None else "", (108, 108))
    caption = table.find("w:tblPr/w:tblCaption", NS)
    name = f"table {n}" + (f" «{caption.get(_w('val'))}»" if caption is not None else "")
    rows = table.findall("w:tr", NS)
    found = []
    if not rows or rows[0].find("w:trPr/w:tblHeader", NS) is None:
        found.append(Finding("header-row", f"{name}: its first row is not a header row"))
    grid = [int(g.get(_w("w"), 0)) for g in table.findall("w:tblGrid/w:gridCol", NS)]
    width_el = table.find("w:tblPr/w:tblW", NS)
    if width_el is not None and width_el.get(_w("type")) == "pct" and sum(grid):
        # a table as wide as a share of the text: Word and LibreOffice stretch its grid to that width
        wide = text_width * int(width_el.get(_w("w"))) / 5000
        grid = [round(g * wide / sum(grid)) for g in grid]
    for r, row in enumerate(rows):
        column = 0
        for cell in row.iterfind(TC):
            span_el = cell.find(GRID_SPAN)
            span = int(span_el.get(VAL)) if span_el is not None else 1
            width = sum(grid[column : column + span])
            if (tcw := cell.find(TC_WIDTH)) is not None and tcw.get(TYPE) == "dxa":
                width = int(tcw.get(WIDTH))
            room = (width - left - right) / 20
            for run in cell.iter(RUN) if width else ():
                rpr = run.find(RUN_PROPS)
                bold = r == 0 or (rpr is not None and rpr.find(BOLD_TAG) is not None)
                sz = rpr.find(SIZE) if rpr is not None else None
                scale = (int(sz.get(VAL)) / 2 if sz is not None else size) * (BOLD if bold else 1.0)
                for word in SPACES.split("".join(t.text or "" for t in run.iter(TEXT))):  # a no-break space joins
                    if word and (need := scale * _ems(word)) > room:
                        found.append(
                            Finding(
                                "width",
                                f"{name}, row {r + 1}, column {column + 1}: «{word}» needs {need:.0f} pt, "
                                f"the column has {room:.0f} pt",
                            )
                        )
            column += span
    return found


@functools.lru_cache(maxsize=4096)
def _ems(word: str) -> float:
    """A word's width in em (a table's words recur: years, headers, units)."""
    widths = _widths()
    return sum(widths.get(ord(c), FALLBACK_EM) for c in word)


@functools.cache
def _widths() -> dict[int, float]:
    """Noto Sans's advance widths in em, by character."""
    import fontpkg_noto_sans
    from fontTools.ttLib import TTFont

    font = TTFont(str(Path(fontpkg_noto_sans.__file__).parent / "files" / "NotoSans[wdth,wght].ttf"), lazy=True)
    metrics, per_em = font["hmtx"], font["head"].unitsPerEm
    widths = {code: metrics[glyph][0] / per_em for code, glyph in font.getBestCmap().items()}
    widths[0xA0] = widths.get(0x20, 0.26)
    return widths
