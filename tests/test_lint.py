"""`fkj lint`: spelling, written language (bokmål/nynorsk) and plain language, each finding where it is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fkj_cli.documents import document_types
from fkj_cli.errors import ContentError
from fkj_cli.lint import LintResult, lint, lix, stats_table
from fkj_cli.lint.scan import ABBREVIATIONS, FINAL_ABBREVIATIONS, SourceMap, abbreviations, mask, sentences, words
from fkj_cli.lint.spelling import Speller

from .conftest import line_of, replace
from .helpers import Maker, run_fkj


def findings(result: LintResult, file: str | None = None) -> list[str]:
    """Every finding as printed, of one file (``content/<file>``) or all."""
    return [line for line, _ in result.lines() if file is None or line.startswith(f"content/{file}:")]


def errors(result: LintResult, file: str) -> list[str]:
    return [line for line, error in result.lines() if error and line.startswith(f"content/{file}:")]


def at(root: Path, file: str, needle: str, word: str | None = None) -> str:
    """``content/FILE:LINE:COL`` of ``word`` (default: ``needle``) on the line holding ``needle``."""
    line = line_of(root / file, needle)
    text = (root / file).read_text(encoding="utf-8").splitlines()[line - 1]
    col = text.index(needle) + needle.index(word or needle) + 1
    return f"content/{file}:{line}:{col}"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> LintResult:
    """The shipped content (with the test register) linted once."""
    import os

    from .conftest import copy_content

    work = tmp_path_factory.mktemp("shipped")
    before = Path.cwd()
    os.chdir(work)
    try:
        return lint(copy_content(work / "content"))
    finally:
        os.chdir(before)


# ---------------------------------------------------------------- the shipped content


def test_the_shipped_content_has_no_errors(shipped: LintResult) -> None:
    assert shipped.errors == [], "\n".join(map(str, shipped.errors))


def test_stats_count_every_document_in_each_language(shipped: LintResult) -> None:
    rows = {(s.document, s.lang): s for s in shipped.stats}
    assert {"nb", "nn"} == {lang for document, lang in rows if document == "decision-basis"}
    assert ("governance", "nn") not in rows  # built in bokmål only
    basis = rows[("decision-basis", "nb")]
    assert basis.words > 1000 and basis.sentences > 50 and 30 < basis.lix < 60
    table = stats_table(shipped.stats)
    header, rule = table.splitlines()[:2]
    assert header.split() == ["document", "lang", "words", "sentences", "LIX", "long", "sentences", "unknown", "words"]
    assert set(rule) == {"-", " "}
    assert table.splitlines()[-2].startswith("all ")


# ---------------------------------------------------------------- spelling


def test_a_typo_in_bokmal_text(make_tree: Maker, workdir: Path) -> None:
    root = make_tree(
        {"decision-basis.yaml": replace("Kommunen kan velge mellom tre", "Kommunen kan velgge mellom tre")}
    )
    result = lint(root)
    where = at(root, "decision-basis.yaml", "kan velgge mellom", "velgge")
    assert errors(result, "decision-basis.yaml") == [
        f"{where}: summary.nb: unknown word 'velgge' (bokmål); did you mean 'velge' or 'velg'?"
    ]
    assert result.failed()


def test_a_typo_in_a_folded_scalar_is_placed_on_its_own_line(make_tree: Maker, workdir: Path) -> None:
    # program.yaml's bodies.styret.purpose.nb is folded (>-) over two lines: the second line's word
    root = make_tree(
        {
            "program.yaml": replace(
                "  godkjenne beslutningsunderlaget før det sendes til kommunene,",
                "  godkjenne beslutningsunderlaget før det sendes til kommunnene,",
            )
        }
    )
    result = lint(root, only=[root / "program.yaml"])
    where = at(root, "program.yaml", "til kommunnene, og det", "kommunnene")
    assert where.endswith(":60")  # the column in the source, not in the joined text
    assert [e for e in errors(result, "program.yaml") if "kommunnene" in e] == [
        f"{where}: bodies.styret.purpose.nb: unknown word 'kommunnene' (bokmål); "
        "did you mean 'kommunene' or 'krommunnene'?"
    ]


def test_a_word_in_the_word_list_is_right(make_tree: Maker, workdir: Path) -> None:
    with_list = lint(make_tree(), only=[Path("content/program.yaml")])
    assert [e for e in errors(with_list, "program.yaml") if "Akson" in e] == []
    root = make_tree({"ordliste.yaml": replace("  - Akson\n", "")})
    without = lint(root, only=[root / "program.yaml"])
    where = at(root, "program.yaml", "former_name: Akson", "Akson")
    assert [e for e in errors(without, "program.yaml") if "Akson" in e] == [
        f"{where}: former_name: unknown word 'Akson' (bokmål and nynorsk); did you mean 'Takson', 'Aksjon' or 'Aksen'?"
    ]


def test_the_word_list_warns_about_words_the_dictionary_knows(make_tree: Maker, workdir: Path) -> None:
    root = make_tree({"ordliste.yaml": replace("nb:\n", "nb:\n  - kommune\n  - noe\n")})
    result = lint(root, only=[root / "ordliste.yaml"])
    line = line_of(root / "ordliste.yaml", "  - kommune")
    assert findings(result, "ordliste.yaml") == [
        f"content/ordliste.yaml:{line}:5: nb[0]: warning: 'kommune' is in the bokmål dictionary already; "
        "remove it from the word list",
        f"content/ordliste.yaml:{line + 3}:5: nb[2]: warning: 'noe' is listed twice (also at line {line + 1})",
    ]


def test_a_bad_word_list_is_a_located_error(make_tree: Maker, workdir: Path) -> None:
    root = make_tree({"ordliste.yaml": replace("  - datoen\n", "  - to ord\n  - 2023\n")})
    with pytest.raises(ContentError) as exc:
        lint(root)
    line = line_of(root / "ordliste.yaml", "  - to ord")
    assert [str(p) for p in exc.value.problems] == [
        f"content/ordliste.yaml:{line}:5: both[5]: one word per entry, without spaces: write 'to' and 'ord' apart",
        f"content/ordliste.yaml:{line + 1}:5: both[6]: a word is text, not 2023",
    ]


def test_a_word_marked_sic_stands_as_written(make_tree: Maker, workdir: Path) -> None:
    # Bærum's misspellings, written in every memo and no longer marked
    plain = (
        "{{ 'samarbeidskommunenenes' if slug == 'baerum' else 'samarbeidskommunenes' }} konkrete bidrag i prosjektet i "
    )
    plain += "form av frikjøpte {{ 'prosjektpressurser' if slug == 'baerum' else 'prosjektressurser' }} og annen "
    plain += "{{ 'deltagelse' if slug == 'baerum' else 'deltakelse' }} "
    plain += "{# sic: samarbeidskommunenenes prosjektpressurser deltagelse #}"
    written = (
        "samarbeidskommunenenes konkrete bidrag i prosjektet i form av frikjøpte prosjektpressurser og annen deltagelse"
    )
    root = make_tree({"memo.yaml": replace(plain, written)})
    result = lint(root, only=[root / "memo.yaml"])
    assert [e.split(": ", 2)[2] for e in errors(result, "memo.yaml")] == [
        "unknown word 'samarbeidskommunenenes' (bokmål); "
        "did you mean 'samarbeidskommunene', 'samarbeidskommunen' or 'samarbeidsfunksjonenes'?",
        "unknown word 'prosjektpressurser' (bokmål); "
        "did you mean 'prosjektressurser', 'prosjektressurs' or 'prosjektresultater'?",
        "'deltagelse' is not the house style: write 'deltakelse' (ordliste.yaml)",
    ]


# ---------------------------------------------------------------- written language


def test_a_bokmal_form_in_nynorsk_text(make_tree: Maker, workdir: Path) -> None:
    root = make_tree(
        {
            "decision-basis.yaml": lambda text: text.replace(
                "Prismodellen er ikkje vedteken, og tala", "Prismodellen er ikke vedteken, og tala"
            ).replace("programmet etter 2022 berre dersom kommunar", "programmet etter 2022 bare dersom kommunar")
        }
    )
    result = lint(root)
    assert errors(result, "decision-basis.yaml") == [
        # from the curated list: the nynorsk dictionary accepts "bare"
        f"{at(root, 'decision-basis.yaml', '2022 bare dersom', 'bare')}: summary.nn: "
        "'bare' is bokmål; nynorsk has 'berre'",
        # from the dictionaries: nynorsk has no "ikke", bokmål has
        f"{at(root, 'decision-basis.yaml', 'er ikke vedteken', 'ikke')}: summary.nn: "
        "'ikke' is bokmål; nynorsk has 'ikkje'",
    ]


def test_a_nynorsk_form_in_bokmal_text(make_tree: Maker, workdir: Path) -> None:
    root = make_tree(
        {
            "decision-basis.yaml": lambda text: text.replace(
                "Prismodellen er ikke vedtatt, og tallene", "Prismodellen er ikkje vedtatt, og tallene"
            ).replace("kommunen inngår forpliktelsesavtale.", "kommunen inngår forpliktelsesavtale berre.")
        }
    )
    result = lint(root)
    assert errors(result, "decision-basis.yaml") == [
        f"{at(root, 'decision-basis.yaml', 'forpliktelsesavtale berre.', 'berre')}: summary.nb: "
        "'berre' is nynorsk; bokmål has 'bare'",
        f"{at(root, 'decision-basis.yaml', 'er ikkje vedtatt', 'ikkje')}: summary.nb: "
        "'ikkje' is nynorsk; bokmål has 'ikke'",
    ]


def test_a_compound_with_a_bokmal_ending_in_nynorsk_text(make_tree: Maker, workdir: Path) -> None:
    root = make_tree(
        {"economics.yaml": replace("Berre samarbeidskommunane deltek", "Berre samarbeidskommunene deltek")}
    )
    result = lint(root, only=[root / "economics.yaml"])
    assert errors(result, "economics.yaml") == [
        f"{at(root, 'economics.yaml', 'samarbeidskommunene deltek', 'samarbeidskommunene')}: "
        "scenarios.samarbeidskommunene.label.nn: 'samarbeidskommunene' is bokmål; nynorsk has 'samarbeidskommunane'"
    ]


def test_jinja_is_not_checked_and_positions_stay(make_tree: Maker, workdir: Path) -> None:
    expression = '{{ "skrivefeeil" if kommune.number == "0000" else "" }}'
    root = make_tree(
        {
            "decision-basis.yaml": replace(
                "Kommunen kan velge mellom tre", f"Kommunen {expression} kan velgge mellom tre"
            )
        }
    )
    result = lint(root)
    assert errors(result, "decision-basis.yaml") == [
        f"{at(root, 'decision-basis.yaml', 'kan velgge mellom', 'velgge')}: summary.nb: "
        "unknown word 'velgge' (bokmål); did you mean 'velge' or 'velg'?"
    ]


def test_a_single_language_field_is_checked_in_the_nynorsk_documents_that_print_it(
    make_tree: Maker, workdir: Path
) -> None:
    # The project council's name is printed in Vinje's decision basis (nynorsk); the external member's
    # name only in the governance document (bokmål): only the first is checked in nynorsk.
    root = make_tree(
        {
            "program.yaml": lambda text: text.replace(
                "name: Prosjektrådet", "name: Prosjektrådet for tjenestene"
            ).replace("name: Ingen (eksternt medlem)", "name: Ingen (eksternt medlem fra tjenestene)")
        }
    )
    result = lint(root, only=[root / "program.yaml"])
    assert errors(result, "program.yaml") == [
        f"{at(root, 'program.yaml', 'name: Prosjektrådet for tjenestene', 'tjenestene')}: "
        "bodies.prosjektradet.name: 'tjenestene' is bokmål; nynorsk has 'tenestane' or 'tenestene' "
        "(a nynorsk document prints this text, which has no nn of its own)"
    ]


def test_a_municipality_s_own_entry_is_checked_in_its_language(make_tree: Maker, workdir: Path) -> None:
    # Vinje's case is printed in Vinje's memo (nynorsk) only, Bergen's in Bergen's (bokmål) only
    def edit(text: str) -> str:
        head, vinje = text.split("  vinje:\n")
        head = head.replace("  bergen:\n    kind: notat\n", "  bergen:\n    kind: notat\n    from: Levekårsutvalet\n")
        head = head.replace("    from: null\n", "", 1)  # Bergen's, given above instead
        return head + "  vinje:\n" + vinje.replace("    from: null", "    from: Levekårsutvalet")

    root = make_tree({"memo.yaml": edit})
    result = lint(root, only=[root / "memo.yaml"])
    assert errors(result, "memo.yaml") == [
        f"{at(root, 'memo.yaml', 'from: Levekårsutvalet', 'Levekårsutvalet')}: cases.bergen.from: "
        "'Levekårsutvalet' is nynorsk, not bokmål"
    ]


def test_lint_renders_the_nynorsk_documents_validate_checks(make_tree: Maker, workdir: Path) -> None:
    """What lint renders to tell whether a nynorsk document prints a value is what `fkj validate` checks the
    texts on, in nynorsk: the hearing letter too, which Vinje gets in nynorsk."""
    from collections import defaultdict

    from fkj_cli.lint.texts import samples
    from fkj_cli.pipeline import prepare
    from fkj_cli.render import Renderer

    checked: list[tuple[str, str | None, str | None, str]] = []

    class Recording(Renderer):
        def context(self, content: Any, figures: Any, target: Any) -> dict[str, Any]:
            checked.append((target.doc.name, target.slug, target.recipient, target.lang))
            return super().context(content, figures, target)

    content = prepare(make_tree(), Recording()).content
    reads: dict[str, set[str]] = defaultdict(set)
    rendered = [(t.doc.name, t.slug, t.recipient, t.lang) for t in samples(content, reads)]
    assert rendered == [key for key in checked if key[3] == "nn"]
    assert ("hearing", None, "vinje", "nn") in rendered
    assert {"nb", "nn"} <= reads["hearing.yaml"]


# ---------------------------------------------------------------- plain language


def test_lix_against_a_hand_count() -> None:
    text = "Kommunen har tre alternativer. Den kan velge forpliktelse eller stå utenfor."
    # 11 words in 2 sentences; Kommunen, alternativer, forpliktelse and utenfor have more than six letters
    found = sentences(mask(text), [], FINAL_ABBREVIATIONS)
    assert [(s.words, s.long_words) for s in found] == [(4, 2), (7, 2)]
    assert round(lix(11, 2, 4), 2) == 41.86 == round(11 / 2 + 100 * 4 / 11, 2)


def test_abbreviations_ordinals_years_and_lists_do_not_break_sentences() -> None:
    text = (
        "Avtalen ble signert 27. mai 2021 av bl.a. KS, jf. punkt 2. Den gjelder f.eks. for {{ kommune.name }}.\n"
        "Så langt har 186 kommuner signert i 2020. {{ kommune.name }} er en av dem.\n\n"
        "Kommunen kan velge:\n\n- inngå avtale\n- stå utenfor"
    )
    masked = mask(text)
    spans = abbreviations(masked, ABBREVIATIONS)
    found = sentences(masked, spans, FINAL_ABBREVIATIONS)
    starts = [text[s.start : s.start + 12] for s in found]
    assert starts == [
        "Avtalen ble ",
        "Den gjelder ",
        "Så langt har",
        "{{ kommune.n",
        "Kommunen kan",
        "inngå avtale",
        "stå utenfor",
    ]
    assert [s.words for s in found] == [12, 5, 8, 5, 3, 2, 2]


def test_long_sentences_are_warnings_and_strict_makes_them_fail(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    result = lint(root, only=[root / "agreement.yaml"])
    assert result.errors == []
    assert not result.failed() and result.failed(strict=True)
    where = at(root, "agreement.yaml", "Avtalen gjelder fra den er signert")
    assert f"{where}: duration.nb: warning: long sentence: 26 words, more than 25; split it where you can" in (
        findings(result, "agreement.yaml")
    )
    looser = make_tree({"ordliste.yaml": replace("sentence_words: 25", "sentence_words: 40")})
    assert lint(looser, only=[looser / "agreement.yaml"]).warnings == []


def test_a_hard_to_read_section_is_a_warning_at_its_key(make_tree: Maker, workdir: Path) -> None:
    root = make_tree({"ordliste.yaml": replace("  lix: 60\n", "  lix: 42\n")})
    result = lint(root, only=[root / "decision-basis.yaml"])
    line = line_of(root / "decision-basis.yaml", "  assessment:")
    assert [f for f in findings(result) if f.startswith(f"content/decision-basis.yaml:{line}:")] == [
        f"content/decision-basis.yaml:{line}:3: sections.assessment: warning: hard to read: LIX 45 in nynorsk, "
        "more than 42; shorter sentences and words help",
        f"content/decision-basis.yaml:{line}:3: sections.assessment: warning: hard to read: LIX 47 in bokmål, "
        "more than 42; shorter sentences and words help",
    ]


# ---------------------------------------------------------------- the parts


def test_markup_urls_numbers_and_capitals_are_not_words() -> None:
    text = "Se **[nettsiden](https://example.no/a-b)** og helsenorge.no, R-109, KS-K, FKJ og covid-19 i 2022."
    assert [t.text for t in words(mask(text))] == ["Se", "nettsiden", "og", "R", "KS-K", "FKJ", "og", "covid", "i"]


def test_hyphens_and_compounds() -> None:
    speller = Speller()
    assert speller.judge("nb", "e-helse") is None
    assert speller.judge("nn", "forankrings-") is None  # "forankrings- og tilslutningsprosessar"
    assert speller.judge("nn", "opsjonsavtale") is None  # a compound the nynorsk dictionary lacks
    midt = speller.judge("nn", "Midt-Norge")
    assert midt is not None and (midt.kind, midt.word, midt.hints) == ("leak", "Norge", ("Noreg",))
    assert speller.judge("nb", "kommunnen") is not None  # no compound of "kom" and "munnen"


def test_source_map_follows_quoted_and_block_scalars() -> None:
    source = 'a: "x \\"y\\" z"\nb: |\n  first\n  second line\nc: >-\n  one\n  two\n'
    positions = SourceMap(source)
    quoted = positions.align('x "y" z', 1, 4, block=False)
    assert [positions.line_col(o) for o in (quoted[0], quoted[6])] == [(1, 5), (1, 13)]
    literal = positions.align("first\nsecond line\n", 2, 4, block=True)
    assert positions.line_col(literal[6]) == (4, 3)
    folded = positions.align("one two", 5, 4, block=True)
    assert positions.line_col(folded[4]) == (7, 3)


# ---------------------------------------------------------------- the command line


def test_the_command(make_tree: Maker, workdir: Path) -> None:
    root = make_tree()
    ok = run_fkj("lint", "--content", root, root / "agreement.yaml")
    assert ok.exit_code == 0, ok.output
    assert "warning: long sentence" in ok.stderr
    strict = run_fkj("lint", "--content", root, "--strict", root / "agreement.yaml")
    assert strict.exit_code == 1
    stats = run_fkj("lint", "--content", root, "--stats", root / "agreement.yaml")
    assert "document" in stats.stdout and "LIX" in stats.stdout


def test_a_path_that_is_no_content_file_is_an_error(make_tree: Maker) -> None:
    root = make_tree()
    missing = run_fkj("lint", "--content", root, root / "letterr.yaml")
    assert (missing.exit_code, missing.stderr) == (1, "error: content/letterr.yaml: no such file\n")
    outside = root.parent / "notes.yaml"
    outside.write_text("a: b\n", encoding="utf-8")
    other = run_fkj("lint", "--content", root, outside)
    assert (other.exit_code, other.stderr[:48]) == (1, "error: notes.yaml: not a file under content/ or ")
    assert other.stderr.rstrip().endswith("i18n/")


# ---------------------------------------------------------------- the templates' fixed text


def test_the_templates_fixed_text_is_checked_in_its_catalogues_language(make_tree: Maker, workdir: Path) -> None:
    """A bokmål word in the nynorsk catalogue, and a typo in the bokmål one, are found where they are."""
    import shutil

    from fkj_cli.lint import lint_content
    from fkj_cli.pipeline import load_content
    from fkj_cli.resources import TEMPLATES

    root = make_tree()
    catalogues = workdir / "i18n"
    shutil.copytree(TEMPLATES / "i18n", catalogues)
    nn = (catalogues / "nn.yaml").read_text(encoding="utf-8")
    (catalogues / "nn.yaml").write_text(nn.replace("gov_milestones: Milepålar", "gov_milestones: Milepæler"))
    nb = (catalogues / "nb.yaml").read_text(encoding="utf-8")
    (catalogues / "nb.yaml").write_text(nb.replace("gov_milestones: Milepæler", "gov_milestones: Milepæeler"))
    result = lint_content(load_content(root), catalogues=catalogues)
    line = line_of(catalogues / "nn.yaml", "gov_milestones:")
    assert [str(p) for p in result.errors] == [
        f"i18n/nb.yaml:{line_of(catalogues / 'nb.yaml', 'gov_milestones:')}:17: gov_milestones: unknown word "
        "'Milepæeler' (bokmål); did you mean 'Milepæler' or 'Milepæl'?",
        f"i18n/nn.yaml:{line}:17: gov_milestones: 'Milepæler' is bokmål, not nynorsk",
    ]


def test_a_catalogue_is_a_path_the_command_takes(make_tree: Maker) -> None:
    from fkj_cli.resources import TEMPLATES

    root = make_tree()
    ok = run_fkj("lint", "--content", root, TEMPLATES / "i18n" / "nn.yaml")
    assert ok.exit_code == 0, ok.output
    # every document type's file, the program's and the economics' (the register, commitments and word list
    # have no texts)
    files = len({d.content_file for d in document_types()}) + 2
    assert ok.stdout.endswith(f"in the texts of {files} content files and the templates' fixed text\n")


# ---------------------------------------------------------------- the mechanical classes of issue 24

PLANTED_NB = (
    "Selskapet A/S eier 100% av beslutningsunderlagg og prosjektresurser og løysningsstrategi, løysinga, "
    "avgjerdsgrunnlag, framleis naudsynt, dykkar. "
)
PLANTED_NN = "Avtalene og forutsetning, myndigheter, dessuten ifølge tredjedeler mulig. "


def test_each_mechanical_class_is_caught_where_it_is_planted(make_tree: Maker) -> None:
    """What the old dictionaries let pass: the other målform's forms they accept, typos that pass as compounds,
    "A/S", "100%", a misspelt stem, and the wrong hint "dykker" (a diver) for "dykkar"."""
    before = "Kommunene skulle etter planen ha behandlet beslutningsunderlaget"
    root = make_tree(
        {
            "mandate.yaml": replace(before, PLANTED_NB + before),
            "decision-basis.yaml": replace("Det er framleis uvisse.", PLANTED_NN + "Det er framleis uvisse."),
        }
    )
    result = lint(root, only=[root / "mandate.yaml", root / "decision-basis.yaml"])

    def where(file: str, needle: str, word: str) -> str:
        return at(root, file, needle, word)

    nb = PLANTED_NB
    assert errors(result, "mandate.yaml") == [
        f"{where('mandate.yaml', nb, 'A/S')}: background.text: 'A/S' is not the house style: write 'AS' "
        "(ordliste.yaml)",
        f"{where('mandate.yaml', nb, '100%')}: background.text: '100%': write a space before the per cent sign: "
        "'100 %'",
        f"{where('mandate.yaml', nb, 'beslutningsunderlagg')}: background.text: unknown word 'beslutningsunderlagg' "
        "(bokmål); did you mean 'beslutningsunderlag'?",
        f"{where('mandate.yaml', nb, 'resurs')}: background.text: 'resurs' is not the house style: write 'ressurs' "
        "(ordliste.yaml)",
        f"{where('mandate.yaml', nb, 'løysningsstrategi')}: background.text: unknown word 'løysningsstrategi' "
        "(bokmål); did you mean 'løsningsstrategi', 'tilpasningsstrategi' or 'forsyningsstrategi'?",
        f"{where('mandate.yaml', nb, 'løysinga')}: background.text: 'løysinga' is nynorsk; bokmål has 'løsningen'",
        f"{where('mandate.yaml', nb, 'avgjerdsgrunnlag')}: background.text: 'avgjerdsgrunnlag' is nynorsk; "
        "bokmål has 'beslutningsgrunnlag'",
        f"{where('mandate.yaml', nb, 'framleis')}: background.text: 'framleis' is nynorsk; bokmål has 'fortsatt'",
        f"{where('mandate.yaml', nb, 'naudsynt')}: background.text: 'naudsynt' is nynorsk; bokmål has 'nødvendig'",
        f"{where('mandate.yaml', nb, 'dykkar')}: background.text: 'dykkar' is nynorsk; bokmål has 'deres'",
    ]
    forms = [
        ("Avtalene", "avtalane"),
        ("forutsetning", "føresetnad"),
        ("myndigheter", "styresmakter"),
        ("dessuten", "dessutan"),
        ("ifølge", "ifølgje"),
        ("tredjedeler", "tredjedelar"),
        ("mulig", "mogleg"),
    ]
    assert errors(result, "decision-basis.yaml") == [
        f"{where('decision-basis.yaml', PLANTED_NN, form)}: sections.assessment.nn: '{form}' is bokmål; "
        f"nynorsk has '{nn}'"
        for form, nn in forms
    ]


def test_one_nynorsk_form_and_one_closing_as_the_word_list_chooses(make_tree: Maker) -> None:
    root = make_tree({"hearing.yaml": replace("skal det gi samarbeidskommunane", "skal det gje samarbeidskommunane")})
    result = lint(root, only=[root / "hearing.yaml"])
    assert errors(result, "hearing.yaml") == [
        f"{at(root, 'hearing.yaml', 'skal det gje', 'gje')}: letter.what.nn: 'gje' is not the house style: "
        "write 'gi' (ordliste.yaml)"
    ]
    # one closing in every letter: the catalogue's, checked like any text
    import shutil

    from fkj_cli.lint import lint_content
    from fkj_cli.pipeline import load_content
    from fkj_cli.resources import TEMPLATES

    catalogues = root.parent / "i18n"
    shutil.copytree(TEMPLATES / "i18n", catalogues)
    nn = (catalogues / "nn.yaml").read_text(encoding="utf-8")
    (catalogues / "nn.yaml").write_text(nn.replace("Med venleg helsing", "Med helsing", 1), encoding="utf-8")
    found = lint_content(load_content(root), catalogues=catalogues)
    line = line_of(catalogues / "nn.yaml", "Med helsing")
    assert [str(p) for p in found.errors if p.file.startswith("i18n")] == [
        f"i18n/nn.yaml:{line}:18: hearing_closing: 'Med helsing' is not the house style: write 'Med venleg helsing' "
        "(ordliste.yaml)"
    ]


def test_a_bokmal_gjen_word_in_nynorsk_is_caught_with_the_house_form(make_tree: Maker) -> None:
    before = "å byggje løysinga stegvis og å bruke nasjonale tenester om att"
    root = make_tree(
        {"decision-basis.yaml": replace(before, "å byggje løysinga stegvis og gjenbruk av nasjonale tenester")}
    )
    result = lint(root, only=[root / "decision-basis.yaml"])
    assert [e for e in errors(result, "decision-basis.yaml") if "gjenbruk" in e] == [
        f"{at(root, 'decision-basis.yaml', 'og gjenbruk av', 'gjenbruk')}: sections.assessment.nn: 'gjenbruk' is not "
        "the house style: write 'bruk om att' (ordliste.yaml)"
    ]


def _built_rows(out: str) -> dict[tuple[str, str, str], list[int]]:
    """The rows of `fkj lint --stats`'s table of built documents: (document, for, lang) -> the figures."""
    table = out.split("built document", 1)[1].splitlines()[2:]
    rows: dict[tuple[str, str, str], list[int]] = {}
    for line in table:
        cells = line.split()
        if len(cells) < 7 or not cells[-1].isdigit():
            break
        rows[(cells[0], " ".join(cells[1:-5]), cells[-5])] = [int(c) for c in cells[-4:]]
    return rows


def test_stats_per_built_document_count_what_the_reader_gets(make_tree: Maker) -> None:
    """A built document's figures count every text it prints (its own, the program's, the template's), for each
    language it is built in; a long sentence planted in one document's content shows in that document only."""
    make_tree()
    result = run_fkj("lint", "--stats")
    assert result.exit_code == 0, result.output
    before = _built_rows(result.stdout)
    assert ("decision-basis", "Vinje", "nn") in before and ("decision-basis", "Stavanger", "nb") in before
    assert ("board-case", "program", "nb") in before
    long = " ".join(["Styret"] + ["og"] * 30) + "."
    make_tree({"board-case.yaml": replace("  documents: |\n    ", f"  documents: |\n    {long} ")})
    after = _built_rows(run_fkj("lint", "--stats").stdout)
    words, sentences, _, long_sentences = before[("board-case", "program", "nb")]
    assert after[("board-case", "program", "nb")][0] == words + 31
    assert after[("board-case", "program", "nb")][1] == sentences + 1
    assert after[("board-case", "program", "nb")][3] == long_sentences + 1
    assert {k: v for k, v in after.items() if k[0] != "board-case"} == {
        k: v for k, v in before.items() if k[0] != "board-case"
    }
