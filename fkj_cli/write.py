"""The last stage of every command that writes: files replaced whole, or not at all.

Every writer in fkj (documents, the manifest, formatted content, schemas,
the register, redlines) goes through :func:`write_files`, so a failure never
leaves a half-written file behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from fkj_cli.errors import FkjError, display_path


def write_files(files: Mapping[Path, bytes], *, keep_mode: bool = False) -> None:
    """Write every file or none: each goes to a temporary file beside it first, then all are renamed.

    New files get mode 0644; with ``keep_mode`` a file that exists keeps its permissions.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((Path(name), path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            mode = 0o644
            if keep_mode and path.exists():
                mode = path.stat().st_mode & 0o7777
            os.chmod(name, mode)
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str, *, keep_mode: bool = False) -> None:
    """Write ``text`` as UTF-8 with Unix newlines, atomically."""
    write_files({path: text.encode("utf-8")}, keep_mode=keep_mode)


def check_out_dir(out: Path, content_root: Path) -> None:
    """Refuse to write outputs into the content directory, which holds only what editors write."""
    out_r, content_r = out.resolve(), content_root.resolve()
    if out_r == content_r or content_r in out_r.parents:
        raise FkjError(f"refusing to write output into the content directory ({display_path(out)})")
