"""`fkj decision record` and `fkj decision import`: the municipalities' decisions into commitments.yaml."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from fkj_cli.fmt import comments

from .helpers import Maker, build, invoke

HEADER = "# yaml-language-server: $schema=../schemas/commitments.schema.json\n"

# A commitments.yaml with comments everywhere ruamel.yaml can put them.
COMMENTED = (
    HEADER
    + """\
# What each municipality has decided.
commitments:
  # Vinje decided first.
  vinje:
    status: opsjon  # to be confirmed
    date: 2023-03-13
    body: Kommunestyret
  # Stavanger, in one line
  stavanger: {status: opsjon, date: 2023-03-13, body: Bystyret}  # the mayor signs
  # Bodø
  bodo:
    status: nei
    date: 2023-03-01
    body: Bystyret
# Decisions still to come: Oslo in April.
"""
)

# Where the import tests start from: two decisions recorded, Oslo and Vinje.
RECORDED = (
    HEADER
    + """\
# Recorded by the secretariat.
commitments:
  oslo: {status: forpliktelse, date: 2023-03-22, body: Bystyret, case: 23/101}
  vinje: {status: opsjon, date: 2023-03-13, body: Kommunestyret}
"""
)

# The sheet: Bergen new, Vinje from opsjon to forpliktelse, Oslo as recorded, Stavanger and
# Kristiansand not yet decided (as the file has it: not listed).
SHEET = [
    ["Kommune", "Status", "Dato", "Organ", "Saksnr", "Merknad"],
    ["Bergen", "forpliktelse", "22.03.2023", "Bystyret", "", "sendt 23.03."],
    ["4036", "Forpliktelse", "13.03.2023", "Kommunestyret", "", ""],
    ["oslo", "forpliktelse", "2023-03-22", "Bystyret", "23/101", ""],
    ["Stavanger", "ubehandlet", "", "", "", "møte i april"],
    ["Kristiansand", "ubehandlet", "", "", "", ""],
]

REPORT = """\
new: bergen forpliktelse 22.03.2023 (Bystyret)
changed: vinje opsjon → forpliktelse
unchanged: 3
"""

IMPORTED = (
    HEADER
    + """\
# Recorded by the secretariat.
commitments:
  oslo: {status: forpliktelse, date: 2023-03-22, body: Bystyret, case: 23/101}
  vinje: {status: forpliktelse, date: 2023-03-13, body: Kommunestyret}
  bergen: {status: forpliktelse, date: 2023-03-22, body: Bystyret}
"""
)


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8") -> Path:
    path.write_text("".join(delimiter.join(row) + "\r\n" for row in rows), encoding=encoding)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# --- record -------------------------------------------------------------------


def test_record_writes_the_entry_formatted_and_keeps_every_comment(make_tree: Maker) -> None:
    root = make_tree({"commitments.yaml": COMMENTED})
    path = root / "commitments.yaml"
    code, out, err = invoke(
        "decision", "record", "Bergen", "forpliktelse", "--date", "2023-03-22", "--body", "Bystyret"
    )
    assert (code, err) == (0, "")
    assert out == (
        "new: bergen forpliktelse 22.03.2023 (Bystyret)\n"
        "✓ wrote content/commitments.yaml: 1 new, 0 changed, 0 unchanged\n"
    )
    code, out, err = invoke(
        "decision",
        "record",
        "vinje",
        "forpliktelse",
        "--date",
        "30.03.2023",
        "--body",
        "Kommunestyret",
        "--case",
        "23/45",
    )
    assert (code, err) == (0, "")
    assert out == (
        "changed: vinje opsjon → forpliktelse, dato 13.03.2023 → 30.03.2023, sak – → 23/45\n"
        "✓ wrote content/commitments.yaml: 0 new, 1 changed, 0 unchanged\n"
    )
    text = path.read_text(encoding="utf-8")
    assert text == (
        HEADER
        + """\
