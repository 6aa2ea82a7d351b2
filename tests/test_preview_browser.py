"""`fkj preview` in a real browser: headless Chromium opens a document's page, a content file is saved, and
the page shows the change by itself.

It needs Playwright (``pip install -e '.[browser]'``, which `make browser-test`
does) and a Chromium on the machine (``chromium``, ``chromium-browser`` or
``google-chrome`` on the PATH, or Playwright's own download); where either is
missing, the test is skipped and says which.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fkj_cli.preview.server import serving
from fkj_cli.resources import TEMPLATES

from .helpers import Maker

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# As a browser runs on a machine with no network but the loopback: nothing it would fetch on its own.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def test_a_saved_change_appears_in_the_open_page(make_tree: Maker) -> None:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed: `make browser-test` installs it"
    )
    executable = _browser()
    content = make_tree()
    with serving(content, TEMPLATES, port=0) as server, sync_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=FLAGS)
        except sync_api.Error as exc:
            pytest.skip(f"no Chromium to run: none of {', '.join(BROWSERS)} is on the PATH, and Playwright's own "
                        f"could not start ({str(exc).splitlines()[0]})")  # fmt: skip
        try:
            page = browser.new_page()
            page.goto(f"{server.url}doc/mandate/program/nb/")
            page.wait_for_selector("#state:text('live')", timeout=30_000)
            assert "et stort antall journalløsninger" in page.inner_text("#document")
            mandate = Path(content) / "mandate.yaml"
            text = mandate.read_text(encoding="utf-8")
            mandate.write_text(text.replace("et stort antall journalløsninger", "svært mange journalløsninger", 1))
            # (selectors, not scripts: the page's Content-Security-Policy runs no script but its own)
            page.wait_for_selector("#document:has-text('svært mange journalløsninger')", timeout=30_000)
            assert page.inner_text("#state").startswith("updated ")
            # a broken file shows its problem in the page, and mending it brings the document back
            mandate.write_text(text.replace("summary: |", "summary: [", 1))
            page.wait_for_selector("ul.problems li:has-text('invalid YAML')", timeout=30_000)
            mandate.write_text(text)
            page.wait_for_selector("#document:has-text('et stort antall journalløsninger')", timeout=30_000)
        finally:
            browser.close()
