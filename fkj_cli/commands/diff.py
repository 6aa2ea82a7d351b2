"""`fkj diff`: the content changes between two revisions, and the documents they touch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.present import Presenter


@dataclass(frozen=True)
class Diff:
    lines: list[str]
    before: str  # the revisions' labels
    after: str
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        out.echo("\n".join(self.lines) or f"No changes in content between {self.before} and {self.after}.")


def run(rev: str, rev2: str | None, content: Path) -> Diff:
    from fkj_cli.render import Renderer
    from fkj_cli.revisions import between
    from fkj_cli.semdiff import report

    renderer = Renderer()
    with between(content, rev, rev2, renderer=renderer) as revisions:
        lines = report(revisions.old, revisions.new, renderer).lines()
    return Diff(lines, revisions.before.label, revisions.after.label)
