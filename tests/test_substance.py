"""What the program promised its documents would say (issue: the seeds' requirements), read back.

The decision basis's pros and cons of each alternative, in bokmål and nynorsk,
from DOCX and PDF; an argument no source gives is marked as the program's
assessment where it is printed.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pypdf

from .helpers import Maker, build, invoke


def _paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name if p.style else "", p.text) for p in docx.Document(str(path)).paragraphs]


def _pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pypdf.PdfReader(path).pages)


def test_the_decision_basis_weighs_each_alternative(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("decision-basis", "-k", "bergen", "-k", "vinje")
    for slug, heading, economics, alternatives, marks in [
        (
            "bergen",
            "Fordeler og ulemper",
            "Økonomiske konsekvenser",
            ["Forpliktelsesavtale", "Opsjonsavtale", "Stå utenfor"],
            ("Dette taler for:", "Dette taler mot:", "(programmets vurdering)."),
        ),
        (
            "vinje",
            "Fordelar og ulemper",
            "Økonomiske konsekvensar",
            ["Forpliktingsavtale", "Opsjonsavtale", "Stå utanfor"],
            ("Dette talar for:", "Dette talar mot:", "(vurderinga til programmet)."),
        ),
    ]:
        paragraphs = _paragraphs(workdir / "build" / slug / "decision-basis.docx")
        level1 = [t for s, t in paragraphs if s == "Heading 1"]
        # after the alternatives themselves, before the economics
        assert level1.index(heading) == level1.index(economics) - 1
        start = paragraphs.index(("Heading 1", heading))
        part = paragraphs[start : next(i for i in range(start + 1, len(paragraphs)) if paragraphs[i][0] == "Heading 1")]
        assert [t for s, t in part if s == "Heading 2"] == alternatives
        texts = [t for _, t in part]
        assert texts.count(marks[0]) == texts.count(marks[1]) == 3  # for and against, each alternative
        assessed = [t for t in texts if t.endswith(marks[2])]
        sourced = [t for t in texts if t.startswith(("Kommunen er med", "Kommunen bidr"))]
        assert assessed and sourced and not any(t.endswith(marks[2]) for t in sourced)
        pdf = _pdf_text(workdir / "build" / slug / "decision-basis.pdf")
        assert heading in pdf and all(a in pdf for a in alternatives) and marks[2] in pdf
    bergen = _pdf_text(workdir / "build/bergen/decision-basis.pdf")
    assert "Kommunen bidrar til vilkåret om 55 %." in bergen


def test_an_argument_names_its_source_or_is_the_programs_assessment(make_tree: Maker) -> None:
    root = make_tree(
        {
            "decision-basis.yaml": lambda t: t.replace(
                "        - assumption: true\n          text:\n            nb: Kommunen binder seg før",
                "        - text:\n            nb: Kommunen binder seg før",
                1,
            )
        }
    )
    code, _, err = invoke("validate", "--content", root)
    assert code == 0
    assert "pros_cons.alternatives[0].cons[0]: warning: no source: give source:" in err
    assert invoke("validate", "--strict", "--content", root)[0] == 1


def test_the_decision_basis_gives_the_risk_picture_for_state_and_municipalities(
    make_tree: Maker, workdir: Path
) -> None:
    from .helpers import table_with

    make_tree()
    build("decision-basis", "-k", "bergen", "-k", "vinje")
    bergen = docx.Document(str(workdir / "build/bergen/decision-basis.docx"))
    risks = table_with(bergen, ["Hvem som bærer risikoen, og hva den er", "Sannsynlighet", "Konsekvens", "Tiltak"])
    bearers = [r[0].split(":")[0] for r in risks[1:]]
    assert set(bearers) == {"Kommunene", "Begge"} and len(bearers) == 6
    # a risk the sources name is theirs; one they do not is the program's assessment, and says so
    assert risks[1][0] == "Kommunene: Løsningen blir ikke økonomisk bærekraftig for kommunene."
    assert (
        risks[5][0]
        == "Kommunene: Kostnadene blir høyere enn beregnet, eller nytten kommer senere (programmets vurdering)."
    )
    assert {r[1] for r in risks[1:]} <= {"Lav", "Middels", "Høy"}
    vinje = docx.Document(str(workdir / "build/vinje/decision-basis.docx"))
    nynorsk = table_with(vinje, ["Kven som ber risikoen, og kva han er", "Sannsyn", "Konsekvens", "Tiltak"])
    assert nynorsk[1][0] == "Kommunane: Løysinga blir ikkje økonomisk berekraftig for kommunane."
    assert "Risikobiletet for stat og kommune" in _pdf_text(workdir / "build/vinje/decision-basis.pdf")
