"""`fkj build` and the session every command that makes documents runs in.

A :class:`Session` owns the whole sequence of :mod:`fkj_cli.pipeline` for
one output folder: it locks the folder, reads the manifest once, prepares
the content (stages 1–4) at most once, plans the targets, skips what is up
to date, renders, draws, converts and writes the rest in parallel workers,
records each output as it is written, and hands every outcome, with the
bytes a later stage asked to keep, to that stage as it comes (`fkj package`
packages a municipality's mailing as soon as its documents are there).
Nothing is half-written on failure.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
from collections.abc import Callable, Collection, Generator, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from fkj_cli.content.checks import open_fields
from fkj_cli.convert import Converter, peak_memory
from fkj_cli.errors import FkjError
from fkj_cli.incremental import Inputs, Manifest, build_lock, tree_digest
from fkj_cli.participation import Figures
from fkj_cli.pipeline import Prepared, make, prepare
from fkj_cli.proof import Expected, Finding, proof
from fkj_cli.render import Renderer, render_target
from fkj_cli.resources import TEMPLATES
from fkj_cli.targets import CHECKSUMS, Approved, Target, plan
from fkj_cli.texts import check_texts
from fkj_cli.write import OutputError, check_out_dir, write_files

if TYPE_CHECKING:
    from fkj_cli.documents.kind import DocumentType


@dataclass(frozen=True)
class Output:
    """What the session knows of one output file: the SHA-256 and size of its bytes."""

    sha256: str
    size: int

    @classmethod
    def of(cls, data: bytes) -> Output:
        return cls(hashlib.sha256(data).hexdigest(), len(data))


@dataclass
class Outcome:
    target: Target
    written: list[Path] = field(default_factory=list)  # what it wrote or, when skipped, what is up to date
    error: str | None = None
    skipped: bool = False  # up to date: its inputs did not change since it was written
    fatal: bool = False  # its error stops the build: nothing more can be written (a full disk)
    files: dict[Path, Output] = field(default_factory=dict)  # each of ``written``: its digest and size
    data: dict[Path, bytes] = field(default_factory=dict)  # the bytes of what it wrote, when asked to keep them
    findings: dict[Path, list[Finding]] = field(default_factory=dict)  # what proof found in each output proofed
    expected: Expected | None = None  # what its DOCX and PDF should be, for a proof


PROOFED = ("pdf", "docx")  # the formats a reader gets, and proof reads
SENT = ("docx", "pdf")  # the formats a document is sent in, and approved in


class Builder:
    """Renders, converts and writes targets with one renderer and one converter, so that work is shared."""

    def __init__(
        self, prepared: Prepared, out: Path, formats: list[str], converter: Converter, proof: bool = False
    ) -> None:
        self.prepared = prepared
        self.out = out
        self.formats = formats
        self.converter = converter
        self.proof = proof  # proof what it builds, on the bytes it holds
        check_out_dir(out, prepared.content.root)

    def build(self, target: Target, keep: bool = False) -> Outcome:
        """Build one target; a user-fixable failure is reported in the outcome, not raised. With ``keep``,
        the outcome carries the bytes it wrote."""
        try:
            made = make(self.prepared, target, self.formats, self.converter)  # render, draw, convert
            paths = target.paths(self.out, self.formats)
            files = {paths[fmt]: data for fmt, data in made.files.items()}
            if target.doc.approves:
                files[paths[CHECKSUMS]] = target.checksums()
            if "md" in self.formats:  # the Markdown's images beside it, so that its links work
                files.update({paths["md"].with_name(name): data for name, data in made.images.items()})
            write_files(files)
        except OutputError as exc:  # what was renamed into place before it failed is whole and recorded
            return Outcome(target, written=exc.written, error=str(exc), fatal=exc.fatal)
        except FkjError as exc:
            return Outcome(target, error=str(exc))
        outputs = {path: Output.of(data) for path, data in files.items()}
        outcome = Outcome(target, written=list(files), files=outputs, data=files if keep else {})
        proofed = {paths[fmt]: made.files[fmt] for fmt in PROOFED if fmt in made.files}
        if proofed:  # recorded with the outputs, so that a later proof need not render the document again
            outcome.expected = self._expected(target, made.markdown)
        if self.proof and outcome.expected is not None:
            outcome.findings = _proof(proofed, outcome.expected)
        return outcome

    def proof_built(self, target: Target, outcome: Outcome) -> Outcome:
        """Proof the outputs of ``target`` an earlier build wrote (``outcome``: up to date), from their
        files and what the build recorded of its Markdown (rendered anew where it recorded nothing)."""
        try:
            if outcome.expected is None:
                rendered = render_target(
                    self.prepared.renderer, self.prepared.content, self.prepared.figures, target, images=False
                )
                outcome.expected = self._expected(target, rendered.markdown)
        except FkjError as exc:
            outcome.error = str(exc)
            return outcome
        return _proof_files(outcome)

    def _expected(self, target: Target, markdown: str) -> Expected:
        unfilled = any(open_fields(self.prepared.content.document(target.doc.name, target.slug)))
        return Expected.of(target.doc, markdown, target.lang, unfilled)


def _proof_files(outcome: Outcome) -> Outcome:
    """Proof the DOCX and PDF ``outcome`` wrote, read from their files, against its ``expected``."""
    assert outcome.expected is not None
    proofed = {path: path.read_bytes() for path in outcome.written if path.suffix[1:] in PROOFED}
    outcome.findings = _proof(proofed, outcome.expected)
    return outcome


def _proof(outputs: dict[Path, bytes], expected: Expected) -> dict[Path, list[Finding]]:
    return {path: proof(path.suffix[1:], data, expected) for path, data in outputs.items()}


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
    pending: list[Target] = field(default_factory=list)  # the targets left undone when it stopped

    @property
    def not_built(self) -> int:
        return len(self.pending)

    @property
    def findings(self) -> list[tuple[Path, Finding]]:
        """What proof found, output by output, in the order of the targets."""
        return [(path, f) for o in self.outcomes for path, found in o.findings.items() for f in found]

    def lost(self, reason: str) -> None:
        """The manifest could not be saved, so the outputs it would have recorded are gone (see
        Manifest.save): say so, and that the build stopped for it."""
        self.stopped = self.stopped or reason
        for outcome in self.outcomes:
            if outcome.written and not all(p.exists() for p in outcome.written):
                outcome.written, outcome.error = [], f"not kept: {reason}"


# What a later stage does with each outcome as it comes; a reason to stop the build, or None.
Then = Callable[[Outcome], str | None]


class Stages(NamedTuple):
    """What a build does with its targets beside building them (see :meth:`Session.build`)."""

    reporter: Reporter | None
    keep: Collection[str]
    then: Then | None
    proof: bool
    make: bool


class Session:
    """One command's work in one output folder: see the module's docstring. Open it with :func:`session`."""

    def __init__(self, content: Path, out: Path, templates: Path, manifest: Manifest) -> None:
        self.content = content
        self.out = out
        self.templates = templates
        self.manifest = manifest
        self.reports: list[Report] = []
        self._prepared: Prepared | None = None
        self._texts_checked = False

    @property
    def prepared(self) -> Prepared:
        """The content through stages 1–4, once per session."""
        prepared = self.loaded
        if not self._texts_checked:
            check_texts(prepared.content, prepared.figures, prepared.renderer)
            self._texts_checked = True
        return prepared

    @property
    def loaded(self) -> Prepared:
        """The content through stages 1–3 (loaded, valid, its figures computed), once per session: what
        planning and a proof need. A proof renders no text, and an output built from texts that did
        not render would not be up to date."""
        if self._prepared is None:
            self._prepared = prepare(self.content, Renderer(self.templates), texts=False)
        return self._prepared

    def fresh(self, key: str, digest: str) -> bool:
        """Whether the whole command ``key`` was done for the tree ``digest`` and its outputs are untouched."""
        recorded = self.manifest.trees.get(key)
        return recorded is not None and recorded["digest"] == digest and self.manifest.all_fresh(recorded["outputs"])

    def up_to_date(self, key: str) -> int:
        return len(self.manifest.trees[key]["outputs"])

    def build(
        self,
        request: Request,
        reporter: Reporter | None = None,
        *,
        keep: Collection[str] = (),
        then: Then | None = None,
        whole: bool = True,
        proof: bool = False,
        make: bool = True,
    ) -> Report:
        """Build what ``request`` asks for, skipping outputs whose inputs did not change.

        ``keep``: the document types whose outcomes carry the bytes they wrote; ``then``: the next
        stage, called with every outcome (up to date ones first, with their digests from the manifest).
        With ``whole``, a build whose options and tree are as last time, with its outputs untouched,
        returns at once without loading the content (``then`` is not called); the manifest records
        each output as it is written, so that a build that is stopped is completed by the next one.
        With ``proof``, every DOCX and PDF is proofed where it is made (an output proofed before, and
        unchanged since, has its findings from the manifest); without ``make``, nothing is built, and
        an output that is not up to date is an error.
        """
        key = request.key() + ("|proof" if proof else "")
        digest = tree_digest(request.content, request.templates, key)
        if whole and not request.force and self.fresh(key, digest):
            return self._reported(Report([], up_to_date=self.up_to_date(key), loaded=False))
        self.manifest.forget_tree(key)
        stages = Stages(reporter, keep, then, proof, make)
        if any(d.approves for d in request.docs):
            report = self._approving(request, stages)
        else:
            report = self._build(request, stages)
        if report.stopped is None and not any(o.error for o in report.outcomes) and not report.findings:
            self.manifest.record_tree(key, digest, [p for o in report.outcomes for p in o.written])
        return self._reported(report)

    def _approving(self, request: Request, stages: Stages) -> Report:
        """Build a request with a document that approves others (the board's case): first the rest of the
        request, then what it approves (DOCX and PDF, for everyone), then it, listing each of their outputs
        with its SHA-256 as built."""
        from fkj_cli.documents import document_type

        approving = [d for d in request.docs if d.approves]
        others = [d for d in request.docs if not d.approves]
        first = self._build(replace(request, docs=others), stages) if others else Report([], 0)
        names = dict.fromkeys(name for d in approving for name in d.approves)
        approved_request = replace(
            request,
            docs=[document_type(name) for name in names],
            refs=[],
            every=True,
            formats=list(SENT),
            lang=None,
            force=request.force and not others,
        )
        second = self._build(approved_request, stages) if first.stopped is None else Report([], 0)
        approved_outcomes = second.outcomes
        # what the first part built already is not counted twice
        done = {path for o in first.outcomes for path in o.written}
        twice = [o.skipped and done.issuperset(o.written) for o in second.outcomes]
        second.up_to_date -= sum(len(o.written) for o, t in zip(second.outcomes, twice, strict=True) if t)
        second.outcomes = [o for o, t in zip(second.outcomes, twice, strict=True) if not t]
        unmade = [o for o in second.outcomes if o.error] + [Outcome(t, error="not built") for t in second.pending]
        if first.stopped or second.stopped:
            last = Report([], 0, pending=[t for d in approving for t in self._plan(request, d)])
        elif unmade:
            listed = ", ".join(f"{o.target.doc.name} for {o.target.label}" for o in unmade[:3])
            more = f" and {len(unmade) - 3} more" if len(unmade) > 3 else ""
            error = f"cannot approve what was not built: {listed}{more}"
            last = Report([Outcome(t, error=error) for d in approving for t in self._plan(request, d)], 0)
        else:
            order = list(names)
            approved = tuple(
                sorted(
                    (
                        Approved(o.target.doc.name, o.target.whom, o.target.lang, self.manifest.key(path), file.sha256)
                        for o in approved_outcomes
                        for path, file in o.files.items()
                    ),
                    key=lambda a: (order.index(a.doc), a.file),
                )
            )
            last = self._build(replace(request, docs=approving), stages, approved)
        parts = (first, second, last)
        return Report(
            [o for part in parts for o in part.outcomes],
            sum(part.up_to_date for part in parts),
            peak_memory=max(part.peak_memory for part in parts),
            stopped=next((part.stopped for part in parts if part.stopped), None),
            pending=[t for part in parts for t in part.pending],
        )

    def _recorded(self, target: Target, outputs: Iterable[Path]) -> Expected | None:
        """What the build that wrote ``outputs`` recorded they should be, when it recorded it."""
        for path in outputs:
            if (record := self.manifest.expected(path)) is not None:
                with contextlib.suppress(KeyError, TypeError, ValueError):
                    return Expected.recorded(target.doc, target.lang, record)
        return None

    def _plan(self, request: Request, doc: DocumentType) -> list[Target]:
        return plan(self.loaded.content, doc, request.refs, every=request.every, lang=request.lang)

    def _build(self, request: Request, stages: Stages, approved: tuple[Approved, ...] = ()) -> Report:
        """Build what ``request`` asks for (see :meth:`build`), each document that approves others listing
        those of ``approved`` that are its."""
        reporter, keep, then, proof, make = stages
        prepared = self.prepared if make else self.loaded  # stages 1-4; a proof alone, stages 1-3
        targets = [t for d in request.docs for t in self._plan(request, d)]
        targets = [
            replace(t, approved=tuple(a for a in approved if a.doc in t.doc.approves)) if t.doc.approves else t
            for t in targets
        ]
        inputs = Inputs(prepared.content, request.templates)
        outcomes: dict[int, Outcome] = {}
        todo: dict[int, dict[Path, str]] = {}  # target index -> output path -> digest of its inputs
        unproofed: list[int] = []  # up to date, but never proofed
        up_to_date = 0
        for i, target in enumerate(targets):
            paths = target.paths(request.out, request.formats)
            digests = {path: inputs.digest(target, fmt) for fmt, path in paths.items()}
            # the charts beside the Markdown are made from its inputs; a chart the document does not
            # show is never written, so only those written before count towards being up to date
            charts: dict[Path, str] = {}
            if "md" in paths:
                charts = dict.fromkeys(target.chart_paths(request.out), digests[paths["md"]])
            expected = {**digests, **{p: d for p, d in charts.items() if self.manifest.knows(p)}}
            if not request.force and all(self.manifest.fresh(p, d) for p, d in expected.items()):
                files = {p: Output(*self.manifest.output(p)) for p in expected}
                outcome = outcomes[i] = Outcome(target, written=list(expected), skipped=True, files=files)
                up_to_date += len(expected)
                if proof:
                    recorded = {p: self.manifest.findings(p) for p in expected if p.suffix[1:] in PROOFED}
                    if all(found is not None for found in recorded.values()):
                        outcome.findings = {p: found for p, found in recorded.items() if found is not None}
                    else:
                        outcome.expected = self._recorded(target, recorded)
                        unproofed.append(i)
            elif make:
                todo[i] = {**digests, **charts}
            else:
                outcomes[i] = Outcome(target, error="not up to date with the content: build it first (fkj build)")
        report = Report([], up_to_date)
        stopped = None
        if then is not None:
            for i in sorted(set(outcomes) - set(unproofed)):
                if (stopped := then(outcomes[i])) is not None:
                    break

        # stages 5-7 for each target that is not up to date: render, draw, convert, write (and proof)
        converter = Converter(request.templates)
        builder = Builder(prepared, request.out, request.formats, converter, proof)
        jobs: list[Job] = []
        if stopped is None:
            jobs = [(i, targets[i], targets[i].doc.name in keep, None) for i in todo]
            jobs += [(i, targets[i], False, outcomes[i]) for i in unproofed]
        if reporter:
            reporter.start(len(jobs), up_to_date)
        peak = 0
        results = _execute(builder, jobs, request.jobs, reporter)
        try:
            for index, outcome, memory in results:
                outcomes[index] = outcome
                peak = max(peak, memory)
                if index in todo:
                    for path in outcome.written:
                        output = outcome.files.get(path)
                        found = outcome.findings.get(path)
                        kept = outcome.expected if path.suffix[1:] in PROOFED else None
                        self.manifest.record(path, todo[index][path], output.sha256 if output else None, found, kept)
                else:
                    for path, found in outcome.findings.items():
                        self.manifest.record_findings(path, found)
                if outcome.fatal:  # a full disk fails every document after it alike
                    stopped = outcome.error
                    break
                if then is not None and (stopped := then(outcome)) is not None:
                    break
        finally:
            results.close()  # stops the workers at once when the build stopped early
            converter.close()
        ordered = [outcomes[i] for i in range(len(targets)) if i in outcomes]
        report.outcomes, report.peak_memory = ordered, peak
        report.pending = [t for i, t in enumerate(targets) if i not in outcomes]
        report.stopped = stopped
        return report

    def _reported(self, report: Report) -> Report:
        self.reports.append(report)
        return report

    def save(self) -> None:
        """Write the manifest. Where the disk that stopped the work cannot take it either, the outputs it
        would have recorded are gone, and every report of the session says so."""
        try:
            self.manifest.save()
        except OutputError as exc:
            if not self.reports:
                raise
            for report in self.reports:
                report.lost(str(exc))


@contextlib.contextmanager
def session(content: Path, out: Path, templates: Path = TEMPLATES) -> Iterator[Session]:
    """A :class:`Session` in ``out``, holding the build lock; the manifest is saved when it ends."""
    with build_lock(out):
        opened = Session(content, out, templates, Manifest(out))
        try:
            yield opened
        finally:
            opened.save()


def run(request: Request, reporter: Reporter | None = None) -> Report:
    """`fkj build`: what ``request`` asks for, in a session of its own (see :meth:`Session.build`)."""
    with session(request.content, request.out, request.templates) as s:
        return s.build(request, reporter)


# The builder of a worker process in a parallel build.
_WORKER: Builder | None = None

# The target's index, the target, whether to keep its bytes; and, for one that is up to date but was
# never proofed, its outcome (it is proofed, not built).
Job = tuple[int, Target, bool, Outcome | None]


def _execute(
    builder: Builder, jobs: list[Job], workers: int, reporter: Reporter | None
) -> Generator[tuple[int, Outcome, int]]:
    """Build (or proof) each job, yielding (index, outcome, peak memory of the worker so far).

    With more than one worker, each is a fresh process (not a fork: the parent
    may hold threads, of typst or of the progress bar, whose locks a fork
    would copy held) that receives the loaded content once and keeps its own
    renderer, pandoc and typst. The bytes are the same as in a serial build.
    """
    workers = max(1, min(workers, len(jobs)))
    if workers == 1:
        for job in jobs:
            index, outcome = _run(builder, job)
            if reporter:
                reporter.advance()
            yield index, outcome, _memory(builder)
        return
    context = multiprocessing.get_context("spawn")
    if all(built is not None and built.expected is not None for _, _, _, built in jobs):
        # only files to read and proof, against what their build recorded: a worker needs no content
        pool = context.Pool(workers)
        results = pool.imap_unordered(_proof_in_worker, jobs)
    else:
        prepared = builder.prepared
        # the figures carry the content, and what was computed of them already
        setup = (prepared.figures, builder.out, builder.formats, prepared.renderer.templates, builder.proof)
        pool = context.Pool(workers, initializer=_start_worker, initargs=setup)
        results = pool.imap_unordered(_build_in_worker, jobs)
    with pool:
        for index, outcome, memory in results:
            if reporter:
                reporter.advance()
            yield index, outcome, memory


def _run(builder: Builder, job: Job) -> tuple[int, Outcome]:
    index, target, keep, built = job
    return index, builder.build(target, keep) if built is None else builder.proof_built(target, built)


def _start_worker(figures: Figures, out: Path, formats: list[str], templates: Path, proof: bool) -> None:
    global _WORKER
    prepared = Prepared(figures.content, figures, Renderer(templates))
    _WORKER = Builder(prepared, out, formats, Converter(templates), proof)


def _build_in_worker(job: Job) -> tuple[int, Outcome, int]:
    assert _WORKER is not None
    index, outcome = _run(_WORKER, job)
    return index, outcome, _memory(_WORKER)


def _proof_in_worker(job: Job) -> tuple[int, Outcome, int]:
    index, _, _, built = job
    assert built is not None and built.expected is not None
    return index, _proof_files(built), peak_memory()


def _memory(builder: Builder) -> int:
    """Peak resident memory of this process and its pandoc worker, in bytes."""
    return peak_memory() + builder.converter.worker_memory()
