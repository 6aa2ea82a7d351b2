"""The charts: drawn by typst as PNG, the same bytes for the same figures, readable at the edges
(a long label, a negative value), and embedded with their alt texts in the DOCX and the tagged PDF.

No timings here: the speed of the charts is the benchmark's (bench/batch.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from fkj_cli import charts, convert
from fkj_cli.content.types import MonthDate
from fkj_cli.documents import decision_basis, governance

from .conftest import ROOT, copy_content

D = Decimal
INK = (0x1F, 0x38, 0x64)  # charts.SERIES[0]
MODELS = ("Pris per innbygger", "30 % likt fordelt, 70 % etter folketall", "Avgift etter størrelsesklasse")
LONG = (
    "Kommuner som har vedtatt forpliktelse etter den nye interkommunale samarbeidsavtalen "
    "om felles kommunal journal og helseplattformen deltar"
)


@dataclass
class Milestone:
    date: MonthDate
    text: str


def milestone(date: str, text: str) -> Milestone:
    """A milestone on a day (2022-06-30) or in a month (2022-09)."""
    day = dt.date.fromisoformat(date) if len(date) == 10 else date
    return Milestone(MonthDate.model_validate(day), text)


# ---------------------------------------------------------------- reading a PNG without a library


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    found, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        assert struct.unpack(">I", png[at + 8 + length : at + 12 + length])[0] == zlib.crc32(kind + data)
        found.append((kind, data))
        at += 12 + length
    return found


class Pixels:
    """An 8-bit RGB or RGBA PNG, decoded: ``pixels[x, y]`` is (r, g, b)."""

    def __init__(self, png: bytes) -> None:
        parts = chunks(png)
        width, height, depth, colour = struct.unpack(">IIBB", parts[0][1][:10])
        assert depth == 8 and colour in (2, 6)
        size = 4 if colour == 6 else 3
        raw = zlib.decompress(b"".join(d for k, d in parts if k == b"IDAT"))
        stride = width * size
        rows: list[bytearray] = []
        previous = bytearray(stride)
        for y in range(height):
            kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
            for i in range(stride):
                left = line[i - size] if i >= size else 0
                up, corner = previous[i], previous[i - size] if i >= size else 0
                if kind == 1:
                    line[i] = (line[i] + left) & 0xFF
                elif kind == 2:
                    line[i] = (line[i] + up) & 0xFF
                elif kind == 3:
                    line[i] = (line[i] + (left + up) // 2) & 0xFF
                elif kind == 4:
                    p = left + up - corner
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                    line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
            rows.append(line)
            previous = line
        self.width, self.height, self._rows, self._size = width, height, rows, size

    def __getitem__(self, at: tuple[int, int]) -> tuple[int, int, int]:
        x, y = at
        row, i = self._rows[y], x * self._size
        return row[i], row[i + 1], row[i + 2]

    def inked(self, x: int, y: int) -> bool:
        return self[x, y] != (255, 255, 255)

    def run_of(self, colour: tuple[int, int, int], y: int) -> tuple[int, int] | None:
        """The first and last x of ``colour`` on row ``y``."""
        xs = [x for x in range(self.width) if self[x, y] == colour]
        return (xs[0], xs[-1]) if xs else None


def fresh(function: Any, *args: Any) -> Any:
    """A chart (or charts) laid out and drawn anew as PNG, not taken from the process's caches."""
    function.cache_clear()
    convert._pages.cache_clear()
    drawn = function(*args)
    return tuple(convert.png(d) for d in drawn) if isinstance(drawn, tuple) else convert.png(drawn)


# ---------------------------------------------------------------- the PNG itself


