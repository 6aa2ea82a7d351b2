"""fkj proof: what a reader would notice in a DOCX or PDF, found with its page and its text.

Fixture documents are Markdown converted by fkj's own converter, each with
one defect a reader sees; a clean one has no finding. Then the same through
the command line, with a defect planted in content.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from fkj_cli.convert import Converter
from fkj_cli.pdfpack import compact, unambiguous_stream_ends
from fkj_cli.proof import Expected, Finding, proof
from fkj_cli.proof.markdown import headings
from fkj_cli.render import Rendered, epoch_of
from fkj_cli.resources import TEMPLATES

from .helpers import Maker, invoke

HEAD = """---
title: "Prøvedokument"
author: "KS"
date: "15. november 2022"
subject: "Prøve"
description: "Prøve"
lang: nb-NO
---

"""
CLEAN = (
    HEAD
    + """# Innledning

Et avsnitt med **uthevet** tekst.

: Kostnader

| Scenario | Kroner |
|:------------------------------------------|-------------------:|
| Alle kommuner utenfor Midt-Norge deltar | 1 234 |

# Vurdering

Et avsnitt til.
"""
)


@pytest.fixture(scope="module")
def converter() -> Converter:
    with Converter(TEMPLATES) as c:
        yield c


def convert(converter: Converter, markdown: str, formats: tuple[str, ...] = ("docx", "pdf")) -> dict[str, bytes]:
    import datetime as dt

    rendered = Rendered(markdown, {}, epoch_of(dt.date(2022, 11, 15)))
    return converter.outputs(rendered, list(formats), {})


def findings(data: dict[str, bytes], markdown: str, *, pages: tuple[int, int] = (1, 5)) -> dict[str, list[Finding]]:
    expected = Expected(tuple(headings(markdown)), "nb", pages, draft=False)
    return {fmt: proof(fmt, content, expected) for fmt, content in data.items()}


def checks(found: list[Finding]) -> list[tuple[str, int | None]]:
    return [(f.check, f.page) for f in found]


def test_a_clean_document_has_no_finding(converter: Converter) -> None:
    assert findings(convert(converter, CLEAN), CLEAN) == {"docx": [], "pdf": []}


def test_a_table_too_narrow_for_its_figures(converter: Converter) -> None:
    columns = 8
    header = "| Scenario |" + " Investering −30 % |" * (columns - 1)
    rule = "|:----------|" + "----------:|" * (columns - 1)
    row = "| Bare samarbeidskommunene deltar |" + " −1 022,4 |" * (columns - 1)
    markdown = HEAD + f"# Tabell\n\n: Netto nåverdi\n\n{header}\n{rule}\n{row}\n"
    found = findings(convert(converter, markdown), markdown)
    # in the PDF: header words drawn over their neighbours, a long word across its column's rule
    assert {f.page for f in found["pdf"]} == {1}
    rules = [f.message for f in found["pdf"] if f.check == "rule"]
    assert any("Investering" in m for m in rules)  # the header row
    assert "text on a table's rule (samarbeidskommunene) in the row «samarbeidskommunene»" in rules
    assert any(f.check == "overlap" and "Investering" in f.message for f in found["pdf"])
    docx = [f.message for f in found["docx"] if f.check == "width"]
    assert any("«samarbeidskommunene» needs" in m and "row 2, column 1" in m for m in docx)
    assert any("«Investering» needs" in m and "row 1, column 2" in m for m in docx)


def test_a_heading_swallowed_by_the_list_above_it(converter: Converter) -> None:
    markdown = HEAD + "# Kilder\n\n- Første kilde\n- Siste kilde\n# Vedlegg\n\nIngen.\n"
    found = findings(convert(converter, markdown), markdown)
    assert Finding("heading", "the heading «Vedlegg» is not a heading in the PDF") in found["pdf"]
    assert Finding("heading", "the heading «Vedlegg» is not a heading in the DOCX") in found["docx"]
    assert Finding("markup", "literal markup '#' in «• Siste kilde # Vedlegg»", 1) in found["pdf"]


def test_literal_markdown_left_in_the_text(converter: Converter) -> None:
    markdown = HEAD + "# Innledning\n\nDette er **ikke lukket, og står som det er.\n"
    found = findings(convert(converter, markdown), markdown)
    assert found["pdf"] == [
        Finding("markup", "literal markup '**' in «Dette er **ikke lukket, og står som det er.»", 1)
    ]


def test_a_table_pandoc_did_not_read_as_one(converter: Converter) -> None:
    """A table row without its separator line (the rest of an include lost, say) is a paragraph of pipes."""
    markdown = HEAD + "# Kostnader\n\n| Scenario | Pris per innbygger | Etter størrelse |\n"
    found = findings(convert(converter, markdown), markdown)
    assert found["pdf"] == [
        Finding("markup", "a table row shown as text: «Scenario | Pris per innbygger | Etter størrelse |»", 1)
    ]


def test_a_figure_without_alt_text(converter: Converter) -> None:
    from .test_charts import all_charts  # a real chart, drawn by fkj

    chart = all_charts()["coverage"]
    markdown = HEAD + '# Figur\n\n![Tilslutning](chart.png){alt="Tilslutningen mot vilkåret."}\n'
    data = converter.outputs(Rendered(markdown, {}, 0), ["docx", "pdf"], {"chart.png": chart})
    assert findings(data, markdown) == {"docx": [], "pdf": []}
    # the same document, its picture's alt text taken out of the DOCX and the PDF
    found = findings({"docx": _without_docx_alt(data["docx"]), "pdf": _without_pdf_alt(data["pdf"])}, markdown)
    assert [f.check for f in found["docx"]] == ["alt"]
    message = found["docx"][0].message
    assert message.startswith("the picture «") and message.endswith("» has no alt text")
    assert Finding("alt", "a figure without alt text (/Alt)", 1) in found["pdf"]


def _without_docx_alt(data: bytes) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = re.sub(rb' descr="[^"]*"', b' descr=""', content)
            target.writestr(info, content)
    return out.getvalue()


def _without_pdf_alt(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure" and "/Alt" in obj:
                del obj["/Alt"]
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def test_an_empty_last_page(converter: Converter) -> None:
    markdown = HEAD + "# Innledning\n\nTekst.\n\n```{=typst}\n#pagebreak()\n```\n"
    found = findings(convert(converter, markdown, ("pdf",)), markdown)
    assert Finding("empty", "the page has nothing but its footer", 2) in found["pdf"]


def test_more_pages_than_its_type_has(converter: Converter) -> None:
    found = findings(convert(converter, CLEAN, ("pdf",)), CLEAN, pages=(2, 4))
    assert found["pdf"] == [Finding("pages", "1 pages; a document of its type has 2–4")]


def test_a_blank_to_fill_in_a_document_that_is_not_a_draft(converter: Converter) -> None:
    markdown = HEAD + "# Brev\n\nVår ref. \\_\\_\\_\\_\\_\\_\\_\\_ (fylles ut)\n"
    data = convert(converter, markdown, ("pdf",))
    assert findings(data, markdown)["pdf"] == [
        Finding(
            "blank",
            "a blank to fill in a document that is not a draft: «KS · 15. november 2022 Brev Vår ref. ________ "
            "(fylles ut) Side 1 av 1»",
            1,
        )
    ]
    assert proof("pdf", data["pdf"], Expected(tuple(headings(markdown)), "nb", (1, 5), draft=True)) == []


def test_a_file_that_does_not_open_is_the_only_finding() -> None:
    expected = Expected(tuple(headings(CLEAN)), "nb", (1, 5), draft=False)
    assert [f.check for f in proof("pdf", b"%PDF-1.7 not a pdf", expected)] == ["opens"]
    assert [f.check for f in proof("docx", b"PK not a docx", expected)] == ["opens"]


def test_a_docx_with_a_malformed_part_does_not_open(converter: Converter) -> None:
    """Word refuses a package with any broken XML part: the document's own (python-docx's open fails) and
    those python-docx keeps as bytes (the font table, the theme) alike."""
    import zipfile

    docx = convert(converter, CLEAN, ("docx",))["docx"]
    for part in ("word/document.xml", "word/fontTable.xml"):
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                content = source.read(info)
                target.writestr(info, content[:-20] if info.filename == part else content)
        [found] = findings({"docx": out.getvalue()}, CLEAN)["docx"]
        assert found.check == "opens" and found.message.startswith("the DOCX does not open: "), part


def _one_stream_pdf(data: bytes, filters: bytes = b"") -> bytes:
    """A one-page PDF as typst lays one out (a cross-reference table; ``stream\\n<data>\\nendstream``) whose
    page's content is ``data`` (with ``filters``, as encoded)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Contents 4 0 R >>",
        b"<< %s/Length %d >>\nstream\n" % (filters, len(data)) + data + b"\nendstream",
    ]
    body, offsets = b"%PDF-1.7\n", []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(body)
    table = b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return body + table + b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


