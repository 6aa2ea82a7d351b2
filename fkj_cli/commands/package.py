"""`fkj package`: the mailing as Fiks Arkiv messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.archive.package import PackageReport
    from fkj_cli.present import Bar, Presenter


@dataclass(frozen=True)
class Packaged:
    report: PackageReport

    @property
    def exit_code(self) -> int:
        return 0 if self.report.ok else 1

    def present(self, out: Presenter) -> None:
        from fkj_cli import present

        present.package(self.report, out)


def run(
    kommuner: list[str],
    every: bool,
    sender: bool,
    out: Path,
    content: Path,
    jobs: int | None = None,
    force: bool = False,
    draft: bool = False,
    progress: Callable[[str], Bar] | None = None,
) -> Packaged:
    """Package the mailing for ``kommuner`` or, with ``every``, for all it goes to; a bar with ``every``."""
    import os

    from fkj_cli.archive.package import package

    bar = progress("Building the mailing") if progress and every else None
    try:
        report = package(
            kommuner=kommuner,
            every=every,
            sender=sender,
            out=out,
            content=content,
            jobs=jobs or os.cpu_count() or 1,
            force=force,
            draft=draft,
            reporter=bar,
        )
    finally:
        if bar:
            bar.stop()
    return Packaged(report)
