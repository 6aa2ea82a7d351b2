"""Real outputs, read back: DOCX with python-docx, PDF with pikepdf and pypdf."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import pikepdf
import pypdf
import pytest

from fkj_cli.build import Builder
from fkj_cli.content.load import Content
from fkj_cli.convert import Converter
from fkj_cli.documents import document_type
from fkj_cli.errors import ConversionError, FkjError
from fkj_cli.participation import compute
from fkj_cli.pipeline import Prepared, prepare
from fkj_cli.render import Renderer, render_target
from fkj_cli.targets import plan
from fkj_cli.write import OutputError, write_files

from .conftest import copy_content
from .helpers import alt_texts

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    return prepare(copy_content(tmp_path_factory.mktemp("content") / "content"))


@pytest.fixture(scope="module")
def content(prepared: Prepared) -> Content:
    return prepared.content


@pytest.fixture(scope="module")
def renderer(prepared: Prepared) -> Renderer:
    return prepared.renderer


@pytest.fixture(scope="module")
def converter(renderer: Renderer) -> Converter:
    return Converter(renderer.templates)


@pytest.fixture(scope="module")
def bergen(prepared: Prepared, converter: Converter, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The decision basis for Bergen, in every format, built once for this module."""
    out = tmp_path_factory.mktemp("build")
    builder = Builder(prepared, out, ["docx", "pdf", "md"], converter)
    [target] = plan(prepared.content, document_type("decision-basis"), ["bergen"], every=False)
    outcome = builder.build(target)
    assert outcome.error is None
    return {p.suffix[1:]: p.read_bytes() for p in outcome.written}


def docx_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_docx_structure_and_text(bergen: dict[str, bytes], content: Content) -> None:
    document = docx.Document(io.BytesIO(bergen["docx"]))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Forslag til vedtak") in headings
    assert ("Heading 1", "Økonomiske konsekvenser") in headings
    assert ("Heading 1", "Mål og milepæler") in headings
    # the alternatives weighed, and the municipality's own economics, have sub-headings
    assert [text for style, text in headings if style != "Heading 1"] == [
        "Forpliktelsesavtale",
        "Opsjonsavtale",
        "Stå utenfor",
        "Kostnader for kommunen",
        "Finansierings- og forretningsmodell",
        "Nytte for kommuneøkonomien",
        "Kostnader og nytte år for år",
        "Følsomhetsanalyse",
        "Samfunnsøkonomisk analyse på overordnet nivå",
        "Tilslutning og vilkåret om forpliktelse",
        "Forutsetninger",
    ]
    assert {style for style, _ in headings} == {"Heading 1", "Heading 2"}
    assert [p.text for p in document.paragraphs if p.style.name == "Subtitle"] == ["Bergen kommune"]

    text = docx_text(document)
    assert f"286{NBSP}930" in text  # its population of 1 January 2022, before the document's date
    assert "4601" in text
    assert "194,4 millioner kroner" in text
    assert f"55{NBSP}%" in text
    assert "{{" not in text and "}}" not in text

    funding = next(t for t in document.tables if t.rows[0].cells[0].text == "År")
    assert funding.style.name == "Table"
    rows = [[c.text for c in row.cells] for row in funding.rows]
    assert rows[0] == ["År", "Beløp (mill. kr)", "Grunnlag"]
    assert [r[:2] for r in rows[1:]] == [["2021", "103,0"], ["2022", "91,4"], ["Sum", "194,4"]]
    # the header row repeats on each page and is marked as a header for assistive technology
    assert funding.rows[0]._tr.trPr is not None
    assert funding.rows[0]._tr.trPr.xml.count("tblHeader") == 1

    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert "PAGE" in section.footer._element.xml


def test_docx_core_properties(bergen: dict[str, bytes]) -> None:
    props = docx.Document(io.BytesIO(bergen["docx"])).core_properties
    assert props.title == "Beslutningsunderlag – Felles kommunal journal"
    assert props.author == "Felles kommunal journal interim AS"
    assert props.subject
    assert props.language == "nb-NO"
    expected = dt.datetime(2022, 11, 15)
    assert props.created is not None and props.created.replace(tzinfo=None) == expected
    assert props.modified is not None and props.modified.replace(tzinfo=None) == expected


