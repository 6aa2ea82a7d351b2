"""`fkj decision record` and `fkj decision import`: the decisions into commitments.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.decisions import Report
    from fkj_cli.present import Presenter


@dataclass(frozen=True)
class Decisions:
    report: Report
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        from fkj_cli import present

        present.decisions(self.report, out)


def record(
    kommune: str, status: str, date: str, body: str, case: str | None, content: Path, dry_run: bool = False
) -> Decisions:
    from fkj_cli import decisions

    return Decisions(
        decisions.record(
            content_dir=content, kommune=kommune, status=status, date=date, body=body, case=case, dry_run=dry_run
        )
    )


def run_import(file: Path, content: Path, dry_run: bool = False) -> Decisions:
    from fkj_cli.decisions import import_sheet

    return Decisions(import_sheet(content_dir=content, sheet=file, dry_run=dry_run))
