"""Each validation rule, with its exact message and the line it points at."""

from __future__ import annotations

from pathlib import Path

import pytest

from fkj_cli.errors import ContentError

from .conftest import line_of, replace
from .helpers import Maker, load_content

QUOTED_184 = '"184"'


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentError) as exc:
        load_content(root)
    return [str(p) for p in exc.value.problems]


def test_shipped_content_is_valid(make_tree: Maker) -> None:
    content = load_content(make_tree())
    assert len(content.register.kommuner) >= 10
    assert content.program.funding.total.nok == 194_400_000


def test_unknown_key_with_hint(make_tree: Maker) -> None:
    vinje = "    population: {2021-01-01: 3756"
    root = make_tree({"kommuner.yaml": replace(vinje, vinje.replace("population", "populaton"))})
    line = line_of(root / "kommuner.yaml", "populaton:")
    parent = line_of(root / "kommuner.yaml", "  vinje:")
    assert problems(root) == [
        f"content/kommuner.yaml:{parent}:3: kommuner.vinje.population: required key is missing",
        f"content/kommuner.yaml:{line}:5: kommuner.vinje.populaton: "
        "unknown key 'populaton'; did you mean 'population'?",
    ]


def test_missing_key_points_at_its_parent(make_tree: Maker) -> None:
    root = make_tree({"program.yaml": replace("short_name: FKJ\n", "")})
    assert problems(root) == ["content/program.yaml:1:1: short_name: required key is missing"]


def test_wrong_type(make_tree: Maker) -> None:
    root = make_tree({"kommuner.yaml": replace("2024-01-01: 3851}", "2024-01-01: mange}")})
    line = line_of(root / "kommuner.yaml", "2024-01-01: mange")
    assert problems(root) == [
        f"content/kommuner.yaml:{line}:84: kommuner.vinje.population.2024-01-01: must be a whole number, not 'mange'"
    ]
    root = make_tree({"kommuner.yaml": replace("2024-01-01: 3851}", "2024-13-01: 3851}")})
    assert problems(root) == [
        f"content/kommuner.yaml:{line}:72: kommuner.vinje.population: "
        "invalid value '2024-13-01': month must be in 1..12"
    ]


def test_range(make_tree: Maker) -> None:
    root = make_tree({"program.yaml": replace("threshold: 0.55", "threshold: 55")})
    line = line_of(root / "program.yaml", "threshold: 55")
    assert problems(root) == [f"content/program.yaml:{line}:14: commitment.threshold: must be at most 1, not 55"]


def test_kommunenummer_rules(make_tree: Maker) -> None:
    root = make_tree(
        {
            "kommuner.yaml": lambda t: (
                t.replace('number: "4036"', "number: 4036")
                .replace('number: "4601"', 'number: "9901"')
                .replace('number: "1804"', 'number: "184"')
            )
        }
    )
    path = root / "kommuner.yaml"
    assert problems(root) == sorted(
        [
            f"content/kommuner.yaml:{line_of(path, 'number: 4036')}:13: kommuner.vinje.number: "
            'write the kommunenummer as a quoted string, like "4036"',
            f"content/kommuner.yaml:{line_of(path, '9901')}:13: kommuner.bergen.number: "
            "9901 does not start with a county number "
            "(03, 11, 15, 18, 30, 31, 32, 33, 34, 38, 39, 40, 42, 46, 50, 54, 55, 56)",
            f"content/kommuner.yaml:{line_of(path, QUOTED_184)}:13: kommuner.bodo.number: "
            "a kommunenummer is four digits, not '184'",
        ]
    )


def test_county_must_match_number(make_tree: Maker) -> None:
    root = make_tree({"kommuner.yaml": replace("county: Telemark", "county: Vestfold")})
    line = line_of(root / "kommuner.yaml", "county: Vestfold")
    assert problems(root) == [
        f"content/kommuner.yaml:{line}:13: kommuner.vinje.county: "
        "county 'Vestfold' does not match kommunenummer 4036 (Telemark)"
    ]


def test_duplicate_kommunenummer(make_tree: Maker) -> None:
    root = make_tree({"kommuner.yaml": replace('number: "4036"', 'number: "4601"')})
    text = (root / "kommuner.yaml").read_text(encoding="utf-8")
    # entries are in kommunenummer order: Vinje (4036) comes first, so Bergen's is the duplicate
    first = line_of(root / "kommuner.yaml", '"4601"')
    second = first + 1 + text.splitlines()[first:].index('    number: "4601"')
    vinje_county = line_of(root / "kommuner.yaml", "county: Telemark")
    assert problems(root) == [
        f"content/kommuner.yaml:{vinje_county}:13: kommuner.vinje.county: "
        "county 'Telemark' does not match kommunenummer 4601 (Vestland)",
        f"content/kommuner.yaml:{second}:13: kommuner.bergen.number: kommunenummer 4601 is also vinje's",
    ]


def test_malform_choices(make_tree: Maker) -> None:
    root = make_tree({"kommuner.yaml": replace("malform: nn", "malform: nynorsk")})
    line = line_of(root / "kommuner.yaml", "malform: nynorsk")
    assert problems(root) == [
        f"content/kommuner.yaml:{line}:14: kommuner.vinje.malform: "
        "must be one of 'nb', 'nn' or 'neutral', not 'nynorsk'"
    ]


