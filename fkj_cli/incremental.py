"""What a rebuild may skip: the manifest of outputs and what each was made from, and the build lock.

Every output in ``build/.fkj-manifest.json`` carries a digest of its inputs:
fkj's code and version, the engines' versions, the templates its document
uses, and the content files its document type declares it reads (the
program, its document file and the municipality's override of it, the
economics and commitments where it shows figures, and the register: its
own municipality's entry in full, of every municipality what documents use
of the others — name, number, county, population and role, in every
structure;
a letter's language is part of its target). So a municipality's organisation
number or målform rebuilds its own documents only, while a population,
which moves everyone's share of the costs, rebuilds every document with
figures. An output is rebuilt when that
digest changes or the file is not as it was written.

Before the content is even loaded, a digest of the whole tree (content,
templates, code, versions, the command's options) decides whether anything
at all can have changed: a rebuild with no change costs a few file reads.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from fkj_cli import __version__
from fkj_cli.content import OVERRIDES_DIR, REGISTER_FILE
from fkj_cli.documents import document_types, template_folders
from fkj_cli.errors import FkjError, display_path
from fkj_cli.write import make_dir, write_text, writing

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.documents.kind import DocumentType
    from fkj_cli.proof import Expected, Finding
    from fkj_cli.targets import Target

MANIFEST = ".fkj-manifest.json"
LOCK = ".fkj-lock"
FORMAT_VERSION = 2  # 2: each output's SHA-256, for what is made of it (the archive packages)
ENGINES = ("pypandoc-binary", "typst", "fontpkg-noto-sans", "babel", "jinja2")
PACKAGE = Path(__file__).resolve().parent
_INCLUDE = re.compile(r"""{%-?\s*(?:include|import|extends|from)\s+["']([^"']+)["']""")


def _hash(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


@cache
def engine_versions() -> str:
    """fkj's version and code, and the versions of the engines that make the bytes."""
    found = [f"fkj {__version__}"]
    for name in ENGINES:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} -")
    code = [_hash(str(p.relative_to(PACKAGE)), p.read_bytes()) for p in sorted(PACKAGE.rglob("*.py"))]
    return _hash(*found, *code)


def _files_digest(root: Path) -> str:
    paths = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return _hash(*(part for p in paths for part in (str(p.relative_to(root)), p.read_bytes())))


def tree_digest(content: Path, templates: Path, options: str) -> str:
    """Everything a build can read, in one digest: equal digests mean nothing can have changed."""
    return _hash(engine_versions(), _files_digest(content), _files_digest(templates), options)


