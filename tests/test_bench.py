"""`make bench` must not break unseen: the suite runs it on two municipalities, once.

It fails on any exception the benchmark raises, never on a timing: the
figures of a shared machine are noise at this size.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT
from .helpers import SAMPLE_REGISTER, shared_register


def test_bench_runs_on_two_municipalities(tmp_path: Path) -> None:
    register = shared_register() if shared_register().is_file() else SAMPLE_REGISTER
    bench = [sys.executable, str(ROOT / "bench" / "batch.py")]
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.run(
        [*bench, "--register", str(register), "--limit", "2", "--rounds", "1"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    out = proc.stdout
    assert out.startswith("2 decision bases in DOCX and PDF")
    labels = (
        "(a) naive baseline",
        "(b) fkj, cold",
        "(f) engines' floor",
        "(g) a process each",
        "(h) proof",
        "start-up:",
    )
    for label in labels:
        assert label in out
    # the runs that do the same work wrote the same bytes: that is a result, not a timing
    assert "met  (a) and (b) wrote the same bytes" in out
    assert "met  the stage by stage run and (f) wrote the same bytes as (b)" in out


def test_the_preview_bench_runs(tmp_path: Path) -> None:
    """`make bench`'s second part: the preview timed from a save to the page, here twice."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "preview.py"), "--rounds", "2"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("fkj preview: decision basis for bergen, 2 saves")
    assert any(line.startswith("save → updated page") for line in lines)
    assert lines[-1].strip().split()[0] in ("met", "MISSED")
