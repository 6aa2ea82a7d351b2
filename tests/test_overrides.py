"""A kommune's override of a document: merged, validated, shown, with errors in the override file."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from fkj_cli.errors import ContentError

from .conftest import line_of
from .helpers import Maker, load_content, run_fkj

BERGEN = """\
# Bergen treats the case as a byrådssak.
status: Til behandling i byrådet
resolution:
  lead: Byrådet i {{ kommune.name }} legger saken fram for bystyret med denne innstillingen.
"""


def test_override_is_merged_for_its_kommune_only(make_tree: Maker, workdir: Path) -> None:
    root = make_tree({"overrides/bergen/decision-basis.yaml": BERGEN})
    content = load_content(root)
    bergen = content.document("decision-basis", "bergen")
    shared = content.document("decision-basis")
    assert bergen.status.nb == "Til behandling i byrådet"
    assert bergen.resolution.points == shared.resolution.points  # merged, not replaced
    assert content.document("decision-basis", "stavanger") is shared

    for kommune in ("bergen", "stavanger"):
        result = run_fkj("build", "decision-basis", "-k", kommune, "-f", "docx")
        assert result.exit_code == 0, result.stderr
    bergen_text = "\n".join(p.text for p in docx.Document(str(workdir / "build/bergen/decision-basis.docx")).paragraphs)
    other = "\n".join(p.text for p in docx.Document(str(workdir / "build/stavanger/decision-basis.docx")).paragraphs)
    assert "Byrådet i Bergen legger saken fram for bystyret" in bergen_text
    assert "Byrådet i" not in other


def test_errors_point_into_the_override_file(make_tree: Maker) -> None:
    bad = BERGEN.replace("status:", "statuss:") + "date: 15.11.2022\nmilestones: [mandat-klar]\n"
    root = make_tree({"overrides/bergen/decision-basis.yaml": bad})
    path = root / "overrides/bergen/decision-basis.yaml"
    with pytest.raises(ContentError) as exc:
        load_content(root)
    assert [str(p) for p in exc.value.problems] == [
        f"content/overrides/bergen/decision-basis.yaml:{line_of(path, 'statuss')}:1: statuss: "
        "unknown key 'statuss'; did you mean 'status'?",
        f"content/overrides/bergen/decision-basis.yaml:{line_of(path, 'date:')}:7: date: "
        "must be a date written like 2022-06-30, not '15.11.2022'",
    ]


def test_reference_errors_in_an_override(make_tree: Maker) -> None:
    root = make_tree({"overrides/bergen/decision-basis.yaml": "milestones: [mandat-klar]\n"})
    with pytest.raises(ContentError) as exc:
        load_content(root)
    assert [str(p) for p in exc.value.problems] == [
        "content/overrides/bergen/decision-basis.yaml:1:14: milestones[0]: "
        "unknown milestone 'mandat-klar'; did you mean 'mandat-klart'?"
    ]


def test_text_errors_in_an_override(make_tree: Maker) -> None:
    root = make_tree({"overrides/bergen/decision-basis.yaml": "status: Til {{ kommune.nam }}\n"})
    with pytest.raises(ContentError) as exc:
        load_content(root)
    assert [str(p) for p in exc.value.problems] == [
        "content/overrides/bergen/decision-basis.yaml:1:1: status: Kommune has no 'nam'; did you mean 'name'?"
    ]


def test_override_folder_and_file_names_are_checked(make_tree: Maker) -> None:
    from fkj_cli.documents import document_types

    root = make_tree(
        {
            "overrides/bergn/decision-basis.yaml": "status: x\n",
            "overrides/bergen/decision_basis.yaml": "status: x\n",
        }
    )
    with pytest.raises(ContentError) as exc:
        load_content(root)
    per_kommune = ", ".join(d.content_file for d in document_types() if d.scope == "kommune")
    assert [str(p) for p in exc.value.problems] == [
        "content/overrides/bergen/decision_basis.yaml:1:1: not a per-kommune document file; "
        f"did you mean 'decision-basis.yaml'? (overrides are for {per_kommune})",
        "content/overrides/bergn/decision-basis.yaml:1:1: unknown kommune 'bergn' in the override's folder; "
        "did you mean 'bergen'?",
    ]


def test_show_prints_the_merged_content(make_tree: Maker) -> None:
    make_tree({"overrides/bergen/decision-basis.yaml": BERGEN})
    result = run_fkj("show", "decision-basis", "-k", "Bergen")
    assert result.exit_code == 0
    assert "status: Til behandling i byrådet\n" in result.stdout
    assert "issuer: fkji\n" in result.stdout
    shared = run_fkj("show", "decision-basis")
    assert "status: Til behandling i byrådet" not in shared.stdout


def test_list_overrides(make_tree: Maker) -> None:
    make_tree()
    result = run_fkj("list", "overrides")
    assert result.exit_code == 0 and result.stdout.startswith("No overrides")
    make_tree({"overrides/bergen/decision-basis.yaml": BERGEN})
    result = run_fkj("list", "overrides", "--content", "content")
    assert result.exit_code == 0
    assert "Bergen" in result.stdout and "resolution.lead" in result.stdout and "status" in result.stdout
