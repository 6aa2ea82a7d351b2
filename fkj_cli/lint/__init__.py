"""`fkj lint`: every text of the content checked in the written language it is printed in.

- Spelling, with the Hunspell dictionaries for bokmål (``nb_NO``) and nynorsk
  (``nn_NO``) and the project's word list, ``content/ordliste.yaml``: an
  unknown word is an error, with up to three suggestions.
- Written language (målform): a bokmål form in a nynorsk text, or a nynorsk
  form in a bokmål text, is an error of its own kind ("'ikke' is bokmål;
  nynorsk has 'ikkje'"), found from the other dictionary and from a short list
  of forms both dictionaries accept (:data:`~fkj_cli.lint.spelling.MARKERS`).
- Plain language (klarspråk): sentences longer than the word list's limit
  (25 words unless ``klarsprak.sentence_words`` says otherwise), and LIX above
  its limit for a section or a document, are warnings.

Jinja in a text is masked, not checked, and every finding keeps its place:
``FILE:LINE:COL: key.path: message``, like `fkj validate`. Errors fail the
command; warnings only with ``--strict``. See :mod:`fkj_cli.lint.texts` for
which strings are checked in which language.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fkj_cli.content.ordliste import ORDLISTE_FILE, Avoid, Klarsprak
from fkj_cli.content.yamlfile import Path_, Position, format_path
from fkj_cli.errors import Problem, display_path
from fkj_cli.lint.scan import (
    ABBREVIATIONS,
    FINAL_ABBREVIATIONS,
    SourceMap,
    Token,
    abbreviations,
    mask,
    sentences,
    words,
)
from fkj_cli.lint.spelling import LANGS, OTHER, Speller, Verdict

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.lint.built import Built
    from fkj_cli.lint.texts import Piece

__all__ = ["LintResult", "Stats", "lint", "lint_content", "lix", "stats_table", "text_table"]


def lix(words: int, sentences: int, long_words: int) -> float:
    """Björnsson's readability index: words per sentence plus the percentage of words over six letters."""
    if words == 0 or sentences == 0:
        return 0.0
    return words / sentences + 100 * long_words / words


@dataclass
class Stats:
    """The plain-language figures of one document's texts in one language."""

    document: str
    lang: str
    words: int = 0
    sentences: int = 0
    long_words: int = 0
    long_sentences: int = 0
    unknown_words: int = 0  # misspellings and målform leaks

    @property
    def lix(self) -> float:
        return lix(self.words, self.sentences, self.long_words)


@dataclass
class LintResult:
    errors: list[Problem]  # misspellings and målform leaks
    warnings: list[Problem]  # long sentences, hard-to-read sections, stale entries of the word list
    stats: list[Stats] = field(default_factory=list)
    files: int = 0  # content files whose texts were checked
    built: list[Built] = field(default_factory=list)  # the figures per built document, when asked for

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def lines(self) -> list[tuple[str, bool]]:
        """Every finding as ``FILE:LINE:COL: key: message`` (a warning's message after ``warning:``),
        sorted by place; each with whether it is an error."""
        found = [(p, True) for p in self.errors] + [(p, False) for p in self.warnings]
        found.sort(key=lambda f: (f[0].file, f[0].line, f[0].col, f[0].key, f[0].message))
        out = []
        for problem, error in found:
            key = f" {problem.key}:" if problem.key else ""
            kind = "" if error else " warning:"
            out.append((f"{problem.file}:{problem.line}:{problem.col}:{key}{kind} {problem.message}", error))
        return out

    def summary(self, strict: bool = False) -> str:
        e, w = len(self.errors), len(self.warnings)
        counts = f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"
        if self.failed(strict):
            return f"✗ {counts} in the texts of {self.files} content files and the templates' fixed text"
        tail = " (--strict fails on them)" if w else ""
        return f"✓ {counts} in the texts of {self.files} content files and the templates' fixed text{tail}"


def lint(root: Path, *, only: Iterable[Path] = (), built: bool = False) -> LintResult:
    """Load and validate the content tree at ``root`` and lint its texts.

    ``only``: report only what is in these files (the files a commit touches);
    the whole tree is still read, since which language a text is printed in
    depends on the rest. With ``built``, the result also has the figures of
    each document type as built (:mod:`fkj_cli.lint.built`). Raises
    ContentError when the content does not validate, FkjError when the
    dictionaries are not installed.
    """
    from fkj_cli.pipeline import load_content

    content = load_content(root)
    result = lint_content(content, only=only)
    if built:
        from fkj_cli.lint.built import built_stats

        result.built = built_stats(content)
    return result