def test_a_stream_ending_in_a_carriage_return_is_ended_unambiguously() -> None:
    data = b"BT (x) Tj ET\r"
    pdf = _one_stream_pdf(data)
    mended = unambiguous_stream_ends(pdf)
    assert mended.count(b"\r\r\nendstream") == 1 and len(mended) == len(pdf) + 1
    assert unambiguous_stream_ends(mended) == mended  # once is enough
    with pikepdf.open(io.BytesIO(mended)) as opened:
        assert opened.pages[0].Contents.read_raw_bytes() == data  # /Length still tells the data
    import pypdf

    assert pypdf.PdfReader(io.BytesIO(mended), strict=True).pages[0].get_contents().get_data() == data
    assert unambiguous_stream_ends(b"%PDF without such a stream") == b"%PDF without such a stream"


def _flate_ending_in_cr() -> tuple[bytes, bytes]:
    """A page's content, and its Flate data, whose last byte is a carriage return (one in 256 is)."""
    for n in range(10_000):
        content = b"BT (%d) Tj ET" % n
        if (packed := zlib.compress(content)).endswith(b"\r"):
            return content, packed
    raise AssertionError("no content compresses to a final carriage return")


def test_compact_puts_the_objects_in_object_streams_and_leaves_the_data_as_it_is() -> None:
    content = b"BT (x) Tj ET"
    flate = zlib.compress(content)
    assert not flate.endswith(b"\r")
    packed = compact(_one_stream_pdf(flate, b"/Filter /FlateDecode "))
    assert b"/ObjStm" in packed and b"\nxref\n" not in packed  # object streams, and a cross-reference stream
    with pikepdf.open(io.BytesIO(packed)) as opened:
        contents = opened.pages[0].Contents
        assert contents.Filter == pikepdf.Name.FlateDecode and contents.read_raw_bytes() == flate
        assert contents.read_bytes() == content
    import pypdf

    assert pypdf.PdfReader(io.BytesIO(packed), strict=True).pages[0].get_contents().get_data() == content


