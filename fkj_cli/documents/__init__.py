"""The registry of document types, found rather than listed.

Each type lives in one module of this package, which declares everything
about it in a :class:`~fkj_cli.documents.kind.DocumentType`: its name and
description, its model and template, the content files it reads, its
cross-checks, whom it is made for, and its charts. This module finds the
declarations by reading the modules' source (``NAME = DocumentType(`` at the
start of a line, with ``name="..."``, ``description="..."`` and ``order=N``
each on a line of its own), so the CLI can list documents and
build its sub-commands without importing pydantic or the models; a type's
module is imported when the type is first used. Adding a document type is
its module, its template, its content file and its catalogue entries:
nothing here changes.

Folders named in the environment variable ``FKJ_DOCUMENTS`` (separated like
``PATH``) are searched too, each for modules and their templates beside them:
a document type kept outside fkj, such as a test's.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from fkj_cli.errors import FkjError

if TYPE_CHECKING:
    from fkj_cli.documents.kind import DocumentType

ENV = "FKJ_DOCUMENTS"
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Entry:
    name: str  # the CLI name and the output file's stem
    where: str  # "module:ATTRIBUTE" of its DocumentType, imported only when needed
    description: str
    folder: Path  # its module's folder; a type from FKJ_DOCUMENTS has its template there too
    order: int  # where it is listed


def extra_folders() -> list[Path]:
    """The folders of ``FKJ_DOCUMENTS``, on the module search path so that their modules import by name
    (in a build's worker processes too, which import this package before they unpickle a type)."""
    folders = [Path(f).resolve() for f in os.environ.get(ENV, "").split(os.pathsep) if f]
    for folder in folders:
        if not folder.is_dir():
            raise FkjError(f"{ENV}: {folder} is not a folder")
        if str(folder) not in sys.path:
            sys.path.append(str(folder))
    return folders


# A type's declaration at a module's top level, and the three plain values the registry reads from it.
_DECLARED = re.compile(r"^(\w+) = DocumentType\((.*?)^\)", re.MULTILINE | re.DOTALL)
_VALUES = {
    "name": re.compile(r'^\s+name="([^"\\]+)",$', re.MULTILINE),
    "description": re.compile(r'^\s+description="([^"\\]+)",$', re.MULTILINE),
    "order": re.compile(r"^\s+order=(\d+),", re.MULTILINE),
}


def _declared(path: Path, module: str) -> list[Entry]:
    """The document types the module at ``path`` declares at its top level (read, not imported: a
    regular expression costs a fraction of a millisecond where parsing the module would cost several)."""
    source = path.read_text(encoding="utf-8")
    found = []
    for m in _DECLARED.finditer(source):
        values = {key: rx.search(m.group(2)) for key, rx in _VALUES.items()}
        if not all(values.values()):
            line = source.count("\n", 0, m.start()) + 1
            raise FkjError(
                f'{path}:{line}: a DocumentType gives name="...", description="..." and order=N, '
                "each on a line of its own"
            )
        name, description, order = (v.group(1) for v in values.values() if v is not None)
        found.append(Entry(name, f"{module}:{m.group(1)}", description, path.parent, int(order)))
    return found


@cache
def registry() -> dict[str, Entry]:
    """Every document type, by name, in their declared order."""
    entries = [e for path in sorted(HERE.glob("*.py")) for e in _declared(path, f"{__name__}.{path.stem}")]
    for folder in extra_folders():
        entries += [e for path in sorted(folder.glob("*.py")) for e in _declared(path, path.stem)]
    found: dict[str, Entry] = {}
    for entry in entries:
        if entry.name in found:
            raise FkjError(f"two document types are called {entry.name!r}: {found[entry.name].where}, {entry.where}")
        found[entry.name] = entry
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


REGISTRY = registry()


@cache
def document_type(name: str) -> DocumentType:
    """The document type called ``name``; an unknown name is the user's error."""
    entry = REGISTRY.get(name)
    if entry is None:
        raise FkjError(f"unknown document {name!r}; fkj knows {', '.join(REGISTRY)}")
    module, _, attribute = entry.where.partition(":")
    doc: DocumentType = getattr(importlib.import_module(module), attribute)
    if doc.name != name:  # pragma: no cover - read from the same declaration
        raise AssertionError(f"the registry's {name!r} points at {doc.name!r}")
    return doc


def document_types() -> list[DocumentType]:
    """Every document type, in the registry's order."""
    return [document_type(name) for name in REGISTRY]


def template_folders() -> list[Path]:
    """Where templates are looked up after fkj's own: the folders of FKJ_DOCUMENTS."""
    return list(dict.fromkeys(e.folder for e in REGISTRY.values() if e.folder != HERE))
