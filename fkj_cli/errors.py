"""The exceptions fkj raises for problems a user can fix.

Everything a user can cause derives from :class:`FkjError`; the CLI prints
those without a traceback and exits 1. Any other exception is a bug in fkj.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


class FkjError(Exception):
    """A problem the user can fix; its message is shown as is."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one content file, with where it is."""

    file: str
    line: int
    col: int
    key: str
    message: str

    def __str__(self) -> str:
        key = f" {self.key}:" if self.key else ""
        return f"{self.file}:{self.line}:{self.col}:{key} {self.message}"


class ContentError(FkjError):
    """The content tree has one or more problems; all of them are carried."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def summary(self) -> str:
        files = len({p.file for p in self.problems})
        n = len(self.problems)
        return f"{n} problem{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}"


class InputError(FkjError):
    """Bad input to a command that reads files of its own (a tracking sheet, an archive's receipts):
    every problem, one line each (``FILE[:ROW]: message``), and for a whole file a summary closing the list."""

    def __init__(self, problems: list[str], summary: str | None = None) -> None:
        self.problems = problems
        self.summary = summary
        super().__init__("\n".join(problems))


class TemplateError(FkjError):
    """A template (or a text in content) failed to render."""


class ConversionError(FkjError):
    """pandoc or typst failed to turn Markdown into an output format."""


class UnknownKommuneError(FkjError):
    """A --kommune value matched no municipality in the register."""


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user should see it: relative to the working directory if inside it."""
    try:
        return str(path.resolve().relative_to((root or Path.cwd()).resolve()))
    except ValueError:
        return str(path)


def yaml_error_at(exc: Any, display: str) -> str:
    """Where a YAML parser's error (``yaml.MarkedYAMLError``) is, as ``FILE:LINE:COL`` (only ``FILE`` when the
    parser gives no mark), for messages that say what is wrong after it."""
    mark = exc.problem_mark or exc.context_mark
    return f"{display}:{mark.line + 1}:{mark.column + 1}" if mark else display
