"""`fkj preview`: a local web server showing the documents as the files are saved."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.present import Presenter


@dataclass(frozen=True)
class Stopped:
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        out.echo("preview stopped")


def run(port: int, open_browser: bool, content: Path, out: Presenter | None = None) -> Stopped:
    """Serve the preview on 127.0.0.1:``port`` until Ctrl-C; with ``open_browser``, open its index."""
    import contextlib
    import time

    from fkj_cli import present
    from fkj_cli.errors import FkjError, display_path
    from fkj_cli.preview.server import serving
    from fkj_cli.resources import TEMPLATES

    if not content.is_dir():
        raise FkjError(f"content directory {display_path(content)} does not exist")
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(serving(content, TEMPLATES, port))
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise FkjError(f"cannot serve on 127.0.0.1:{port}: {reason}; choose another with --port") from None
        present.preview_started(display_path(content), server.url, out or present.Presenter())
        if open_browser:
            import webbrowser

            webbrowser.open(server.url)
        try:
            while True:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
    return Stopped()