def all_charts() -> dict[str, bytes]:
    milestones = [milestone("2022-06-30", "Milepæl 1"), milestone("2022-09", "Milepæl 2"), milestone("2022-11", "3")]
    charts._timeline.cache_clear()
    timeline = convert.png(charts.milestone_timeline(milestones, "nb"))
    return {
        "cost_by_model": fresh(
            charts.cost_by_model, tuple(zip(MODELS, (D("1234.5"), D(99), D(0)), strict=True)), "kr", "nb"
        ),
        "cost_per_inhabitant": fresh(
            charts.cost_per_inhabitant,
            (("Alle deltar", (D(46), D(32), D(7))), ("Bare noen", (None, None, None))),
            MODELS,
            "Kroner per innbygger per år",
            "deltar ikke",
            "nn",
        ),
        "coverage": fresh(
            charts.coverage_chart,
            (("Forpliktet", D("0.3")), ("Opsjon", D("0.1")), ("Står utenfor", D("0.1")), ("Ikke behandlet", D("0.5"))),
            D("0.55"),
            "Vilkår 55 %",
            "nb",
        ),
        "milestones": timeline,
    }


def test_the_same_figures_give_the_same_bytes_in_this_process_and_another() -> None:
    here = all_charts()
    assert all_charts() == here
    code = (
        "import sys, hashlib\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from tests.test_charts import all_charts\n"
        "for k, v in sorted(all_charts().items()): print(k, hashlib.sha256(v).hexdigest())\n"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert other.stdout.split("\n")[:-1] == [f"{k} {hashlib.sha256(v).hexdigest()}" for k, v in sorted(here.items())]


WIDTHS = {chart.key: chart.width for chart in (*decision_basis.CHARTS, *governance.CHARTS)}


def test_a_chart_is_a_plain_png_at_150_ppi_as_wide_as_its_share_of_the_text() -> None:
    widths = {"cost_by_model": 1.0, "cost_per_inhabitant": 1.0, "coverage": 1.0, "society": 1.0, "net_by_year": 1.0}
    widths["milestones"] = 0.87
    assert widths == WIDTHS
    for name, png in all_charts().items():
        parts = chunks(png)
        kinds = [k for k, _ in parts]
        assert kinds[:2] == [b"IHDR", b"pHYs"] and kinds[-1] == b"IEND", name
        assert set(kinds) == {b"IHDR", b"pHYs", b"IDAT", b"IEND"}, name  # no software, no time stamp
        width, height = struct.unpack(">II", parts[0][1][:8])
        assert width == round(960 * WIDTHS[name]), name  # of 6.4 inches at 150 ppi: 960 pixels, 835 pixels
        assert 100 < height < 1500, name
        assert struct.unpack(">IIB", parts[1][1]) == (5906, 5906, 1)  # 150 per inch, in metres


def month_names(milestones: list[Milestone], lang: str) -> list[str]:
    """The month names a timeline writes beside its axis, read back from its typst document."""
    import json

    import typst

    source = charts.milestone_timeline(milestones, lang).source
    return list(json.loads(typst.query(source, "metadata", field="value", ignore_system_fonts=True)))


def test_the_timeline_names_each_month_and_a_year_where_it_changes() -> None:
    short = [milestone("2022-11-15", "A"), milestone("2023-03", "B")]
    assert month_names(short, "nb") == ["nov. 2022", "des.", "jan. 2023", "feb.", "mars"]


def test_a_long_timeline_names_fewer_months_and_still_every_year() -> None:
    long = [milestone("2022-06-30", "A"), milestone("2023-01", "B"), milestone("2025-11", "C")]
    assert month_names(long, "nn") == [
        *("juni 2022", "sep.", "des."),
        *("mars 2023", "juni", "sep.", "des."),
        *("mars 2024", "juni", "sep.", "des."),
        *("mars 2025", "juni", "sep."),
    ]


def test_a_municipalitys_two_cost_charts_drawn_together_are_the_same_as_drawn_apart() -> None:
    bars = tuple(zip(MODELS, (D("1234.5"), D(99), D(0)), strict=True))
    rows = (("Alle deltar", (D(46), D(32), D(7))), ("Bare noen", (None, None, None)))
    per_inhabitant = (rows, MODELS, "Kroner per innbygger per år", "deltar ikke")
    together = fresh(charts.cost_charts, (bars, "Kroner per år"), per_inhabitant, "nb")
    apart = (
        fresh(charts.cost_by_model, bars, "Kroner per år", "nb"),
        fresh(charts.cost_per_inhabitant, *per_inhabitant, "nb"),
    )
    assert together == apart


def test_different_figures_give_different_charts_and_identical_ones_share_the_cache() -> None:
    one = charts.cost_by_model((("A", D(1)),), "kr", "nb")
    assert charts.cost_by_model((("A", D(1)),), "kr", "nb") is one
    assert charts.cost_by_model((("A", D(2)),), "kr", "nb") != one


def test_text_is_passed_to_typst_as_text_not_markup() -> None:
    """Quotes, backslashes, markup characters and a newline in a label are drawn, not interpreted."""
    tricky = 'Kommuner «A» og "B" \\ #let x = 1 *fet* $x$ <l> @ref\nneste linje'
    png = fresh(charts.cost_by_model, ((tricky, D(10)),), "kr", "nb")
    assert png.startswith(b"\x89PNG")
    assert charts._literal(tricky) == '"Kommuner «A» og \\"B\\" \\\\ #let x = 1 *fet* $x$ <l> @ref\\nneste linje"'
    assert charts._literal([None, True, 1, 2.5, {"a": ()}]) == "(none, true, 1, 2.5, (a: ()), )"
    with pytest.raises(ValueError):
        charts._literal(float("nan"))


# ---------------------------------------------------------------- readable at the edges


def margins_are_white(pixels: Pixels) -> bool:
    """Nothing is cut off: the outermost rows and columns have no ink."""
    edges = [(x, y) for x in range(pixels.width) for y in (0, pixels.height - 1)]
    edges += [(x, y) for y in range(pixels.height) for x in (0, pixels.width - 1)]
    return not any(pixels.inked(x, y) for x, y in edges)


def test_a_negative_value_grows_left_of_zero_with_its_amount_beside_it() -> None:
    png = fresh(charts.cost_by_model, (("Betaler", D(1_000_000)), ("Får tilbake", D(-400_000))), "Kroner per år", "nb")
    pixels = Pixels(png)
    assert margins_are_white(pixels)
    bars = [(y, run) for y in range(pixels.height) if (run := pixels.run_of(INK, y)) and run[1] - run[0] > 20]
    (_, positive), (row, negative) = bars[0], bars[-1]  # the first category's bar, and the second's (its last row)
    (p_left, p_right), (n_left, n_right) = positive, negative
    assert abs(n_right - p_left) <= 3  # both grow from the zero line
    assert (p_right - p_left) / (n_right - n_left) == pytest.approx(2.5, rel=0.03)  # to scale
    middle = range(row - 28, row - 14)  # the bar's middle rows: its amount is to its left
    ink_left = [x for x in range(0, n_left - 2) if any(pixels.inked(x, y) for y in middle)]
    assert ink_left and max(ink_left) < n_left - 3  # the amount, clear of the bar
    label_right = 0.34 * 960
    assert min(x for x in ink_left if x > label_right - 20) > label_right - 20  # and clear of the category labels


def test_a_long_label_wraps_within_its_column_and_makes_room() -> None:
    short = Pixels(fresh(charts.cost_by_model, (("Kort", D(5)), ("Også kort", D(3))), "kr", "nb"))
    long = Pixels(fresh(charts.cost_by_model, ((LONG, D(5)), ("Også kort", D(3))), "kr", "nb"))
    assert long.height > short.height + 40  # several lines, and the chart grows to hold them
    assert margins_are_white(long)
    bar_start = min(run[0] for y in range(long.height) if (run := long.run_of(INK, y)))
    # the label's lines end left of the bars: between the labels' column and the bars nothing is inked
    gap = range(int(0.335 * 960), bar_start - 1)
    assert not any(long.inked(x, y) for y in range(long.height) for x in gap)


def test_all_negative_and_long_everywhere_still_fits_the_page() -> None:
    word = "Interkommunalsamarbeidsforpliktelsesordningsavtale"
    png = fresh(
        charts.cost_per_inhabitant,
        ((LONG, (D(-120), D(-30), None)), (word, (D(-5), D(-1), D(0))), ("Ingen", (None, None, None))),
        (*MODELS[:2], LONG),
        "Kroner per innbygger per år, en lang forklaring",
        "deltar ikke",
        "nb",
    )
    assert margins_are_white(Pixels(png))


def test_a_timeline_over_years_with_long_texts_is_readable() -> None:
    milestones = [milestone("2022-06-30", LONG), milestone("2022-07", "Kort"), milestone("2025-11", LONG + " " + LONG)]
    charts._timeline.cache_clear()
    pixels = Pixels(convert.png(charts.milestone_timeline(milestones, "nn")))
    assert margins_are_white(pixels)
    assert pixels.height > 2.4 * 150


# ---------------------------------------------------------------- in the documents


def fkj(*args: str | Path, cwd: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "fkj_cli", *map(str, args)], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def figures(node: pikepdf.Object, found: list[pikepdf.Dictionary]) -> list[pikepdf.Dictionary]:
    """Every /Figure structure element under ``node``."""
    if isinstance(node, pikepdf.Array):
        for child in node:
            figures(child, found)
    elif isinstance(node, pikepdf.Dictionary):
        if node.get("/S") == pikepdf.Name.Figure:
            found.append(node)
        if "/K" in node:
            figures(node.K, found)
    return found


def docx_images(path: Path) -> tuple[list[bytes], list[str], list[str]]:
    """The DOCX's images, the alt texts of its drawings and its captions."""
    import docx

    with zipfile.ZipFile(path) as z:
        media = [z.read(n) for n in sorted(z.namelist()) if n.startswith("word/media/")]
    document = docx.Document(str(path))
    descr = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    captions = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Image Caption"]
    return media, descr, captions


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("charts")
    copy_content(work / "content")
    fkj("build", "decision-basis", "-k", "bergen", "-k", "vinje", "--content", "content", "--out", "out", cwd=work)
    fkj("build", "governance", "--content", "content", "--out", "out", cwd=work)
    return work / "out"


def pdf_figures(path: Path) -> list[str]:
    """The alt texts of the PDF's figures, after checking that it claims PDF/UA-1 and PDF/A-2a and
    that every figure has one (typst refuses to write the PDF otherwise; this reads it back)."""
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        assert meta.get("pdfuaid:part") == "1"
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "A")
        assert pdf.Root.MarkInfo.Marked
        found = figures(pdf.Root.StructTreeRoot, [])
        assert found and all("/Alt" in f and str(f.Alt).strip() for f in found)
        return [str(f.Alt) for f in found]


