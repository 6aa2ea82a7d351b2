"""Build templates/reference.docx, the reference document fkj passes to pandoc.

pandoc takes page setup, footers and styles from ``--reference-doc`` and
ignores its body text, so this file is where the municipal look lives: A4 with
2.5 cm margins, Calibri, dark-blue headings, bordered tables with a shaded
header row, and "Side X av Y" centred in the footer.

It is generated rather than edited in Word so that changes are reviewable as
code: the script patches the XML parts of pandoc's own default reference.docx
and rewrites the zip in the original member order with fixed timestamps, so
reruns are byte-identical.

Usage, from the repository root:
    python tools/make_reference_docx.py [--pandoc PATH] [--output PATH]
"""

import argparse
import importlib.util
import io
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
# A non-numeric id cannot collide with the rIdN ids pandoc assigns itself.
FOOTER_RID = "rIdFkjFooter1"
FOOTER_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)

# One family for body and headings: Calibri Light has no bold face and no
# metric-compatible free substitute (LibreOffice on Linux fell back to DejaVu
# Sans), whereas Calibri maps to Carlito and lays out as in Word.
FONT = "Calibri"
HEADING_COLOR = "1F3864"
# styleId -> (size in half-points, bold). Headings keep pandoc's built-in
# styleIds, names and outlineLvl: Word's navigation pane and TOC need them.
DISPLAY = {
    "Heading1": (32, False),
    "Heading2": (26, False),
    "Heading3": (23, True),
    "Title": (44, None),
    "Subtitle": (28, None),
}
# Child order the OOXML schema requires inside w:rPr and w:pPr (the subset used).
RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "color", "spacing", "sz", "szCs", "lang"]
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "numPr", "spacing", "ind", "contextualSpacing", "jc"]

_BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
ALL_BORDERS = "".join(_BORDER.format(s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))

# pandoc writes tblLook firstRow="1" on every table, so firstRow applies to the
# header row. pandoc also puts w:tblHeader (repeat on each page) on that row
# itself; the copy in the style only helps tables added by hand. keepNext
# stops a header row being stranded at the foot of a page.
TABLE_STYLE_PR = f"""
<w:tblStylePr w:type="firstRow">
  <w:pPr><w:keepNext/></w:pPr>
  <w:rPr><w:b/><w:bCs/></w:rPr>
  <w:trPr><w:tblHeader/></w:trPr>
  <w:tcPr><w:tcBorders>{ALL_BORDERS}</w:tcBorders>
    <w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/></w:tcPr>
</w:tblStylePr>"""

FOOTER_STYLE = """
<w:style w:type="paragraph" w:styleId="Footer">
  <w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/>
  <w:pPr><w:spacing w:after="0"/><w:jc w:val="center"/></w:pPr>
  <w:rPr><w:color w:val="595959"/><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr>
</w:style>"""

# fldSimple keeps the fields live in Word and LibreOffice; the cached "1" is
# only what a reader shows if it does not update fields.
_FIELD = '<w:fldSimple w:instr=" {0} \\* MERGEFORMAT "><w:r><w:rPr><w:noProof/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
FOOTER_PART = f"""<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p>
  <w:pPr><w:pStyle w:val="Footer"/></w:pPr>
  <w:r><w:t xml:space="preserve">Side </w:t></w:r>{_FIELD.format("PAGE")}
  <w:r><w:t xml:space="preserve"> av </w:t></w:r>{_FIELD.format("NUMPAGES")}
</w:p></w:ftr>"""

# pandoc copies the body's last sectPr from the reference doc into its output.
SECT_PR = f"""
<w:sectPr>
  <w:footerReference w:type="default" r:id="{FOOTER_RID}"/>
  <w:footnotePr><w:numRestart w:val="eachSect"/></w:footnotePr>
  <w:pgSz w:w="11906" w:h="16838"/>
  <w:pgMar w:top="1418" w:right="1418" w:bottom="1418" w:left="1418"
           w:header="709" w:footer="709" w:gutter="0"/>
  <w:cols w:space="708"/><w:docGrid w:linePitch="360"/>
</w:sectPr>"""


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def fragment(xml: str) -> etree._Element:
    """Parse a w:-prefixed snippet without repeating namespace declarations."""
    wrapper = etree.fromstring(
        f'<root xmlns:w="{W_NS}" xmlns:r="{R_NS}">{xml}</root>', etree.XMLParser(remove_blank_text=True)
    )
    return wrapper[0]


def set_child(parent: etree._Element, xml: str, order: list[str]) -> None:
    """Replace parent's child of the snippet's tag, keeping schema order."""
    node = fragment(xml)
    for old in parent.findall(node.tag):
        parent.remove(old)
    rank = order.index(etree.QName(node).localname)
    for i, child in enumerate(parent):
        name = etree.QName(child).localname
        if name in order and order.index(name) > rank:
            parent.insert(i, node)
            return
    parent.append(node)


