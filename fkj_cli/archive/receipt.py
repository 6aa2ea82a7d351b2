"""`fkj receipt import`: the archives' receipts, and the numbers they assigned, recorded in content.

An archive answers a package (:mod:`fkj_cli.archive.package`) with a receipt,
``arkivmelding-kvittering.xml``: the case file it created or found (with its
case number) and the journal post it registered (with its numbers), each with
the external key fkj sent, or the archive's error message. :func:`import_receipts`
reads receipts, checks each against the receipt's schema, matches its keys to
a municipality's mailing, and records, for a receipt from the municipality's
archive, the case number (``arkivsaksnr``, ``22/1234``) and the journal post's
numbers (``journalpost_id``, ``22/5678``, and ``journalpostnr``, its number in
the case) under ``cases.<kommune>`` in ``content/saksframlegg.yaml``. So the
next package files its journal post in that case, and the saksframlegg shows
the case number. A receipt from the sender's own archive is reported, not
recorded: the sender's case number is the letter's ``our_ref``.

The file is changed with ruamel.yaml's round trip, so every comment stays,
then written in fkj's canonical style, and the whole content tree is
validated with the new file before it replaces the old one. If any receipt
is not well-formed, not valid, matches no mailing, or reports an error, every
problem is listed and nothing is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap

from fkj_cli.archive import schema
from fkj_cli.archive.codes import FEIL_NS, KVITTERING_NS, METADATA_NS, RECEIPT_FILE, SYSTEM
from fkj_cli.archive.message import CaseNumber, Key
from fkj_cli.archive.package import DRAFT, LETTER, RECEIVER, SENDER, VIEWS, View, keys, mailing
from fkj_cli.content.load import Content, Loaded, load, validate
from fkj_cli.content.record import edited, save, scalar
from fkj_cli.content.yamlfile import load_yaml
from fkj_cli.documents import document_type, document_types
from fkj_cli.documents.case import Case
from fkj_cli.documents.saksframlegg import Saksframlegg
from fkj_cli.errors import InputError, display_path

# What a receipt from the municipality's archive records in its case, in this order.
FIELDS = ("arkivsaksnr", "journalpost_id", "journalpostnr")
# Any sequence number the receipt's schema allows (xs:int: KS's own test archive uses numbers up to 2^31 - 1);
# the content model's patterns take them too.
MAX_SEQUENCE = {"arkivsaksnr": 2**31 - 1, "journalpost_id": 2**31 - 1}
_K, _M, _F = KVITTERING_NS, METADATA_NS, FEIL_NS
_WHERE = re.compile(r", line \d+, column \d+$")


# Bad receipts: every problem, one line each (``FILE[:LINE]: message``), and a summary line.
ReceiptError = InputError


@dataclass(frozen=True)
class Receipt:
    """One receipt as read: whose mailing and which view, and the numbers the archive assigned."""

    path: Path
    display: str
    slug: str
    kommune: str  # the municipality's name
    view: View
    values: dict[str, Any]  # of FIELDS, what the receipt gives
    case_file: str | None = None  # Opprettet or Eksisterende, as the archive says of the case file

    def describe(self) -> str:
        parts = [f"{name} {self.values[name]}" for name in FIELDS if name in self.values]
        return ", ".join(parts) if parts else "no numbers"


@dataclass(frozen=True)
class CaseChange:
    """One municipality's case: the recorded values as content has them, and with the receipts'."""

    slug: str
    kommune: str
    before: dict[str, Any]
    after: dict[str, Any]

    @property
    def changed(self) -> list[str]:
        """The fields the receipts set to something content does not have yet, in FIELDS order."""
        return [name for name in FIELDS if name in self.after and self.after[name] != self.before.get(name)]

    @property
    def kind(self) -> Literal["new", "changed", "unchanged"]:
        if self.after == self.before:
            return "unchanged"
        return "new" if not self.before else "changed"

    def describe(self) -> str:
        if self.kind == "changed":
            moved = [f"{name} {self.before.get(name, '–')} → {self.after[name]}" for name in self.changed]
            return f"{self.slug} " + ", ".join(moved)
        return f"{self.slug} " + ", ".join(f"{name} {self.after[name]}" for name in FIELDS if name in self.after)


@dataclass(frozen=True)
class ReceiptReport:
    """What an import read and changed in ``path``, and whether it was written."""

    path: Path
    receipts: list[Receipt]
    changes: list[CaseChange]
    written: bool
    dry_run: bool

    @property
    def sender(self) -> list[Receipt]:
        """Receipts from the sender's own archive: reported, not recorded."""
        return [r for r in self.receipts if r.view is not RECEIVER]

    def of(self, kind: str) -> list[CaseChange]:
        return [c for c in self.changes if c.kind == kind]


# --- reading one receipt ------------------------------------------------------