# What each municipality has decided.
commitments:
  # Vinje decided first.
  vinje:
    status: forpliktelse # to be confirmed
    date: 2023-03-30
    body: Kommunestyret
    case: 23/45
  # Stavanger, in one line
  stavanger: {status: opsjon, date: 2023-03-13, body: Bystyret}  # the mayor signs
  # Bodø
  bodo:
    status: nei
    date: 2023-03-01
    body: Bystyret
  bergen: {status: forpliktelse, date: 2023-03-22, body: Bystyret}
# Decisions still to come: Oslo in April.
"""
    )
    assert comments(text) == comments(COMMENTED)
    assert invoke("fmt", "--check", "content/commitments.yaml")[0] == 0  # in the canonical style
    assert invoke("validate")[0] == 0


def test_record_into_the_shipped_file(make_tree: Maker) -> None:
    """The shipped `commitments: {}` gets its first entry on a line of its own; the comments above stay."""
    root = make_tree()
    path = root / "commitments.yaml"
    before = path.read_text(encoding="utf-8")
    code, _, err = invoke(
        "decision", "record", "3201", "opsjon", "--date", "2023-03-20", "--body", "Formannskapet", "--case", "2023/17"
    )
    assert (code, err) == (0, "")
    text = path.read_text(encoding="utf-8")
    assert text == before.replace(
        "commitments: {}\n",
        "commitments:\n  baerum: {status: opsjon, date: 2023-03-20, body: Formannskapet, case: 2023/17}\n",
    )


def test_record_removes_a_case_reference_the_new_decision_lacks_and_keeps_its_comment(make_tree: Maker) -> None:
    root = make_tree(
        {
            "commitments.yaml": HEADER
            + "commitments:\n"
            + "  vinje:\n    status: opsjon\n    date: 2023-03-13\n    body: Kommunestyret\n"
            + "    case: 23/45  # old case\n"
            + "  # Oslo\n  oslo: {status: nei, date: 2023-03-01, body: Bystyret}\n"
        }
    )
    code, out, _ = invoke("decision", "record", "vinje", "nei", "--date", "2023-04-01", "--body", "Kommunestyret")
    assert code == 0
    assert out.startswith("changed: vinje opsjon → nei, dato 13.03.2023 → 01.04.2023, sak 23/45 → –\n")
    text = (root / "commitments.yaml").read_text(encoding="utf-8")
    assert text == (
        HEADER
        + "commitments:\n"
        + "  vinje:\n    status: nei\n    date: 2023-04-01\n    body: Kommunestyret\n"
        + "  # old case\n  # Oslo\n  oslo: {status: nei, date: 2023-03-01, body: Bystyret}\n"
    )


def test_a_value_yaml_would_read_otherwise_is_quoted(make_tree: Maker) -> None:
    root = make_tree()
    code, _, err = invoke(
        "decision", "record", "oslo", "nei", "--date", "2023-03-01", "--body", "yes", "--case", "2023"
    )
    assert (code, err) == (0, "")
    text = (root / "commitments.yaml").read_text(encoding="utf-8")
    assert '  oslo: {status: nei, date: 2023-03-01, body: "yes", case: "2023"}\n' in text
    assert invoke("validate")[0] == 0


@pytest.mark.parametrize(
    ("args", "errors"),
    [
        (
            ["Bergn", "forpliktelse", "--date", "2023-03-22"],
            [
                "error: KOMMUNE: unknown kommune 'Bergn'; did you mean Bergen or Bærum? "
                "(`fkj list kommuner` shows them all)"
            ],
        ),
        (
            ["bergen", "ja", "--date", "2023-03-22"],
            ["error: STATUS: must be one of forpliktelse, opsjon, nei, ubehandlet, not 'ja'"],
        ),
        (
            ["bergen", "forpliktelse", "--date", "31.02.2023"],
            ["error: --date: not a date (YYYY-MM-DD or DD.MM.YYYY): '31.02.2023'"],
        ),
        (
            ["bergen", "forpliktelse", "--date", "22/03/2023"],
            ["error: --date: not a date (YYYY-MM-DD or DD.MM.YYYY): '22/03/2023'"],
        ),
        (
            ["Atlantis", "kanskje", "--date", "2023-13-01"],
            [
                "error: KOMMUNE: unknown kommune 'Atlantis' (`fkj list kommuner` shows them all)",
                "error: STATUS: must be one of forpliktelse, opsjon, nei, ubehandlet, not 'kanskje'",
                "error: --date: not a date (YYYY-MM-DD or DD.MM.YYYY): '2023-13-01'",
            ],
        ),
    ],
)
def test_record_with_a_bad_argument_writes_nothing(make_tree: Maker, args: list[str], errors: list[str]) -> None:
    root = make_tree({"commitments.yaml": COMMENTED})
    before = (root / "commitments.yaml").read_bytes()
    code, out, err = invoke("decision", "record", *args, "--body", "Bystyret")
    assert (code, out) == (1, "")
    assert err.splitlines() == errors
    assert (root / "commitments.yaml").read_bytes() == before


def test_record_with_an_empty_body(make_tree: Maker) -> None:
    root = make_tree()
    before = (root / "commitments.yaml").read_bytes()
    code, _, err = invoke("decision", "record", "bergen", "nei", "--date", "2023-03-22", "--body", " ")
    assert code == 1
    assert err == "error: --body: empty; give the body that decided, e.g. Bystyret\n"
    assert (root / "commitments.yaml").read_bytes() == before


def test_record_into_invalid_content_writes_nothing(make_tree: Maker) -> None:
    root = make_tree({"commitments.yaml": HEADER + "commitments:\n  oslo: {status: ja}\n"})
    before = (root / "commitments.yaml").read_bytes()
    code, _, err = invoke("decision", "record", "bergen", "nei", "--date", "2023-03-22", "--body", "Bystyret")
    assert code == 1
    assert err.splitlines()[-1] == "✗ 1 problem in 1 file"
    assert err.startswith("content/commitments.yaml:3:")
    assert (root / "commitments.yaml").read_bytes() == before


def test_record_unchanged_and_dry_run(make_tree: Maker) -> None:
    root = make_tree({"commitments.yaml": RECORDED})
    path = root / "commitments.yaml"
    args = ["decision", "record", "0301", "forpliktelse", "--date", "22.03.2023", "--body", "Bystyret"]
    code, out, _ = invoke(*args, "--case", "23/101")
    assert code == 0
    assert out == (
        "unchanged: 1\n✓ content/commitments.yaml is up to date (0 new, 0 changed, 1 unchanged); nothing written\n"
    )
    for flag in ("--dry-run", "--check"):
        code, out, _ = invoke(*args, flag)
        assert code == 0
        assert out == (
            "changed: oslo sak 23/101 → –\n"
            "content/commitments.yaml would get 0 new, 1 changed, 0 unchanged (dry run: nothing written)\n"
        )
    assert path.read_text(encoding="utf-8") == RECORDED


# --- import -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "utf-8-sig"), (",", "utf-8"), (";", "utf-8"), ("\t", "utf-8-sig")]
)
def test_import_csv(make_tree: Maker, workdir: Path, delimiter: str, encoding: str) -> None:
    root = make_tree({"commitments.yaml": RECORDED})
    sheet = write_csv(workdir / "vedtak.csv", SHEET, delimiter, encoding)
    code, out, err = invoke("decision", "import", sheet)
    assert (code, err) == (0, "")
    assert out == REPORT + "✓ wrote content/commitments.yaml: 1 new, 1 changed, 3 unchanged\n"
    assert (root / "commitments.yaml").read_text(encoding="utf-8") == IMPORTED
    # imported again: nothing changes
    code, out, _ = invoke("decision", "import", "vedtak.csv")
    assert code == 0
    assert out == (
        "unchanged: 5\n✓ content/commitments.yaml is up to date (0 new, 0 changed, 5 unchanged); nothing written\n"
    )


def test_import_xlsx_with_english_headers_and_date_cells(make_tree: Maker, workdir: Path) -> None:
    root = make_tree({"commitments.yaml": RECORDED})
    rows: list[list[object]] = [
        ["Municipality", "STATUS", "Date", "Body", "Case"],
        ["Bergen", "forpliktelse", dt.datetime(2023, 3, 22), "Bystyret", None],
        [4036, "forpliktelse", dt.date(2023, 3, 13), "Kommunestyret", None],
        [301, "forpliktelse", "22.03.2023", "Bystyret", "23/101"],  # 0301, its leading zero lost
        [],
        ["Ringsaker", "nei", "2023-04-02", "Kommunestyret", 2023117],
    ]
    sheet = write_xlsx(workdir / "vedtak.xlsx", rows)
    code, out, err = invoke("decision", "import", sheet)
    assert (code, err) == (0, "")
    assert out == (
        "new: bergen forpliktelse 22.03.2023 (Bystyret)\n"
        "new: ringsaker nei 02.04.2023 (Kommunestyret, sak 2023117)\n"
        "changed: vinje opsjon → forpliktelse\n"
        "unchanged: 1\n"
        "✓ wrote content/commitments.yaml: 2 new, 1 changed, 1 unchanged\n"
    )
    assert (root / "commitments.yaml").read_text(encoding="utf-8") == IMPORTED + (
        '  ringsaker: {status: nei, date: 2023-04-02, body: Kommunestyret, case: "2023117"}\n'
    )


BAD_ROWS = [
    ["kommune", "status", "dato", "organ", "saksnr"],
    ["Oslo", "forpliktelse", "22.03.2023", "Bystyret", ""],  # 2: good
    ["Vinje", "opsjon", "13.03.2023", "Kommunestyret", ""],  # 3: good
    ["Bergn", "forpliktelse", "22.03.2023", "Bystyret", ""],  # 4
    ["Stavanger", "ja", "2023-03-13", "Bystyret", ""],  # 5
    ["Bodø", "nei", "31.02.2023", "Bystyret", ""],  # 6
    ["", "", "", "", ""],  # 7: blank, skipped
    ["Ringsaker", "forpliktelse", "", "", "23/4"],  # 8
    ["0301", "nei", "01.04.2023", "Bystyret", ""],  # 9: Oslo again
    ["", "nei", "01.04.2023", "Bystyret", ""],  # 10
    ["Atlantis", "", "1.4.2023", "Bystyret", ""],  # 11
]

BAD_ROW_ERRORS = [
    "{f}:4: kommune: unknown kommune 'Bergn'; did you mean Bergen or Bærum?",
    "{f}:5: status: must be one of forpliktelse, opsjon, nei, ubehandlet, not 'ja'",
    "{f}:6: dato: not a date (YYYY-MM-DD or DD.MM.YYYY): '31.02.2023'",
    "{f}:8: dato: empty; a decision (forpliktelse) needs its date",
    "{f}:8: organ: empty; a decision (forpliktelse) needs the body that decided",
    "{f}:9: kommune: Oslo is given twice, in rows 2 and 9",
    "{f}:10: kommune: empty; give the kommune's name, number or slug",
    "{f}:11: kommune: unknown kommune 'Atlantis'",
    "{f}:11: status: empty; give one of forpliktelse, opsjon, nei, ubehandlet",
    "✗ 9 problems in {f}; nothing written",
]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_import_with_bad_rows_reports_every_one_and_writes_nothing(make_tree: Maker, workdir: Path, kind: str) -> None:
    root = make_tree({"commitments.yaml": RECORDED})
    if kind == "csv":
        sheet = write_csv(workdir / "vedtak.csv", BAD_ROWS)
    else:
        sheet = write_xlsx(workdir / "vedtak.xlsx", [list(row) for row in BAD_ROWS])
    before = (root / "commitments.yaml").read_bytes()
    code, out, err = invoke("decision", "import", sheet)
    assert (code, out) == (1, "")
    assert err.splitlines() == [line.format(f=sheet.name) for line in BAD_ROW_ERRORS]
    assert (root / "commitments.yaml").read_bytes() == before


def test_import_names_the_missing_columns(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    sheet = write_csv(workdir / "vedtak.csv", [["Kommune", "Vedtak", "Date"], ["Bergen", "forpliktelse", "2023-03-22"]])
    code, _, err = invoke("decision", "import", sheet)
    assert code == 1
    assert err.splitlines() == [
        "vedtak.csv:1: missing column status",
        "vedtak.csv:1: missing column organ (or body)",
        "✗ 2 problems in vedtak.csv; nothing written",
    ]
    sheet = write_csv(workdir / "twice.csv", [["kommune", "status", "dato", "date", "organ"]])
    code, _, err = invoke("decision", "import", sheet)
    assert code == 1
    assert err.splitlines()[0] == "twice.csv:1: date: a second column for dato, after 'dato'"


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("none.csv", None, "error: none.csv: no such file"),
        ("empty.csv", b"\n\n", "error: empty.csv: empty; the first row names the columns "
         "(kommune, status, dato, organ and, if you like, saksnr)"),
        ("latin1.csv", "kommune;status\nBodø;nei\n".encode("latin-1"),
         "error: latin1.csv:2: not UTF-8 (byte 0xf8); save the sheet as CSV UTF-8"),
        ("vedtak.xls", b"\xd0\xcf\x11\xe0", "error: vedtak.xls: the old Excel format (.xls) is not read; "
         "save the sheet as .xlsx or CSV"),
        ("vedtak.xlsx", b"not a zip", "error: vedtak.xlsx: not a readable Excel workbook (.xlsx): "
         "File is not a zip file"),
        ("vedtak.ods", b"", "error: vedtak.ods: not a CSV or Excel (.xlsx) file"),
    ],
)  # fmt: skip
def test_import_of_a_file_that_is_not_a_sheet(
    make_tree: Maker, workdir: Path, name: str, content: bytes | None, error: str
) -> None:
    make_tree()
    if content is not None:
        (workdir / name).write_bytes(content)
    code, _, err = invoke("decision", "import", name)
    assert (code, err) == (1, error + "\n")


def test_import_dry_run_writes_nothing(make_tree: Maker, workdir: Path) -> None:
    root = make_tree({"commitments.yaml": RECORDED})
    sheet = write_csv(workdir / "vedtak.csv", SHEET)
    code, out, err = invoke("decision", "import", sheet, "--dry-run")
    assert (code, err) == (0, "")
    assert out == REPORT + (
        "content/commitments.yaml would get 1 new, 1 changed, 3 unchanged (dry run: nothing written)\n"
    )
    assert (root / "commitments.yaml").read_text(encoding="utf-8") == RECORDED


# --- what a recorded decision shows and rebuilds ----------------------------------


def test_status_shows_a_recorded_decision(make_tree: Maker) -> None:
    make_tree()
    assert invoke("decision", "record", "bergen", "forpliktelse", "--date", "2023-03-22", "--body", "Bystyret")[0] == 0
    code, out, _ = invoke("status")
    assert code == 0
    row = next(line for line in out.splitlines() if "Bergen" in line)
    assert [cell.strip() for cell in row.split("│")[4:7]] == ["forpliktelse", "22.03.2023", "Bystyret"]
    # Bergen holds 291 940 of the 1 511 118 inhabitants of the test register outside Midt-Norge
    assert "Dekning: 19,3\u00a0% (291\u00a0940 av 1\u00a0511\u00a0118 innbyggere)" in out


def test_a_recorded_decision_rebuilds_exactly_the_documents_it_affects(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    bases = build("decision-basis", "--all", "-f", "md")
    agreements = build("agreement", "--all", "-f", "md")
    assert len([p for p in bases if p.suffix == ".md"]) == 9 and agreements
    assert build("decision-basis", "--all", "-f", "md") == []
    # decided before the decision basis's date (15 November 2022), so it shows in it
    code, _, _ = invoke("decision", "record", "bergen", "forpliktelse", "--date", "2022-11-01", "--body", "Bystyret")
    assert code == 0
    rebuilt = build("decision-basis", "--all", "-f", "md")
    # everyone's coverage moves, and each now shows the decisions in a chart
    charts = {p.with_name("decision-basis-tilslutning.png") for p in bases if p.suffix == ".md"}
    assert set(bases) < set(rebuilt) and set(rebuilt) - set(bases) == charts
    assert build("agreement", "--all", "-f", "md") == []  # no figures in the agreement
    text = (workdir / "build" / "bergen" / "decision-basis.md").read_text(encoding="utf-8")
    # of 1 January 2022, before the document's date: Bergen's 286 930 of 1 477 080 inhabitants
    assert "Så langt har kommuner med 19,4\u00a0% av innbyggerne forpliktet seg" in text
    assert "Bergen kommune har 19,4\u00a0% av innbyggerne og har forpliktet seg." in text
    # a dry run and an unchanged decision leave the file, and so the documents, alone
    args = ["decision", "record", "bergen", "forpliktelse", "--date", "2022-11-01", "--body", "Bystyret"]
    assert invoke(*args)[0] == 0
    assert (
        invoke("decision", "record", "vinje", "nei", "--date", "2023-03-22", "--body", "Bystyret", "--dry-run")[0] == 0
    )
    assert build("decision-basis", "--all", "-f", "md") == []


def test_a_document_shows_the_decisions_made_by_its_own_date(make_tree: Maker, workdir: Path) -> None:
    """Bergen commits on 22 March 2023: the decision basis of 15 November 2022 and its saksframlegg do not
    know it yet; the same documents dated 1 April 2023 do. `fkj status` shows today's state either way."""
    make_tree()
    code, _, _ = invoke("decision", "record", "bergen", "forpliktelse", "--date", "2023-03-22", "--body", "Bystyret")
    assert code == 0
    build("decision-basis", "-k", "bergen", "-k", "vinje", "-f", "md")
    build("saksframlegg", "-k", "bergen", "-f", "md")
    out = workdir / "build"
    basis = (out / "bergen" / "decision-basis.md").read_text(encoding="utf-8")
    # no decision by its date: no chart of the decisions, and the text says none has committed
    assert "Per 15. november 2022 har ingen kommuner forpliktet seg." in basis and "Forpliktet: " not in basis
    assert "forpliktet seg" not in basis.split("Bergen kommune har", 1)[1].split("\n", 1)[0]
    assert "Forplikta: " not in (out / "vinje" / "decision-basis.md").read_text(encoding="utf-8")
    draft = (out / "bergen" / "saksframlegg.md").read_text(encoding="utf-8")
    # the decision of 22 March 2023 is not in a draft of 15 November 2022: nobody has committed by its date
    assert "Per 15. november 2022 har ingen kommuner forpliktet seg." in draft
    assert "det vil si 19,4\u00a0% av innbyggerne" in draft  # 286 930 of 1 477 080 (1 January 2022)

    def later(text: str) -> str:
        return text.replace("date: 2022-11-15", "date: 2023-04-01", 1)

    make_tree({"decision-basis.yaml": later, "saksframlegg.yaml": later})
    assert invoke("decision", "record", "bergen", "forpliktelse", "--date", "2023-03-22", "--body", "Bystyret")[0] == 0
    build("decision-basis", "-k", "bergen", "-f", "md")
    build("saksframlegg", "-k", "bergen", "-f", "md")
    basis = (out / "bergen" / "decision-basis.md").read_text(encoding="utf-8")
    # of 1 January 2023: Bergen's 289 330 of 1 493 697 inhabitants
    assert "Forpliktet: 19,4\u00a0%" in basis
    assert "Bergen kommune har 19,4\u00a0% av innbyggerne og har forpliktet seg." in basis
    assert "| Innbyggere per 1. januar 2023 | 289\u00a0330 |" in basis
    draft = (out / "bergen" / "saksframlegg.md").read_text(encoding="utf-8")
    assert "går dekningen fra" not in draft and "19,4\u00a0%" in draft
    code, status, _ = invoke("status")
    assert "Dekning: 19,3\u00a0% (291\u00a0940 av 1\u00a0511\u00a0118 innbyggere)" in status