def test_compact_keeps_the_mended_layout_when_a_stream_would_end_ambiguously() -> None:
    _, flate = _flate_ending_in_cr()  # no recompression changes Flate's last byte
    pdf = _one_stream_pdf(flate, b"/Filter /FlateDecode ")
    assert compact(pdf) == unambiguous_stream_ends(pdf)
    assert b"\r\r\nendstream" in compact(pdf)


# ---------------------------------------------------------------- through the command line

SUMMARY = "summary:\n  nb: |\n    "


def planted(text: str) -> Callable[[str], str]:
    """An edit of decision-basis.yaml: ``text`` at the start of the bokmål summary."""
    return lambda t: t.replace(SUMMARY, SUMMARY + text, 1)


def test_a_defect_planted_in_content_fails_the_proof_naming_the_document(make_tree: Maker, workdir: Path) -> None:
    make_tree({"decision-basis.yaml": planted("**Uavsluttet ")})
    code, out, err = invoke("build", "decision-basis", "-k", "bergen", "-k", "vinje", "--proof", "-j", "1")
    assert code == 1, out + err
    assert re.search(r"build/bergen/decision-basis\.pdf:1: error: markup: literal markup '\*\*' in «.*Uavsluttet", err)
    assert "✗ " in err and "in 1 of 2 documents proofed" in err  # Vinje's nynorsk text has no such defect
    # fkj proof reads what the build recorded: the same finding, and nothing proofed again
    from fkj_cli import build as build_module

    def fail(*_: object) -> list[Finding]:
        raise AssertionError("an unchanged document was proofed again")

    code2, _, err2 = _invoke_patched(build_module, "proof", fail, "proof", "decision-basis", "-k", "bergen", "-j", "1")
    assert code2 == 1
    assert re.search(r"build/bergen/decision-basis\.pdf:1: error: markup: literal markup '\*\*'", err2)