@dataclass
class _Part:
    """The case file's or the journal post's part of a receipt."""

    kind: str  # saksmappe or journalpost
    line: int
    key: Key | None = None
    status: str | None = None
    error: tuple[str, str] | None = None  # (feilId, feilmelding)
    numbers: dict[str, int] = field(default_factory=dict)


@dataclass
class _Parts:
    """What a receipt says of the case file and of the journal post, in that order."""

    parts: list[_Part] = field(default_factory=list)


def _parse(path: Path, shown: str) -> Any:
    """The receipt's root element; ReceiptError if it cannot be read or is not well-formed XML."""
    from lxml import etree  # type: ignore[import-untyped]

    if not path.is_file():
        raise ReceiptError([f"{shown}: {'no such file' if not path.exists() else 'not a file'}"])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReceiptError([f"{shown}: cannot be read ({(exc.strerror or str(exc)).lower()})"]) from None
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True, remove_pis=True
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position
        message = _WHERE.sub("", str(exc.msg))  # libxml2 ends with the place, which the line starts with
        raise ReceiptError([f"{shown}:{line}:{col}: not well-formed XML: {message}"]) from None


def _text(element: Any, *names: tuple[str, str]) -> str | None:
    """The text of the descendant reached by ``names`` (namespace, local name), or None."""
    for ns, name in names:
        element = element.find(f"{{{ns}}}{name}")
        if element is None:
            return None
    return str(element.text or "").strip()


def _read(path: Path) -> _Parts:
    """The case file's and the journal post's parts of the receipt at ``path``; ReceiptError naming
    the file and what is wrong when it is not well-formed or not valid against the receipt's schema."""
    shown = display_path(path)
    root = _parse(path, shown)
    invalid = schema.check(root)
    if invalid:
        raise ReceiptError([f"{shown}:{i.line}: {i.path}: {i.message}" for i in invalid])
    read = _Parts()
    for kind, ok_tag, failed_tag, numbers in (
        ("saksmappe", "mappeKvittering", "mappeFeilet", ("saksaar", "sakssekvensnummer")),
        (
            "journalpost",
            "registreringKvittering",
            "registreringFeilet",
            ("journalaar", "journalsekvensnummer", "journalpostnummer"),
        ),
    ):
        failed = root.find(f"{{{_K}}}{failed_tag}")
        if failed is not None:
            error = (_text(failed, (_F, "feilId")) or "", _text(failed, (_F, "feilmelding")) or "")
            read.parts.append(_Part(kind, failed.sourceline or 1, error=error))
            continue
        ok = root.find(f"{{{_K}}}{ok_tag}")
        if ok is None:
            continue
        part = _Part(kind, ok.sourceline or 1, status=_text(ok, (_K, "opprettetEllerEksisterende")))
        fagsystem = _text(ok, (_K, "referanseEksternNoekkel"), (_M, "fagsystem"))
        noekkel = _text(ok, (_K, "referanseEksternNoekkel"), (_M, "noekkel"))
        if fagsystem is not None and noekkel is not None:
            part.key = Key(noekkel, fagsystem)
        for name in numbers:
            value = _text(ok, (_K, name))
            if value is not None:
                part.numbers[name] = int(value)
        read.parts.append(part)
    return read


# --- matching receipts to mailings ---------------------------------------------


@dataclass(frozen=True)
class Mailing:
    """A municipality's mailing, as one side's archive registers it."""

    slug: str
    view: View


def expected_keys(content: Content) -> dict[Key, Mailing]:
    """The external key of every case file and journal post fkj's packages carry, and whose it is."""
    letter = document_type(LETTER)
    out: dict[Key, Mailing] = {}
    for slug, kommune in content.register.kommuner.items():
        if letter.applies(content, slug, kommune) is not None:
            continue
        date = content.document(LETTER, slug).date
        for view in VIEWS:
            for key in keys(date, slug, view).values():
                out[key] = Mailing(slug, view)
    return out


