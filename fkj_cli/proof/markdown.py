"""The headings a document's Markdown means to have, and how another reading of it compares.

Deliberately naive: every ``#`` line outside the front matter and code is a
heading as its author meant it, so a heading pandoc did not see (no blank
line before it, folded into the list above) shows up as missing from the
PDF's structure tree and the DOCX's Heading styles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fkj_cli.proof import Finding

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*(?:\{[^}]*\})?\s*#*\s*$")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u00ad": None})


def headings(markdown: str) -> list[tuple[int, str]]:
    """(level, text) of every ATX heading, outside the YAML front matter and fenced code."""
    lines = markdown.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((j + 1 for j in range(1, len(lines)) if lines[j].strip() in ("---", "...")), 0)
    found: list[tuple[int, str]] = []
    fence: str | None = None
    for line in lines[start:]:
        if m := _FENCE.match(line):
            mark = m.group(1)
            fence = None if fence and mark[0] == fence[0] and len(mark) >= len(fence) else (fence or mark)
            continue
        if fence is None and (m := _ATX.match(line)):
            found.append((len(m.group(1)), plain(m.group(2))))
    return found


def plain(text: str) -> str:
    """Inline Markdown as the reader sees it: links and images as their text, no emphasis or escapes."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`]", "", text).replace("\\", "")
    return " ".join(text.split())


def _norm(text: str) -> str:
    return " ".join(text.translate(_QUOTES).split()).casefold()


def compare(meant: Sequence[tuple[int, str]], found: list[tuple[int, str, int | None]], what: str) -> list[Finding]:
    """The differences between the headings the Markdown means (level, text) and those ``what`` has
    (level, text, page): one missing, one it has that the Markdown has not, one at another level."""
    out: list[Finding] = []
    left = [(level, _norm(text), page, text) for level, text, page in found]
    k = 0
    for level, text in meant:
        j = next((j for j in range(k, len(left)) if left[j][1] == _norm(text)), None)
        if j is None:
            out.append(Finding("heading", f"the heading «{text}» is not a heading in the {what}"))
            continue
        out += [
            Finding("heading", f"«{extra[3]}» is a heading in the {what}, not in the Markdown", extra[2])
            for extra in left[k:j]
        ]
        if left[j][0] != level:
            out.append(
                Finding("heading", f"«{text}» is level {level} in the Markdown, {left[j][0]} in the {what}", left[j][2])
            )
        k = j + 1
    out += [
        Finding("heading", f"«{extra[3]}» is a heading in the {what}, not in the Markdown", extra[2])
        for extra in left[k:]
    ]
    return out