def test_decision_basis_embeds_four_charts_with_the_same_alt_texts_and_captions(built: Path) -> None:
    """Before any municipality has decided, no chart of the inhabitants by decision (one bar of 100 %
    «Ikke behandlet»): its section says that none has committed."""
    media, descr, captions = docx_images(built / "bergen" / "decision-basis.docx")
    assert len(media) == 4 and all(struct.unpack(">I", m[16:20])[0] == 960 for m in media)
    assert all(m.startswith(b"\x89PNG") for m in media)
    assert descr[0] == (
        "Stolpediagram over gjennomsnittlig årlig kostnad for Bergen kommune 2024–2033 etter prismodell, "
        "i scenarioet «Alle kommuner utenfor Midt-Norge deltar»: Pris per innbygger: 42\u00a0736\u00a0074 kr; "
        "30\u00a0% likt fordelt, 70\u00a0% etter folketall: 37\u00a0248\u00a0585 kr; "
        "Avgift etter størrelsesklasse: 36\u00a0912\u00a0752 kr."
    )
    # the eight have too few inhabitants for the state's grants: 265,0 mill. kr a year over their 777 253
    assert "Bare samarbeidskommunene deltar: Pris per innbygger: 340,94 kr" in descr[1].replace("\u00a0", " ")
    # the municipality's net year by year, as the year table
    assert descr[2].startswith("Stolpediagram over forutsatt nytte minus kostnad per år for Bergen kommune: 2024: ")
    # society's NPV by the share taking part: the same for every municipality, the condition marked
    assert descr[3].startswith(
        "Stolpediagram over netto nåverdi for samfunnet etter andelen av innbyggerne som deltar: 10\u00a0%: "
    )
    assert "55\u00a0% (vilkåret): " in descr[3] and descr[3].endswith(" millioner kroner.")
    assert captions == [
        "Gjennomsnittlig årlig kostnad for kommunen etter prismodell, i scenarioet «Alle kommuner utenfor Midt-Norge "
        "deltar»",
        "Kostnad per innbygger etter scenario og prismodell",
        "Kommunens forutsatte nytte minus kostnad per år, i scenarioet «Alle kommuner utenfor Midt-Norge deltar», "
        "med prismodellen «Pris per innbygger»",
        "Netto nåverdi for samfunnet etter andelen av innbyggerne som deltar",
    ]
    import docx

    text = "\n".join(p.text for p in docx.Document(str(built / "bergen" / "decision-basis.docx")).paragraphs)
    assert "Per 15. november 2022 har ingen kommuner forpliktet seg." in text
    assert pdf_figures(built / "bergen" / "decision-basis.pdf") == descr


