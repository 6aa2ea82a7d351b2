"""`fkj fmt`: content YAML in the canonical style."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.fmt import Formatted
    from fkj_cli.present import Presenter


@dataclass(frozen=True)
class Formatting:
    results: list[Formatted]
    check: bool
    written: list[Formatted] = field(default_factory=list)
    stopped: Exception | None = None  # what stopped the writing after ``written``

    @property
    def changed(self) -> list[Formatted]:
        return [r for r in self.results if r.changed]

    @property
    def exit_code(self) -> int:
        return 1 if self.check and self.changed else 0  # --check: a file to reformat fails the commit

    def present(self, out: Presenter) -> None:
        """The files reformatted and the counts; when writing stopped, the files written, then its error
        (raised, for the command line to report)."""
        if self.stopped is not None:
            for r in self.written:
                out.echo(f"reformatted {r.display}")
            raise self.stopped
        changed = self.changed
        for r in changed:
            out.echo(f"{'would reformat' if self.check else 'reformatted'} {r.display}")
        n, same = len(changed), len(self.results) - len(changed)
        files = f"file{'s' if n != 1 else ''}"
        if self.check and changed:
            out.echo(f"{n} {files} would be reformatted, {same} already formatted (run `fkj fmt` to fix)")
        elif changed:
            out.echo(f"{n} {files} reformatted, {same} already formatted")
        else:
            out.echo(f"✓ {same} file{'s' if same != 1 else ''} already formatted")


def run(paths: list[Path], content: Path, check: bool = False) -> Formatting:
    """Format ``paths`` (every content file when empty); write the changed ones unless ``check``."""
    from fkj_cli.fmt import content_files, format_files, write

    results = format_files(paths or content_files(content))
    written: list[Formatted] = []
    if not check:
        for r in (r for r in results if r.changed):
            try:
                write(r)
            except Exception as exc:  # a full disk: say what was written before it
                return Formatting(results, check, written, exc)
            written.append(r)
    return Formatting(results, check, written)
