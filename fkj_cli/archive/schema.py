"""The receipt's schema, ``no.ks.fiks.arkiv.v1.arkivering.arkivmelding.opprett.kvittering.xsd``, as a table.

fkj checks a receipt against it before reading a number from it, without the
XSD files (which it does not ship): every element in its sequence, in its
namespace, with its type, and nothing else. The tests hold this check against
the XSD itself, on valid receipts and on broken ones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fkj_cli.archive.codes import FEIL_NS, KVITTERING_NS, METADATA_NS, XSI_NS

UNBOUNDED = 1 << 30
K, M, F = KVITTERING_NS, METADATA_NS, FEIL_NS


@dataclass(frozen=True)
class El:
    """An element in a sequence: its name and namespace, its type, and how often it may occur."""

    name: str
    ns: str
    type: str
    min: int = 1
    max: int = 1


@dataclass(frozen=True)
class Choice:
    """One of these elements (each of the receipt's choices may also be left out)."""

    options: tuple[El, ...]


Particle = El | Choice


def _seq(*particles: Particle) -> tuple[Particle, ...]:
    return particles


_MAPPE = _seq(
    El("systemID", K, "systemID"),
    El("mappeID", K, "nonempty", 0),
    El("referanseForeldermappe", K, "referanseTilMappe", 0),
    El("opprettetDato", K, "dateTime", 0),
    El("opprettetAv", K, "nonempty", 0),
    El("avsluttetDato", K, "dateTime", 0),
    El("avsluttetAv", K, "nonempty", 0),
    El("referanseEksternNoekkel", K, "eksternNoekkel", 0),
    El("opprettetEllerEksisterende", K, "opprettetEllerEksisterende"),
)
_REGISTRERING = _seq(
    El("systemID", K, "systemID"),
    El("opprettetDato", K, "dateTime", 0),
    El("opprettetAv", K, "nonempty", 0),
    El("arkivertDato", K, "dateTime", 0),
    El("arkivertAv", K, "nonempty", 0),
    El("dokumentbeskrivelseKvittering", K, "dokumentbeskrivelseKvittering", 0, UNBOUNDED),
    El("registreringsID", K, "nonempty", 0),
    El("referanseEksternNoekkel", K, "eksternNoekkel", 0),
    El("opprettetEllerEksisterende", K, "opprettetEllerEksisterende"),
)

# Complex types: their content, a sequence of particles.
COMPLEX: dict[str, tuple[Particle, ...]] = {
    "arkivmeldingKvittering": _seq(
        Choice((El("mappeKvittering", K, "mappeKvittering", 0), El("mappeFeilet", K, "feilmeldingBase", 0))),
        Choice(
            (
                El("registreringKvittering", K, "registreringKvittering", 0),
                El("registreringFeilet", K, "feilmeldingBase", 0),
            )
        ),
    ),
    "mappeKvittering": _MAPPE,
    "saksmappeKvittering": _MAPPE
    + _seq(El("saksaar", K, "int", 0), El("sakssekvensnummer", K, "int", 0), El("saksdato", K, "date", 0)),
    "registreringKvittering": _REGISTRERING,
    "journalpostKvittering": _REGISTRERING
    + _seq(
        El("journalaar", K, "int", 0),
        El("journalsekvensnummer", K, "int", 0),
        El("journalpostnummer", K, "int", 0),
        El("journalposttype", K, "kode", 0),
        El("journalstatus", K, "kode", 0),
        El("journaldato", K, "date", 0),
        El("forfallsdato", K, "date", 0),
    ),
    "dokumentbeskrivelseKvittering": _seq(
        El("systemID", K, "systemID"),
        El("opprettetDato", K, "dateTime", 0),
        El("opprettetAv", K, "nonempty", 0),
        El("dokumentnummer", K, "int", 0),
        El("dokumentobjekt", K, "dokumentobjektKvittering", 0, UNBOUNDED),
    ),
    "dokumentobjektKvittering": _seq(
        El("systemID", K, "systemID"),
        El("versjonsnummer", K, "int", 0),
        El("variantformat", K, "kode", 0),
        El("opprettetDato", K, "dateTime", 0),
        El("opprettetAv", K, "nonempty", 0),
    ),
    "feilmeldingBase": _seq(El("feilId", F, "string"), El("feilmelding", F, "string")),
    "eksternNoekkel": _seq(El("fagsystem", M, "nonempty"), El("noekkel", M, "nonempty")),
    "referanseTilMappe": _seq(
        El("systemID", M, "systemID", 0),
        El("mappeID", M, "nonempty", 0),
        El("saksnummer", M, "saksnummer", 0),
        El("referanseEksternNoekkel", M, "eksternNoekkel", 0),
    ),
    "saksnummer": _seq(El("saksaar", M, "int"), El("sakssekvensnummer", M, "int")),
    "kode": _seq(El("kode", M, "string"), El("beskrivelse", M, "string", 0)),
}
# The types an element may name with xsi:type instead of its own (in the receipt's namespace).
DERIVED: dict[str, tuple[str, ...]] = {
    "mappeKvittering": ("saksmappeKvittering",),
    "registreringKvittering": ("journalpostKvittering",),
}
ROOT = El("arkivmeldingKvittering", K, "arkivmeldingKvittering")
XSI_TYPE = f"{{{XSI_NS}}}type"
_XSI_ALLOWED = {XSI_TYPE, f"{{{XSI_NS}}}schemaLocation", f"{{{XSI_NS}}}noNamespaceSchemaLocation"}

_INT = re.compile(r"[+-]?[0-9]+")  # ASCII digits only, as XML Schema's; \d would take any script's
_TZ = r"(?:Z|[+-]\d{2}:\d{2})?"
_DATE = re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}}){_TZ}")
_DATETIME = re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}})T(\d{{2}}):(\d{{2}}):(\d{{2}})(?:\.\d+)?{_TZ}")
_UUID = re.compile(r"[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}")


