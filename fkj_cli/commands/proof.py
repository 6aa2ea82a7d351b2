"""`fkj proof`: the documents an earlier build wrote, checked as a reader sees them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from fkj_cli.commands.build import Built, _request, _session

if TYPE_CHECKING:
    from fkj_cli.present import Bar


def run(
    doc_name: str | None,
    refs: list[str],
    every: bool,
    out: Path,
    content: Path,
    lang: str | None = None,
    jobs: int | None = None,
    strict: bool = False,
    progress: Callable[[str], Bar] | None = None,
) -> Built:
    """Proof the DOCX and PDF of ``doc_name`` (every document type when None) for ``refs`` or, with
    ``every`` (or when no kommune is named), for all. An output proofed before and unchanged since is
    not read again; one that is not up to date with the content is an error: build it first."""
    every = every or not refs
    request = _request(doc_name, refs, every, ["docx", "pdf"], out, content, lang, jobs, False)
    bar = progress(f"Proofing {', '.join(sorted(d.name for d in request.docs))}") if progress else None
    try:
        report = _session(request, bar, proof=True, make=False)
    finally:
        if bar:
            bar.stop()
    return Built(report, every, out, proofed=True, strict=strict, listed=False)