def _match(
    read: _Parts, shown: str, content: Content, known: dict[Key, Mailing], named: Mailing | None = None
) -> tuple[Mailing | None, list[str]]:
    """Whose mailing the receipt answers, or the problems: a part the archive failed, a key that names no
    mailing, or keys that name two. A receipt without keys answers ``named`` (--kommune), if given; one
    with keys must agree with it."""
    problems: list[str] = []
    names = {"saksmappe": "the case file", "journalpost": "the journal post"}
    for part in read.parts:
        if part.error is not None:
            feil_id, message = part.error
            verb = "create" if part.kind == "saksmappe" else "register"
            what = f"the archive could not {verb} {names[part.kind]}"
            problems.append(f"{shown}:{part.line}: {what}: {message} (feilId {feil_id})")
    found: dict[str, Mailing] = {}
    for part in read.parts:
        if part.key is None:
            continue
        where = f"{shown}:{part.line}"
        if part.key.fagsystem != SYSTEM:
            problems.append(
                f"{where}: matches no mailing: {names[part.kind]}'s external key is from fagsystem "
                f"{part.key.fagsystem!r}, not {SYSTEM}"
            )
        elif part.key in known:
            found[part.kind] = known[part.key]
        else:
            problems.append(f"{where}: matches no mailing: {_unknown(part.key, names[part.kind], content)}")
    if not problems and not found:
        if not read.parts:
            problems.append(f"{shown}: matches no mailing: the receipt has neither a case file nor a journal post")
        elif named is not None:
            return named, []
        else:
            problems.append(
                f"{shown}: matches no mailing: it carries no external key (referanseEksternNoekkel); "
                "name whose mailing it answers with --kommune"
            )
    if named is not None and found and set(found.values()) != {named}:
        other = next(iter(found.values()))
        problems.append(
            f"{shown}: its key is for {other.slug} ({other.view.name}), not {named.slug} ({named.view.name}) "
            "as --kommune says"
        )
    mailings = set(found.values())
    if len(mailings) > 1:
        case, post = found["saksmappe"], found["journalpost"]
        problems.append(
            f"{shown}: the case file's key is for {case.slug} ({case.view.name}) and the journal post's "
            f"for {post.slug} ({post.view.name}): they cannot be one mailing's"
        )
    if problems:
        return None, problems
    return mailings.pop(), []


def _unknown(key: Key, what: str, content: Content) -> str:
    """Why no mailing has ``key``: another mailing's date, a municipality fkj does not send to, or not fkj's form."""
    head, _, rest = key.noekkel.partition("/")
    slug = rest.split("/", 1)[0]
    text = f"no mailing has {what}'s key {key.noekkel!r}"
    if head.startswith("forsendelse-") and slug in content.register.kommuner:
        kommune = content.register.kommuner[slug]
        if document_type(LETTER).applies(content, slug, kommune) is None:
            current = mailing(content.document(LETTER, slug).date)
            return f"{text}: the mailing to {kommune.name} is {current}"
        return f"{text}: {kommune.name} gets no mailing"
    if head.startswith("forsendelse-"):
        return f"{text}: {slug!r} is not a municipality in the register"
    return text


