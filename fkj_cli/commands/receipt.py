"""`fkj receipt import`: the archives' numbers into content."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.archive.receipt import ReceiptReport
    from fkj_cli.present import Presenter


@dataclass(frozen=True)
class Receipts:
    report: ReceiptReport
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        from fkj_cli import present

        present.receipts(self.report, out)


def run_import(
    files: list[Path], content: Path, dry_run: bool = False, kommune: str | None = None, sender: bool = False
) -> Receipts:
    from fkj_cli.archive.receipt import import_receipts

    return Receipts(import_receipts(files=files, content=content, dry_run=dry_run, kommune=kommune, sender=sender))