def test_the_cli_starts_without_the_decision_modules() -> None:
    """openpyxl and the decisions module load only when a decision command runs."""
    code = (
        "import sys, fkj_cli.cli\n"
        "from typer.testing import CliRunner\n"
        "for args in (['--help'], ['decision', '--help'], ['decision', 'import', '--help']):\n"
        "    assert CliRunner().invoke(fkj_cli.cli.app, args).exit_code == 0\n"
        "print([m for m in ('openpyxl', 'fkj_cli.decisions', 'ruamel') if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# --- what cannot be a decision yet --------------------------------------------


def test_a_decision_in_the_excluded_region_or_after_today_is_refused(make_tree: Maker, workdir: Path) -> None:
    root = make_tree({"commitments.yaml": COMMENTED})
    before = (root / "commitments.yaml").read_bytes()
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    code, out, err = invoke(
        "decision", "record", "trondheim", "forpliktelse", "--date", tomorrow.isoformat(), "--body", "Bystyret"
    )
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "error: KOMMUNE: Trondheim is in helseregion Midt-Norge, which the condition leaves out: "
        "it has no decision on the decision basis to record",
        f"error: --date: {tomorrow:%d.%m.%Y} is after today ({dt.date.today():%d.%m.%Y}); "
        "record a decision once it is made",
    ]
    sheet = write_csv(
        workdir / "vedtak.csv",
        [
            ["Kommune", "Status", "Dato", "Organ"],
            ["Trondheim", "forpliktelse", "2023-03-22", "Bystyret"],
            ["Bergen", "forpliktelse", f"{tomorrow:%d.%m.%Y}", "Bystyret"],
            ["Vinje", "opsjon", "2023-03-13", "Kommunestyret"],
        ],
    )
    code, out, err = invoke("decision", "import", sheet)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "vedtak.csv:2: Kommune: Trondheim is in helseregion Midt-Norge, which the condition leaves out: "
        "it has no decision on the decision basis to record",
        f"vedtak.csv:3: Dato: {tomorrow:%d.%m.%Y} is after today ({dt.date.today():%d.%m.%Y}); "
        "record a decision once it is made",
        "✗ 2 problems in vedtak.csv; nothing written",
    ]
    assert (root / "commitments.yaml").read_bytes() == before