def _values(read: _Parts, shown: str) -> tuple[dict[str, Any], str | None, list[str]]:
    """The content values the receipt gives (of FIELDS), what the archive says of the case file, and problems."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    status = None
    for part in read.parts:
        where = f"{shown}:{part.line}"
        if part.kind == "saksmappe":
            status = part.status
            given = _pair(part.numbers, "saksaar", "sakssekvensnummer", "arkivsaksnr", where, problems)
            if given is not None:
                values["arkivsaksnr"] = given
        else:
            given = _pair(part.numbers, "journalaar", "journalsekvensnummer", "journalpost_id", where, problems)
            if given is not None:
                values["journalpost_id"] = given
            if "journalpostnummer" in part.numbers:
                number = part.numbers["journalpostnummer"]
                if number < 1:
                    problems.append(f"{where}: journalpostnummer {number} is not a journal post's number (1 or more)")
                else:
                    values["journalpostnr"] = number
    return values, status, problems


def _pair(
    numbers: dict[str, int], year: str, sequence: str, field_name: str, where: str, problems: list[str]
) -> str | None:
    """``22/1234`` from a year and a sequence number, as content writes it; None (and a problem) if it cannot be."""
    if year not in numbers and sequence not in numbers:
        return None
    if year not in numbers or sequence not in numbers:
        given, missing = (year, sequence) if year in numbers else (sequence, year)
        problems.append(f"{where}: {given} without {missing}: no {field_name} can be recorded")
        return None
    value_year, value_sequence = numbers[year], numbers[sequence]
    if not 2000 <= value_year <= 2099:
        problems.append(f"{where}: {year} {value_year}: fkj records {field_name} with years 2000–2099 in two digits")
        return None
    if not 1 <= value_sequence <= MAX_SEQUENCE[field_name]:
        highest = MAX_SEQUENCE[field_name]
        problems.append(f"{where}: {sequence} {value_sequence} is out of range for {field_name} (1–{highest})")
        return None
    return str(CaseNumber(value_year, value_sequence))


# --- importing ----------------------------------------------------------------


def import_receipts(
    *,
    files: Sequence[Path],
    content: Path = Path("content"),
    dry_run: bool = False,
    kommune: str | None = None,
    sender: bool = False,
) -> ReceiptReport:
    """Record the numbers in the receipts ``files`` under ``cases`` in saksframlegg.yaml.

    A receipt is matched to its mailing by the external key it echoes; one without
    (the schema lets an archive leave it out) answers the mailing to ``kommune``, in
    the sender's view with ``sender``. Raise ReceiptError listing every problem (a
    file that is not well-formed, not valid, that matches no mailing or another
    municipality's, or reports the archive's error), with nothing written.
    """
    if not files:
        raise ReceiptError([f"name one or more receipts ({RECEIPT_FILE})"])
    loaded = load(content, document_types())
    tree = validate(loaded)
    known = expected_keys(tree)
    named: Mailing | None = None
    if kommune is not None:
        slug, found_kommune = tree.kommune(kommune)  # an unknown name is the user's error, said as such
        if (reason := document_type(LETTER).applies(tree, slug, found_kommune)) is not None:
            raise ReceiptError([f"--kommune {kommune}: {found_kommune.name} gets no mailing ({reason})"])
        named = Mailing(slug, SENDER if sender else RECEIVER)
    problems: list[str] = []
    receipts: list[Receipt] = []
    for path in files:
        shown = display_path(path)
        try:
            read = _read(path)
        except ReceiptError as exc:
            problems += exc.problems
            continue
        matched, found = _match(read, shown, tree, known, named)
        values, status, bad = _values(read, shown)
        if found or bad:
            problems += found + bad
            continue
        assert matched is not None
        name = tree.register.kommuner[matched.slug].name
        receipts.append(Receipt(path, shown, matched.slug, name, matched.view, values, status))
    recorded = [r for r in receipts if r.view is RECEIVER]
    after = _merge(recorded, problems)
    path = tree.root / document_type(DRAFT).content_file
    shown = display_path(path)
    changes: list[CaseChange] = []
    for slug, values in after.items():
        merged: Case | None = tree.document(DRAFT, slug).cases.get(slug)
        before = {n: v for n in FIELDS if merged is not None and (v := getattr(merged, n)) is not None}
        change = CaseChange(slug, tree.register.kommuner[slug].name, before, {**before, **values})
        changes.append(change)
        problems += _hidden(loaded, change)
    if problems:
        n, m = len(problems), len(files)
        summary = f"{n} problem{'s' if n != 1 else ''} in {m} receipt{'s' if m != 1 else ''}; nothing written"
        raise ReceiptError(problems, summary)
    todo = [c for c in changes if c.kind != "unchanged"]
    if not todo or dry_run:
        return ReceiptReport(path, receipts, changes, written=False, dry_run=dry_run)
    save(loaded, path, shown, _updated(path.read_text(encoding="utf-8"), shown, todo), Saksframlegg)
    return ReceiptReport(path, receipts, changes, written=True, dry_run=False)


def _merge(receipts: list[Receipt], problems: list[str]) -> dict[str, dict[str, Any]]:
    """Each municipality's values from all its receipts; two receipts that disagree are a problem."""
    out: dict[str, dict[str, Any]] = {}
    source: dict[tuple[str, str], Receipt] = {}
    for receipt in receipts:
        values = out.setdefault(receipt.slug, {})
        for name, value in receipt.values.items():
            first = source.get((receipt.slug, name))
            if first is not None and values[name] != value:
                problems.append(
                    f"{receipt.display}: {name} {value} for {receipt.slug}, but {first.display} gives {values[name]}"
                )
                continue
            values[name] = value
            source[(receipt.slug, name)] = receipt
    return out


def _hidden(loaded: Loaded, change: CaseChange) -> list[str]:
    """The municipality's override of saksframlegg.yaml must not set what is recorded in the shared file:
    it would hide it."""
    slug = change.slug
    name = document_type(DRAFT).content_file
    override = loaded.override_paths.get((name, slug))
    if override is None:
        return []
    file, _ = load_yaml(override, display_path(override))
    data = file.data if file is not None else None
    cases = data.get("cases") if isinstance(data, dict) else None
    entry = cases.get(slug) if isinstance(cases, dict) else None
    if not isinstance(entry, dict):
        return []
    return [
        f"{display_path(override)}: cases.{slug}.{key} would hide the {key} recorded in {name}; "
        f"remove it there, or record {change.after[key]} there by hand"
        for key in change.changed
        if key in entry
    ]


# --- writing ------------------------------------------------------------------


def _updated(text: str, shown: str, changes: list[CaseChange]) -> str:
    """``text`` with each municipality's case entry added or its keys set; everything else, comments too,
    as it was."""

    def change(data: CommentedMap) -> None:
        cases = data.get("cases")
        if not isinstance(cases, CommentedMap):
            cases = data["cases"] = CommentedMap()
        if not cases:
            cases.fa.set_block_style()
        for one in changes:
            entry = cases.get(one.slug)
            if not isinstance(entry, CommentedMap):
                entry = cases[one.slug] = CommentedMap()
                entry.fa.set_block_style()
            for name in one.changed:  # only what the receipts give: what an override gives stays there
                entry[name] = scalar(one.after[name])

    return edited(text, shown, "record the receipts", change)