def test_amount_needs_a_unit(make_tree: Maker) -> None:
    root = make_tree({"program.yaml": replace('amount: "103 MNOK"', "amount: 103")})
    line = line_of(root / "program.yaml", "amount: 103")
    col = (root / "program.yaml").read_text(encoding="utf-8").splitlines()[line - 1].index("103") + 1
    assert problems(root) == [
        f"content/program.yaml:{line}:{col}: funding.years[0].amount: "
        "an amount needs its unit: write '103 MNOK' or '103 NOK'"
    ]


def test_amount_unit_must_be_known(make_tree: Maker) -> None:
    root = make_tree({"program.yaml": replace('amount: "103 MNOK"', 'amount: "103 MEUR"')})
    found = problems(root)
    assert len(found) == 1
    assert found[0].endswith("funding.years[0].amount: unknown unit 'MEUR' in '103 MEUR'; use one of NOK, MNOK")


def test_total_must_be_the_sum(make_tree: Maker) -> None:
    root = make_tree({"program.yaml": replace('total: "194,4 MNOK"', 'total: "195 MNOK"')})
    line = line_of(root / "program.yaml", 'total: "195 MNOK"')
    assert problems(root) == [
        f"content/program.yaml:{line}:3: funding.total: "
        "total 195 MNOK is not the sum of the years: 103 MNOK + 91.4 MNOK = 194.4 MNOK"
    ]


def test_milestones_in_date_order(make_tree: Maker) -> None:
    root = make_tree({"program.yaml": replace('date: "2022-09"', 'date: "2022-05"')})
    line = line_of(root / "program.yaml", 'date: "2022-05"')
    found = problems(root)
    assert len(found) == 1
    assert found[0].startswith(f"content/program.yaml:{line}:")
    assert "milestones[1].date: milestones must be in date order: " in found[0]
    assert "(2022-05) comes before" in found[0] and "(2022-06-30)" in found[0]


def test_dates_are_dates(make_tree: Maker) -> None:
    root = make_tree({"decision-basis.yaml": replace("date: 2022-11-15", "date: 15.11.2022")})
    line = line_of(root / "decision-basis.yaml", "date: 15.11.2022")
    assert problems(root) == [
        f"content/decision-basis.yaml:{line}:7: date: must be a date written like 2022-06-30, not '15.11.2022'"
    ]


def test_month_dates(make_tree: Maker) -> None:
    root = make_tree({"program.yaml": replace('date: "2022-09"', 'date: "september 2022"')})
    found = problems(root)
    assert len(found) == 1
    assert found[0].endswith(
        "milestones[1].date: a date is written 2022-06-30, or 2022-09 for a month; not 'september 2022'"
    )


def test_references_resolve(make_tree: Maker) -> None:
    root = make_tree(
        {
            "decision-basis.yaml": replace("- kvalitetssikret", "- kvalitetsikret"),
            "program.yaml": replace("represents: stavanger", "represents: stavangr"),
        }
    )
    found = problems(root)
    assert len(found) == 2
    assert any(f.endswith(": unknown milestone 'kvalitetsikret'; did you mean 'kvalitetssikret'?") for f in found)
    assert any(f.endswith(": unknown organisation or kommune 'stavangr'; did you mean 'stavanger'?") for f in found)


def test_text_reference_error_names_file_line_and_key(make_tree: Maker) -> None:
    root = make_tree(
        {"decision-basis.yaml": replace("{{ program.funding.total | money }}", "{{ program.fundng.total | money }}")}
    )
    line = line_of(root / "decision-basis.yaml", "program.fundng")
    found = problems(root)
    assert len(found) == 1
    assert found[0].startswith(f"content/decision-basis.yaml:{line}:")
    assert found[0].endswith(": Program has no 'fundng'; did you mean 'funding'?")


def test_every_problem_across_files_at_once(make_tree: Maker) -> None:
    root = make_tree(
        {
            "kommuner.yaml": replace("malform: nn", "malform: nynorsk"),
            "program.yaml": replace("short_name: FKJ", "shortname: FKJ"),
            "decision-basis.yaml": replace("\nversion:", "\nversjon:"),
        }
    )
    found = problems(root)
    files = sorted({f.split(":")[0] for f in found})
    assert files == ["content/decision-basis.yaml", "content/kommuner.yaml", "content/program.yaml"]
    assert len(found) == 5  # malform; short_name missing + shortname unknown; version likewise


def test_unknown_and_missing_files(make_tree: Maker) -> None:
    root = make_tree({"kommuner.yaml": None, "kommune.yaml": "a: 1\n"})
    found = problems(root)
    from fkj_cli.content.load import BASE_FILES
    from fkj_cli.documents import document_types

    read = ", ".join(dict.fromkeys([*BASE_FILES, *(d.content_file for d in document_types())]))
    assert read.startswith("program.yaml, kommuner.yaml, economics.yaml, commitments.yaml, decision-basis.yaml")
    assert found == [
        f"content/kommune.yaml:1:1: unknown content file; did you mean 'kommuner.yaml'? (fkj reads {read})",
        "content/kommuner.yaml:1:1: required content file is missing",
    ]


def test_file_level_problems_are_collected_with_the_rest(make_tree: Maker) -> None:
    root = make_tree({"program.yaml": "name: A\nname: B\n", "decision-basis.yaml": ""})
    assert problems(root) == [
        "content/decision-basis.yaml:1:1: the file is empty",
        "content/program.yaml:2:1: name: duplicate key 'name' (first defined at line 1)",
    ]
