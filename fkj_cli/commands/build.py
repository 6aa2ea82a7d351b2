"""`fkj build <document>` and `fkj build all`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.build import Report, Request
    from fkj_cli.present import Bar, Presenter


@dataclass(frozen=True)
class Built:
    report: Report
    every: bool
    out: Path
    proofed: bool = False  # with --proof: what proof found follows, and fails the command
    strict: bool = False  # warnings fail too
    listed: bool = True  # what was built is listed (fkj proof builds nothing, and lists only what it found)

    @property
    def exit_code(self) -> int:
        from fkj_cli.present import proof_failed

        failed = self.report.stopped or any(o.error for o in self.report.outcomes)
        if self.proofed and proof_failed(self.report, self.strict):
            return 1
        return 1 if self.every and self.report.loaded and failed else 0

    def present(self, out: Presenter) -> None:
        from fkj_cli import present
        from fkj_cli.errors import display_path

        if not self.listed:
            pass
        elif not self.report.loaded:
            out.print(f"Nothing to do: {self.report.up_to_date} outputs in {display_path(self.out)}/ are up to date.")
        elif self.every:
            present.summary(self.report, out)
        else:
            present.written(self.report, out)
        if self.proofed:
            present.findings(self.report, out, self.strict)


def run(
    doc_name: str | None,
    refs: list[str],
    every: bool,
    formats: Sequence[str],
    out: Path,
    content: Path,
    lang: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    proof: bool = False,
    progress: Callable[[str], Bar] | None = None,
) -> Built:
    """Build ``doc_name`` (every document type when None) for ``refs`` or, with ``every``, for all,
    in ``formats`` (DOCX and PDF when none).

    For named municipalities the first document that failed is the error (FkjError); with
    ``every`` the failures are in the summary, so that one kommune does not hide the others. With
    ``proof``, every DOCX and PDF it writes is proofed (see :mod:`fkj_cli.proof`)."""
    from fkj_cli.errors import FkjError

    request = _request(doc_name, refs, every, formats, out, content, lang, jobs, force)
    docs = request.docs
    # a document that approves others (the board's case) is built after them, for everyone: shown as --all is
    every = every or any(d.approves for d in docs)
    bar = progress(f"Building {', '.join(sorted(d.name for d in docs))}") if progress and every else None
    try:
        report = _session(request, bar, proof=proof, make=True)
    finally:
        if bar:
            bar.stop()
    if report.loaded and not every:
        for outcome in report.outcomes:
            if outcome.error:
                raise FkjError(f"{outcome.target.label}: {outcome.error}")
    return Built(report, every, out, proof)


def _request(
    doc_name: str | None,
    refs: list[str],
    every: bool,
    formats: Sequence[str],
    out: Path,
    content: Path,
    lang: str | None,
    jobs: int | None,
    force: bool,
) -> Request:
    import os

    from fkj_cli.build import Request
    from fkj_cli.documents import document_type, document_types

    docs = [document_type(doc_name)] if doc_name else document_types()
    return Request(
        docs=docs,
        refs=refs,
        every=every,
        formats=list(dict.fromkeys(str(f) for f in formats or ["docx", "pdf"])),
        out=out,
        content=content,
        lang=str(lang) if lang else None,  # the option's enum, as plain text
        jobs=jobs or os.cpu_count() or 1,
        force=force,
    )


def _session(request: Request, bar: Bar | None, *, proof: bool, make: bool) -> Report:
    from fkj_cli.build import session

    with session(request.content, request.out, request.templates) as s:
        return s.build(request, bar, proof=proof, make=make)