def _int(text: str) -> str | None:
    value = text.strip()
    if not _INT.fullmatch(value) or not -(2**31) <= int(value) < 2**31:
        return f"{text!r} is not a whole number (xs:int)"
    return None


def _date(text: str) -> str | None:
    match = _DATE.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError
        dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return f"{text!r} is not a date (YYYY-MM-DD)"
    return None


def _datetime(text: str) -> str | None:
    match = _DATETIME.fullmatch(text.strip())
    try:
        if match is None:
            raise ValueError
        year, month, day, hour, minute, second = (int(g) for g in match.groups())
        dt.datetime(year, month, day, 0 if hour == 24 else hour, minute, second)
        if hour == 24 and (minute or second):
            raise ValueError
    except ValueError:
        return f"{text!r} is not a date and time (YYYY-MM-DDThh:mm:ss)"
    return None


def _uuid(text: str) -> str | None:
    # a restriction of xs:string: its whitespace is kept, so a space around the UUID fails its pattern
    return None if _UUID.fullmatch(text) else f"{text!r} is not a UUID"


def _nonempty(text: str) -> str | None:
    return None if text else "is empty"


def _created(text: str) -> str | None:
    return None if text in ("Opprettet", "Eksisterende") else f"must be Opprettet or Eksisterende, not {text!r}"


# Simple types: a check of the text that returns what is wrong, or None.
SIMPLE: dict[str, Callable[[str], str | None]] = {
    "string": lambda text: None,
    "nonempty": _nonempty,
    "int": _int,
    "date": _date,
    "dateTime": _datetime,
    "systemID": _uuid,
    "opprettetEllerEksisterende": _created,
}
ATTRIBUTES: dict[str, set[str]] = {"systemID": {"label"}}  # besides the xsi ones


@dataclass(frozen=True)
class Invalid:
    """What is wrong, and where: the element's line and its path from the root."""

    line: int
    path: str
    message: str


def _name(element: Any) -> tuple[str, str]:
    """(namespace, local name) of an lxml element."""
    tag = str(element.tag)
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _ns(ns: str) -> str:
    return ns or "no namespace"


def check(root: Any) -> list[Invalid]:
    """Every way the lxml element ``root`` differs from the receipt's schema (nothing: it is valid)."""
    found: list[Invalid] = []
    ns, local = _name(root)
    if (ns, local) != (ROOT.ns, ROOT.name):
        message = f"the root element is {local} in {_ns(ns)}, not {ROOT.name} in {ROOT.ns}"
        return [Invalid(root.sourceline or 1, local, message)]
    _element(root, ROOT, local, found)
    return found


