"""The last stage of every command that writes: files replaced whole, or not at all.

Every writer in fkj (documents, the manifest, formatted content, schemas,
the register, redlines) goes through :func:`write_files`, so a failure never
leaves a half-written file behind. A failure of the operating system (a full
disk, a read-only file system, a file where a folder should be) is the
user's situation, not a bug: it becomes an :class:`OutputError` that names
the path and says what is wrong in plain words.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from fkj_cli.errors import FkjError, display_path

# What each error means for the user, in the words the message uses.
REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "is a file, not a folder",
    errno.EEXIST: "is a file, not a folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ENAMETOOLONG: "the name is too long",
}
# After these nothing more can be written there: a batch stops instead of failing every document.
FATAL = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


class OutputError(FkjError):
    """fkj could not write one of its outputs; ``fatal`` when nothing more can be written there."""

    def __init__(self, path: Path, code: int | None, detail: str) -> None:
        self.path = path
        self.code = code
        self.written: list[Path] = []  # files of the same set already in place when it failed (whole)
        reason = REASONS.get(code or 0) or (f"cannot write here ({detail.lower()})" if detail else "cannot write here")
        super().__init__(f"{display_path(path)}: {reason}")

    @property
    def fatal(self) -> bool:
        return self.code in FATAL


def output_error(exc: OSError, path: Path, *, folder: bool = False) -> OutputError:
    """``exc``, raised while writing the file (or creating the ``folder``) ``path``, as the user should read it."""
    where = path
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        # a folder on the way is a file: name that file, not the path below it
        where = next((p for p in [path, *path.parents] if p.exists() and not p.is_dir()), path)
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
        where = path if folder else path.parent  # the folder that cannot take it
    return OutputError(where, exc.errno, exc.strerror or str(exc))


@contextmanager
def writing(path: Path, *, folder: bool = False) -> Iterator[None]:
    """Turn an operating-system error while writing at ``path`` into an :class:`OutputError`."""
    try:
        yield
    except OSError as exc:
        raise output_error(exc, path, folder=folder) from None


def make_dir(path: Path) -> None:
    """Create the folder ``path`` and its parents, or say plainly why not."""
    with writing(path, folder=True):
        path.mkdir(parents=True, exist_ok=True)


def write_files(files: Mapping[Path, bytes], *, keep_mode: bool = False) -> None:
    """Write every file or none: each goes to a temporary file beside it first, then all are renamed.

    New files get mode 0644; with ``keep_mode`` a file that exists keeps its permissions.
    On failure no temporary file is left behind; a failure while renaming (after
    everything was written) leaves the files renamed before it whole, and says
    which in the error's ``written``.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            make_dir(path.parent)
            with writing(path):
                fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
                staged.append((Path(name), path))
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                mode = 0o644
                if keep_mode and path.exists():
                    mode = path.stat().st_mode & 0o7777
                os.chmod(name, mode)
        done: list[Path] = []
        for tmp, path in staged:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                error = output_error(exc, path)
                error.written = done
                raise error from None
            done.append(path)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str, *, keep_mode: bool = False) -> None:
    """Write ``text`` as UTF-8, atomically."""
    write_files({path: text.encode("utf-8")}, keep_mode=keep_mode)


def check_out_dir(out: Path, content_root: Path) -> None:
    """Refuse to write outputs into the content directory, which holds only what editors write."""
    out_r, content_r = out.resolve(), content_root.resolve()
    if out_r == content_r or content_r in out_r.parents:
        raise FkjError(f"refusing to write output into the content directory ({display_path(out)})")