def lint_content(content: Content, *, only: Iterable[Path] = (), catalogues: Path | None = None) -> LintResult:
    """Lint the texts of a validated content tree and the templates' fixed text (``catalogues``, the
    folder of nb.yaml and nn.yaml; fkj's own by default): every finding, and the figures per document."""
    from fkj_cli.lint.texts import catalogue_pieces, pieces
    from fkj_cli.resources import TEMPLATES

    settings = content.ordliste.klarsprak if content.ordliste is not None else Klarsprak()
    found, printed = pieces(content)
    catalogues = catalogues or TEMPLATES / "i18n"
    fixed = catalogue_pieces(catalogues)
    found += fixed
    speller = Speller(content.ordliste)
    listed = {w.lower() for w in speller.listed["nb"] | speller.listed["nn"] if w.endswith(".")}
    known_abbreviations = ABBREVIATIONS | listed
    final = FINAL_ABBREVIATIONS | listed
    maps: dict[str, SourceMap] = {}
    display = {content.files[name].display: content.files[name].path for name in content.files}
    display.update({piece.file: catalogues / piece.content_file for piece in fixed})
    for _, merged in content.overrides.values():
        for position in merged.values.values():
            if position.file is not None and position.file not in display:
                display[position.file] = Path(position.file)

    def source(shown: str) -> SourceMap:
        if shown not in maps:
            maps[shown] = SourceMap(display[shown].read_text(encoding="utf-8"))
        return maps[shown]

    avoid = content.ordliste.avoid if content.ordliste is not None else []
    errors: set[Problem] = set()
    warnings: set[Problem] = set()
    stats: dict[tuple[str, str], Stats] = {}
    sections: dict[tuple[str, Path_, str], tuple[Position, Counter[str]]] = {}
    aligned: dict[int, list[int]] = {}

    def at(piece: Piece, offset: int, message: str) -> Problem:
        if id(piece) not in aligned:
            pos = piece.position
            aligned[id(piece)] = source(piece.file).align(piece.text, pos.line, pos.col, pos.block)
        offsets = aligned[id(piece)]
        line, col = source(piece.file).line_col(offsets[min(offset, len(offsets) - 1)] if offsets else 0)
        return Problem(piece.file, line, col, format_path(piece.path), message)

    def row(piece: Piece, lang: str) -> Stats:
        key = (piece.document, lang)
        if key not in stats:
            stats[key] = Stats(piece.document, lang)
        return stats[key]

    for piece in found:
        masked = mask(piece.text)
        spans = abbreviations(masked, known_abbreviations)
        sic = _sic(piece.text)
        tokens = [
            t for t in words(masked, spans) if t.text not in sic and not _skipped(t.text) and not _in_code(masked, t)
        ]
        langs = piece.langs
        for lang in piece.maybe:  # rendered only when it matters: a word here is wrong in that language
            if any(speller.judge(lang, t.text) for t in tokens) and printed.prints(piece.content_file, piece.text):
                langs = (*langs, lang)
        for token in tokens:
            verdicts = [v for lang in langs if (v := speller.judge(lang, token.text)) is not None]
            if not verdicts:
                continue
            if len(verdicts) == len(langs) and all(v.kind == "unknown" for v in verdicts):
                message = _unknown(verdicts[0], langs, speller)
                offset = token.start + max(token.text.find(verdicts[0].word), 0)
                errors.add(at(piece, offset, message))
                for lang in langs:
                    row(piece, lang).unknown_words += 1
                continue
            for verdict in verdicts:
                offset = token.start + max(token.text.find(verdict.word.rstrip("-")), 0)
                if verdict.kind == "leak":
                    message = _leak(verdict, piece.single)
                else:
                    message = _unknown(verdict, (verdict.lang,), speller)
                errors.add(at(piece, offset, message))
                row(piece, verdict.lang).unknown_words += 1
        for offset, message in _house_style(masked, langs, avoid, sic):
            errors.add(at(piece, offset, message))
        if not piece.prose:
            continue
        for sentence in sentences(masked, spans, final):
            for lang in langs:
                stat = row(piece, lang)
                stat.words += sentence.words
                stat.sentences += 1
                stat.long_words += sentence.long_words
                _, counts = sections.setdefault((piece.file, piece.section, lang), (piece.section_at, Counter()))
                counts.update(words=sentence.words, sentences=1, long_words=sentence.long_words)
                if sentence.words > settings.sentence_words:
                    stat.long_sentences += 1
            if sentence.words > settings.sentence_words:
                warnings.add(
                    at(
                        piece,
                        sentence.start,
                        f"long sentence: {sentence.words} words, more than {settings.sentence_words}; "
                        "split it where you can",
                    )
                )
    warnings |= _hard_to_read(content, sections, stats, settings)
    warnings |= _word_list(content, speller)

    result = LintResult(sorted(errors), sorted(warnings), sorted(stats.values(), key=_row_order))
    catalogue_files = {p.file for p in fixed}
    result.files = len({p.file for p in found} - catalogue_files)
    wanted = {display_path(p) for p in only}
    if wanted and not any(Path(p).name == ORDLISTE_FILE for p in wanted):  # the word list concerns every text
        result.errors = [p for p in result.errors if p.file in wanted]
        result.warnings = [p for p in result.warnings if p.file in wanted]
    return result


