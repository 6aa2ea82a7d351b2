"""`fkj review import`: a reviewer's Word comments and tracked changes, back into the content."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.present import Presenter
    from fkj_cli.review.importer import ReviewReport


@dataclass(frozen=True)
class Reviewed:
    report: ReviewReport
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        from fkj_cli import present

        present.review(self.report, out)


def run_import(file: Path, apply: bool, shared: bool, force: bool, report: Path | None, content: Path) -> Reviewed:
    """Map every change and comment of ``file`` to the content; with ``apply`` write what can be applied;
    with ``report`` write the report there too (Markdown or CSV, by its suffix)."""
    from fkj_cli.review.importer import import_review
    from fkj_cli.review.report import check_path, write_report

    if report is not None:
        check_path(report)
    done = import_review(file, content_root=content, apply=apply, shared=shared, force=force)
    if report is not None:
        write_report(done, report)
    return Reviewed(done)