def test_a_decision_of_the_excluded_region_written_by_hand_fails_validation(make_tree: Maker) -> None:
    make_tree({"commitments.yaml": COMMENTED.replace("  bodo:\n", "  trondheim:\n")})
    code, _, err = invoke("validate")
    assert code == 1
    assert (
        "content/commitments.yaml:12:3: commitments.trondheim: Trondheim is in helseregion Midt-Norge, which the "
        "condition leaves out: it has no decision on the decision basis to record"
    ) in err


def test_a_sheet_of_every_municipality_skips_the_excluded_region_where_it_gives_no_decision(
    make_tree: Maker, workdir: Path
) -> None:
    root = make_tree()
    sheet = write_csv(
        workdir / "vedtak.csv",
        [
            ["Kommune", "Status", "Dato", "Organ"],
            ["Trondheim", "", "", ""],
            ["Vinje", "opsjon", "2023-03-13", "Kommunestyret"],
            ["Trondheim", "ubehandlet", "", ""],
        ],
    )
    code, out, err = invoke("decision", "import", sheet)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "new: vinje opsjon 13.03.2023 (Kommunestyret)",
        "skipped: row 2: Trondheim, row 4: Trondheim (in helseregion Midt-Norge, which the condition leaves out)",
        "✓ wrote content/commitments.yaml: 1 new, 0 changed, 0 unchanged",
    ]
    assert "trondheim" not in (root / "commitments.yaml").read_text(encoding="utf-8")
