"""The preview's pages: the index of the documents, a document's page, its updates, script and style.

Every text that comes from content or from a problem is escaped; the
document's own HTML is pandoc's, from Markdown read without raw HTML. The
page runs one script, its own (``/static/preview.js``), which listens to
the document's event stream and puts each new rendering in place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from fkj_cli.preview.render import Key

if TYPE_CHECKING:
    from fkj_cli.preview.render import Shown
    from fkj_cli.targets import Target

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'self'; base-uri 'none'"

STYLE = """
body { font-family: "Noto Sans", Calibri, sans-serif; margin: 0; color: #1a1a1a; background: #f4f4f4; }
header { background: #1f3a5f; color: white; padding: 0.6em 1.2em; display: flex; gap: 1.5em; align-items: baseline; }
header a { color: white; }
header .state { margin-left: auto; font-size: 0.85em; opacity: 0.85; }
main { max-width: 50em; margin: 1.5em auto; background: white; padding: 2em 3em; box-shadow: 0 0 4px #bbb; }
ul.problems { background: #fff4e5; border-left: 4px solid #e08a00; padding: 0.8em 1em 0.8em 2em; margin: 0 0 1.5em;
  font-family: monospace; font-size: 0.85em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #999; padding: 0.25em 0.5em; vertical-align: top; }
img { max-width: 100%; }
.index h2 { margin-top: 1.5em; }
.index ul { columns: 3; list-style: none; padding: 0; }
.empty { color: #a33; }
"""

SCRIPT = """
"use strict";
const main = document.querySelector("main");
const state = document.getElementById("state");
const source = new EventSource(main.dataset.events);
source.addEventListener("update", (event) => {
  const data = JSON.parse(event.data);
  document.getElementById("problems").innerHTML = data.problems;
  document.getElementById("document").innerHTML = data.html;
  main.dataset.version = String(data.version);
  state.textContent = "updated " + new Date().toLocaleTimeString("nb-NO");
});
source.onopen = () => { state.textContent = "live"; };
source.onerror = () => { state.textContent = "reconnecting…"; };
"""

_IMAGE_SRC = re.compile(r'(<img src=")([^"/?]+)(")')


def with_version(body: str, version: int) -> str:
    """The HTML with each chart's address naming the version, so that the browser fetches a changed one."""
    return _IMAGE_SRC.sub(lambda m: f"{m[1]}{m[2]}?v={version}{m[3]}", body)


def problem_list(problems: list[str]) -> str:
    if not problems:
        return ""
    items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
    return f'<ul class="problems">{items}</ul>'


_NOT_SHOWN = '<p class="empty">The document cannot be shown until the problems above are mended.</p>'


def _page(title: str, body: str, *, events: str | None = None, version: int = 0, lang: str = "en") -> str:
    data = f' data-events="{html.escape(events)}" data-version="{version}"' if events else ""
    script = '<script src="/static/preview.js" defer></script>' if events else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} · fkj preview</title>"
        f'<link rel="stylesheet" href="/static/preview.css">{script}</head><body>'
        f'<header><a href="/">fkj preview</a><span>{html.escape(title)}</span>'
        f'<span class="state" id="state">{"connecting…" if events else ""}</span></header>'
        f"<main{data}>{body}</main></body></html>\n"
    )


def index(targets: Iterable[Target], problems: list[str]) -> str:
    """The documents by type, each for whom it is made and in its language, linked to its page."""
    groups: dict[str, list[Target]] = {}
    for t in targets:
        groups.setdefault(t.doc.name, []).append(t)
    # the program's documents first, then those for each recipient, then those for each municipality
    ordered = sorted(groups.items(), key=lambda item: len(item[1]))
    jump = " · ".join(f'<a href="#{html.escape(name)}">{html.escape(name)}</a>' for name, _ in ordered)
    parts = [problem_list(problems), f'<p class="jump">{jump}</p>' if ordered else ""]
    for name, group in ordered:
        description = html.escape(group[0].doc.description)
        links = "".join(
            f'<li><a href="{html.escape(Key(name, t.whom, t.lang).path)}">{html.escape(t.label)} ({t.lang})</a></li>'
            for t in group
        )
        parts.append(f'<h2 id="{html.escape(name)}">{html.escape(name)}</h2><p>{description}</p><ul>{links}</ul>')
    return _page("Documents", '<div class="index">' + "".join(parts) + "</div>")


def document(shown: Shown) -> str:
    """A document's page: its problems, then the document, and a link to it as PDF."""
    body = (
        f'<p><a href="{html.escape(shown.key.path)}document.pdf">As PDF</a></p>'
        f'<div id="problems">{problem_list(shown.problems)}</div>'
        f'<div id="document">{_body(shown)}</div>'
    )
    events = "/events/" + shown.key.path.removeprefix("/doc/")
    return _page(shown.title, body, events=events, version=shown.version, lang=shown.key.lang)


def _body(shown: Shown) -> str:
    return with_version(shown.html, shown.version) if shown.html is not None else _NOT_SHOWN


def update(shown: Shown) -> dict[str, Any]:
    """What an open page receives when its document changed."""
    return {"version": shown.version, "problems": problem_list(shown.problems), "html": _body(shown)}
