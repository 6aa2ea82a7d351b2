"""Text as `fkj lint` reads it: Jinja and markup masked, words, sentences, and where each sits in the YAML.

Everything here works on offsets into the string the YAML gives (the
scalar's value). Masking replaces what is not prose by spaces of the same
length, so an offset in the masked text is an offset in the value; an
offset in the value is mapped back to a line and column of the source file
by :class:`SourceMap`, which follows the scalar's style (plain, quoted,
literal ``|`` or folded ``>``), so that positions are exact in folded and
multi-line scalars too.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

# A `{{ expression }}` prints something (a name, a number): it stands as one word that is not
# checked. The placeholder is a private-use character: neither a letter nor a digit.
PLACEHOLDER = "\ue000"

_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# Markdown link targets, inline code, HTML tags and comments: not prose.
_MARKUP = re.compile(r"(?<=\])\([^)\s]*\)|`[^`\n]*`|<!--.*?-->|</?[A-Za-z][^>\n]*>", re.S)
# URLs, e-mail addresses and domain names stand for one word each and are not checked.
_URL = re.compile(
    r"https?://[^\s)>\]»”\"]+"
    r"|www\.[^\s)>\]»”\"]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w.])[\w-]+(?:\.[\w-]+)*\.(?:no|com|org|net|eu|io|gov|int)(?![\w])"
)
_LETTER = r"[^\W\d_]"
_NOT_ALNUM_BEFORE = r"(?<![^\W_])"
_NOT_ALNUM_AFTER = r"(?![^\W_])"
# A word: letters, hyphens inside ("e-helse", "Midt-Norge"), and a hyphen at the end when it
# leaves the rest of a compound to the next word ("forankrings- og tilslutningsprosesser").
WORD = re.compile(rf"{_NOT_ALNUM_BEFORE}{_LETTER}+(?:-{_LETTER}+)*(?:-(?=[\s,;/)]|$))?{_NOT_ALNUM_AFTER}")
_NUMBER = re.compile(rf"{_NOT_ALNUM_BEFORE}\d+(?:[.,:]\d+)*{_NOT_ALNUM_AFTER}")
# Letters and full stops that may be an abbreviation ("f.eks.", "bl.a.", "nr.", "Prop.").
_ABBREVIATION = re.compile(rf"(?<![^\W_.])(?:{_LETTER}+\.)+")

# Abbreviations that never end a sentence, in bokmål and nynorsk (lower case).
ABBREVIATIONS = frozenset(
    [
        "adm.",
        "ang.",
        "avd.",
        "bl.a.",
        "ca.",
        "dir.",
        "ekskl.",
        "eks.",
        "ev.",
        "evt.",
        "f.eks.",
        "f.o.m.",
        "ff.",
        "hhv.",
        "iht.",
        "inkl.",
        "jf.",
        "jfr.",
        "kap.",
        "kl.",
        "kr.",
        "m.a.",
        "m.fl.",
        "m.h.t.",
        "mht.",
        "mill.",
        "mnd.",
        "mrd.",
        "nr.",
        "pga.",
        "p.g.a.",
        "pkt.",
        "prop.",
        "pst.",
        "ref.",
        "s.",
        "sml.",
        "st.",
        "meld.",
        "stk.",
        "t.d.",
        "t.o.m.",
        "tlf.",
        "vedk.",
        "vedr.",
        "vha.",
        "jan.",
        "feb.",
        "mar.",
        "apr.",
        "jun.",
        "jul.",
        "aug.",
        "sep.",
        "sept.",
        "okt.",
        "nov.",
        "des.",
    ]
)
# Abbreviations that may end a sentence: a capital letter after them starts a new one.
FINAL_ABBREVIATIONS = frozenset(["osv.", "mv.", "m.m.", "o.l.", "o.a.", "etc.", "m.v."])

# A new block: a blank line, or a line that starts a list item, a heading or a table row.
_BLOCK = re.compile(r"\n[ \t]*\n\s*|\n[ \t]*(?=(?:[-*+]|\d{1,3}[.)])[ \t]|#|\|)")
_ITEM_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d{1,3}[.)]|#{1,6})[ \t]+")
# The end of a sentence: ., ! or ? (closing quotes and emphasis may follow), then space.
_END = re.compile(r"[.!?]+[»”\"')\]*_]*(?=\s|$)")
_STARTS_SENTENCE = re.compile(rf"\s*(?:[«\"“(\[*_]*)(?:[^\W\d_]|\d|{PLACEHOLDER})")


def mask(text: str) -> str:
    """``text`` with Jinja, markup and URLs replaced by spaces of the same length.

    A Jinja expression and a URL keep one placeholder character, so that they
    count as a word (and a sentence may start with one) but are not checked.
    """

    def jinja(match: re.Match[str]) -> str:
        found = match.group(0)
        first = PLACEHOLDER if found.startswith("{{") else " "
        return first + " " * (len(found) - 1)

    masked = _JINJA.sub(jinja, text)
    masked = _MARKUP.sub(lambda m: " " * len(m.group(0)), masked)
    return _URL.sub(lambda m: PLACEHOLDER + " " * (len(m.group(0)) - 1), masked)


@dataclass(frozen=True)
class Token:
    start: int  # offset in the value
    text: str


def abbreviations(masked: str, known: frozenset[str]) -> list[tuple[int, int]]:
    """The spans of known abbreviations (``known`` holds them in lower case)."""
    spans = []
    for match in _ABBREVIATION.finditer(masked):
        word = match.group(0)
        # "kommunene." is no abbreviation; "bl.a." is, and so may be its longest known head ("st.meld.")
        for end in range(len(word), 0, -1):
            if word[end - 1] == "." and word[:end].lower() in known:
                spans.append((match.start(), match.start() + end))
                break
    return spans


def words(masked: str, skip: list[tuple[int, int]] | None = None) -> list[Token]:
    """The words of a masked text, outside the spans in ``skip`` (abbreviations)."""
    out = []
    for match in WORD.finditer(masked):
        if skip and any(a <= match.start() < b for a, b in skip):
            continue
        out.append(Token(match.start(), match.group(0)))
    return out


@dataclass(frozen=True)
class Sentence:
    start: int  # offset of its first word in the value
    words: int  # every word, number, abbreviation and {{ expression }}
    long_words: int  # words of more than six letters (LIX)


def _letters(word: str) -> int:
    return sum(1 for c in word if c.isalpha())


def sentences(masked: str, abbreviations_: list[tuple[int, int]], final: frozenset[str]) -> list[Sentence]:
    """The sentences of a masked text, for the plain-language check.

    A sentence ends at ., ! or ? followed by a capital letter, a digit or a
    placeholder (so "27. mai" and "bl.a. kommunene" do not end one), and at a
    blank line, a list item, a heading or a table row (a list item without a
    full stop is a sentence of its own).
    """
    out: list[Sentence] = []
    abbrev_at = {end: masked[start:end].lower() for start, end in abbreviations_}
    for block_start, block in _blocks(masked):
        marker = _ITEM_MARKER.match(block)
        offset = marker.end() if marker else 0
        cuts = [offset]
        for match in _END.finditer(block, offset):
            word_end = block_start + match.start() + 1
            abbreviation = abbrev_at.get(word_end)
            if abbreviation is not None and abbreviation not in final:
                continue
            nxt = _STARTS_SENTENCE.match(block, match.end())
            if nxt is None:
                continue
            first = block[nxt.end() - 1]
            if not (first.isupper() or first.isdigit() or first == PLACEHOLDER):
                continue
            cuts.append(match.end())
        cuts.append(len(block))
        for a, b in itertools.pairwise(cuts):
            sentence = _count(block[a:b], block_start + a, abbreviations_)
            if sentence is not None:
                out.append(sentence)
    return out


def _blocks(masked: str) -> Iterator[tuple[int, str]]:
    start = 0
    for match in _BLOCK.finditer(masked):
        yield start, masked[start : match.start()]
        start = match.end()
    yield start, masked[start:]


def _count(part: str, at: int, abbreviations_: list[tuple[int, int]]) -> Sentence | None:
    inside = [(a - at, b - at) for a, b in abbreviations_ if at <= a < at + len(part)]
    found = words(part, inside)
    positions = [t.start for t in found]
    positions += [a for a, _ in inside]
    positions += [m.start() for m in _NUMBER.finditer(part)]
    positions += [i for i, c in enumerate(part) if c == PLACEHOLDER]
    if not positions:
        return None
    long_words = sum(1 for t in found if _letters(t.text) > 6)
    return Sentence(at + min(positions), len(positions), long_words)


class SourceMap:
    """Where each character of a scalar's value stands in the YAML source: line and column, 1-based.

    The value is aligned with the source from the scalar's start: a character
    of the value is the next equal one in the source, skipping what the scalar's
    style adds (indentation, line breaks folded to spaces, quotes and escapes).
    Where the two cannot be aligned (an escape such as ``\\u00e5``), the rest
    of the value is placed at the last character that could.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._lines = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"]

    def offset(self, line: int, col: int) -> int:
        return self._lines[line - 1] + col - 1

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._lines, offset)
        return line, offset - self._lines[line - 1] + 1

    def align(self, value: str, line: int, col: int, block: bool) -> list[int]:
        """The source offset of every character of ``value``, whose scalar starts at ``line``:``col``."""
        src = self.source
        i = self.offset(line, col)
        if block:  # the text starts on the line after the indicator (| or >) and its comment
            i = src.find("\n", i) + 1
        quoted = i < len(src) and src[i] in "'\""
        skippable = " \t\r\n'\"\\" if quoted else " \t\r\n"
        if quoted:
            i += 1
        out: list[int] = []
        broken = False
        for ch in value:
            if broken or i >= len(src):
                out.append(max(0, min(i, len(src) - 1)))
                continue
            if src[i] == ch:
                out.append(i)
                i += 1
            elif ch.isspace():
                out.append(i)
                if src[i].isspace():
                    i += 1
            else:
                j = i
                while j < len(src) and src[j] != ch and src[j] in skippable:
                    j += 1
                if j < len(src) and src[j] == ch:
                    out.append(j)
                    i = j + 1
                else:
                    broken = True
                    out.append(i)
        return out
