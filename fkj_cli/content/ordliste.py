"""The project's word list: ``content/ordliste.yaml``, read by `fkj lint`.

Words the Hunspell dictionaries lack but a careful editor accepts: names of
programs, people and systems, abbreviations, compounds and words the
dictionaries (old ones) do not know. Each is valid in bokmål (``nb``), in
nynorsk (``nn``), or in ``both``. An entry ending in a full stop is an
abbreviation (``jf.``), which also does not end a sentence. The file is
optional: a content tree without it is linted with the dictionaries alone.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from fkj_cli.content.types import Strict

ORDLISTE_FILE = "ordliste.yaml"

_WORD = re.compile(r"^[^\W\d_][\w.'’-]*$")


def _word(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError(f"a word is text, not {value!r}")
    if any(c.isspace() for c in value):
        raise ValueError(f"one word per entry, without spaces: write {' and '.join(map(repr, value.split()))} apart")
    if not _WORD.match(value):
        raise ValueError(f"a word starts with a letter and holds letters, hyphens and full stops, not {value!r}")
    return value


Word = Annotated[
    str,
    BeforeValidator(_word),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[^\s\d_.'’-][^\s]*$",
            "description": "One word as it is written, without spaces; an abbreviation ends in a full stop.",
        }
    ),
]


class Klarsprak(Strict):
    """The limits of the plain-language (klarspråk) check: `fkj lint` warns beyond them."""

    # A sentence longer than this many words is hard to read; split it.
    sentence_words: int = Field(default=25, ge=5, le=200)
    # LIX above this for a section or a document is very hard to read (the scale: under 30 very
    # easy, 40 medium, 50 hard, over 60 very hard).
    lix: int = Field(default=60, ge=20, le=100)
    # Sections shorter than this many words get no LIX warning: LIX says little about a short text.
    lix_min_words: int = Field(default=80, ge=1)


Lang = Literal["nb", "nn"]


class Avoid(Strict):
    """A word or phrase the house style does not write, and what it writes instead."""

    avoid: str = Field(min_length=2)  # as written: matched as whole words, in any case for its first letter
    use: str = Field(min_length=1)
    lang: Lang | None = None  # a text of this language only; both when left out
    part: bool = False  # also as part of a word (a misspelt stem: "resurs" in "prosjektresurser")


class Ordliste(Strict):
    klarsprak: Klarsprak = Klarsprak()
    # Forms of the other written language that the dictionaries (old ones) accept in this one, or as a
    # compound: in a text of this language each is a målform error, with what this language writes.
    other_forms: dict[Lang, dict[str, str]] = Field(default_factory=dict)
    # The house style: what a careful case officer does not write, in either language or in one.
    avoid: list[Avoid] = Field(default_factory=list)
    both: list[Word] = Field(default_factory=list)  # valid in bokmål and nynorsk
    nb: list[Word] = Field(default_factory=list)  # valid in bokmål only
    nn: list[Word] = Field(default_factory=list)  # valid in nynorsk only

    def words(self, lang: str) -> list[str]:
        """The words valid in ``lang`` ("nb" or "nn")."""
        return [*self.both, *(self.nb if lang == "nb" else self.nn)]
