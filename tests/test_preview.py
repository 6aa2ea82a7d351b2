"""`fkj preview`, over HTTP: the index, a document's page, its live updates, broken YAML, and its safety.

The server runs in the test's process on a free port of 127.0.0.1 (as `fkj
preview --port 0` does), over a copy of the content; requests are plain
HTTP, the live updates read from the document's event stream. No timing is
asserted here (that is `make bench`'s): an update must come, not come fast.
"""

from __future__ import annotations

import http.client
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fkj_cli.preview.server import Server, serving
from fkj_cli.resources import TEMPLATES

from .conftest import replace
from .helpers import Maker

DOC = "/doc/mandate/program/nb/"
NEED = "Høsten 2020 hadde kommunene et stort antall journalløsninger"


@pytest.fixture
def server(make_tree: Maker) -> Iterator[Server]:
    content = make_tree()
    with serving(content, TEMPLATES, port=0) as running:
        yield running


def get(server: Server, path: str, host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    port = server.server_address[1]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


class Events:
    """A page's event stream: each update as it comes."""

    def __init__(self, server: Server, path: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=60)
        self.connection.request("GET", path)
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"
        assert self.response.fp.readline() == b": connected\n"

    def next_update(self) -> dict[str, Any]:
        event = None
        while True:
            line = self.response.fp.readline().decode("utf-8")
            assert line, "the stream ended"
            if line.startswith("event: "):
                event = line.removeprefix("event: ").strip()
            elif line.startswith("data: ") and event == "update":
                return dict(json.loads(line.removeprefix("data: ")))

    def close(self) -> None:
        self.connection.close()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- pages


def test_the_index_lists_every_document_by_type_kommune_and_language(server: Server) -> None:
    assert server.server_address[0] == "127.0.0.1"
    status, headers, body = get(server, "/")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<h2 id="decision-basis">decision-basis</h2>' in page and '<h2 id="mandate">mandate</h2>' in page
    assert page.index('id="mandate"') < page.index('id="decision-basis"')  # the program's few first
    assert '<a href="/doc/decision-basis/bergen/nb/">Bergen (nb)</a>' in page
    assert '<a href="/doc/decision-basis/vinje/nn/">Vinje (nn)</a>' in page
    assert '<a href="/doc/mandate/program/nb/">program (nb)</a>' in page


def test_a_documents_page_shows_it_with_its_problems_and_charts(server: Server) -> None:
    status, headers, body = get(server, "/doc/letter/bergen/nb/")
    page = body.decode("utf-8")
    assert status == 200
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    # its content's open fields, as FILE:LINE:COL, above the document
    assert (
        "<li>content/letter.yaml:19:1: our_ref: open field: fill it in before the document is sent (warning)</li>"
        in page
    )
    assert page.index('id="problems"') < page.index('id="document"')
    assert "Bergen kommune, ved ordføreren og byrådslederen" in page
    # a decision basis with its charts, served from memory
    status, _, body = get(server, "/doc/decision-basis/bergen/nb/")
    page = body.decode("utf-8")
    charts = [src.split("?")[0] for src in _sources(page)]
    assert charts and all(name.startswith("decision-basis-") and name.endswith(".png") for name in charts)
    status, headers, image = get(server, f"/doc/decision-basis/bergen/nb/{charts[0]}?v=0")
    assert (status, headers["Content-Type"], image[:8]) == (200, "image/png", b"\x89PNG\r\n\x1a\n")
    assert get(server, "/doc/decision-basis/bergen/nb/no-such-chart.png")[0] == 404
    # and as PDF, made in memory
    status, headers, data = get(server, "/doc/mandate/program/nb/document.pdf")
    assert (status, headers["Content-Type"], data[:5]) == (200, "application/pdf", b"%PDF-")


def _sources(page: str) -> list[str]:
    return [part.split('"', 1)[0] for part in page.split('<img src="')[1:]]


def test_a_saved_change_reaches_the_open_page(server: Server) -> None:
    status, _, body = get(server, DOC)
    assert status == 200 and NEED in body.decode("utf-8")
    events = Events(server, "/events/mandate/program/nb/")
    try:
        edit(
            server.preview.content / "mandate.yaml", "et stort antall journalløsninger", "svært mange journalløsninger"
        )
        update = events.next_update()
        assert "Høsten 2020 hadde kommunene svært mange journalløsninger" in update["html"]
        assert update["version"] >= 1
    finally:
        events.close()


def test_a_saved_template_reaches_the_open_page(make_tree: Maker, workdir: Path) -> None:
    content = make_tree()
    templates = shutil.copytree(TEMPLATES, workdir / "templates")
    with serving(content, templates, port=0) as running:
        events = Events(running, "/events/mandate/program/nb/")
        try:
            edit(templates / "i18n" / "nb.yaml", "\nmandate_summary: Sammendrag\n", "\nmandate_summary: Kortversjon\n")
            assert ">Kortversjon</h1>" in events.next_update()["html"]
        finally:
            events.close()


def test_broken_yaml_is_shown_and_the_server_goes_on_until_it_is_mended(server: Server) -> None:
    events = Events(server, "/events/mandate/program/nb/")
    mandate = server.preview.content / "mandate.yaml"
    good = mandate.read_text(encoding="utf-8")
    try:
        mandate.write_text(good.replace("summary: |", "summary: [", 1), encoding="utf-8")
        update = events.next_update()
        assert update["html"].startswith('<p class="empty">The document cannot be shown')
        assert "content/mandate.yaml:" in update["problems"] and "invalid YAML" in update["problems"]
        assert get(server, "/")[0] == 200  # the server goes on, and says what is wrong
        assert "invalid YAML" in get(server, "/")[2].decode("utf-8")
        mandate.write_text(good, encoding="utf-8")
        update = events.next_update()
        # mended: the document is back, and its only problem is the field left to fill, a warning
        assert NEED in update["html"] and "invalid YAML" not in update["problems"]
        assert "decisions: open field: fill it in before the document is sent (warning)" in update["problems"]
    finally:
        events.close()


# ---------------------------------------------------------------- safety


def test_a_request_for_another_host_is_refused(server: Server) -> None:
    port = server.server_address[1]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1:1", ""):
        status, _, body = get(server, "/", host=host)
        assert (status, body) == (403, b"forbidden: not a loopback address of this preview\n"), host
    for host in (f"localhost:{port}", f"[::1]:{port}"):
        assert get(server, "/", host=host)[0] == 200
    # no Host header at all
    with socket.create_connection(("127.0.0.1", port)) as raw:
        raw.sendall(b"GET / HTTP/1.0\r\n\r\n")
        answer = b""
        while chunk := raw.recv(4096):
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 403 Forbidden\r\n")


def test_only_its_own_pages_are_served_and_nothing_is_written(server: Server, workdir: Path) -> None:
    before = tree(workdir)
    for path in (
        "/content/program.yaml",
        "/doc/../content/program.yaml",
        "/doc/mandate/program/nb/../../../../content/program.yaml",
        "/doc/mandate/program/xx/",
        "/doc/no-such-document/program/nb/",
        "/static/other.js",
        "/events/mandate",
    ):
        status, _, body = get(server, path)
        assert status in (200, 404), path
        assert b"sources:" not in body, path  # never a content file
    status, _, body = get(server, "/doc/no-such-document/program/nb/")
    assert "fkj knows no document" in body.decode("utf-8")
    get(server, "/doc/decision-basis/bergen/nb/")
    get(server, "/doc/mandate/program/nb/document.pdf")
    assert tree(workdir) == before  # no build/, nothing in content/


def test_raw_html_in_a_content_text_is_shown_as_text(make_tree: Maker) -> None:
    content = make_tree({"mandate.yaml": replace("summary: |\n", "summary: |\n  <script>alert(1)</script>\n\n")})
    with serving(content, TEMPLATES, port=0) as running:
        page = get(running, DOC)[2].decode("utf-8")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_ctrl_c_stops_it_cleanly(make_tree: Maker) -> None:
    make_tree()
    command = [sys.executable, "-X", "faulthandler", "-m", "fkj_cli", "preview", "--port", "0"]
    # as in a terminal: a run started in the background (`cmd &` in a script) inherits SIGINT ignored, and Python
    # then installs no handler for it, so Ctrl-C would do nothing there
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("fkj preview of content at http://127.0.0.1:") and first.endswith("(Ctrl-C stops it)\n")
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)  # faulthandler prints where each thread is
            _, err = process.communicate(timeout=10)
            raise AssertionError(f"fkj preview did not stop on Ctrl-C within 30 s:\n{err}") from None
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode in (0, 130)
    assert "Traceback" not in err and out == "preview stopped\n"


def test_a_port_in_use_is_an_error(server: Server) -> None:
    from fkj_cli.commands.preview import run
    from fkj_cli.errors import FkjError

    with pytest.raises(FkjError, match=r"^cannot serve on 127\.0\.0\.1:\d+: .*; choose another with --port$"):
        run(server.server_address[1], False, server.preview.content)
