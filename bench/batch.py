"""Benchmark: every decision basis for the full register, in DOCX and PDF.

Not a test: it prints figures, measured in one run on this machine, and how
they compare with the targets of the batch-build and chart issues:

  (a) a naive baseline: the same documents, one pandoc process per
      conversion, every chart drawn anew, one process, nothing skipped;
  (b) fkj, cold: a fresh output folder, workers (one per core);
  (c) fkj again with nothing changed;
  (d) fkj after changing one municipality (an override of its decision basis);
  (e) the peak memory of a worker (Python and its pandoc);
  (f) the engines' floor: the same documents' pandoc and typst work alone, from
      inputs prepared beforehand (Markdown and images), as many workers as (b),
      each with one long-lived pandoc and one typst compiler, started and warmed
      up before the clock starts;
  (g) a fair baseline: what a Makefile loop does, one `fkj build decision-basis
      --kommune X` process per municipality, as many at a time as (b) has
      workers (an even sample, its time scaled to all, when there are more);
  (h) `fkj proof` of what (b) built, in as many workers, and the same again
      (nothing changed: every finding comes from the manifest); and, alone on
      the same outputs, what every proof must run before fkj's own checks:
      page-validation's PDF/UA-1 and PDF/A-2a, pypdf's and python-docx's opens;

then, in one process on one core, where a document's time goes, stage by
stage: load and validate, context and Jinja, charts, pandoc, typst, writing;
``fkj/floor``, (b)'s time per document per core over (f)'s (wall time × workers
÷ documents), and the same by CPU time (every process: Python, pandoc), which
others' work on a shared machine disturbs less; and what the charts cost, per
document and each drawn anew. (b) and (f) run in turns, ``--rounds`` times, and
the best of each counts.

(b) must be at least 3 times faster than (a) and than (g), within 1.25 times
(f) per core by wall time and 1.2 times by CPU time; (c) under 2 % and (d)
under 5 % of (b); (e) under 400 MB; (h) at most 30 % of (b); each chart under
10 ms; and `fkj --help` must start within 1.5 times the time Python takes to
import typer. (c), (d), (g) and (h) run the `fkj` command as a user does,
start-up included. The outputs
of (a), (b), the stage by stage run and (f) are compared byte for byte: each
does the same work.

    python bench/batch.py [--register ../shared/data/kommuner-2024.json] [--limit N] [--sample N] [--rounds N]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import ctypes
import hashlib
import math
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REGISTER = ROOT.parent / "shared" / "data" / "kommuner-2024.json"
FKJ = [sys.executable, "-m", "fkj_cli"]
STAGES = ("load and validate", "context and Jinja", "charts", "pandoc", "typst", "writing", "other")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--register", type=Path, default=REGISTER, help="the register JSON to import")
    parser.add_argument("--limit", type=int, default=0, help="only the N largest municipalities (a quick look)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers for fkj (default: cores)")
    parser.add_argument("--sample", type=int, default=24, help="processes the per-process baseline (g) runs")
    parser.add_argument("--rounds", type=int, default=3, help="runs of (b) and (f), in turns; the best counts")
    args = parser.parse_args()
    if not args.register.is_file():
        print(f"no register at {args.register}; pass --register", file=sys.stderr)
        return 2

    from fkj_cli.register import import_register

    with tempfile.TemporaryDirectory(prefix="fkj-bench-") as tmp:
        work = Path(tmp)
        content = work / "content"
        shutil.copytree(ROOT / "content", content)
        import_register([args.register], content / "kommuner.yaml")
        refs = _refs(content, args.limit)
        n = len(refs)
        jobs = max(1, min(args.jobs, n))
        print(f"{n} decision bases in DOCX and PDF, {os.cpu_count()} cores, {jobs} workers for fkj\n")

        a = _naive(content, work / "naive", refs)
        print(f"(a) naive baseline      {a:8.1f} s   {a / n * 1000:6.0f} ms per document")

        from fkj_cli.build import Request, session
        from fkj_cli.documents import document_type

        every = args.limit == 0
        subreaper = _become_subreaper()

        def cold(out: Path, proof: bool = False) -> tuple[float, float, int]:
            """(b): a cold build into ``out`` (with ``proof``, every document proofed as it is built, as
            `make all` does): its seconds, the CPU seconds of every process it ran (when they can be
            counted, else NaN) and the peak memory of a worker."""
            request = Request(
                docs=[document_type("decision-basis")],
                refs=[] if every else refs,
                every=every,
                formats=["docx", "pdf"],
                out=out,
                content=content,
                jobs=jobs,
            )
            cpu, start = _cpu(), time.perf_counter()
            with session(content, out) as opened:
                report = opened.build(request, proof=proof)
            took = time.perf_counter() - start
            _reap_pandocs()
            cpu = _cpu() - cpu if subreaper else math.nan
            failed = [o for o in report.outcomes if o.error]
            if failed or report.findings:
                raise SystemExit(f"{len(failed)} failed and {len(report.findings)} findings in {out}")
            return took, cpu, report.peak_memory

        b_runs: list[tuple[float, float, int]] = [cold(work / "build")]
        same = _same(work / "naive", work / "build")
        selection = ["--all"] if every else [x for r in refs for x in ("-k", r)]
        cli = [*FKJ, "build", "decision-basis", *selection, "--content", str(content), "--out", str(work / "build")]
        c, c_out = _timed(cli, work)

        # where the time goes, one process on one core; it keeps the inputs of (f)
        with _one_core():
            inputs = work / "inputs"
            stages = _stages(content, work / "stages", inputs, refs)
        same_stages = _same(work / "stages", work / "build")

        # (b) and (f) in turns, the best of each counting: the machine is shared, and both use every core
        f_runs = [_floor(inputs, n, jobs)]
        for i in range(1, args.rounds):
            b_runs.append(cold(work / f"build-{i}"))
            f_runs.append(_floor(inputs, n, jobs))
        b, b_cpu = min(r[0] for r in b_runs), min(r[1] for r in b_runs)
        f, f_cpu = min(r["wall"] for r in f_runs), min(r["cpu"] for r in f_runs)
        floor = min(f_runs, key=lambda r: float(r["wall"]))
        same_floor = all(r["digests"] == _digests(work / "build", refs) for r in f_runs)
        e = max(r[2] for r in b_runs) / 1024 / 1024

        g, sampled = _per_process(content, work / "loop", refs, args.sample, jobs)

        slug = refs[0] if refs else "bergen"
        override = content / "overrides" / slug / "decision-basis.yaml"
        override.parent.mkdir(parents=True, exist_ok=True)
        override.write_text("summary:\n  nb: Kommunen har lagt til et eget avsnitt i sammendraget.\n", encoding="utf-8")
        d, d_out = _timed(cli, work)

        # (h) proof of every document (b) built, in as many workers, as `make all` runs it; then again
        proof_cli = [
            *FKJ,
            "proof",
            "decision-basis",
            *selection,
            "--content",
            str(content),
            "--out",
            str(work / "build"),
        ]
        h, h_out = _timed([*proof_cli, "-j", str(jobs)], work)
        h_again, h_again_out = _timed(proof_cli, work)
        h_floor = _required(work / "build", jobs)
        h_build = cold(work / "build-proofed", proof=True)[0]  # (b) with --proof, as `make all` builds

        with _one_core():
            per_chart = _chart_times(content, refs)
        help_s, typer_s = _startup(work, 5 if args.limit else 15)

        def runs(times: list[float]) -> str:
            return f"   best of {len(times)}: " + ", ".join(f"{t:.1f}" for t in times) if len(times) > 1 else ""

        fkj_core, floor_core = b * jobs / n * 1000, f * jobs / n * 1000
        print(
            f"(b) fkj, cold           {b:8.1f} s   {b / n * 1000:6.0f} ms per document   {a / b:5.1f}× faster than (a)"
            + runs([r[0] for r in b_runs])
        )
        print(f"(c) nothing changed     {c:8.2f} s   {c / b * 100:6.2f} % of (b)   {c_out}")
        print(f"(d) one kommune changed {d:8.2f} s   {d / b * 100:6.2f} % of (b)   {d_out}")
        print(f"(e) peak memory         {e:8.0f} MB per worker (Python and its pandoc)")
        print(f"(h) proof               {h:8.1f} s   {h / b * 100:6.1f} % of (b)   {h_out}")
        print(
            f"    required alone      {h_floor:8.1f} s   {h_floor / b * 100:6.1f} % of (b)   (page-validation's two "
            f"profiles, pypdf's and python-docx's opens, in {jobs} workers: what every proof must do before fkj's "
            "own checks)"
        )
        print(f"    proof again         {h_again:8.2f} s   {h_again / b * 100:6.2f} % of (b)   {h_again_out}")
        print(
            f"    (b) with --proof    {h_build:8.1f} s   +{(h_build - b) / b * 100:5.1f} % over (b)   "
            "(each document proofed in the worker that built it, as `make all` does)"
        )
        print(
            f"(f) engines' floor      {f:8.1f} s   {floor_core:6.0f} ms per document per core: pandoc "
            f"{floor['pandoc'] / n * 1000:.0f} ms + typst {floor['typst'] / n * 1000:.0f} ms in {jobs} workers, "
            f"one long-lived pandoc and one typst compiler each" + runs([r["wall"] for r in f_runs])
        )
        scaled = "" if sampled == n else f", {sampled} sampled and scaled to {n}"
        print(
            f"(g) a process each      {g:8.1f} s   {g / n * 1000:6.0f} ms per document   "
            f"(`fkj build decision-basis --kommune X`, {jobs} at a time{scaled})   (b) is {g / b:.1f}× faster"
        )

        print("\nStages, one process on one core, ms per document:")
        serial = sum(stages.values())
        for name in STAGES:
            print(f"  {name:20} {stages[name] / n * 1000:7.1f}")
        print(f"  {'total':20} {serial / n * 1000:7.1f}")

        print(
            f"\nfkj/floor: {fkj_core / floor_core:.2f}   (per core: (b) {fkj_core:.0f} ms, (f) {floor_core:.0f} ms per "
            f"document: wall time × {jobs} workers ÷ {n} documents)"
        )
        print(
            f"fkj/floor by CPU time: {b_cpu / f_cpu:.2f}   ((b) {b_cpu / n * 1000:.0f} ms, (f) {f_cpu / n * 1000:.0f} "
            "ms of CPU per document, every process: less disturbed by others on a shared machine)"
        )
        print(
            f"charts: {stages['charts'] / n * 1000:.1f} ms per document   (its two cost charts in one compilation, "
            "the coverage chart from the cache, and their files)"
        )
        print(
            "  each drawn anew from figures not drawn before (median, one core): "
            + ", ".join(f"{k} {v:.1f} ms" for k, v in per_chart.items())
        )

        print(
            f"start-up: `fkj --help` {help_s * 1000:.0f} ms, `python -c 'import typer'` {typer_s * 1000:.0f} ms "
            f"(median): {help_s / typer_s:.2f}×"
        )

        print("\nTargets:")
        checks = [
            ("(b) at least 3× faster than (a)", a / b >= 3),
            ("(b) at least 3× faster than (g), a process per municipality", g / b >= 3),
            ("fkj/floor at most 1.25 per core", fkj_core / floor_core <= 1.25),
            ("fkj/floor by CPU time at most 1.2", b_cpu / f_cpu <= 1.2),
            ("each chart under 10 ms on one core", max(per_chart.values()) < 10),
            ("(c) under 2 % of (b)", c / b < 0.02),
            ("(d) under 5 % of (b)", d / b < 0.05),
            ("(e) under 400 MB", e < 400),
            ("(h) proof at most 30 % of (b)", h / b <= 0.3),
            ("`fkj --help` within 1.5× `import typer`", help_s / typer_s <= 1.5),
            ("(a) and (b) wrote the same bytes", same),
            ("the stage by stage run and (f) wrote the same bytes as (b)", same_stages and same_floor),
        ]
        for label, ok in checks:
            print(f"  {'met ' if ok else 'MISSED'} {label}")
    return 0


def _cpu() -> float:
    """CPU seconds of this process and of every process it has waited for, and theirs."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _become_subreaper() -> bool:
    """Adopt the orphans of this process's children: the pandoc a build's worker leaves when it is
    stopped, so that its CPU time is counted when it is reaped (Linux only)."""
    try:
        return bool(ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def _reap_pandocs() -> None:
    """Wait for the pandoc processes this process adopted (see _become_subreaper)."""
    me = os.getpid()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        if name == "pandoc" and int(fields[1]) == me:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(int(stat.parent.name), 0)


@contextlib.contextmanager
def _one_core() -> Iterator[None]:
    """This process, and the processes it starts meanwhile (pandoc), on one core."""
    cores = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(cores)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, cores)


