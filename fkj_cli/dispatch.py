"""Running a command for the command line: its result presented, its errors reported, an exit code.

The one place that turns an exception into a message and an exit code: 1 for what the user can
fix (no traceback), 3 for a bug (its traceback in a log file), 130 when interrupted, 141 when the
reader stopped reading; typer itself exits 2 on a usage error.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from fkj_cli import __version__

if TYPE_CHECKING:
    from fkj_cli.commands import Result
    from fkj_cli.present import Presenter


def dispatch(
    command: Callable[..., Result], /, *args: Any, bar: bool = False, presenter: bool = False, **kwargs: Any
) -> None:
    """Run ``command`` (given a progress bar to show, with ``bar``; the presenter, to say what it does while
    it runs, with ``presenter``), present its result and exit with the code it says."""
    from fkj_cli.present import Presenter

    out = Presenter()

    def go() -> None:
        extra: dict[str, Any] = {"progress": out.bar} if bar else {}
        if presenter:
            extra["out"] = out
        result = command(*args, **kwargs, **extra)
        result.present(out)
        if result.exit_code:
            raise typer.Exit(result.exit_code)

    run(go, out)


def run(func: Callable[[], None], out: Presenter) -> None:
    """Run a command: user errors exit 1 without a traceback, bugs exit 3."""
    from fkj_cli.errors import ContentError, FkjError, InputError

    try:
        func()
    except ContentError as exc:
        for problem in exc.problems:
            out.error(str(problem))
        out.error(f"✗ {exc.summary()}", style="bold red")
        raise typer.Exit(1) from None
    except InputError as exc:
        for line in exc.problems:
            out.error(line if exc.summary else f"error: {line}")
        if exc.summary:
            out.error(f"✗ {exc.summary}", style="bold red")
        raise typer.Exit(1) from None
    except FkjError as exc:
        out.error(f"error: {exc}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        out.error("interrupted")
        raise typer.Exit(130) from None
    except BrokenPipeError:  # the reader stopped reading (`fkj diff HEAD~1 | head`): not a bug
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
        raise typer.Exit(141) from None
    except (typer.Exit, typer.Abort):
        raise
    except OSError as exc:
        from fkj_cli.write import REASONS, output_error

        if exc.errno not in REASONS or not exc.filename:
            raise _bug(out) from None
        out.error(f"error: {output_error(exc, Path(exc.filename))}")  # the user's disk, not a bug
        raise typer.Exit(1) from None
    except Exception:
        raise _bug(out) from None


def _bug(out: Presenter) -> typer.Exit:
    """Report the exception being handled as a bug in fkj: the traceback goes to a log file, exit 3."""
    import tempfile

    fd, log = tempfile.mkstemp(prefix="fkj-crash-", suffix=".log")
    with open(fd, "w", encoding="utf-8") as fh:
        fh.write(f"fkj {__version__}\n{' '.join(sys.argv)}\n\n{traceback.format_exc()}")
    out.error(f"fkj hit a bug: {sys.exc_info()[1]!r}\nThe traceback is in {log}; please report it.")
    return typer.Exit(3)


def print_version(value: bool) -> None:
    """The --version option's callback."""
    if value:
        from fkj_cli.present import Presenter

        Presenter().echo(f"fkj {__version__}")
        raise typer.Exit()
