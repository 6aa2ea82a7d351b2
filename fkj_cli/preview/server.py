"""The preview's web server: the standard library's threaded HTTP server, on the loopback interface only.

Why the standard library's: the preview has a handful of routes and one kind of
push (server-sent events, which are a long HTTP response), so a thread per
open connection is all it needs; starlette and uvicorn would bring an ASGI
stack and two more packages for nothing it uses. The files are watched with
watchfiles (maintained, the watcher uvicorn and others use), whose changes
bump a version; each open page's event stream then renders its document
anew (once per version, however many pages show it) and sends it.

Safe by construction: it binds 127.0.0.1; a request whose Host header is
not the loopback's name with the server's port is refused (403), so a
rebinding DNS name reaches nothing; it serves its own pages, its script,
and the charts of a document it rendered, never a file by its path; it
writes nothing (renderings stay in memory); templates render in fkj's
sandbox; the page's Content-Security-Policy runs no script but its own.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from fkj_cli.errors import ContentError, FkjError
from fkj_cli.preview import page
from fkj_cli.preview.render import Key, Shown, load, pdf, render, targets

HOST = "127.0.0.1"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
HEARTBEAT = 15.0  # seconds between comments on an idle event stream, so a closed page is noticed


class Preview:
    """What the server knows: the folders it shows, the files' version, and the latest renderings."""

    def __init__(self, content: Path, templates: Path) -> None:
        self.content, self.templates = content, templates
        self.version = 0
        self.changed = threading.Condition()
        self._shown: dict[Key, Shown] = {}
        self._locks: dict[Key, threading.Lock] = {}
        self._guard = threading.Lock()
        self.stopping = threading.Event()
        self.watching = threading.Event()  # set once the files are watched

    def bump(self) -> None:
        """A watched file changed: every open page renders its document anew."""
        with self.changed:
            self.version += 1
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """The version once it is past ``seen``, or ``seen`` after ``timeout`` seconds (or on stopping)."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen or self.stopping.is_set(), timeout)
            return self.version

    def shown(self, key: Key) -> Shown:
        """``key``'s rendering at the current version: rendered once, whoever asks."""
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            version = self.version
            cached = self._shown.get(key)
            if cached is None or cached.version != version:
                cached = render(self.content, self.templates, key, version)
                self._shown[key] = cached
            return cached

    def watch(self) -> None:
        """Bump the version whenever a file under the content or the templates changes, until stopping."""
        import watchfiles

        folders = [str(p) for p in (self.content, self.templates) if p.is_dir()]
        for changes in watchfiles.watch(
            *folders,
            debounce=50,
            step=20,
            rust_timeout=100,
            yield_on_timeout=True,
            stop_event=self.stopping,
            raise_interrupt=False,
        ):
            self.watching.set()  # the first yield comes once the watcher is set up
            if changes:
                self.bump()


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows what the preview does, not every request

    def do_GET(self) -> None:
        if not self._host_ok():
            self._send(403, "text/plain; charset=utf-8", b"forbidden: not a loopback address of this preview\n")
            return
        path = unquote(urlsplit(self.path).path)
        preview = self.server.preview
        if path == "/":
            self._send(200, "text/html; charset=utf-8", self._index().encode("utf-8"))
        elif path == "/static/preview.js":
            self._send(200, "text/javascript; charset=utf-8", page.SCRIPT.encode("utf-8"))
        elif path == "/static/preview.css":
            self._send(200, "text/css; charset=utf-8", page.STYLE.encode("utf-8"))
        elif (named := _key(path, "/doc/")) is not None:
            key, file = named
            if not file:
                self._send(200, "text/html; charset=utf-8", page.document(preview.shown(key)).encode("utf-8"))
            elif file == "document.pdf":
                self._pdf(key)
            elif (image := preview.shown(key).images.get(file)) is not None:
                self._send(200, "image/png", image)
            else:
                self._send(404, "text/plain; charset=utf-8", b"not found\n")
        elif (named := _key(path, "/events/")) is not None and not named[1]:
            self._events(named[0])
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def _host_ok(self) -> bool:
        host = self.headers.get("Host", "")
        port = self.server.server_address[1]
        return host in {f"{name}:{port}" for name in LOOPBACK_NAMES}

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # every answer is of the files as they are now
        self.send_header("Content-Security-Policy", page.CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _index(self) -> str:
        try:
            content = load(self.server.preview.content)
        except FkjError as exc:  # a tree that does not load is shown, and the server goes on
            return page.index([], _problems(exc))
        return page.index(targets(content), [])

    def _pdf(self, key: Key) -> None:
        try:
            data = pdf(self.server.preview.content, self.server.preview.templates, key)
        except FkjError as exc:  # shown to the editor, and the server goes on
            self._send(422, "text/plain; charset=utf-8", ("\n".join(_problems(exc)) + "\n").encode("utf-8"))
            return
        self._send(200, "application/pdf", data)

    def _events(self, key: Key) -> None:
        """Server-sent events: the document each time the files change, until the page goes away."""
        preview = self.server.preview
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        seen = preview.version
        with contextlib.suppress(OSError):  # the page was closed
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while not preview.stopping.is_set():
                version = preview.wait(seen, HEARTBEAT)
                if version == seen:
                    self.wfile.write(b": idle\n\n")
                    self.wfile.flush()
                    continue
                seen = version
                shown = preview.shown(key)
                data = json.dumps(page.update(shown), ensure_ascii=False)
                self.wfile.write(f"event: update\ndata: {data}\n\n".encode())
                self.wfile.flush()


def _key(path: str, prefix: str) -> tuple[Key, str] | None:
    """The document a path names, and the file of it asked for ("" for its page):
    ``<prefix><document>/<whom>/<lang>/[file]``."""
    if not path.startswith(prefix):
        return None
    parts = path[len(prefix) :].split("/")
    if len(parts) not in (3, 4) or any(p in ("", ".", "..") for p in parts[:3]) or parts[2] not in ("nb", "nn"):
        return None
    return Key(*parts[:3]), parts[3] if len(parts) == 4 else ""


def _problems(exc: FkjError) -> list[str]:
    """What an error says, a line per problem."""
    return [str(p) for p in exc.problems] if isinstance(exc, ContentError) else [str(exc)]


class Server(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream does not keep the process alive
    allow_reuse_address = True

    def __init__(self, preview: Preview, port: int) -> None:
        self.preview = preview
        super().__init__((HOST, port), Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A page closed while it was being answered is no error; anything else is fkj's, and shown."""
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


@contextlib.contextmanager
def serving(content: Path, templates: Path, port: int = 8000) -> Iterator[Server]:
    """The preview served and its files watched, in threads of their own, until the block ends."""
    preview = Preview(content, templates)
    server = Server(preview, port)
    watcher = threading.Thread(target=preview.watch, name="fkj-preview-watch", daemon=True)
    loop = threading.Thread(target=server.serve_forever, name="fkj-preview-serve", daemon=True)
    watcher.start()
    loop.start()
    preview.watching.wait(timeout=10)
    try:
        yield server
    finally:
        preview.stopping.set()
        with preview.changed:
            preview.changed.notify_all()
        server.shutdown()
        server.server_close()
        watcher.join(timeout=5)