def test_pdf_is_tagged_pdf_ua_and_pdf_a(bergen: dict[str, bytes]) -> None:
    with pikepdf.open(io.BytesIO(bergen["pdf"])) as pdf:
        assert str(pdf.Root.Lang) == "nb-NO"
        assert pdf.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in pdf.Root
        assert len(pdf.Root.StructTreeRoot.K) > 0
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert meta["pdfaid:part"] == "2"
        assert meta["pdfaid:conformance"] == "A"
        assert meta["dc:title"].startswith("Beslutningsunderlag")
        # what it is about, as an archive's or a reader's document properties show it (Subject)
        subject = "Kommunens tilslutning til Felles kommunal journal – Bergen kommune (4601)"
        assert (str(pdf.docinfo["/Subject"]), meta["dc:description"]) == (subject, subject)
        fonts = {str(f.BaseFont) for page in pdf.pages for f in page.Resources.Font.values()}
        assert fonts and all("NotoSans" in f for f in fonts)
        tags = _struct_tags(pdf.Root.StructTreeRoot)
        assert {"/H1", "/Table", "/TH", "/TD", "/L"} <= tags


def _struct_tags(node: pikepdf.Object, seen: set[str] | None = None) -> set[str]:
    seen = set() if seen is None else seen
    if isinstance(node, pikepdf.Array):
        for child in node:
            _struct_tags(child, seen)
    elif isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            seen.add(str(node.S))
        if "/K" in node:
            _struct_tags(node.K, seen)
    return seen


def test_pdf_text(bergen: dict[str, bytes]) -> None:
    reader = pypdf.PdfReader(io.BytesIO(bergen["pdf"]))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Bergen kommune" in text
    assert "286" in text and "930" in text
    assert "Forslag til vedtak" in text
    assert "194,4" in text
    assert "Side 1 av" in text


def test_markdown_has_the_metadata_block(bergen: dict[str, bytes]) -> None:
    md = bergen["md"].decode("utf-8")
    # first what the DOCX records of where it comes from (fkj review import reads it), then the document's own
    assert re.match(
        r'---\nfkj-document: "decision-basis"\nfkj-for: "bergen"\nfkj-lang: "nb"\nfkj-revision: "[0-9a-f]{64}"\n', md
    )
    assert '\ntitle: "Beslutningsunderlag – Felles kommunal journal"\nsubtitle: "Bergen kommune"\n' in md
    assert "lang: nb-NO\n" in md


def test_two_builds_give_identical_bytes(content: Content, bergen: dict[str, bytes], tmp_path: Path) -> None:
    # A fresh renderer and converter, as a second run of fkj would have.
    renderer = Renderer()
    again = Prepared(content, compute(content), renderer)
    builder = Builder(again, tmp_path, ["docx", "pdf", "md"], Converter(renderer.templates))
    [target] = plan(content, document_type("decision-basis"), ["4601"], every=False)
    outcome = builder.build(target)
    assert outcome.error is None
    again = {p.suffix[1:]: p.read_bytes() for p in outcome.written}
    assert again == bergen


