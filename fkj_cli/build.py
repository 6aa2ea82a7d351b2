"""Plan, render, convert and write documents: nothing half-written on failure."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fkj_cli.documents import REGISTRY, DocumentType
from fkj_cli.errors import FkjError, display_path

if TYPE_CHECKING:
    from fkj_cli.content import Content
    from fkj_cli.content.kommuner import Kommune
    from fkj_cli.convert import Converter
    from fkj_cli.render import Renderer


@dataclass(frozen=True)
class Target:
    """One document for one municipality (or for the program)."""

    doc: DocumentType
    slug: str | None
    kommune: Kommune | None
    lang: str
    recipient: str | None = None  # for documents made once per recipient (hearing letters)

    @property
    def label(self) -> str:
        if self.kommune:
            return self.kommune.name
        return self.recipient or "program"

    def paths(self, out: Path, formats: Iterable[str]) -> dict[str, Path]:
        folder = out / (self.slug or self.doc.folder)
        stem = f"{self.doc.name}-{self.recipient}" if self.recipient else self.doc.name
        return {fmt: folder / f"{stem}.{fmt}" for fmt in formats}


@dataclass
class Outcome:
    target: Target
    written: list[Path] = field(default_factory=list)
    error: str | None = None


def document_type(name: str) -> DocumentType:
    try:
        return REGISTRY[name]
    except KeyError:
        raise FkjError(f"unknown document {name!r}; fkj knows {', '.join(REGISTRY)}") from None


def plan(content: Content, doc: DocumentType, refs: list[str], every: bool, lang: str | None = None) -> list[Target]:
    """The targets for ``refs`` (slugs, numbers or names) or, with ``every``, for all it concerns.

    Each document is in its municipality's written language (nynorsk where
    the målform is nynorsk, bokmål otherwise) unless ``lang`` overrides it.
    """
    if doc.scope == "program":
        return [Target(doc, None, None, lang or "nb")]
    if doc.scope == "recipient":
        recipients = content.document(doc.name).recipients
        kommuner = content.register.kommuner
        # a letter to a municipality is written in its målform, like its other documents
        return [
            Target(
                doc,
                None,
                None,
                lang or (kommuner[org].lang if (org := r.organisation) in kommuner else "nb"),
                recipient=slug,
            )
            for slug, r in recipients.items()
        ]
    if every == bool(refs):
        raise FkjError(f"name a kommune with --kommune, or use --all to build {doc.name} for every one")
    if every:
        chosen = [(s, k) for s, k in content.register.kommuner.items() if content.applies(doc, k) is None]
    else:
        chosen = [content.kommune(ref) for ref in refs]
        for _, kommune in chosen:
            if (reason := content.applies(doc, kommune)) is not None:
                raise FkjError(reason)
    return [Target(doc, slug, kommune, lang or kommune.lang) for slug, kommune in dict(chosen).items()]


def check_out_dir(out: Path, content_root: Path) -> None:
    out_r, content_r = out.resolve(), content_root.resolve()
    if out_r == content_r or content_r in out_r.parents:
        raise FkjError(f"refusing to write output into the content directory ({display_path(out)})")


def epoch_of(date: dt.date) -> int:
    """The document's date as seconds since 1970, the timestamp every output carries."""
    return calendar.timegm(date.timetuple())


class Builder:
    """Builds targets with one renderer and one converter, so that work is shared."""

    def __init__(
        self, content: Content, out: Path, formats: list[str], renderer: Renderer, converter: Converter | None
    ) -> None:
        self.content = content
        self.out = out
        self.formats = formats
        self.renderer = renderer
        self.converter = converter
        check_out_dir(out, content.root)

    def outputs(self, target: Target) -> dict[Path, bytes]:
        """Every requested format of ``target``, in memory."""
        context = self.renderer.translated(
            self.content, target.doc, target.slug, target.kommune, target.lang, recipient=target.recipient
        )
        markdown = self.renderer.render(target.doc, context)
        epoch = epoch_of(self.content.document(target.doc.name, target.slug).date)
        make_assets = target.doc.asset_maker()
        if make_assets is None or set(self.formats) <= {"md"}:  # Markdown alone embeds nothing
            return self._convert(target, markdown, epoch, self.content.root, {})
        with tempfile.TemporaryDirectory(prefix="fkj-assets-") as tmp:
            images = make_assets(context)
            for name, data in images.items():
                (Path(tmp) / name).write_bytes(data)
            return self._convert(target, markdown, epoch, Path(tmp), images)

    def _convert(
        self, target: Target, markdown: str, epoch: int, resources: Path, images: dict[str, bytes]
    ) -> dict[Path, bytes]:
        result: dict[Path, bytes] = {}
        for fmt, path in target.paths(self.out, self.formats).items():
            if fmt == "md":
                result[path] = markdown.encode("utf-8")
                continue
            assert self.converter is not None
            if fmt == "docx":
                result[path] = self.converter.docx(markdown, epoch=epoch, resources=resources, images=images)
            else:
                source = self.converter.typst_source(markdown, epoch=epoch, resources=resources, images=images)
                result[path] = self.converter.pdf(source, epoch=epoch, resources=resources)
        return result

    def build(self, target: Target) -> Outcome:
        """Build one target; a user-fixable failure is reported in the outcome, not raised."""
        try:
            files = self.outputs(target)
            write_all(files)
        except FkjError as exc:
            return Outcome(target, error=str(exc))
        return Outcome(target, written=list(files))

    def build_all(self, targets: list[Target], progress: Callable[[Target], None] | None = None) -> list[Outcome]:
        outcomes = []
        for target in targets:
            outcomes.append(self.build(target))
            if progress:
                progress(target)
        return outcomes


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file or none: each goes to a temporary file first, then all are renamed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((Path(name), path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(name, 0o644)
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
