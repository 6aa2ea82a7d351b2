"""`fkj build`: the pipeline for many targets, skipping what is up to date, in parallel workers.

:func:`run` reads as the pipeline (:mod:`fkj_cli.pipeline`): stages 1–4 once
for the whole build, then render, convert and write for each target that is
not up to date. Nothing is half-written on failure.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from fkj_cli.convert import Converter, peak_memory
from fkj_cli.errors import FkjError
from fkj_cli.incremental import Inputs, Manifest, build_lock, tree_digest
from fkj_cli.participation import Figures
from fkj_cli.pipeline import Prepared, make, prepare
from fkj_cli.render import Renderer
from fkj_cli.resources import TEMPLATES
from fkj_cli.targets import Target, plan
from fkj_cli.write import OutputError, check_out_dir, write_files

if TYPE_CHECKING:
    from fkj_cli.documents.kind import DocumentType


@dataclass
class Outcome:
    target: Target
    written: list[Path] = field(default_factory=list)
    error: str | None = None
    skipped: bool = False  # up to date: its inputs did not change since it was written
    fatal: bool = False  # its error stops the build: nothing more can be written (a full disk)


class Builder:
    """Renders, converts and writes targets with one renderer and one converter, so that work is shared."""

    def __init__(self, prepared: Prepared, out: Path, formats: list[str], converter: Converter | None) -> None:
        self.prepared = prepared
        self.out = out
        self.formats = formats
        self.converter = converter
        check_out_dir(out, prepared.content.root)

    def build(self, target: Target) -> Outcome:
        """Build one target; a user-fixable failure is reported in the outcome, not raised."""
        try:
            made, images = make(self.prepared, target, self.formats, self.converter)  # render and convert
            paths = target.paths(self.out, self.formats)
            files = {paths[fmt]: data for fmt, data in made.items()}
            if "md" in self.formats:  # the Markdown's images beside it, so that its links work
                files.update({paths["md"].with_name(name): data for name, data in images.items()})
            write_files(files)
        except OutputError as exc:  # what was renamed into place before it failed is whole and recorded
            return Outcome(target, written=exc.written, error=str(exc), fatal=exc.fatal)
        except FkjError as exc:
            return Outcome(target, error=str(exc))
        return Outcome(target, written=list(files))


class Reporter(Protocol):
    """How a build shows its progress (the CLI's progress bar)."""

    def start(self, total: int, up_to_date: int) -> None: ...

    def advance(self) -> None: ...


@dataclass(kw_only=True)
class Request:
    """One build command: which documents, for whom, in which formats, where."""

    docs: list[DocumentType]
    refs: list[str] = field(default_factory=list)
    every: bool = False
    formats: list[str]
    out: Path
    content: Path
    lang: str | None = None
    jobs: int = 1
    force: bool = False
    templates: Path = TEMPLATES

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
    stopped: str | None = None  # why the build stopped before the end (a full disk), if it did
    not_built: int = 0  # targets left undone when it stopped


def _converter(formats: list[str], templates: Path) -> Converter | None:
    return Converter(templates) if set(formats) - {"md"} else None


def run(request: Request, reporter: Reporter | None = None) -> Report:
    """Build what ``request`` asks for, skipping outputs whose inputs did not change.

    The output directory is locked for the build; every output is written
    whole or not at all; the manifest records each output as it is written,
    so that a build that is stopped is completed by the next one.
    """
    with build_lock(request.out):
        manifest = Manifest(request.out)
        report: Report | None = None
        try:
            key = request.key()
            whole = tree_digest(request.content, request.templates, key)
            recorded = manifest.trees.get(key)
            if (
                not request.force
                and recorded
                and recorded["digest"] == whole
                and manifest.all_fresh(recorded["outputs"])
            ):
                report = Report([], up_to_date=len(recorded["outputs"]), loaded=False)
                return report
            manifest.forget_tree(key)

            # stages 1-4: load, validate, compute, check texts (compiled once, for the build too)
            prepared = prepare(request.content, Renderer(request.templates))
            targets = [
                t
                for d in request.docs
                for t in plan(prepared.content, d, request.refs, every=request.every, lang=request.lang)
            ]
            inputs = Inputs(prepared.content, request.templates)
            outcomes: dict[int, Outcome] = {}
            todo: dict[int, dict[Path, str]] = {}  # target index -> output path -> digest of its inputs
            up_to_date = 0
            for i, target in enumerate(targets):
                paths = target.paths(request.out, request.formats)
                digests = {path: inputs.digest(target, fmt) for fmt, path in paths.items()}
                # the charts beside the Markdown are made from its inputs; a chart the document does not
                # show is never written, so only those written before count towards being up to date
                charts: dict[Path, str] = {}
                if "md" in paths:
                    charts = dict.fromkeys(target.chart_paths(request.out), digests[paths["md"]])
                expected = {**digests, **{p: d for p, d in charts.items() if manifest.knows(p)}}
                if not request.force and all(manifest.fresh(p, d) for p, d in expected.items()):
                    outcomes[i] = Outcome(target, written=list(expected), skipped=True)
                    up_to_date += len(expected)
                else:
                    todo[i] = {**digests, **charts}

            # stages 5-7 for each target that is not up to date: render, convert, write
            converter = _converter(request.formats, request.templates)
            builder = Builder(prepared, request.out, request.formats, converter)
            if reporter:
                reporter.start(len(todo), up_to_date)
            peak = 0
            stopped = None
            jobs = [(i, targets[i]) for i in todo]
            results = _execute(builder, jobs, request.jobs, reporter)
            try:
                for index, outcome, memory in results:
                    outcomes[index] = outcome
                    peak = max(peak, memory)
                    for path in outcome.written:
                        manifest.record(path, todo[index][path])
                    if outcome.fatal:  # a full disk fails every document after it alike
                        stopped = outcome.error
                        break
            finally:
                results.close()  # stops the workers at once when the build stopped early
                if converter is not None:
                    converter.close()
            ordered = [outcomes[i] for i in range(len(targets)) if i in outcomes]
            if not any(o.error for o in ordered):
                manifest.record_tree(key, whole, [p for o in ordered for p in o.written])
            report = Report(ordered, up_to_date, peak, stopped=stopped, not_built=len(targets) - len(ordered))
            return report
        finally:
            try:
                manifest.save()
            except OutputError as exc:
                # the disk that stopped the build cannot take the manifest either: the outputs
                # it would have recorded are gone (see Manifest.save), and the next build makes them
                if report is None:
                    raise
                report.stopped = report.stopped or str(exc)
                for outcome in report.outcomes:
                    if outcome.written and not all(p.exists() for p in outcome.written):
                        outcome.written, outcome.error = [], f"not kept: {exc}"


# The builder of a worker process in a parallel build.
_WORKER: Builder | None = None


def _execute(
    builder: Builder, jobs: list[tuple[int, Target]], workers: int, reporter: Reporter | None
) -> Generator[tuple[int, Outcome, int]]:
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
    prepared = builder.prepared
    # the figures carry the content, and what was computed of them already
    setup = (prepared.figures, builder.out, builder.formats, prepared.renderer.templates)
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_start_worker, initargs=setup) as pool:
        for index, outcome, memory in pool.imap_unordered(_build_in_worker, jobs):
            if reporter:
                reporter.advance()
            yield index, outcome, memory


def _start_worker(figures: Figures, out: Path, formats: list[str], templates: Path) -> None:
    global _WORKER
    prepared = Prepared(figures.content, figures, Renderer(templates))
    _WORKER = Builder(prepared, out, formats, _converter(formats, templates))


def _build_in_worker(job: tuple[int, Target]) -> tuple[int, Outcome, int]:
    assert _WORKER is not None
    index, target = job
    return index, _WORKER.build(target), _memory(_WORKER)


def _memory(builder: Builder) -> int:
    """Peak resident memory of this process and its pandoc worker, in bytes."""
    pandoc = builder.converter.worker_memory() if builder.converter is not None else 0
    return peak_memory() + pandoc
