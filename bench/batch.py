"""Benchmark: every decision basis for the full register, in DOCX and PDF.

Not a test: it prints figures, measured in one run on this machine, and how
they compare with the targets in the batch-build issue:

  (a) a naive baseline: the same documents, one pandoc process per
      conversion, every chart drawn anew, one process, nothing skipped;
  (b) fkj, cold: a fresh output folder, workers (one per core);
  (c) fkj again with nothing changed;
  (d) fkj after changing one municipality (an override of its decision basis);
  (e) the peak memory of a worker (Python and its pandoc).

(b) must be at least 3 times faster than (a), (c) under 2 % and (d) under 5 %
of (b), and (e) under 400 MB. (c) and (d) run the `fkj` command as a user
does, start-up included. The outputs of (a) and (b) are compared byte for byte.

    python bench/batch.py [--register ../shared/data/kommuner-2024.json] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT.parent / "shared" / "data" / "kommuner-2024.json"
FKJ = [sys.executable, "-m", "fkj_cli"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--register", type=Path, default=REGISTER, help="the register JSON to import")
    parser.add_argument("--limit", type=int, default=0, help="only the N largest municipalities (a quick look)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers for fkj (default: cores)")
    args = parser.parse_args()
    if not args.register.is_file():
        print(f"no register at {args.register}; pass --register", file=sys.stderr)
        return 2

    from fkj_cli.register import import_register

    with tempfile.TemporaryDirectory(prefix="fkj-bench-") as tmp:
        work = Path(tmp)
        content = work / "content"
        shutil.copytree(ROOT / "content", content)
        import_register(args.register, content / "kommuner.yaml")
        refs = _refs(content, args.limit)
        print(f"{len(refs)} decision bases in DOCX and PDF, {os.cpu_count()} cores, {args.jobs} workers for fkj\n")

        a = _naive(content, work / "naive", refs)
        print(f"(a) naive baseline     {a:8.1f} s   {a / len(refs) * 1000:6.0f} ms per document")

        from fkj_cli.build import Request, run
        from fkj_cli.documents import document_type

        doc = document_type("decision-basis")
        every = args.limit == 0
        request = Request(
            docs=[doc],
            refs=[] if every else refs,
            every=every,
            formats=["docx", "pdf"],
            out=work / "build",
            content=content,
            jobs=args.jobs,
        )
        start = time.perf_counter()
        report = run(request)
        b = time.perf_counter() - start
        failed = [o for o in report.outcomes if o.error]
        if failed:
            print(f"{len(failed)} failed, e.g. {failed[0].target.label}: {failed[0].error}", file=sys.stderr)
            return 1
        print(
            f"(b) fkj, cold          {b:8.1f} s   {b / len(refs) * 1000:6.0f} ms per document   "
            f"{a / b:5.1f}× faster than (a)"
        )

        same = _same(work / "naive", work / "build")
        selection = ["--all"] if every else [x for r in refs for x in ("-k", r)]
        cli = [*FKJ, "build", "decision-basis", *selection, "--content", str(content), "--out", str(work / "build")]
        c, c_out = _timed(cli, work)
        print(f"(c) nothing changed    {c:8.2f} s   {c / b * 100:6.2f} % of (b)   {c_out}")

        slug = refs[0] if refs else "bergen"
        override = content / "overrides" / slug / "decision-basis.yaml"
        override.parent.mkdir(parents=True, exist_ok=True)
        override.write_text("summary:\n  nb: Kommunen har lagt til et eget avsnitt i sammendraget.\n", encoding="utf-8")
        d, d_out = _timed(cli, work)
        print(f"(d) one kommune changed{d:8.2f} s   {d / b * 100:6.2f} % of (b)   {d_out}")

        e = report.peak_memory / 1024 / 1024
        print(f"(e) peak memory        {e:8.0f} MB per worker (Python and its pandoc)")

        print("\nTargets:")
        checks = [
            ("(b) at least 3× faster than (a)", a / b >= 3),
            ("(c) under 2 % of (b)", c / b < 0.02),
            ("(d) under 5 % of (b)", d / b < 0.05),
            ("(e) under 400 MB", e < 400),
            ("(a) and (b) wrote the same bytes", same),
        ]
        for label, ok in checks:
            print(f"  {'met ' if ok else 'MISSED'} {label}")
    return 0


def _refs(content: Path, limit: int) -> list[str]:
    from fkj_cli.content.load import load_content
    from fkj_cli.documents import document_type
    from fkj_cli.targets import plan

    loaded = load_content(content)
    targets = plan(loaded, document_type("decision-basis"), [], every=True)
    slugs = [t.slug for t in sorted(targets, key=lambda t: -t.kommune.population) if t.slug and t.kommune]
    return slugs[:limit] if limit else slugs


def _naive(content: Path, out: Path, refs: list[str]) -> float:
    """One process, a pandoc process per conversion, charts drawn for every document, no manifest."""
    from fkj_cli import charts
    from fkj_cli.build import Builder
    from fkj_cli.convert import Converter
    from fkj_cli.documents import document_type
    from fkj_cli.pipeline import prepare
    from fkj_cli.resources import TEMPLATES
    from fkj_cli.targets import plan

    start = time.perf_counter()
    prepared = prepare(content)
    doc = document_type("decision-basis")
    builder = Builder(prepared, out, ["docx", "pdf"], Converter(TEMPLATES, persistent=False))
    for target in plan(prepared.content, doc, refs, every=False):
        for cached in (charts.cost_by_model, charts.cost_per_inhabitant, charts.coverage_chart):
            cached.cache_clear()
        outcome = builder.build(target)
        if outcome.error:
            raise SystemExit(f"{target.label}: {outcome.error}")
    return time.perf_counter() - start


def _timed(cmd: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    return took, (proc.stdout.strip().splitlines() or [""])[-1]


def _same(one: Path, two: Path) -> bool:
    def files(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".")
        }

    return files(one) == files(two)


if __name__ == "__main__":
    sys.exit(main())
