"""`fkj lint`: spelling, written language and plain language."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.lint import LintResult
    from fkj_cli.present import Presenter


@dataclass(frozen=True)
class Linted:
    result: LintResult
    strict: bool
    stats: bool

    @property
    def exit_code(self) -> int:
        return 1 if self.result.failed(self.strict) else 0

    def present(self, out: Presenter) -> None:
        from fkj_cli.lint import stats_table

        for line, error in self.result.lines():
            out.error(line, style="red" if error else "yellow")
        if self.stats:
            from fkj_cli.lint.built import built_table

            out.echo(stats_table(self.result.stats), nl=False)
            out.echo("")
            out.echo(built_table(self.result.built), nl=False)
        if self.exit_code:
            out.error(self.result.summary(self.strict), style="bold red")
        else:
            out.echo(self.result.summary(self.strict))


def run(paths: list[Path], content: Path, strict: bool = False, stats: bool = False) -> Linted:
    """Lint the whole tree, reporting only what is in ``paths`` when given: files under ``content``
    or the templates' catalogues, the only texts lint reads."""
    from fkj_cli.errors import FkjError, display_path
    from fkj_cli.lint import lint
    from fkj_cli.resources import TEMPLATES

    catalogues = TEMPLATES / "i18n"
    for path in paths:
        if not path.is_file():
            raise FkjError(f"{display_path(path)}: no such file")
        if not {content.resolve(), catalogues.resolve()} & set(path.resolve().parents):
            raise FkjError(
                f"{display_path(path)}: not a file under {display_path(content)}/ or {display_path(catalogues)}/"
            )
    return Linted(lint(content, only=paths, built=stats), strict, stats)