def _refs(content: Path, limit: int) -> list[str]:
    from fkj_cli.documents import document_type
    from fkj_cli.pipeline import load_content
    from fkj_cli.targets import plan

    loaded = load_content(content)
    targets = plan(loaded, document_type("decision-basis"), [], every=True)
    largest = sorted(targets, key=lambda t: -(t.kommune.population if t.kommune else 0))
    slugs = [t.slug for t in largest if t.slug and t.kommune]
    return slugs[:limit] if limit else slugs


def _clear_chart_caches() -> None:
    from fkj_cli import charts, convert

    for cached in (charts.cost_charts, charts.cost_by_model, charts.cost_per_inhabitant, charts.coverage_chart):
        cached.cache_clear()
    convert._pages.cache_clear()


def _naive(content: Path, out: Path, refs: list[str]) -> float:
    """One process, a pandoc process per conversion, charts drawn for every document, no manifest."""
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
        _clear_chart_caches()
        outcome = builder.build(target)
        if outcome.error:
            raise SystemExit(f"{target.label}: {outcome.error}")
    return time.perf_counter() - start


class _TimedCompiler:
    """A typst compiler that adds up the time its compilations take."""

    def __init__(self, compiler: Any) -> None:
        self.compiler = compiler
        self.seconds = 0.0

    def compile_with_warnings(self, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.compiler.compile_with_warnings(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def _stages(content: Path, out: Path, inputs: Path, refs: list[str]) -> dict[str, float]:
    """The pipeline of a cold build (fkj_cli.pipeline.make, fkj_cli.convert.Converter.outputs) in one
    process, each stage timed: seconds per stage for all documents. Keeps each document's Markdown and
    images under ``inputs`` (outside the timing), for the engines' floor."""
    from fkj_cli import convert, provenance
    from fkj_cli.convert import Converter
    from fkj_cli.documents import document_type
    from fkj_cli.pipeline import prepare
    from fkj_cli.render import epoch_of
    from fkj_cli.resources import TEMPLATES
    from fkj_cli.targets import plan
    from fkj_cli.write import write_files

    _clear_chart_caches()
    seconds = dict.fromkeys(STAGES, 0.0)
    begin = time.perf_counter()
    prepared = prepare(content)
    seconds["load and validate"] = time.perf_counter() - begin
    doc = document_type("decision-basis")
    renderer = prepared.renderer
    kept = 0.0
    inputs.mkdir(parents=True)
    timed = _TimedCompiler(convert.typst_compiler())
    typst_compiler = convert.typst_compiler
    convert.typst_compiler = lambda: timed  # type: ignore[assignment]  # the charts' and the PDFs' compiler
    with Converter(TEMPLATES) as converter:
        for i, target in enumerate(plan(prepared.content, doc, refs, every=False)):
            t0 = time.perf_counter()
            context = renderer.context(prepared.content, prepared.figures, target)
            markdown = renderer.render(doc, context)
            # as fkj_cli.pipeline.make: the DOCX says what it was built from
            markdown = provenance.stamp(markdown, target, provenance.revision(prepared, target))
            t1 = time.perf_counter()
            images = {target.chart_file(c): convert.png(d) for c in doc.charts if (d := c.draw(context)) is not None}
            t2 = time.perf_counter()
            epoch = epoch_of(prepared.content.document(doc.name, target.slug).date)
            with tempfile.TemporaryDirectory(prefix="fkj-assets-") as tmp:
                resources = Path(tmp)
                t3 = time.perf_counter()
                for name, data in images.items():
                    (resources / name).write_bytes(data)
                t4 = time.perf_counter()
                converted = converter.convert(
                    ["docx", "typst"], markdown, epoch=epoch, resources=resources, images=images
                )
                t5 = time.perf_counter()
                compiled = timed.seconds
                pdf = converter.pdf(converted["typst"].decode("utf-8"), epoch=epoch, resources=resources)
                t6 = time.perf_counter()
            paths = target.paths(out, ["docx", "pdf"])
            write_files({paths["docx"]: converted["docx"], paths["pdf"]: pdf})
            t7 = time.perf_counter()
            seconds["context and Jinja"] += t1 - t0
            seconds["charts"] += (t2 - t1) + (t4 - t3)  # drawing, and the files pandoc and typst read them from
            seconds["pandoc"] += t5 - t4
            seconds["typst"] += timed.seconds - compiled
            seconds["writing"] += t7 - t6
            seconds["other"] += (t6 - t5) - (timed.seconds - compiled)  # the converter's memory release
            keep = time.perf_counter()
            folder = inputs / str(i)
            folder.mkdir(parents=True)
            (folder / "document.md").write_text(markdown, encoding="utf-8")
            (folder / "epoch").write_text(str(epoch))
            (folder / "slug").write_text(str(target.slug))
            for name, data in images.items():
                (folder / name).write_bytes(data)
            kept += time.perf_counter() - keep
    convert.typst_compiler = typst_compiler  # type: ignore[method-assign]
    total = time.perf_counter() - begin - kept
    seconds["other"] += total - sum(seconds.values())  # the date, the temporary folders, the plan, the loop
    return seconds


def _floor(inputs: Path, count: int, workers: int) -> dict[str, Any]:
    """The engines alone on prepared inputs: ``workers`` processes, each with one long-lived pandoc and
    one typst compiler, started and warmed up before the clock starts; the documents dealt out in turn."""
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers)
    results = context.Queue()
    procs = [
        context.Process(target=_floor_worker, args=(inputs, list(range(k, count, workers)), barrier, results))
        for k in range(workers)
    ]
    for proc in procs:
        proc.start()
    answers = [results.get() for _ in procs]
    for proc in procs:
        proc.join()
    return {
        "wall": max(a["end"] for a in answers) - min(a["start"] for a in answers),
        "cpu": sum(a["cpu"] for a in answers),
        "pandoc": sum(a["pandoc"] for a in answers),
        "typst": sum(a["typst"] for a in answers),
        "digests": {slug: d for a in answers for slug, d in a["digests"].items()},
    }


def _floor_worker(inputs: Path, indices: list[int], barrier: Any, results: Any) -> None:
    import typst

    from fkj_cli.convert import PDF_STANDARDS, Converter, PandocWorker, font_dirs, pandoc_binary
    from fkj_cli.pdfpack import compact
    from fkj_cli.resources import TEMPLATES

    docs = []
    for i in indices:
        folder = inputs / str(i)
        images = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".png", ".svg")}
        markdown = (folder / "document.md").read_text(encoding="utf-8")
        docs.append(((folder / "slug").read_text(), folder, markdown, images, int((folder / "epoch").read_text())))
    epoch = docs[0][4] if docs else 0
    pandoc_dir = TEMPLATES / "pandoc"
    script_args = Converter(TEMPLATES).worker_args
    pandoc = PandocWorker(pandoc_binary(), pandoc_dir / "worker.lua", script_args, epoch)
    compiler = typst.Compiler(font_paths=font_dirs(), ignore_system_fonts=True, root=str(inputs))

    def one(folder: Path, markdown: str, images: dict[str, bytes], when: int) -> tuple[bytes, bytes, float, float]:
        assert when == epoch, "one pandoc serves one document date"
        t0 = time.perf_counter()
        docx, source = pandoc.convert(["docx", "typst"], markdown, images)
        t1 = time.perf_counter()
        standards: Any = PDF_STANDARDS
        pdf, warnings = compiler.compile_with_warnings(
            source, format="pdf", pdf_standards=standards, timestamp=when, root=str(folder)
        )
        assert isinstance(pdf, bytes) and not warnings
        pdf = compact(pdf)  # what fkj does to every PDF typst writes
        t2 = time.perf_counter()
        return docx, pdf, t1 - t0, t2 - t1

    if docs:  # warm up, off the clock, as (b)'s workers are warm after their first document
        one(*docs[0][1:])
    barrier.wait()
    start, cpu, pandoc_cpu = time.perf_counter(), time.process_time(), _process_cpu(pandoc._proc.pid)
    pandoc_s = typst_s = 0.0
    digests = {}
    for slug, folder, markdown, images, when in docs:
        docx, pdf, p, t = one(folder, markdown, images, when)
        pandoc_s += p
        typst_s += t
        digests[slug] = (hashlib.sha256(docx).hexdigest(), hashlib.sha256(pdf).hexdigest())
    end = time.perf_counter()
    cpu = time.process_time() - cpu + _process_cpu(pandoc._proc.pid) - pandoc_cpu
    pandoc.close()
    results.put({"start": start, "end": end, "cpu": cpu, "pandoc": pandoc_s, "typst": typst_s, "digests": digests})