def test_a_failed_conversion_writes_nothing(
    prepared: Prepared, converter: Converter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> bytes:
        raise ConversionError("typst could not write PDF: boom")

    monkeypatch.setattr(converter, "pdf", fail)
    builder = Builder(prepared, tmp_path, ["docx", "pdf"], converter)
    [target] = plan(prepared.content, document_type("decision-basis"), ["bergen"], every=False)
    outcome = builder.build(target)
    assert outcome.error == "typst could not write PDF: boom"
    assert list(tmp_path.rglob("*")) == []


def test_write_all_leaves_nothing_when_a_write_fails(tmp_path: Path) -> None:
    blocker = tmp_path / "b"
    blocker.write_text("a file where a folder should be")
    files = {tmp_path / "a" / "x.docx": b"one", blocker / "y.pdf": b"two"}
    with pytest.raises(OutputError) as exc:
        write_files(files)
    assert str(exc.value) == f"{blocker}: is a file, not a folder"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["b"]


def test_output_inside_content_is_refused(prepared: Prepared) -> None:
    with pytest.raises(FkjError) as exc:
        Builder(prepared, prepared.content.root / "out", ["md"], Converter(prepared.renderer.templates))
    assert str(exc.value).startswith("refusing to write output into the content directory")


def test_plan_for_all_skips_midt_norge(content: Content) -> None:
    targets = plan(content, document_type("decision-basis"), [], every=True)
    names = {t.kommune.name for t in targets if t.kommune}
    assert "Trondheim" not in names
    assert {"Bergen", "Bærum", "Vinje", "Oslo"} <= names


def test_plan_needs_kommune_or_all(content: Content) -> None:
    with pytest.raises(FkjError) as exc:
        plan(content, document_type("decision-basis"), [], every=False)
    assert str(exc.value) == "name a kommune with --kommune, or use --all to build decision-basis for every one"


def test_image_without_alt_text_is_refused(converter: Converter, tmp_path: Path) -> None:
    (tmp_path / "chart.png").write_bytes(_tiny_png())
    images = {"chart.png": _tiny_png()}
    markdown = "---\ntitle: T\nlang: nb-NO\n---\n\n![](chart.png)\n"
    with pytest.raises(ConversionError) as exc:
        converter.convert(["typst"], markdown, epoch=0, resources=tmp_path, images=images)
    assert str(exc.value) == (
        "pandoc could not write typst: image chart.png has no alt text; write ![what it shows](chart.png)"
    )
    with pytest.raises(ConversionError) as exc:
        converter.convert(["docx"], markdown, epoch=0, resources=tmp_path, images=images)
    assert "image chart.png has no alt text" in str(exc.value)
    # an image that is not among the document's images is not looked for anywhere else
    with pytest.raises(ConversionError) as exc:
        converter.convert(["docx"], markdown.replace("![]", "![Et diagram]"), epoch=0, resources=tmp_path, images={})
    assert str(exc.value) == "pandoc could not write DOCX: could not find image chart.png"


def test_image_with_alt_text_is_in_the_pdf_structure(converter: Converter, tmp_path: Path) -> None:
    (tmp_path / "chart.png").write_bytes(_tiny_png())
    markdown = (
        "---\ntitle: T\nlang: nb-NO\n---\n\n![Kostnad per innbygger](chart.png)\n\nTekst med ![ikon](chart.png) inni.\n"
    )
    source = converter.convert(["typst"], markdown, epoch=0, resources=tmp_path, images={})["typst"].decode("utf-8")
    pdf = converter.pdf(source, epoch=0, resources=tmp_path)
    alts = set(alt_texts(pdf))
    assert {"Kostnad per innbygger", "ikon"} <= alts


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x20\x40\x80" * 4 for _ in range(4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_template_error_names_template_and_line(content: Content, tmp_path: Path) -> None:
    import shutil

    from fkj_cli.errors import TemplateError
    from fkj_cli.render import TEMPLATES

    shutil.copytree(TEMPLATES, tmp_path / "templates")
    template = tmp_path / "templates" / "decision-basis.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(20, "{{ kommune.populaton }}\n")
    template.write_text("".join(lines), encoding="utf-8")
    renderer = Renderer(tmp_path / "templates")
    [target] = plan(content, document_type("decision-basis"), ["bergen"], every=False)
    with pytest.raises(TemplateError) as exc:
        render_target(renderer, content, compute(content), target, images=False)
    assert str(exc.value) == "templates/decision-basis.md.j2:21: Kommune has no 'populaton'; did you mean 'population'?"


def test_typst_warnings_are_errors(converter: Converter, tmp_path: Path) -> None:
    source = '#set document(title: [T])\n#set text(lang: "nb", font: "No Such Font")\nHei\n'
    with pytest.raises(ConversionError) as exc:
        converter.pdf(source, epoch=0, resources=tmp_path)
    assert str(exc.value).startswith("typst warned: unknown font family: no such font")
