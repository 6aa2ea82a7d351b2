"""One module per command: a plain function that takes the command's options as typed arguments and
returns a :class:`Result`, or raises an :class:`~fkj_cli.errors.FkjError` the command line reports.

Nothing here knows typer; what a result prints goes through :class:`~fkj_cli.present.Presenter`.
Heavy modules are imported inside the functions, and a command's module when it is first named
(``commands.validate``), so that `fkj --help` loads none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from types import ModuleType

    from fkj_cli.present import Presenter

MODULES = (
    "build", "decision", "diff", "economics", "fmt", "kommuner", "lint", "list", "package", "proof", "receipt",
    "preview", "redline", "review", "schema", "show", "status", "textconv", "validate",
)  # fmt: skip


def __getattr__(name: str) -> ModuleType:
    if name not in MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return importlib.import_module(f"{__name__}.{name}")


class Result(Protocol):
    """What a command returns: it presents itself and says the exit code (0, or 1 when it failed)."""

    @property
    def exit_code(self) -> int: ...

    def present(self, out: Presenter) -> None: ...


@dataclass(frozen=True)
class Lines:
    """Plain lines on stdout, for the commands that say no more than that."""

    lines: list[str] = field(default_factory=list)
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        for line in self.lines:
            out.echo(line)