def test_a_proof_after_the_build_reads_what_the_build_recorded_of_the_markdown(make_tree: Maker, workdir: Path) -> None:
    """`fkj proof` of a build made without --proof compares the outputs with the headings the build
    recorded in its manifest: it does not render the document again."""
    import json

    from fkj_cli import build as build_module

    make_tree({"decision-basis.yaml": planted("**Uavsluttet ")})
    code, out, err = invoke("build", "decision-basis", "-k", "bergen", "-j", "1")
    assert code == 0, out + err
    manifest = workdir / "build" / ".fkj-manifest.json"
    entries = json.loads(manifest.read_text(encoding="utf-8"))["outputs"]
    recorded = entries["bergen/decision-basis.pdf"]["expected"]
    assert recorded == entries["bergen/decision-basis.docx"]["expected"]
    assert recorded["open"] is False and [2, "Forutsetninger"] in recorded["headings"]
    assert recorded["headings"][0][0] == 1

    def fail(*_: object) -> None:
        raise AssertionError("the document was rendered again")

    def no_texts(*_: object) -> None:
        raise AssertionError("a proof checked the content's texts")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "check_texts", no_texts)  # nor are the texts rendered to be checked
        code, _, err = _invoke_patched(build_module, "render_target", fail, "proof", "decision-basis", "-k", "bergen")
    assert code == 1
    assert re.search(r"build/bergen/decision-basis\.pdf:1: error: markup: literal markup '\*\*'", err)
    assert "heading" not in err  # the recorded headings are those of the PDF and the DOCX


def test_a_proof_renders_the_markdown_again_where_the_build_recorded_none(make_tree: Maker, workdir: Path) -> None:
    """A manifest written before builds recorded what a proof compares with: the document is rendered
    again, and a heading the outputs lack is still found."""
    import json

    make_tree()
    code, out, err = invoke("build", "decision-basis", "-k", "bergen", "-j", "1")
    assert code == 0, out + err
    manifest = workdir / "build" / ".fkj-manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in data["outputs"].values():
        entry.pop("expected", None)
    manifest.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = invoke("proof", "decision-basis", "-k", "bergen")
    assert code == 0, out + err
    assert "✓ proofed 1 document: nothing found" in out
    # where the build did record it, the record is what the outputs are compared with: here a heading they lack
    data["outputs"]["bergen/decision-basis.pdf"]["expected"] = {"headings": [[1, "Ikke i dokumentet"]], "open": False}
    data["outputs"]["bergen/decision-basis.pdf"].pop("findings", None)
    data["outputs"]["bergen/decision-basis.docx"].pop("findings", None)
    manifest.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = invoke("proof", "decision-basis", "-k", "bergen")
    assert code == 1
    assert "the heading «Ikke i dokumentet» is not a heading in the PDF" in err


def _invoke_patched(module: object, name: str, value: object, *args: str) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, name, value)
        return invoke(*args)


def test_the_shipped_documents_of_one_municipality_have_no_finding(make_tree: Maker, workdir: Path) -> None:
    """The mailing to Bergen and Vinje (nynorsk), the memo and the agreement: nothing a reader would notice,
    PDF/UA-1 and PDF/A-2a included."""
    make_tree()
    for doc in ("decision-basis", "letter", "saksframlegg", "memo", "agreement"):
        code, out, err = invoke("build", doc, "-k", "bergen", "-k", "vinje", "--proof")
        assert code == 0, out + err
        assert "✓ proofed 2 documents: nothing found" in out


def test_proof_of_what_was_not_built_says_so(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    code, out, err = invoke("proof", "mandate", "--all")
    assert code == 1
    assert "mandate for program: not up to date with the content: build it first (fkj build)" in err
    assert "✗ 1 document not proofed" in err and "nothing found" not in out


def test_raw_markup_in_a_content_text_is_refused_at_its_line(make_tree: Maker) -> None:
    root = make_tree({"decision-basis.yaml": planted("`<w:p>`{=openxml} ")})
    code, _, err = invoke("validate", "--content", root)
    assert code == 1
    assert re.search(
        r"content/decision-basis\.yaml:\d+:\d+: summary\.nb: raw output markup '\{=openxml\}' is not allowed in a "
        r"text: it would go into the DOCX or PDF unchecked and can break it; write Markdown",
        err,
    )


def test_a_parallel_proof_of_a_build_sends_its_workers_no_content(make_tree: Maker, workdir: Path) -> None:
    """Workers that only proof files against what the build recorded are started without the content:
    the figures are never pickled, and each document's findings are its own."""
    from fkj_cli.participation import Figures

    make_tree({"decision-basis.yaml": planted("**Uavsluttet ")})
    code, out, err = invoke("build", "decision-basis", "-k", "bergen", "-k", "vinje", "-j", "1")
    assert code == 0, out + err

    def refuse(*_: object) -> object:
        raise AssertionError("the content was sent to a proof's worker")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Figures, "__reduce_ex__", refuse)
        code, out, err = invoke("proof", "decision-basis", "-k", "bergen", "-k", "vinje", "-j", "2")
    assert code == 1, out + err
    assert re.search(r"build/bergen/decision-basis\.pdf:1: error: markup: literal markup '\*\*'", err)
    assert "vinje" not in err
    assert "in 1 of 2 documents proofed" in err
