"""What a DOCX fkj built says about itself: which document, for whom, in which language, from which inputs.

They are custom document properties (``docProps/custom.xml``): pandoc writes
every field of a document's metadata block there, and Word and LibreOffice
keep them when a reviewer saves the file. `fkj review import` reads them to
find the content behind a reviewed document's text, and to tell whether
that content has changed since the document was built.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fkj_cli.errors import FkjError

if TYPE_CHECKING:
    from fkj_cli.pipeline import Prepared
    from fkj_cli.targets import Target

# The properties, by the name each has in the document's metadata and the DOCX.
DOCUMENT, FOR, LANG, REVISION = "fkj-document", "fkj-for", "fkj-lang", "fkj-revision"
_CUSTOM = "docProps/custom.xml"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


@dataclass(frozen=True)
class Provenance:
    """Where a built document comes from: its type, whom it is for (a slug, a recipient or ``program``),
    its language, and the digest of the content it was made from (:func:`revision`)."""

    document: str
    whom: str
    lang: str
    revision: str


def revision(prepared: Prepared, target: Target) -> str:
    """The digest of the content ``target``'s DOCX is made from: the content files it reads, as they are
    (another fkj, template or engine makes no other revision of the content)."""
    from dataclasses import replace

    from fkj_cli.incremental import Inputs

    if prepared.inputs is None:
        prepared.inputs = Inputs(prepared.content, prepared.renderer.templates)
    # what a board case approves is not text a reviewer can change
    return prepared.inputs.digest(replace(target, approved=()), "docx", content_only=True)


def stamp(markdown: str, target: Target, digest: str) -> str:
    """``markdown`` with its provenance in its metadata block, which every document's template opens with."""
    if not markdown.startswith("---\n"):  # pragma: no cover - every template starts with its metadata
        raise FkjError(f"templates/{target.doc.template}: the document must start with a metadata block (---)")
    fields = {DOCUMENT: target.doc.name, FOR: target.whom, LANG: target.lang, REVISION: digest}
    lines = "".join(f'{name}: "{value}"\n' for name, value in fields.items())
    return "---\n" + lines + markdown[4:]


def read(data: bytes, shown: str) -> Provenance:
    """The provenance of a DOCX; FkjError naming ``shown`` when it is no DOCX or not one fkj built."""
    from lxml import etree  # type: ignore[import-untyped]

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as docx:
            names = set(docx.namelist())
            if "word/document.xml" not in names:
                raise FkjError(f"{shown}: not a Word document (no word/document.xml)")
            custom = docx.read(_CUSTOM) if _CUSTOM in names else None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise FkjError(f"{shown}: not a Word document, or a damaged one ({exc})") from None
    values: dict[str, str] = {}
    if custom is not None:
        try:
            root = etree.fromstring(custom)
        except etree.XMLSyntaxError as exc:
            raise FkjError(f"{shown}: its document properties are damaged ({exc})") from None
        for prop in root.iter(f"{{{_CUSTOM_NS}}}property"):
            values[str(prop.get("name"))] = "".join(prop.itertext()).strip()
    missing = [name for name in (DOCUMENT, FOR, LANG, REVISION) if not values.get(name)]
    if missing:
        raise FkjError(
            f"{shown}: not a document fkj built (it has no {', '.join(missing)} property); "
            "import the DOCX fkj wrote, as the reviewer saved it"
        )
    return Provenance(values[DOCUMENT], values[FOR], values[LANG], values[REVISION])