class Inputs:
    """Digests of what each target is made from, computed from the loaded content."""

    def __init__(self, content: Content, templates: Path) -> None:
        self.content = content
        self.templates = templates
        self._files: dict[Path, str] = {}
        self._shared: dict[str, str] = {}

    def _per_kommune(self) -> set[str]:
        return {d.content_file for d in document_types() if d.scope == "kommune"}

    def _file(self, path: Path) -> str:
        if path not in self._files:
            self._files[path] = _hash(path.read_bytes()) if path.is_file() else "-"
        return self._files[path]

    def _template(self, name: str) -> Path:
        """Where the template ``name`` is: among fkj's, or beside a document type of FKJ_DOCUMENTS."""
        for folder in [self.templates, *template_folders()]:
            if (folder / name).is_file():
                return folder / name
        return self.templates / name  # not there: reading it says so

    def _template_files(self, name: str, seen: set[str]) -> None:
        if name in seen:
            return
        seen.add(name)
        for included in _INCLUDE.findall(self._template(name).read_text(encoding="utf-8")):
            self._template_files(included, seen)

    def _templates(self, doc: DocumentType) -> str:
        key = f"templates:{doc.template}"
        if key not in self._shared:
            names: set[str] = set()
            self._template_files(doc.template, names)
            shared = [self.templates / "reference.docx", *sorted((self.templates / "i18n").glob("*.yaml"))]
            shared += sorted((self.templates / "pandoc").glob("*"))
            files = [(n, self._template(n)) for n in sorted(names)]
            files += [(p.relative_to(self.templates).as_posix(), p) for p in shared]
            self._shared[key] = _hash(*(f"{n}:{self._file(p)}" for n, p in files))
        return self._shared[key]

    def _register_shared(self) -> str:
        """What a document may use of the other municipalities: a change elsewhere in an entry is theirs alone."""
        if "register" not in self._shared:
            register = self.content.register
            view = {
                "sources": {str(d): refs for d, refs in register.sources.items()},
                "kommuner": [
                    [s, k.name, k.number, k.county_number, {str(d): n for d, n in k.populations.items()}]
                    + [k.role, str(k.established), [[str(r.until), r.role] for r in k.earlier_roles]]
                    + [[str(e.until), e.number, e.county, e.name] for e in k.earlier]
                    for s, k in register.kommuner.items()
                ],
            }
            self._shared["register"] = _hash(json.dumps(view, ensure_ascii=False))
        return self._shared["register"]

    def digest(self, target: Target, fmt: str, *, content_only: bool = False) -> str:
        """The digest of everything one output of ``target`` is made from: the content files its
        document declares it reads (:attr:`DocumentType.inputs`), and nothing kept apart from that;
        with ``content_only``, of those files alone (not fkj's code, engines and templates)."""
        root = self.content.root
        doc = target.doc
        parts = [] if content_only else [engine_versions(), self._templates(doc)]
        parts.append(f"{doc.name}|{target.slug}|{target.recipient}|{target.lang}|{fmt}")
        for name in doc.inputs:
            if name == REGISTER_FILE:
                parts.append(self._register_shared())
                if target.kommune is not None:
                    parts.append(target.kommune.model_dump_json())
            elif name in self._per_kommune() and target.slug is not None:
                # a per-kommune document's file (its own, or one it shows) and the municipality's override of it
                parts += [self._file(root / name), self._file(root / OVERRIDES_DIR / target.slug / name)]
            else:
                parts.append(self._file(root / name))
        if target.approved:  # what it approves, as built: a change to one of them rebuilds it
            parts.append(target.checksums().decode("utf-8"))
        return _hash(*parts)


@dataclass
class Entry:
    digest: str  # of the inputs it was made from
    size: int
    mtime_ns: int
    sha256: str  # of its bytes
    findings: list[list[Any]] | None = None  # what proof found in it (Finding.to_json), once proofed
    expected: dict[str, Any] | None = None  # what a proof compares it with (Expected.record), if it has any


