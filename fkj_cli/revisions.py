"""The content tree at a git revision: taken out of git into a temporary directory and loaded.

``None`` for a revision means the working tree, read in place. Every failure a
user can cause (no repository, an unknown revision, no content directory at
that revision, invalid content there) is an :class:`FkjError` naming it.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from fkj_cli.errors import ContentError, FkjError, Problem, display_path
from fkj_cli.pipeline import prepare

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.render import Renderer

WORKING_TREE = "the working tree"


@dataclass(frozen=True)
class Revision:
    """A commit as the user named it, or the working tree (``commit`` None)."""

    label: str
    commit: str | None = None

    @property
    def short(self) -> str:
        """A name fit for a file name: the abbreviated commit, or ``worktree``."""
        return self.commit[:7] if self.commit else "worktree"


class RevisionContentError(ContentError):
    """The content at a revision has problems; its summary says which revision."""

    def __init__(self, problems: list[Problem], label: str) -> None:
        self.label = label
        super().__init__(problems)

    def summary(self) -> str:
        return f"{super().summary()} at {self.label}"


class Repository:
    """The git repository around a directory."""

    def __init__(self, start: Path) -> None:
        where = start if start.is_dir() else Path.cwd()
        proc = self._run(["rev-parse", "--show-toplevel"], where)
        if proc.returncode != 0:
            raise FkjError(
                f"{display_path(where)} is not in a git repository; fkj diff and redline read revisions from git"
            )
        self.top = Path(proc.stdout.decode().strip()).resolve()

    @staticmethod
    def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
        try:
            return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
        except FileNotFoundError:
            raise FkjError("git is not installed; fkj diff and redline need it") from None

    def git(self, *args: str) -> bytes:
        proc = self._run(list(args), self.top)
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip()
            raise FkjError(f"git {args[0]} failed: {detail}")
        return proc.stdout

    def revision(self, ref: str | None) -> Revision:
        """The commit ``ref`` names; None is the working tree."""
        if ref is None:
            return Revision(WORKING_TREE)
        if not ref or ref.startswith("-"):
            raise FkjError(f"unknown revision {ref!r}")
        proc = self._run(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], self.top)
        if proc.returncode != 0:
            raise FkjError(f"unknown revision {ref!r}: git knows no commit by that name")
        return Revision(ref, proc.stdout.decode().strip())

    def author_and_date(self, revision: Revision) -> tuple[str, dt.datetime] | None:
        """The commit's author and its committer date; None for the working tree."""
        if revision.commit is None:
            return None
        name, _, stamp = self.git("show", "-s", "--format=%an%x00%ct", revision.commit).decode().strip().partition("\0")
        return name, dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC)

    def relative(self, content_dir: Path) -> str:
        """``content_dir`` as a path inside the repository, in git's spelling."""
        try:
            rel = content_dir.resolve().relative_to(self.top)
        except ValueError:
            raise FkjError(
                f"the content directory {display_path(content_dir)} is not inside the git repository "
                f"at {display_path(self.top)}"
            ) from None
        return rel.as_posix()

    def materialize(self, revision: Revision, content_dir: Path, into: Path) -> Path:
        """Write the content directory as of ``revision`` under ``into``; return its path there."""
        assert revision.commit is not None
        rel = self.relative(content_dir)
        if rel != ".":
            kind = self._run(["cat-file", "-t", f"{revision.commit}:{rel}"], self.top)
            if kind.returncode != 0 or kind.stdout.decode().strip() != "tree":
                raise FkjError(f"there is no {rel}/ directory at {revision.label}")
        archive = self.git("archive", "--format=tar", revision.commit, *([] if rel == "." else ["--", rel]))
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(into, filter="data")
        return into / rel


def load_at(
    repo: Repository, revision: Revision, content_dir: Path, stack: ExitStack, *, renderer: Renderer
) -> Content:
    """The content at ``revision`` through stages 1–4 (valid, texts checked with ``renderer``);
    its temporary directory lives as long as ``stack``."""
    if revision.commit is None:
        return prepare(content_dir, renderer).content
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="fkj-rev-")))
    root = repo.materialize(revision, content_dir, tmp)
    try:
        return prepare(root, renderer).content
    except ContentError as exc:
        raise RevisionContentError(_relabel(exc.problems, tmp, revision.label), revision.label) from None


class Comparison:
    """Two revisions of the content tree: ``old`` at ``before`` and ``new`` at ``after``, each loaded
    when first asked for (so the caller says whose problems are reported first)."""

    def __init__(
        self,
        repo: Repository,
        before: Revision,
        after: Revision,
        content_dir: Path,
        stack: ExitStack,
        renderer: Renderer,
    ) -> None:
        self.repo, self.before, self.after = repo, before, after
        self._content_dir, self._stack, self._renderer = content_dir, stack, renderer

    @cached_property
    def old(self) -> Content:
        return load_at(self.repo, self.before, self._content_dir, self._stack, renderer=self._renderer)

    @cached_property
    def new(self) -> Content:
        return load_at(self.repo, self.after, self._content_dir, self._stack, renderer=self._renderer)


@contextmanager
def between(content_dir: Path, from_ref: str | None, to_ref: str | None, *, renderer: Renderer) -> Iterator[Comparison]:
    """The content at ``from_ref`` and at ``to_ref`` (None: the working tree), both named before either
    is loaded, so a misspelt revision fails fast; what is taken out of git lives as long as the block.
    `fkj diff` and `fkj redline` both start here."""
    repo = Repository(content_dir)
    before, after = repo.revision(from_ref), repo.revision(to_ref)
    with ExitStack() as stack:
        yield Comparison(repo, before, after, content_dir, stack, renderer)


def _relabel(problems: list[Problem], tmp: Path, label: str) -> list[Problem]:
    """Problems with the temporary directory replaced by ``REV:``, git's name for a file at a revision."""
    prefixes = {str(tmp) + "/", str(tmp.resolve()) + "/", display_path(tmp) + "/"}

    def fix(text: str) -> str:
        for prefix in prefixes:
            text = text.replace(prefix, f"{label}:")
        return text

    return [Problem(fix(p.file), p.line, p.col, p.key, fix(p.message)) for p in problems]
