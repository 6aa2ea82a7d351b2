"""Written language: nynorsk for nynorsk municipalities, bokmål otherwise, --lang to override."""

from __future__ import annotations

from pathlib import Path

import docx
import pikepdf
import pytest

from fkj_cli.errors import ContentError

from .conftest import line_of, replace
from .helpers import Maker, build, load_content, run_fkj


def headings(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


@pytest.mark.parametrize(
    ("document", "kommune", "lang", "heading"),
    [
        ("decision-basis", "vinje", "nn", "Framlegg til vedtak"),  # nynorsk
        ("decision-basis", "baerum", "nb", "Forslag til vedtak"),  # bokmål
        ("decision-basis", "bergen", "nb", "Forslag til vedtak"),  # neutral
        ("agreement", "vinje", "nn", "3 Føremålet med avtalen"),
        ("agreement", "ringsaker", "nb", "3 Avtalens formål"),
        ("agreement", "stavanger", "nb", "3 Avtalens formål"),
    ],
)
def test_documents_follow_the_malform(
    make_tree: Maker, workdir: Path, document: str, kommune: str, lang: str, heading: str
) -> None:
    make_tree()
    build(document, "-k", kommune)
    folder = workdir / "build" / kommune
    assert heading in headings(folder / f"{document}.docx")
    props = docx.Document(str(folder / f"{document}.docx")).core_properties
    assert props.language == f"{lang}-NO"
    assert props.title
    with pikepdf.open(folder / f"{document}.pdf") as pdf:
        assert str(pdf.Root.Lang) == f"{lang}-NO"


def test_lang_overrides_the_malform(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("decision-basis", "-k", "bergen", "--lang", "nn", "-f", "docx")
    assert "Framlegg til vedtak" in headings(workdir / "build/bergen/decision-basis.docx")
    build("decision-basis", "-k", "vinje", "--lang", "nb", "-f", "md")
    assert "# Forslag til vedtak" in (workdir / "build/vinje/decision-basis.md").read_text(encoding="utf-8")


def test_missing_nynorsk_text_names_file_line_and_key(make_tree: Maker) -> None:
    root = make_tree(
        {"agreement.yaml": replace("  nn: Samarbeid mellom KS og samarbeidskommunane i interimsperioden\n", "")}
    )
    line = line_of(root / "agreement.yaml", "nb: Samarbeid mellom KS og samarbeidskommunene i interimsperioden")
    with pytest.raises(ContentError) as exc:
        load_content(root)
    assert [str(p) for p in exc.value.problems] == [
        f"content/agreement.yaml:{line}:3: subject: no nynorsk text (nn) for a nynorsk document; "
        "write one, or set allow_fallback: true to use the bokmål text"
    ]


def test_fallback_when_the_content_allows_it(make_tree: Maker, workdir: Path) -> None:
    root = make_tree(
        {
            "agreement.yaml": replace(
                "  nn: Samarbeid mellom KS og samarbeidskommunane i interimsperioden\n", "  allow_fallback: true\n"
            )
        }
    )
    load_content(root)
    build("agreement", "-k", "vinje", "-f", "md")
    text = (workdir / "build/vinje/agreement.md").read_text(encoding="utf-8")
    assert "Samarbeid mellom KS og samarbeidskommunene i interimsperioden" in text  # the bokmål text, as allowed
    assert "Føremålet med avtalen" in text  # the rest is still nynorsk


def test_agreement_only_for_collaboration_municipalities(make_tree: Maker) -> None:
    make_tree()
    result = run_fkj("build", "agreement", "-k", "trondheim")
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == "error: agreement is only for the collaboration municipalities; Trondheim is not one"
    )


def test_agreement_parties_with_organisation_numbers(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("agreement", "-k", "bodo", "-f", "docx")
    document = docx.Document(str(workdir / "build/bodo/agreement.docx"))
    parties = document.tables[0]
    rows = [[c.text for c in row.cells] for row in parties.rows]
    assert rows[1] == ["KS", "________ (fylles ut)"]  # no source gives KS's number: left to fill in
    assert rows[2] == ["Bodø kommune (kommunenummer 1804)", "972\u00a0418\u00a0013"]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "frikjøpte prosjektressurser" in text


def test_organisation_number_check_digit(make_tree: Maker) -> None:
    root = make_tree({"kommuner.yaml": replace('org_number: "972418013"', 'org_number: "972418014"')})
    line = line_of(root / "kommuner.yaml", "972418014")
    with pytest.raises(ContentError) as exc:
        load_content(root)
    assert [str(p) for p in exc.value.problems] == [
        f"content/kommuner.yaml:{line}:17: kommuner.bodo.org_number: "
        "organisation number 972418014 has a wrong check digit (MOD11); check it in Enhetsregisteret"
    ]


def test_a_document_names_what_a_kommune_lacks(make_tree: Maker) -> None:
    root = make_tree({"kommuner.yaml": replace('    org_number: "972418013"\n', "")})
    line = line_of(root / "kommuner.yaml", "  bodo:")
    with pytest.raises(ContentError) as exc:
        load_content(root)
    assert [str(p) for p in exc.value.problems] == [
        f"content/kommuner.yaml:{line}:3: kommuner.bodo: agreement for Bodø needs org_number; add it here"
    ]


def test_pdf_hyphenates_in_the_document_language(make_tree: Maker, workdir: Path) -> None:
    make_tree()
    build("decision-basis", "-k", "vinje", "-f", "pdf")
    with pikepdf.open(workdir / "build/vinje/decision-basis.pdf") as pdf:
        meta = pdf.open_metadata()
        assert "nn-NO" in str(meta["dc:language"])