def _process_cpu(pid: int) -> float:
    """The CPU seconds a running process has used (Linux /proc; 0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _digests(out: Path, refs: list[str]) -> dict[str, tuple[str, str]]:
    def digest(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    return {s: (digest(out / s / "decision-basis.docx"), digest(out / s / "decision-basis.pdf")) for s in refs}


def _per_process(content: Path, out: Path, refs: list[str], sample: int, jobs: int) -> tuple[float, int]:
    """A Makefile loop: `fkj build decision-basis --kommune X` per municipality, ``jobs`` at a time, each
    with its own output folder. With more municipalities than ``sample``, an even sample of them (by
    size), its time scaled to all. Returns (seconds for all, how many ran)."""
    chosen = refs if len(refs) <= sample else [refs[i * len(refs) // sample] for i in range(sample)]
    waiting = [
        [*FKJ, "build", "decision-basis", "--kommune", slug, "--content", str(content), "--out", str(out / slug)]
        for slug in chosen
    ]

    def build(cmd: list[str]) -> None:
        proc = subprocess.run(cmd, cwd=out.parent, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(build, waiting))
    took = time.perf_counter() - start
    return took * len(refs) / len(chosen), len(chosen)


def _chart_times(content: Path, refs: list[str]) -> dict[str, float]:
    """Each chart drawn anew, from figures it has not drawn before (typst keeps what it laid out, so
    drawing the same chart again is cheaper), in a warm process: the median in ms. The cost charts of
    20 municipalities, each on its own; the coverage chart (the same for everyone) with 20 other splits
    of the inhabitants; the governance timeline with its milestones in 12 other orders and languages."""
    from decimal import Decimal

    from fkj_cli import charts, convert
    from fkj_cli.documents import decision_basis, document_type
    from fkj_cli.pipeline import prepare
    from fkj_cli.targets import plan

    prepared = prepare(content)
    doc = document_type("decision-basis")
    chosen = refs[:: max(1, len(refs) // 21)][:21]
    contexts = [
        prepared.renderer.context(prepared.content, prepared.figures, t)
        for t in plan(prepared.content, doc, chosen, every=False)
    ]
    times: dict[str, list[float]] = {}

    def timed(key: str, draw: Any, *args: Any) -> None:
        draw.cache_clear()
        convert._pages.cache_clear()
        start = time.perf_counter()
        drawn = draw(*args)  # the typst source, and the convert stage's PNG of it
        convert.png(drawn)
        times.setdefault(key, []).append((time.perf_counter() - start) * 1000)

    for context in contexts:
        if (inputs := decision_basis.cost_inputs(context)) is not None:
            (bars, axis), per_inhabitant, lang = inputs
            timed("cost_by_model", charts.cost_by_model, bars, axis, lang)
            timed("cost_per_inhabitant", charts.cost_per_inhabitant, *per_inhabitant, lang)
    status = ("Forpliktet", "Opsjon", "Står utenfor", "Ikke behandlet")
    for i in range(21):
        split = [Decimal(1 + (i * 7 + k * 3) % 10) for k in range(4)]
        shares = tuple((name, share / sum(split)) for name, share in zip(status, split, strict=True))
        timed("coverage", charts.coverage_chart, shares, Decimal("0.55"), "Vilkår 55 %", "nb")
    [governance] = plan(prepared.content, document_type("governance"), [], every=False)
    milestones = prepared.renderer.context(prepared.content, prepared.figures, governance).program.milestones
    for i in range(2 * len(milestones) + 1):
        turned = milestones[i % len(milestones) :] + milestones[: i % len(milestones)]
        timed(
            "milestones", charts._timeline, *_timeline_marks(charts, turned, "nb" if i // len(milestones) % 2 else "nn")
        )
    return {key: statistics.median(ms[1:]) for key, ms in times.items()}  # the first of each warms up


def _timeline_marks(charts: Any, milestones: Any, lang: str) -> tuple[Any, str]:
    """What charts.milestone_timeline draws the timeline from (the arguments of its cached part)."""
    from fkj_cli.formatting import date_long

    marks = tuple(
        (charts._position(m.date), date_long(m.date, lang=lang), " ".join(str(m.text).split())) for m in milestones
    )
    return marks, lang


def _required(out: Path, jobs: int) -> float:
    """The seconds the checks the proof must run on every output take alone, on the outputs in ``out``,
    in ``jobs`` processes (their start included, as a proof's): PDF/UA-1 and PDF/A-2a in page-validation,
    and the opening of each PDF with pypdf and of each DOCX with python-docx."""
    outputs = sorted((p for p in out.rglob("*") if p.suffix in (".pdf", ".docx")), key=lambda p: p.stat().st_size)
    files = [str(p) for p in outputs]  # dealt out by size, so that each worker gets its share of the PDFs
    start = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_required_worker, [files[k::jobs] for k in range(jobs)]))
    return time.perf_counter() - start


def _required_worker(files: list[str]) -> None:
    import io

    import docx
    import page
    import pypdf

    from fkj_cli.proof.pdf import PROFILES  # the profiles fkj's proof validates

    for file in files:
        data = Path(file).read_bytes()
        if file.endswith(".pdf"):
            pypdf.PdfReader(io.BytesIO(data), strict=True)
            for profile in PROFILES:
                page.validate_pdf_bytes(data, profile=profile)
        else:
            docx.Document(io.BytesIO(data))


def _startup(cwd: Path, runs: int) -> tuple[float, float]:
    """The median seconds of ``fkj --help`` and of ``python -c 'import typer'``, in turns, each a new process."""
    helps, typers = [], []
    for _ in range(runs):
        helps.append(_timed([*FKJ, "--help"], cwd)[0])
        typers.append(_timed([sys.executable, "-c", "import typer"], cwd)[0])
    return statistics.median(helps), statistics.median(typers)


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