def _row_order(stat: Stats) -> tuple[str, str]:
    return stat.document, stat.lang


# `{# sic: word … #}` in a text: these words stand as written (a quotation keeps its original's errors).
_SIC = re.compile(r"\{#-?\s*sic:(.*?)-?#\}", re.S)


def _sic(text: str) -> set[str]:
    return {w for match in _SIC.finditer(text) for w in re.split(r"[\s,]+", match.group(1)) if w}


# A number and a per cent sign: Norwegian writes a space between them ("100 %").
_PERCENT = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)%")


def _house_style(masked: str, langs: tuple[str, ...], avoid: Iterable[Avoid], sic: set[str]) -> list[tuple[int, str]]:
    """What the house style writes otherwise, in a text printed in ``langs``: (offset, message)."""
    found: list[tuple[int, str]] = []
    for m in _PERCENT.finditer(masked):
        if m.group(0) not in sic:
            found.append((m.start(), f"{m.group(0)!r}: write a space before the per cent sign: '{m.group(1)} %'"))
    for rule in avoid:
        if (rule.lang is not None and rule.lang not in langs) or rule.avoid in sic:
            continue
        for m in _avoided(rule).finditer(masked):
            found.append((m.start(), f"{m.group(0)!r} is not the house style: write {rule.use!r} (ordliste.yaml)"))
    return found


@functools.cache
def _avoided(rule: Avoid) -> re.Pattern[str]:
    """The rule's phrase, its first letter in either case, as whole words unless it may be part of one."""
    first, rest = rule.avoid[0], re.escape(rule.avoid[1:])
    head = f"[{re.escape(first.lower())}{re.escape(first.upper())}]" if first.isalpha() else re.escape(first)
    if rule.part:
        return re.compile(head + rest)
    return re.compile(rf"(?<![\w/]){head}{rest}(?![\w/])")


def _in_code(masked: str, token: Token) -> bool:
    """Part of a code with digits: "covid-19", "R-109"."""
    end = token.start + len(token.text)
    after = masked[end : end + 2]
    before = masked[max(token.start - 2, 0) : token.start]
    return (len(after) == 2 and after[0] == "-" and after[1].isdigit()) or (
        len(before) == 2 and before[1] == "-" and before[0].isdigit()
    )


def _skipped(word: str) -> bool:
    """One letter, or an abbreviation in capitals (KS, FKJ, NOK, KS-K, FKJ-prosjektet): not checked."""
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2:
        return True
    return any(sum(1 for c in part if c.isupper()) >= 2 for part in word.split("-"))


def _alternatives(words: Iterable[str]) -> str:
    quoted = [repr(w) for w in words]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def _leak(verdict: Verdict, single: bool) -> str:
    lang, other = LANGS[verdict.lang], LANGS[OTHER[verdict.lang]]
    if verdict.hints:
        message = f"{verdict.word!r} is {other}; {lang} has {_alternatives(verdict.hints)}"
    else:
        message = f"{verdict.word!r} is {other}, not {lang}"
    if single and verdict.lang == "nn":
        message += " (a nynorsk document prints this text, which has no nn of its own)"
    return message


def _unknown(verdict: Verdict, langs: tuple[str, ...], speller: Speller) -> str:
    names = " and ".join(LANGS[lang] for lang in langs)
    message = f"unknown word {verdict.word!r} ({names})"
    suggestions = verdict.hints or speller.suggestions(verdict.lang, verdict.word.rstrip("-"))
    if suggestions:
        return f"{message}; did you mean {_alternatives(suggestions)}?"
    return f"{message}; if it is right, add it to the word list ({ORDLISTE_FILE})"


