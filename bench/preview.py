"""Benchmark: `fkj preview`, from a saved content file to the open page showing it.

Not a test: it prints figures measured in one run on this machine. The
preview serves a copy of the shipped content on a free port of 127.0.0.1; an
event stream is open on a decision basis (as the page holds one); each round
saves a change to that document's content file and times how long until the
stream delivers the document rendered anew with it, which is what the page
then puts in place. The target: under 1 s for a decision basis, on 2 cores.
Beside it, in the same run and as a baseline, one render of the same
document as the preview does it (load the content, render, draw the charts,
pandoc to HTML), without the server and the watcher.

    python bench/preview.py [--rounds N] [--kommune bergen]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fkj_cli.preview.render import Key, render  # noqa: E402
from fkj_cli.preview.server import serving  # noqa: E402
from fkj_cli.resources import TEMPLATES  # noqa: E402

TARGET = 1.0  # seconds from save to the updated page
OLD, NEW = "et stort antall journalløsninger", "svært mange journalløsninger"


def _update(response: http.client.HTTPResponse) -> dict[str, object]:
    event = None
    while True:
        line = response.fp.readline().decode("utf-8")
        if not line:
            raise SystemExit("the preview's event stream ended")
        if line.startswith("event: "):
            event = line[7:].strip()
        elif line.startswith("data: ") and event == "update":
            return dict(json.loads(line[6:]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--kommune", default="bergen")
    args = parser.parse_args()
    key = Key("decision-basis", args.kommune, "nb")
    with tempfile.TemporaryDirectory(prefix="fkj-bench-preview-") as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        basis = content / "decision-basis.yaml"
        original = basis.read_text(encoding="utf-8")
        if OLD not in original:
            raise SystemExit(f"{OLD!r} is not in the shipped decision basis; update bench/preview.py")

        baseline = []
        for _ in range(max(3, args.rounds // 2)):
            began = time.perf_counter()
            shown = render(content, TEMPLATES, key, 0)
            baseline.append(time.perf_counter() - began)
            assert shown.html is not None, shown.problems

        times = []
        with serving(content, TEMPLATES, port=0) as server:
            connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=60)
            connection.request("GET", "/events" + key.path.removeprefix("/doc"))
            response = connection.getresponse()
            response.fp.readline()  # connected
            for i in range(args.rounds):
                old, new = (OLD, NEW) if i % 2 == 0 else (NEW, OLD)
                text = basis.read_text(encoding="utf-8").replace(old, new, 1)
                began = time.perf_counter()
                basis.write_text(text, encoding="utf-8")
                while True:  # a save can come as more than one change; wait for the page with it
                    update = _update(response)
                    if new in str(update["html"]):
                        break
                times.append(time.perf_counter() - began)
                time.sleep(0.2)  # as an editor between saves
            connection.close()

    cores = os.cpu_count() or 1
    median, worst = statistics.median(times), max(times)
    print(f"fkj preview: decision basis for {args.kommune}, {args.rounds} saves, {cores} cores\n")
    print(f"save → updated page    median {median * 1000:6.0f} ms   worst {worst * 1000:6.0f} ms")
    render_median = statistics.median(baseline)
    print(f"one render, no server  median {render_median * 1000:6.0f} ms   (load, render, charts, pandoc to HTML)")
    print(f"server and watcher     {max(0.0, median - render_median) * 1000:6.0f} ms of the median\n")
    verdict = "met " if median < TARGET else "MISSED"
    print(f"  {verdict} save → updated page under {TARGET:.0f} s (median {median:.2f} s, worst {worst:.2f} s)")


if __name__ == "__main__":
    main()
