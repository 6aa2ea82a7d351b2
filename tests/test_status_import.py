"""`fkj status`, `fkj economics` and `fkj kommuner import` on real data."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from fkj_cli.errors import ContentError
from fkj_cli.participation import compute, condition

from .conftest import line_of, replace, use_full_register
from .helpers import SAMPLE_EARLIER, SAMPLE_IMPORT, SAMPLE_REGISTER, Maker, load_content, run_fkj

COMMITTED = """\
commitments:
  oslo: {status: forpliktelse, date: 2023-03-22, body: Bystyret}
  bergen: {status: forpliktelse, date: 2023-03-20, body: Bystyret}
  stavanger: {status: opsjon, date: 2023-03-13, body: Kommunestyret}
  vinje: {status: nei, date: 2023-03-30, body: Kommunestyret}
"""


def test_import_of_the_sample_register_keeps_editors_keys_and_reports_changes(make_tree: Maker) -> None:
    """The same on the sample register: its 42 municipalities hold the shipped 10."""
    # Vinje's count of 2024 changed by hand: the import corrects it
    vinje = "population: {2021-01-01: 3756, 2022-01-01: 3755, 2023-01-01: 3832, 2024-01-01: 3851}"
    root = make_tree({"kommuner.yaml": replace(vinje, vinje.replace("3851", "3700"))})
    result = run_fkj("kommuner", "import", *SAMPLE_IMPORT)
    assert result.exit_code == 0, result.stderr
    assert "42 kommuner" in result.stdout
    assert "  new: 32" in result.stdout
    assert "  population: vinje 3700 → 3851" in result.stdout
    text = (root / "kommuner.yaml").read_text(encoding="utf-8")
    assert f"    {vinje}\n" in text
    # a new municipality gets its counts of 2021–2023 by the number it had then (Tromsø: 5401, now 5501)
    assert "population: {2021-01-01: 77095, 2022-01-01: 77544, 2023-01-01: 77992, 2024-01-01: 78745}" in text
    data = yaml.safe_load(text)
    assert data["kommuner"]["vinje"]["role"] == "collaboration"
    assert data["kommuner"]["vinje"]["org_number"] == "964964610"
    assert data["kommuner"]["nord-fron"]["number"] == "3436"
    # two municipalities named Herøy: the second to come gets its number in its slug
    assert (data["kommuner"]["heroy"]["number"], data["kommuner"]["heroy-1818"]["number"]) == ("1515", "1818")
    assert text.startswith(
        "# yaml-language-server: $schema=../schemas/kommuner.schema.json\n# The register the tests build from"
    )
    # an editor's note inside an entry stays where it was
    assert (
        "    # Bærum's memo of 20.09.2021 names Oslo among the collaboration municipalities;\n"
        "    # the program's sources of 2022 have it in dialogue.\n    earlier_roles:\n"
    ) in text
    assert run_fkj("fmt", "--check", "content/kommuner.yaml").exit_code == 0  # written formatted
    content = load_content(root)
    assert len(content.register.kommuner) == 42

    # imported again without the populations by date: those of 2021–2023 are kept
    assert run_fkj("kommuner", "import", SAMPLE_REGISTER, SAMPLE_EARLIER).exit_code == 0
    assert (root / "kommuner.yaml").read_text(encoding="utf-8") == text


def test_an_import_that_leaves_the_populations_of_a_date_incomplete_writes_nothing(make_tree: Maker) -> None:
    """The ten have counts of 2021–2023; of the 32 new ones only the latest register's would be there."""
    root = make_tree()
    before = (root / "kommuner.yaml").read_text(encoding="utf-8")
    result = run_fkj("kommuner", "import", SAMPLE_REGISTER, SAMPLE_EARLIER)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"error: the register imported from {SAMPLE_REGISTER}, {SAMPLE_EARLIER} is not consistent:\n"
        "  kommuner.sandnes.population: no population of 2021-01-01, which the other municipalities have: "
        "give it, or remove that date from all\n"
    ), result.stderr
    assert (root / "kommuner.yaml").read_text(encoding="utf-8") == before


def test_populations_of_a_number_nobody_had_are_refused(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    before = (root / "kommuner.yaml").read_text(encoding="utf-8")
    (workdir / "counts.json").write_text(
        '[{"number": "9999", "name": "Nowhere", "population": {"2022-01-01": 10}}]', encoding="utf-8"
    )
    result = run_fkj("kommuner", "import", SAMPLE_REGISTER, SAMPLE_EARLIER, "counts.json")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: counts.json: no municipality had the number 9999 (2022-01-01) on that date; "
        "import the earlier structure's register with it\n",
    )
    assert (root / "kommuner.yaml").read_text(encoding="utf-8") == before