def test_a_nynorsk_decision_basis_has_its_charts_too(built: Path) -> None:
    media, descr, _ = docx_images(built / "vinje" / "decision-basis.docx")
    assert len(media) == 4
    # Vinje is not among the largest that make up 55 %: its chart shows what it pays if it joins them
    assert descr[1].count("Pris per innbyggjar:") == 3 and "deltek ikkje" not in descr[1]
    assert pdf_figures(built / "vinje" / "decision-basis.pdf") == descr
    bergen, _, _ = docx_images(built / "bergen" / "decision-basis.docx")
    assert len(set(media) & set(bergen)) == 0  # society's chart is in the document's language


def shown_widths(path: Path) -> list[tuple[int, int]]:
    """Each DOCX drawing's width as shown (EMU) and its image's width in pixels, in order."""
    import docx

    document = docx.Document(str(path))
    shown = []
    for shape in document.inline_shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        png = document.part.related_parts[blip.embed].blob
        shown.append((shape.width, struct.unpack(">I", png[16:20])[0]))
    return shown


def test_every_chart_is_shown_at_the_same_scale_so_its_text_is_as_large(built: Path) -> None:
    shown = shown_widths(built / "bergen" / "decision-basis.docx") + shown_widths(built / "program" / "governance.docx")
    assert [pixels for _, pixels in shown] == [960, 960, 960, 960, 835]
    per_pixel = [emu / pixels for emu, pixels in shown]
    assert max(per_pixel) / min(per_pixel) < 1.002, per_pixel


def test_governance_embeds_the_timeline(built: Path) -> None:
    media, descr, captions = docx_images(built / "program" / "governance.docx")
    assert len(media) == 1 and media[0].startswith(b"\x89PNG")
    assert descr[0].startswith(
        "Tidslinje med milepælene for arbeidet fra 30. juni 2022 til juni 2023: 30. juni 2022: Oppdatert"
    )
    assert captions == ["Milepæler 30. juni 2022–juni 2023"]
    assert pdf_figures(built / "program" / "governance.pdf") == descr