def _hard_to_read(
    content: Content,
    sections: dict[tuple[str, Path_, str], tuple[Position, Counter[str]]],
    stats: dict[tuple[str, str], Stats],
    settings: Klarsprak,
) -> set[Problem]:
    """LIX above the limit for a section (at its key), and for a document (at its file's first line)."""
    out: set[Problem] = set()
    for (shown, section, lang), (where, counts) in sections.items():
        value = lix(counts["words"], counts["sentences"], counts["long_words"])
        if counts["words"] >= settings.lix_min_words and round(value) > settings.lix:
            file = where.file or shown
            out.add(Problem(file, where.line, where.col, format_path(section), _lix_message(value, lang, settings)))
    documents = {Path(f.display).stem: f.display for f in content.files.values()}
    for (document, lang), stat in stats.items():
        if document in documents and stat.words >= settings.lix_min_words and round(stat.lix) > settings.lix:
            message = f"the document's texts are {_lix_message(stat.lix, lang, settings)}"
            out.add(Problem(documents[document], 1, 1, "", message))
    return out


def _lix_message(value: float, lang: str, settings: Klarsprak) -> str:
    return f"hard to read: LIX {value:.0f} in {LANGS[lang]}, more than {settings.lix}; shorter sentences and words help"


def _word_list(content: Content, speller: Speller) -> set[Problem]:
    """Entries of the word list that are listed twice, or that the dictionaries know already."""
    file = content.files.get(ORDLISTE_FILE)
    if file is None or content.ordliste is None:
        return set()
    out: set[Problem] = set()
    first: dict[str, tuple[str, int]] = {}
    lists = {"both": content.ordliste.both, "nb": content.ordliste.nb, "nn": content.ordliste.nn}
    for name, entries in lists.items():
        langs = ("nb", "nn") if name == "both" else (name,)
        for i, word in enumerate(entries):
            path: Path_ = (name, i)
            line = file.where(path, at_value=True).line
            if word in first:
                where, at_line = first[word]
                if {where, name} == {"nb", "nn"}:
                    message = f"{word!r} is listed under nb and nn (line {at_line}); list it once, under both"
                else:
                    message = f"{word!r} is listed twice (also at line {at_line})"
                out.add(file.problem(path, message, at_value=True))
                continue
            first[word] = (name, line)
            if not word.endswith(".") and all(speller.in_dictionary(lang, word) for lang in langs):
                names = " and ".join(f"the {LANGS[lang]}" for lang in langs)
                message = f"{word!r} is in {names} dictionary already; remove it from the word list"
                out.add(file.problem(path, message, at_value=True))
    return out


def stats_table(stats: list[Stats]) -> str:
    """`fkj lint --stats`: one row per document and language, and the totals per language."""
    totals: dict[str, Stats] = {}
    for stat in stats:
        total = totals.setdefault(stat.lang, Stats("all", stat.lang))
        total.words += stat.words
        total.sentences += stat.sentences
        total.long_words += stat.long_words
        total.long_sentences += stat.long_sentences
        total.unknown_words += stat.unknown_words
    header = ("document", "lang", "words", "sentences", "LIX", "long sentences", "unknown words")
    body = [
        (
            s.document,
            s.lang,
            str(s.words),
            str(s.sentences),
            f"{s.lix:.0f}",
            str(s.long_sentences),
            str(s.unknown_words),
        )
        for s in [*stats, *(totals[lang] for lang in sorted(totals))]
    ]
    return text_table(header, body[: len(stats)], text_columns=2, totals=body[len(stats) :])


def text_table(
    header: tuple[str, ...],
    rows: Sequence[tuple[str, ...]],
    *,
    text_columns: int,
    totals: Sequence[tuple[str, ...]] = (),
) -> str:
    """A plain-text table: the first ``text_columns`` columns left-aligned, the figures right-aligned, and
    ``totals`` under a rule of their own."""
    widths = [max(len(r[i]) for r in [header, *rows, *totals]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        cells = [c.ljust(w) for c, w in zip(row[:text_columns], widths[:text_columns], strict=True)]
        cells += [c.rjust(w) for c, w in zip(row[text_columns:], widths[text_columns:], strict=True)]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    lines = [line(header), rule, *(line(r) for r in rows)]
    if totals:
        lines += [rule, *(line(r) for r in totals)]
    return "\n".join(lines) + "\n"