class Manifest:
    """The record in ``build/`` of each output written and the digest of its inputs."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.path = out / MANIFEST
        self.entries: dict[str, Entry] = {}
        self.trees: dict[str, dict[str, Any]] = {}
        self._dirty = False
        self._unsaved: list[Path] = []  # outputs recorded since the manifest was last written
        self._saved = time.monotonic()
        self._root = out.resolve()
        self._keys: dict[Path, str] = {}  # each path's key, resolved once (a build asks for each several times)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # none yet, or unreadable: everything is rebuilt
        if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
            return
        for key, value in data.get("outputs", {}).items():
            with contextlib.suppress(TypeError, KeyError):
                findings, expected = value.get("findings"), value.get("expected")
                self.entries[key] = Entry(
                    value["digest"], value["size"], value["mtime_ns"], value["sha256"], findings, expected
                )
        self.trees = {k: v for k, v in data.get("trees", {}).items() if isinstance(v, dict)}

    def key(self, path: Path) -> str:
        """An output's path under the output directory, with "/", as the manifest records it."""
        key = self._keys.get(path)
        if key is None:
            key = self._keys[path] = path.resolve().relative_to(self._root).as_posix()
        return key

    def fresh(self, path: Path, digest: str) -> bool:
        """Whether ``path`` is the output recorded for ``digest`` and is still as it was written."""
        key = self.key(path)
        entry = self.entries.get(key)
        return entry is not None and entry.digest == digest and self._untouched(key)

    def knows(self, path: Path) -> bool:
        """Whether an output was ever recorded at ``path``."""
        return self.key(path) in self.entries

    def all_fresh(self, keys: Iterable[str]) -> bool:
        """Whether every output of a recorded tree is still as it was written."""
        return all(self._untouched(key) for key in keys)

    def _untouched(self, key: str) -> bool:
        """Whether the output recorded under ``key`` is on disk as it was written (size and time)."""
        entry = self.entries.get(key)
        try:
            stat = (self.out / key).stat()
        except OSError:
            return False
        return entry is not None and stat.st_size == entry.size and stat.st_mtime_ns == entry.mtime_ns

    def output(self, path: Path) -> tuple[str, int]:
        """The SHA-256 and size of the bytes recorded at ``path`` (an output that is :meth:`fresh`)."""
        entry = self.entries[self.key(path)]
        return entry.sha256, entry.size

    def findings(self, path: Path) -> list[Finding] | None:
        """What proof found in the output at ``path`` (an output that is :meth:`fresh`), or None when it was
        never proofed."""
        from fkj_cli.proof import Finding

        entry = self.entries[self.key(path)]
        return None if entry.findings is None else [Finding.from_json(f) for f in entry.findings]

    def expected(self, path: Path) -> dict[str, Any] | None:
        """What a proof compares the output at ``path`` with, as its build recorded it (Expected.record)."""
        entry = self.entries.get(self.key(path))
        return entry.expected if entry is not None and isinstance(entry.expected, dict) else None

    def record(
        self,
        path: Path,
        digest: str,
        sha256: str | None = None,
        findings: list[Finding] | None = None,
        expected: Expected | None = None,
    ) -> None:
        """Record the output at ``path``, made from inputs of ``digest``, whose bytes have ``sha256``
        (read from the file when not given), what proof found in it if it was proofed, and what a
        proof compares it with."""
        stat = path.stat()
        if sha256 is None:
            sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        found = None if findings is None else [f.to_json() for f in findings]
        kept = None if expected is None else expected.record()
        self.entries[self.key(path)] = Entry(digest, stat.st_size, stat.st_mtime_ns, sha256, found, kept)
        self._dirty = True
        self._unsaved.append(path)
        if time.monotonic() - self._saved > 2.0:  # a killed build loses at most a few seconds' record
            self.save()

    def record_findings(self, path: Path, findings: list[Finding]) -> None:
        """What proof found in the recorded output at ``path``, proofed after it was written."""
        self.entries[self.key(path)].findings = [f.to_json() for f in findings]
        self._dirty = True

    def record_tree(self, options: str, digest: str, outputs: list[Path]) -> None:
        self.trees[options] = {"digest": digest, "outputs": sorted(self.key(p) for p in outputs)}
        self._dirty = True

    def forget_tree(self, options: str) -> None:
        if self.trees.pop(options, None) is not None:
            self._dirty = True

    def save(self) -> None:
        """Write the manifest. Where it cannot be written (the disk is full), the outputs recorded since
        it was last written are removed, so that every output on disk is one the manifest records."""
        self._saved = time.monotonic()
        if not self._dirty:
            return
        data = {
            "format": FORMAT_VERSION,
            "outputs": {k: vars(e) for k, e in sorted(self.entries.items())},
            "trees": self.trees,
        }
        try:
            # compact, so that json's C encoder writes it (an indent takes the pure-Python one, four times slower:
            # a build writes the manifest every few seconds)
            write_text(self.path, json.dumps(data, sort_keys=True, separators=(",", ":")))
        except FkjError:
            for path in self._unsaved:
                path.unlink(missing_ok=True)
            self._unsaved = []
            raise
        self._unsaved = []
        self._dirty = False


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold ``build/.fkj-lock`` for the build, or fail at once if another build holds it.

    The lock is the operating system's (flock): it goes with the process that
    held it, however that process ends, so no stale lock is ever left behind.
    Leftover temporary files of a build that was killed are removed here.
    """
    created = not out.exists()
    make_dir(out)
    path = out / LOCK
    with writing(path):
        fh: IO[str] = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the whole build
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise FkjError(
                f"another fkj build is writing into {display_path(out)}/ (pid {holder}); "
                "wait for it to finish, or build into another --out"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        for stale in out.rglob(".*.tmp"):  # what a killed build was writing
            stale.unlink(missing_ok=True)
        try:
            yield
        finally:
            if created and [p.name for p in out.iterdir()] == [LOCK]:  # a build that wrote nothing leaves nothing
                path.unlink()
                out.rmdir()
    finally:
        fh.close()
