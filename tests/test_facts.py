"""Facts true on their document's date, with their sources, and nothing the sources do not give."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx

from .conftest import SHIPPED, line_of, replace
from .helpers import FIXTURES, SAMPLE_IMPORT, Maker, build, invoke, shared_dir

EARLIER_SAMPLE = FIXTURES / "kommuner-2020-2023-sample.json"
SEED_003 = FIXTURES / "seed-003-baerum-notat.txt"


def _import_both(root: Path) -> None:
    code, out, err = invoke("kommuner", "import", *SAMPLE_IMPORT, "--content", root)
    assert code == 0, out + err


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


# ---------------------------------------------------------------- the register by date


def test_import_keeps_the_earlier_structure_and_its_organisation_numbers(make_tree: Maker) -> None:
    root = make_tree()
    _import_both(root)
    import yaml

    kommuner = yaml.safe_load((root / "kommuner.yaml").read_text(encoding="utf-8"))["kommuner"]
    assert kommuner["baerum"]["number"] == "3201"
    assert kommuner["baerum"]["earlier"] == [
        {"until": __import__("datetime").date(2023, 12, 31), "number": "3024", "county": "Viken"}
    ]
    assert kommuner["haram"]["established"] == __import__("datetime").date(2024, 1, 1)
    assert "earlier" not in kommuner["bergen"]  # the same number and county in both structures
    earlier = {e["kommunenummer_2024"]: e for e in json.loads(EARLIER_SAMPLE.read_text(encoding="utf-8"))}
    for slug, k in kommuner.items():
        if k["number"] in earlier:
            assert k["org_number"] == earlier[k["number"]]["org_number"], slug
    assert invoke("validate", "--content", root)[0] == 0


def test_a_document_shows_the_number_and_county_of_its_date(make_tree: Maker) -> None:
    root = make_tree()
    _import_both(root)
    (root / "overrides" / "vinje").mkdir(parents=True)
    (root / "overrides" / "vinje" / "decision-basis.yaml").write_text("date: 2024-03-01\n", encoding="utf-8")
    build("decision-basis", "-k", "baerum", "-k", "vinje", "-f", "md", "--content", root, out=Path("out"))
    baerum = Path("out/baerum/decision-basis.md").read_text(encoding="utf-8")  # dated 15.11.2022
    assert "| Kommunenummer | 3024 |" in baerum and "| Fylke | Viken |" in baerum
    assert "3201" not in baerum and "Akershus" not in baerum
    vinje = Path("out/vinje/decision-basis.md").read_text(encoding="utf-8")  # dated 2024 by its override
    assert "| Kommunenummer | 4036 |" in vinje and "| Fylke | Telemark |" in vinje
    build("agreement", "-k", "baerum", "-f", "md", "--content", root, out=Path("out"))
    agreement = Path("out/baerum/agreement.md").read_text(encoding="utf-8")  # 20.09.2021
    assert "Bærum kommune (kommunenummer 3024) | 935\u00a0478\u00a0715 |" in agreement


def test_every_shipped_organisation_number_is_the_registers() -> None:
    import yaml

    shipped = yaml.safe_load((SHIPPED / "kommuner.yaml").read_text(encoding="utf-8"))["kommuner"]
    full = shared_dir() / "data" / "kommuner-2020-2023.json"
    register = full if full.is_file() else EARLIER_SAMPLE
    by_number = {e["kommunenummer_2024"]: e["org_number"] for e in json.loads(register.read_text(encoding="utf-8"))}
    checked = 0
    for slug, k in shipped.items():
        if k["number"] in by_number:
            assert k.get("org_number") == by_number[k["number"]], slug
            checked += 1
    assert checked >= (356 if register == full else 10)
    # the four the program once had wrong
    assert shipped["ringsaker"]["org_number"] == "864950582"
    assert shipped["vinje"]["org_number"] == "964964610"
    assert shipped["kristiansand"]["org_number"] == "820852982"
    assert shipped["hammerfest"]["org_number"] == "921770669"


# ---------------------------------------------------------------- the memo is the seed's


def _seed_passages() -> tuple[str, list[str], list[str]]:
    text = SEED_003.read_text(encoding="utf-8")
    municipalities = re.search(r"Bærum er samarbeidskommune sammen med kommunene ([^.]+)\.", text)
    assert municipalities is not None
    purpose = re.findall(
        r"^- (.+)$", text.split("Formålet med avtalen er å:")[1].split("Som samarbeidskommune")[0], re.M
    )
    obligations = re.findall(r"^- (.+)$", text.split("forplikter Bærum seg til:")[1].split("Vedlegg")[0], re.M)
    return municipalities.group(1), purpose, obligations


def test_the_baerum_memo_says_what_the_archived_memo_says(make_tree: Maker) -> None:
    root = make_tree()
    build("memo", "-k", "baerum", "-f", "md", "--content", root, out=Path("out"))
    memo = Path("out/baerum/memo.md").read_text(encoding="utf-8")
    municipalities, purpose, obligations = _seed_passages()
    assert municipalities.endswith("Vinje og Oslo")
    assert f"Bærum er samarbeidskommune sammen med kommunene {municipalities}." in memo
    assert re.findall(
        r"^- (.+)$", memo.split("Formålet med avtalen er å:")[1].split("Som samarbeidskommune")[0], re.M
    ) == [p.strip() for p in purpose]
    assert re.findall(r"^- (.+)$", memo.split("forplikter Bærum seg til:")[1].split("# Vedlegg")[0], re.M) == [
        o.strip() for o in obligations
    ]
    # nothing the memo does not have: no proposal, assessment, recommendation or cost tables
    for absent in ("Forslag til vedtak", "Vurdering", "anbefales", "Økonomiske konsekvenser", "MNOK", "kr per"):
        assert absent not in memo, absent
    assert memo.rstrip().endswith("1. Avtale mellom Bærum kommune og KS")
    shared_seed = shared_dir() / "seeds" / "003_0ca6d1a2f3ae38e2.txt"
    if shared_seed.is_file():  # the copy in the fixtures is the seed itself
        assert shared_seed.read_text(encoding="utf-8") == SEED_003.read_text(encoding="utf-8")


# ---------------------------------------------------------------- sources


def test_a_fact_without_a_source_is_a_warning_and_strict_makes_it_an_error(make_tree: Maker) -> None:
    root = make_tree({"program.yaml": replace("  nhn:\n    source: fkji-nettside\n", "  nhn:\n")})
    line = line_of(root / "program.yaml", "  nhn:")
    warning = (
        f"content/program.yaml:{line}:3: organisations.nhn: warning: no source: give source: "
        "(an id under sources: in program.yaml), or assumption: true\n"
    )
    code, out, err = invoke("validate")
    assert code == 0
    assert [line for line in err.splitlines(keepends=True) if "program.yaml" in line and "nhn" in line] == [warning]
    assert out.endswith(f"{len(err.splitlines())} warnings (--strict fails on them)\n")
    code, out, err = invoke("validate", "--strict")
    assert code == 1
    assert warning.replace(" warning:", "").rstrip("\n") in err.splitlines()
    # an assumption needs no source
    (root / "program.yaml").write_text(
        (root / "program.yaml").read_text(encoding="utf-8").replace("  nhn:\n", "  nhn:\n    assumption: true\n"),
        encoding="utf-8",
    )
    code, _, err = invoke("validate", "--strict")
    assert "organisations.nhn" not in err


def test_an_unknown_source_is_an_error(make_tree: Maker) -> None:
    make_tree({"program.yaml": replace("  nhn:\n    source: fkji-nettside\n", "  nhn:\n    source: fkji-netside\n")})
    code, _, err = invoke("validate")
    assert code == 1
    assert "organisations.nhn.source: unknown source 'fkji-netside'; did you mean 'fkji-nettside'?" in err


def _sources_listed(markdown: str, heading: str) -> list[str]:
    part = markdown.split(f"# {heading}\n", 1)[1].split("\n# ", 1)[0]
    return re.findall(r"^- (.+)$", part, re.M)


def test_a_document_lists_the_sources_of_the_facts_it_printed(make_tree: Maker) -> None:
    # a source given only to the board, which the decision basis does not print but the governance document does
    root = make_tree(
        {
            "program.yaml": lambda text: (
                text.replace("  styret:\n    source: fkji-nettside\n", "  styret:\n    source: styre-kilde\n").rstrip(
                    "\n"
                )
                + "\n  styre-kilde:\n    reference:\n      nb: Kilden til styret\n      nn: Kjelda til styret\n"
            )
        }
    )
    build("decision-basis", "-k", "bergen", "-f", "md", "--content", root, out=Path("out"))
    build("governance", "-f", "md", "--content", root, out=Path("out"))
    basis = _sources_listed(Path("out/bergen/decision-basis.md").read_text(encoding="utf-8"), "Kilder")
    governance = _sources_listed(Path("out/program/governance.md").read_text(encoding="utf-8"), "13 Kilder")
    # what «forutsetning» and «regneeksempel» mean is said where the document labels tables so, and only there
    marked = (
        "Tall og opplysninger merket «forutsetning» er regneforutsetninger, og tabeller merket «regneeksempel» "
        "er regnet ut fra dem. Ingen av dem er utredede eller vedtatte tall."
    )
    assert marked in Path("out/bergen/decision-basis.md").read_text(encoding="utf-8")
    assert marked not in Path("out/program/governance.md").read_text(encoding="utf-8")
    assert "Kilden til styret" not in basis
    assert "Kilden til styret" in governance
    # what Bergen's decision basis prints: the register's facts, the program's organisations and funding, the
    # letter of intent and the 55 % condition, the steering group's chair, the milestones
    assert sorted(basis) == sorted(
        [
            "Kartverket og Statistisk sentralbyrå (SSB): kommuneinndelingen 2020–2023",
            "Statistisk sentralbyrå (SSB), tabell 07459, folkemengde 1. januar 2022",
            "Nettsiden «Felles kommunal journal» om prosjektet og Felles kommunal journal interim AS (u.å.)",
            "Helse- og omsorgsminister Bent Høie: brev til ordførerne i kommunene utenfor helseregion Midt-Norge, "
            "høsten 2020",
            "Bærum kommune, notat 20.09.2021 til Eierutvalget og Formannskapet (arkivsaksnr. 20/8813)",
            "Nettsidene «Felles styringsgruppe» og «Rollen til KS» (u.å.)",
            "Felles kommunal journal: «Mål for arbeidet i prosjektperioden 2022–2023» (u.å.)",
        ]
    )
    # the governance document names municipalities but prints no population: the register's division is its
    # source, SSB's population table is not
    assert "Kartverket og Statistisk sentralbyrå (SSB): kommuneinndelingen 2020–2023" in governance
    assert not any("tabell 07459" in source for source in governance), governance
    # and in DOCX too, as a heading of its own
    build("decision-basis", "-k", "vinje", "-f", "docx", "--content", root, out=Path("out"))
    assert "Kjelder" in _docx_text(Path("out/vinje/decision-basis.docx"))