def _element(element: Any, decl: El, path: str, found: list[Invalid]) -> None:
    """Check ``element``, declared as ``decl``, and what it contains."""
    line = element.sourceline or 1
    type_name = decl.type
    for attribute in element.attrib:
        name = str(attribute)
        if name == XSI_TYPE:
            named = _xsi_type(element)
            if named is None or (named != type_name and named not in DERIVED.get(type_name, ())):
                value = element.get(XSI_TYPE)
                allowed = " or ".join((type_name, *DERIVED.get(type_name, ())))
                found.append(Invalid(line, path, f"xsi:type is {value!r}; here it may be {allowed}"))
                return
            type_name = named
        elif name not in _XSI_ALLOWED and name not in ATTRIBUTES.get(decl.type, set()):
            found.append(Invalid(line, path, f"the attribute {name} is not allowed here"))
    if type_name in SIMPLE:
        if len(element):
            found.append(Invalid(line, path, "must be text, not elements"))
            return
        problem = SIMPLE[type_name](element.text or "")
        if problem is not None:
            found.append(Invalid(line, path, problem))
        return
    if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
        found.append(Invalid(line, path, "text is not allowed here, only elements"))
    _sequence(element, type_name, path, found)


def _xsi_type(element: Any) -> str | None:
    """The local name of the type ``element``'s xsi:type names in the receipt's namespace, or None."""
    value = str(element.get(XSI_TYPE)).strip()
    prefix, _, local = value.rpartition(":")
    ns = element.nsmap.get(prefix or None)
    return local if ns == K else None


def _sequence(element: Any, type_name: str, path: str, found: list[Invalid]) -> None:
    """Check the children of ``element`` against the sequence of its type ``type_name``.

    A child that no particle from the current one on can take is reported and passed over, so
    that one stray element is one problem; a child out of order is one an earlier particle took.
    """
    particles = COMPLEX[type_name]
    ahead = [{o.name for p in particles[k:] for o in _options(p)} for k in range(len(particles))]
    children = list(element)
    i = 0
    for k, particle in enumerate(particles):
        options = _options(particle)
        count = 0
        while i < len(children):
            ns, local = _name(children[i])
            if local not in ahead[k]:
                _unexpected(children[i], type_name, path, found)
                i += 1
                continue
            decl = next((o for o in options if o.name == local), None)
            if decl is None or count >= decl.max:
                break
            if ns != decl.ns:
                message = f"{local} must be in the namespace {decl.ns}, not {_ns(ns)}"
                found.append(Invalid(children[i].sourceline or 1, f"{path}/{local}", message))
            else:
                _element(children[i], decl, f"{path}/{local}", found)
            i += 1
            count += 1
            if isinstance(particle, Choice):
                break
        required = [o for o in options if o.min > 0] if not isinstance(particle, Choice) else []
        if required and count < required[0].min:
            where = children[i].sourceline if i < len(children) else element.sourceline
            found.append(Invalid(where or 1, path, f"{required[0].name} is missing" + _before(children, i)))
    for child in children[i:]:
        _unexpected(child, type_name, path, found)


def _options(particle: Particle) -> tuple[El, ...]:
    return particle.options if isinstance(particle, Choice) else (particle,)


def _unexpected(child: Any, type_name: str, path: str, found: list[Invalid]) -> None:
    """Report ``child``, which its parent (of type ``type_name``) cannot take where it stands."""
    _, local = _name(child)
    message = "is not allowed here"
    if any(o.name == local for p in COMPLEX[type_name] for o in _options(p)):
        message = "is out of order here"
    for derived in DERIVED.get(type_name, ()):  # an element of the derived type, without its xsi:type
        if any(o.name == local for p in COMPLEX[derived][len(COMPLEX[type_name]) :] for o in _options(p)):
            message += f' without xsi:type="{derived}"'
    found.append(Invalid(child.sourceline or 1, f"{path}/{local}", message))


def _before(children: list[Any], i: int) -> str:
    return f" (before {_name(children[i])[1]})" if i < len(children) else ""
