"""`fkj redline`: a DOCX with tracked changes between two revisions."""

from __future__ import annotations

from pathlib import Path

from fkj_cli.commands import Lines


def run(
    document: str,
    from_rev: str,
    kommune: str | None = None,
    to_rev: str | None = None,
    out: Path | None = None,
    lang: str | None = None,
    content: Path = Path("content"),
) -> Lines:
    from fkj_cli.redline import write_redline

    message = write_redline(
        document,
        ref=kommune,
        from_rev=from_rev,
        to_rev=to_rev,
        out=out,
        content_dir=content,
        lang=str(lang) if lang else None,
    )
    return Lines([message])
