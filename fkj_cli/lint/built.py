"""`fkj lint --stats`, per built document: the plain-language figures of what a reader gets.

A content file's figures count its own texts; a built document also prints
the program's texts, its figures' prose and its template's fixed text. So each
document type is rendered, as `fkj build` renders it, for the targets its texts
are checked on (:func:`fkj_cli.targets.samples`: one per language and role, and
one per override), and its running text counted: paragraphs and list items,
not headings, tables, captions, code or the front matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fkj_cli.lint.scan import ABBREVIATIONS, FINAL_ABBREVIATIONS, abbreviations, mask, sentences

if TYPE_CHECKING:
    from fkj_cli.content.load import Content

# What is not running text in a document's Markdown: the front matter, fenced code, headings, table rows,
# table captions (": …") and images.
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_FENCED = re.compile(r"^```.*?^```", re.S | re.M)
_NOT_PROSE = re.compile(r"^(?:#|\||: |!\[).*$", re.M)


@dataclass(frozen=True)
class Built:
    """The plain-language figures of one built document in one language."""

    document: str  # its type
    target: str  # whom it is for: a municipality, a recipient, or "program"
    lang: str
    words: int
    sentences: int
    long_words: int
    long_sentences: int

    @property
    def lix(self) -> float:
        from fkj_cli.lint import lix

        return lix(self.words, self.sentences, self.long_words)


def prose(markdown: str) -> str:
    """The running text of a document's Markdown, the rest blanked out (offsets are not kept)."""
    text = _FRONT_MATTER.sub("", markdown)
    text = _FENCED.sub("", text)
    return _NOT_PROSE.sub("", text)


def built_stats(content: Content) -> list[Built]:
    """The figures of every document type as built, for the targets its texts are checked on, with the
    word list's limits and abbreviations."""
    from fkj_cli.content.ordliste import Klarsprak
    from fkj_cli.documents import document_types
    from fkj_cli.participation import compute
    from fkj_cli.render import Renderer, render_target
    from fkj_cli.targets import samples

    ordliste = content.ordliste
    settings = ordliste.klarsprak if ordliste is not None else Klarsprak()
    listed = frozenset(
        w.lower() for lang in ("nb", "nn") for w in (ordliste.words(lang) if ordliste else []) if w.endswith(".")
    )
    renderer = Renderer()
    figures = compute(content)
    known = ABBREVIATIONS | listed
    final = FINAL_ABBREVIATIONS | listed
    out: list[Built] = []
    for target in samples(content, document_types()):
        markdown = render_target(renderer, content, figures, target, images=False).markdown
        masked = mask(prose(markdown))
        found = sentences(masked, abbreviations(masked, known), final)
        out.append(
            Built(
                target.doc.name,
                target.label,
                target.lang,
                sum(s.words for s in found),
                len(found),
                sum(s.long_words for s in found),
                sum(1 for s in found if s.words > settings.sentence_words),
            )
        )
    return out


def built_table(stats: list[Built]) -> str:
    """One row per built document and language."""
    from fkj_cli.lint import text_table

    header = ("built document", "for", "lang", "words", "sentences", "LIX", "long sentences")
    rows = [
        (s.document, s.target, s.lang, str(s.words), str(s.sentences), f"{s.lix:.0f}", str(s.long_sentences))
        for s in stats
    ]
    return text_table(header, rows, text_columns=3)
