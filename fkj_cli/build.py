"""Plan, render, convert and write documents: nothing half-written on failure."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

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
    skipped: bool = False  # up to date: its inputs did not change since it was written


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
        paths = target.paths(self.out, self.formats)
        pandoc_formats = [{"pdf": "typst"}.get(f, f) for f in paths if f != "md"]
        converted: dict[str, bytes] = {}
        if pandoc_formats:  # one pandoc request for both: the Markdown is read once
            assert self.converter is not None
            converted = self.converter.convert(
                pandoc_formats, markdown, epoch=epoch, resources=resources, images=images
            )
        result: dict[Path, bytes] = {}
        for fmt, path in paths.items():
            if fmt == "md":
                result[path] = markdown.encode("utf-8")
            elif fmt == "docx":
                result[path] = converted["docx"]
            else:
                assert self.converter is not None
                source = converted["typst"].decode("utf-8")
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


class Reporter(Protocol):
    """How a build shows its progress (the CLI's progress bar)."""

    def start(self, total: int, up_to_date: int) -> None: ...

    def advance(self) -> None: ...


@dataclass
class Request:
    """One build command: which documents, for whom, in which formats, where."""

    docs: list[DocumentType]
    refs: list[str]
    every: bool
    formats: list[str]
    out: Path
    content: Path
    lang: str | None = None
    jobs: int = 1
    force: bool = False
    templates: Path | None = None  # the templates folder; fkj's own when None

    def key(self) -> str:
        """The command's options, as the manifest remembers a whole build by them."""
        names = ",".join(d.name for d in self.docs)
        return (
            f"{names}|{','.join(self.refs)}|{self.every}|{','.join(self.formats)}|{self.lang}|{self.content.resolve()}"
        )


@dataclass
class Report:
    outcomes: list[Outcome]
    up_to_date: int  # outputs skipped because their inputs did not change
    peak_memory: int = 0  # bytes: the largest worker (Python and its pandoc)
    loaded: bool = True  # False when nothing could have changed and the content was not even loaded


def run(request: Request, reporter: Reporter | None = None) -> Report:
    """Build what ``request`` asks for, skipping outputs whose inputs did not change.

    The output directory is locked for the build; every output is written
    whole or not at all; the manifest records each output as it is written,
    so that a build that is stopped is completed by the next one.
    """
    from fkj_cli.content import load_content
    from fkj_cli.incremental import Inputs, Manifest, build_lock, tree_digest
    from fkj_cli.render import TEMPLATES, Renderer

    templates = request.templates or TEMPLATES
    with build_lock(request.out):
        manifest = Manifest(request.out)
        try:
            key = request.key()
            whole = tree_digest(request.content, templates, key)
            recorded = manifest.trees.get(key)
            if (
                not request.force
                and recorded
                and recorded["digest"] == whole
                and manifest.all_fresh(recorded["outputs"])
            ):
                return Report([], up_to_date=len(recorded["outputs"]), loaded=False)
            manifest.forget_tree(key)

            renderer = Renderer(templates)  # compiles the content's texts once, for the check and the build
            content = load_content(request.content, renderer=renderer)
            targets = [t for d in request.docs for t in plan(content, d, request.refs, request.every, request.lang)]
            inputs = Inputs(content, templates)
            outcomes: dict[int, Outcome] = {}
            todo: dict[int, dict[Path, str]] = {}  # target index -> output path -> digest of its inputs
            up_to_date = 0
            for i, target in enumerate(targets):
                paths = target.paths(request.out, request.formats)
                digests = {path: inputs.digest(target, fmt) for fmt, path in paths.items()}
                if not request.force and all(manifest.fresh(p, d) for p, d in digests.items()):
                    outcomes[i] = Outcome(target, written=list(digests), skipped=True)
                    up_to_date += len(digests)
                else:
                    todo[i] = digests

            converter = None
            if set(request.formats) - {"md"}:
                from fkj_cli.convert import Converter

                converter = Converter(templates)
            builder = Builder(content, request.out, request.formats, renderer, converter)
            if reporter:
                reporter.start(len(todo), up_to_date)
            peak = 0
            jobs = [(i, targets[i]) for i in todo]
            for index, outcome, memory in _execute(builder, jobs, request.jobs, reporter):
                outcomes[index] = outcome
                peak = max(peak, memory)
                for path in outcome.written:
                    manifest.record(path, todo[index][path])
            if converter is not None:
                converter.close()
            ordered = [outcomes[i] for i in range(len(targets))]
            if not any(o.error for o in ordered):
                manifest.record_tree(key, whole, [p for o in ordered for p in o.written])
            return Report(ordered, up_to_date, peak)
        finally:
            manifest.save()


# The builder of a worker process in a parallel build.
_WORKER: Builder | None = None


def _execute(
    builder: Builder, jobs: list[tuple[int, Target]], workers: int, reporter: Reporter | None
) -> Iterable[tuple[int, Outcome, int]]:
    """Build each (index, target), yielding (index, outcome, peak memory of the worker so far).

    With more than one worker, each is a fresh process (not a fork: the parent
    may hold threads, of typst or of the progress bar, whose locks a fork
    would copy held) that receives the loaded content once and keeps its own
    renderer, pandoc and typst. The bytes are the same as in a serial build.
    """
    workers = max(1, min(workers, len(jobs)))
    if workers == 1:
        for index, target in jobs:
            outcome = builder.build(target)
            if reporter:
                reporter.advance()
            yield index, outcome, _memory(builder)
        return
    import multiprocessing

    setup = (builder.content, builder.out, builder.formats, builder.renderer.templates)
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_start_worker, initargs=setup) as pool:
        for index, outcome, memory in pool.imap_unordered(_build_in_worker, jobs):
            if reporter:
                reporter.advance()
            yield index, outcome, memory


def _start_worker(content: Content, out: Path, formats: list[str], templates: Path) -> None:
    global _WORKER
    from fkj_cli.render import Renderer

    converter = None
    if set(formats) - {"md"}:
        from fkj_cli.convert import Converter

        converter = Converter(templates)
    _WORKER = Builder(content, out, formats, Renderer(templates), converter)


def _build_in_worker(job: tuple[int, Target]) -> tuple[int, Outcome, int]:
    assert _WORKER is not None
    index, target = job
    return index, _WORKER.build(target), _memory(_WORKER)


def _memory(builder: Builder) -> int:
    """Peak resident memory of this process and its pandoc worker, in bytes."""
    from fkj_cli.convert import peak_memory

    pandoc = builder.converter.worker_memory() if builder.converter is not None else 0
    return peak_memory() + pandoc