def test_condition_on_the_full_register(make_tree: Maker) -> None:
    root = make_tree({"commitments.yaml": COMMITTED})
    use_full_register(root)
    c = condition(load_content(root))
    assert c.total_population == 4_796_623
    assert c.committed_population == 717_710 + 291_940
    # ceil(0,55 × 4 796 623) = 2 638 143 needed
    assert c.gap == 2_638_143 - 1_009_650
    result = run_fkj("status")
    assert result.exit_code == 0
    assert "Dekning: 21,0\u00a0% (1\u00a0009\u00a0650 av 4\u00a0796\u00a0623 innbyggere)" in result.stdout


def test_condition_on_the_sample_register(make_tree: Maker) -> None:
    """The same on the sample register: 2 189 675 inhabitants in its 30 municipalities outside Midt-Norge."""
    root = make_tree({"commitments.yaml": COMMITTED})
    assert run_fkj("kommuner", "import", *SAMPLE_IMPORT).exit_code == 0
    c = condition(load_content(root))
    assert c.total_population == 2_189_675
    assert c.committed_population == 717_710 + 291_940
    # ceil(0,55 × 2 189 675) = ceil(1 204 321,25) = 1 204 322 needed
    assert c.gap == 1_204_322 - 1_009_650
    result = run_fkj("status")
    assert result.exit_code == 0
    # 1 009 650 / 2 189 675 = 46,1 %
    assert "Dekning: 46,1\u00a0% (1\u00a0009\u00a0650 av 2\u00a0189\u00a0675 innbyggere)" in result.stdout


def test_status_table(make_tree: Maker) -> None:
    make_tree({"commitments.yaml": COMMITTED})
    result = run_fkj("status")
    assert result.exit_code == 0
    assert "forpliktelse" in result.stdout and "opsjon" in result.stdout and "22.03.2023" in result.stdout
    # Oslo and Bergen hold 1 009 650 of the 1 511 118 inhabitants in the shipped register: 66,8 %
    assert (
        "Dekning: 66,8\u00a0% (1\u00a0009\u00a0650 av 1\u00a0511\u00a0118 innbyggere), vilkår 55\u00a0%: oppfylt"
        in result.stdout
    )


def test_economics_for_one_kommune(make_tree: Maker) -> None:
    root = make_tree()
    result = run_fkj("economics", "-k", "Vinje")
    assert result.exit_code == 0
    assert "Vinje kommune" in result.stdout and "Netto nåverdi" in result.stdout
    figures = compute(load_content(root)).kommune("vinje")
    assert {f.scenario for f in figures} == {"alle", "terskel", "samarbeidskommunene"}
    everyone = {f.model: f for f in figures if f.scenario == "alle"}
    assert everyone["per-innbygger"].annual is not None
    assert everyone["per-innbygger"].annual < everyone["fast-og-variabel"].annual  # type: ignore[operator]


def test_bad_economics_file(make_tree: Maker) -> None:
    root = make_tree(
        {
            "economics.yaml": lambda t: (
                t.replace('amount: "300 MNOK"}', 'amount: "-300 MNOK"}', 1)
                .replace("municipalities: [bergen,", "municipalities: [bergn,")
                .replace("fixed_share: 0.3", "fixed_share: 1.3")
            )
        }
    )
    path = root / "economics.yaml"
    with pytest.raises(ContentError) as exc:
        load_content(root)
    neg = line_of(path, "-300 MNOK")
    col = path.read_text(encoding="utf-8").splitlines()[neg - 1].index('"-300') + 1
    share = line_of(path, "fixed_share: 1.3")
    assert [str(p) for p in exc.value.problems] == [
        f"content/economics.yaml:{neg}:{col}: costs[0].amount: an amount here cannot be negative, not -300 MNOK",
        f"content/economics.yaml:{share}:18: price_models.fast-og-variabel.fixed_share: must be at most 1, not 1.3",
    ]
    # the scenario's reference is checked once the file passes its model
    root = make_tree({"economics.yaml": replace("municipalities: [bergen,", "municipalities: [bergn,")})
    with pytest.raises(ContentError) as exc:
        load_content(root)
    line = line_of(root / "economics.yaml", "bergn")
    assert [str(p) for p in exc.value.problems] == [
        f"content/economics.yaml:{line}:22: scenarios.samarbeidskommunene.municipalities[0]: "
        "unknown kommune 'bergn'; did you mean 'bergen'?"
    ]


def test_unknown_register_file(workdir: Path) -> None:
    (workdir / "content").mkdir()
    result = run_fkj("kommuner", "import", "nope.json")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: nope.json: cannot read the register:")


def test_an_unreadable_register_file_is_named_with_what_is_wrong(workdir: Path) -> None:
    (workdir / "content").mkdir()
    result = run_fkj("kommuner", "import", "nope.json")
    assert result.stderr == "error: nope.json: cannot read the register: no such file\n"
    (workdir / "bad.json").write_text('[\n  {"kommunenummer": }\n]\n', encoding="utf-8")
    result = run_fkj("kommuner", "import", "bad.json")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: bad.json:2:21: cannot read the register: Expecting value\n",
    )