def set_run_props(
    parent: etree._Element, size: int = 0, color: str = "", bold: bool | None = None, font: str = FONT
) -> None:
    rpr = parent.find(w("rPr"))
    if rpr is None:
        rpr = etree.SubElement(parent, w("rPr"))
    if font:
        # Explicit names, not theme slots: Word lets theme attributes override
        # explicit ones, and the theme's default (Aptos) is not what we want.
        set_child(rpr, f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/>', RPR_ORDER)
    if size:
        set_child(rpr, f'<w:sz w:val="{size}"/>', RPR_ORDER)
        set_child(rpr, f'<w:szCs w:val="{size}"/>', RPR_ORDER)
    if color:
        set_child(rpr, f'<w:color w:val="{color}"/>', RPR_ORDER)
    if bold is not None:
        set_child(rpr, f'<w:b w:val="{int(bold)}"/>', RPR_ORDER)
        set_child(rpr, f'<w:bCs w:val="{int(bold)}"/>', RPR_ORDER)


def patch_styles(root: etree._Element) -> None:
    styles = {s.get(w("styleId")): s for s in root.iter(w("style"))}
    defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}")
    set_run_props(defaults, size=22)
    # pandoc overrides this per document from the `lang` metadata field.
    defaults.find(f"{w('rPr')}/{w('lang')}").set(w("val"), "nb-NO")

    for sid, (size, bold) in DISPLAY.items():
        # The linked "... Char" style must match, or Word shows a different
        # look when the style is applied to part of a paragraph.
        for style in (styles[sid], styles[sid + "Char"]):
            set_run_props(style, size, HEADING_COLOR, bold)
    for level in range(4, 10):  # rarely used, but should not look foreign
        set_run_props(styles[f"Heading{level}"], color=HEADING_COLOR)
    # Municipal case documents are left-aligned; Subtitle/Author/Date inherit.
    set_child(styles["Title"].find(w("pPr")), '<w:jc w:val="left"/>', PPR_ORDER)
    set_run_props(styles["VerbatimChar"], size=20, font="")
    set_run_props(styles["Hyperlink"], color="2F5496", font="")
    root.append(fragment(FOOTER_STYLE))

    table = styles["Table"]
    margins = table.find(f"{w('tblPr')}/{w('tblCellMar')}")
    # The schema puts tblBorders before tblCellMar, and Word is strict about order.
    margins.addprevious(fragment(f"<w:tblBorders>{ALL_BORDERS}</w:tblBorders>"))
    for side, width in (("top", "57"), ("left", "85"), ("bottom", "57"), ("right", "85")):
        margins.find(w(side)).set(w("w"), width)  # 1 mm / 1.5 mm
    for old in table.findall(w("tblStylePr")):
        table.remove(old)
    table.append(fragment(TABLE_STYLE_PR))


def patch_document(root: etree._Element) -> None:
    body = root.find(w("body"))
    body.replace(body.find(w("sectPr")), fragment(SECT_PR))


def patch_theme(root: etree._Element) -> None:
    # Keep the "theme fonts" in Word's font menu consistent with the styles.
    for latin in root.iterfind(f".//{{{A_NS}}}fontScheme/*/{{{A_NS}}}latin"):
        latin.attrib.pop("panose", None)
        latin.set("typeface", FONT)


def serialize(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def patch_parts(parts: dict[str, bytes]) -> None:
    def edit(name: str, fn: Callable[[etree._Element], object]) -> None:
        root = etree.fromstring(parts[name])
        fn(root)
        parts[name] = serialize(root)

    edit("word/styles.xml", patch_styles)
    edit("word/document.xml", patch_document)
    edit("word/theme/theme1.xml", patch_theme)
    edit("word/settings.xml", lambda r: r.find(w("themeFontLang")).set(w("val"), "nb-NO"))
    rel = {"Id": FOOTER_RID, "Type": R_NS + "/footer", "Target": "footer1.xml"}
    edit("word/_rels/document.xml.rels", lambda r: etree.SubElement(r, f"{{{PKG_REL_NS}}}Relationship", rel))
    override = {"PartName": "/word/footer1.xml", "ContentType": FOOTER_CT}
    edit("[Content_Types].xml", lambda r: etree.SubElement(r, f"{{{CT_NS}}}Override", override))
    parts["word/footer1.xml"] = serialize(fragment(FOOTER_PART))


def default_pandoc() -> Path:
    # The pandoc bundled with pypandoc is the one fkj renders with; a system
    # pandoc of another version may ship a different default reference.docx.
    spec = importlib.util.find_spec("pypandoc")
    if spec is None or spec.origin is None:
        raise SystemExit("pypandoc is not installed; pass --pandoc PATH")
    return Path(spec.origin).parent / "files" / "pandoc"


def main() -> None:
    repo = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pandoc", type=Path, help="pandoc binary (default: pypandoc's)")
    parser.add_argument("--output", type=Path, default=repo / "templates" / "reference.docx")
    args = parser.parse_args()

    pandoc = args.pandoc or default_pandoc()
    cmd = [str(pandoc), "--print-default-data-file", "reference.docx"]
    raw = subprocess.run(cmd, check=True, capture_output=True).stdout
    with zipfile.ZipFile(io.BytesIO(raw)) as src:
        names = src.namelist()
        parts = {name: src.read(name) for name in names}
    patch_parts(parts)
    # New parts go last so the original member order is preserved; fixed
    # timestamps and modes make the archive byte-identical across runs.
    names += [name for name in parts if name not in names]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, parts[name])
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(out.getvalue())
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
