"""The convert stage, and the only place that talks to pandoc and typst.

pandoc is the static binary that pypandoc-binary bundles, called by path so
that no system pandoc is used; typst compiles in process, one compiler per
process with the Noto Sans of fontpkg-noto-sans and no system font, for the
PDFs and the charts alike (:func:`png`). Both engines are pinned to the
document's date so that the same content gives the same bytes.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import importlib.util
import json
import os
import re
import struct
import subprocess
import tempfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from fkj_cli.errors import ConversionError, FkjError, display_path
from fkj_cli.pdfpack import compact

if TYPE_CHECKING:
    from fkj_cli.charts import Drawing
    from fkj_cli.render import Rendered

PDF_STANDARDS = ["ua-1", "a-2a"]
RESTART_EVERY = 40  # documents per pandoc worker


def pandoc_binary() -> Path:
    """The pandoc shipped in the pypandoc-binary wheel."""
    spec = importlib.util.find_spec("pypandoc")
    if spec is None or not spec.submodule_search_locations:
        raise ConversionError("pypandoc-binary is not installed; run `make install`")
    binary = Path(next(iter(spec.submodule_search_locations))) / "files" / "pandoc"
    if not binary.is_file():
        raise ConversionError(f"the bundled pandoc is missing at {binary}; reinstall pypandoc-binary")
    return binary


def font_dirs() -> list[str]:
    import fontpkg_noto_sans

    return [str(Path(fontpkg_noto_sans.__file__).parent / "files")]


@functools.cache
def typst_compiler() -> Any:
    """The process's one typst compiler: Noto Sans only, no system font. Each compilation names its root."""
    import typst

    return typst.Compiler(font_paths=font_dirs(), ignore_system_fonts=True)


def png(drawing: Drawing) -> bytes:
    """A chart (:class:`fkj_cli.charts.Drawing`) as PNG; a typst warning (a missing font) is an error."""
    return _pages(drawing.source, drawing.ppi)[drawing.page]


@functools.lru_cache(maxsize=64)
def _pages(source: bytes, ppi: int) -> tuple[bytes, ...]:
    """Every page of a chart document as PNG, compiled once per distinct source in a process (the
    coverage chart is the same for every municipality of a language)."""
    import typst

    try:
        pages, warnings = typst_compiler().compile_with_warnings(source, format="png", ppi=ppi)
    except typst.TypstError as exc:
        raise ConversionError(f"typst could not draw a chart: {exc.message}") from None
    if warnings:
        raise ConversionError("typst warned while drawing a chart: " + "; ".join(w.message for w in warnings))
    return tuple(_with_resolution(page, ppi) for page in ([pages] if isinstance(pages, bytes) else pages))


def _with_resolution(png: bytes, ppi: int) -> bytes:
    """The PNG with its resolution recorded after its header, so that Word's "reset size" shows it at
    the size it was drawn. typst writes no other chunk but the image's."""
    header = 8 + 4 + 4 + 13 + 4  # the signature and the IHDR chunk
    if png[12:16] != b"IHDR" or b"pHYs" in png[header : header + 8]:
        return png
    per_metre = round(ppi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    return png[:header] + chunk + png[header:]


def _environment(epoch: int) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "SOURCE_DATE_EPOCH": str(epoch)}


class PandocWorker:
    """One ``pandoc lua`` process that converts document after document (templates/pandoc/worker.lua).

    pandoc reads ``SOURCE_DATE_EPOCH`` once, at start, so a worker serves one
    epoch (one document date); :class:`Converter` starts another for another.
    """

    def __init__(self, pandoc: Path, script: Path, args: list[Path], epoch: int) -> None:
        self.epoch = epoch
        self.jobs = 0
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker
        self._proc = subprocess.Popen(
            # A smaller suggested heap than the binary's -H64m: a third less memory, no slower.
            [str(pandoc), "+RTS", "-H16m", "-A1m", "-RTS", "lua", str(script), *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=_environment(epoch),
        )

    def convert(self, formats: list[str], markdown: str, images: Mapping[str, bytes]) -> list[bytes]:
        """``markdown`` in each of ``formats`` (docx, typst), read once."""
        proc = self._proc
        assert proc.stdin is not None and proc.stdout is not None
        self.jobs += 1
        body = markdown.encode("utf-8")
        parts = [f"{','.join(formats)} {len(images)} {len(body)}\n".encode()]
        for name, data in sorted(images.items()):
            raw = name.encode("utf-8")
            parts += [f"{len(raw)} {len(data)}\n".encode(), raw, data]
        parts.append(body)
        try:
            proc.stdin.write(b"".join(parts))
            proc.stdin.flush()
            status, _, sizes = proc.stdout.readline().decode("ascii").partition(" ")
            answers = [proc.stdout.read(int(size)) for size in sizes.strip().split(",") if size]
        except (OSError, ValueError):
            status, answers = "", []
        if status == "ok":
            return answers
        if status == "error":
            raise ConversionError(_lua_message(b"".join(answers).decode("utf-8", "replace")))
        self._stderr.seek(0)
        detail = self._stderr.read().decode("utf-8", "replace").strip()
        self.close()
        raise ConversionError(f"the pandoc worker stopped: {detail or 'no message'}")

    def close(self) -> None:
        if self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._stderr.close()

    def peak_memory(self) -> int:
        """The worker's peak resident memory in bytes (0 where /proc does not tell)."""
        return peak_memory(self._proc.pid)


def peak_memory(pid: int | str = "self") -> int:
    """A process's peak resident memory in bytes, from /proc (VmHWM; 0 where there is none).

    Not getrusage's ru_maxrss: Linux carries that across fork and exec, so a
    worker process would report its parent's peak when that was higher.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


class Converter:
    """Markdown to DOCX (pandoc) and to PDF (pandoc to typst, typst in process).

    With ``persistent`` (the default) one long-lived pandoc does every
    conversion; without, each conversion starts a pandoc process. The bytes
    are the same either way.
    """

    def __init__(self, templates: Path, persistent: bool = True) -> None:
        self.pandoc = pandoc_binary()
        self.reference_doc = templates / "reference.docx"
        self.typst_template = templates / "pandoc" / "fkj.typ"
        self.docx_template = templates / "pandoc" / "fkj.openxml"
        self.lua_filter = templates / "pandoc" / "fkj.lua"
        self.worker_script = templates / "pandoc" / "worker.lua"
        self.data_dir = templates / "pandoc"
        self.persistent = persistent
        self._worker: PandocWorker | None = None
        self.worker_peak_memory = 0

    @property
    def worker_args(self) -> list[Path]:
        """What templates/pandoc/worker.lua is started with: the reference DOCX, the DOCX and typst
        templates, the filter."""
        return [self.reference_doc, self.docx_template, self.typst_template, self.lua_filter]

    def _worker_for(self, epoch: int) -> PandocWorker:
        # pandoc's heap creeps up over many documents (about 0.2 MB each); a fresh
        # worker now and then costs a few milliseconds and keeps it near 130 MB.
        if self._worker is not None and (self._worker.epoch != epoch or self._worker.jobs >= RESTART_EVERY):
            self.close()
        if self._worker is None:
            args = self.worker_args
            self._worker = PandocWorker(self.pandoc, self.worker_script, args, epoch)
        return self._worker

    def close(self) -> None:
        """Stop the pandoc worker, if one runs."""
        if self._worker is not None:
            self.worker_memory()
            self._worker.close()
            self._worker = None

    def worker_memory(self) -> int:
        """The peak resident memory of this converter's pandoc workers so far, in bytes."""
        if self._worker is not None:
            self.worker_peak_memory = max(self.worker_peak_memory, self._worker.peak_memory())
        return self.worker_peak_memory

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _run_pandoc(self, markdown: str, args: list[str], epoch: int, resources: Path, what: str) -> bytes:
        env = _environment(epoch)
        cmd = [
            str(self.pandoc),
            "--from=markdown",
            f"--data-dir={self.data_dir}",
            f"--resource-path={resources}",
            f"--lua-filter={self.lua_filter}",
            "--fail-if-warnings",
            *args,
            "--output=-",
        ]
        proc = subprocess.run(cmd, input=markdown.encode("utf-8"), capture_output=True, env=env, check=False)
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip()
            raise ConversionError(f"pandoc could not write {what}: {detail}")
        return proc.stdout

    def convert(
        self, formats: list[str], markdown: str, *, epoch: int, resources: Path, images: Mapping[str, bytes]
    ) -> dict[str, bytes]:
        """``markdown`` as DOCX and/or typst markup; ``images`` are the files under ``resources`` it embeds."""
        if self.persistent:
            try:
                return dict(zip(formats, self._worker_for(epoch).convert(formats, markdown, images), strict=True))
            except ConversionError as exc:
                what = " and ".join("DOCX" if f == "docx" else "typst" for f in formats)
                raise ConversionError(f"pandoc could not write {what}: {exc}") from None
        result = {}
        for to in formats:
            if to == "docx":
                args = ["--to=docx", f"--reference-doc={self.reference_doc}", f"--template={self.docx_template}"]
                what = "DOCX"
            else:
                args, what = ["--to=typst", "--standalone", f"--template={self.typst_template}"], "typst"
            result[to] = self._run_pandoc(markdown, args, epoch, resources, what)
        return result

    @staticmethod
    def images(rendered: Rendered) -> dict[str, bytes]:
        """The charts a rendered target embeds, drawn as PNG, by the file names its Markdown gives them."""
        return {name: png(drawing) for name, drawing in rendered.charts.items()}

    def outputs(self, rendered: Rendered, formats: list[str], images: Mapping[str, bytes]) -> dict[str, bytes]:
        """A rendered target in each of ``formats`` (docx, pdf, md), in memory, with ``images`` (its
        charts, from :meth:`images`).

        DOCX and the PDF's typst markup come from one pandoc request, so the
        Markdown is read once; the images are files in a temporary folder for
        the time of the conversion. pandoc starts only when DOCX or PDF is asked for.
        """
        pandoc_formats = [{"pdf": "typst"}.get(f, f) for f in formats if f != "md"]
        result: dict[str, bytes] = {}
        if not pandoc_formats:
            return {fmt: rendered.markdown.encode("utf-8") for fmt in formats}
        with tempfile.TemporaryDirectory(prefix="fkj-assets-") as tmp:
            resources = Path(tmp)
            for name, data in images.items():
                (resources / name).write_bytes(data)
            converted = self.convert(
                pandoc_formats, rendered.markdown, epoch=rendered.epoch, resources=resources, images=images
            )
            for fmt in formats:
                if fmt == "md":
                    result[fmt] = rendered.markdown.encode("utf-8")
                elif fmt == "docx":
                    result[fmt] = converted["docx"]
                else:
                    source = converted["typst"].decode("utf-8")
                    result[fmt] = self.pdf(source, epoch=rendered.epoch, resources=resources)
        return result

    def docx_from_tree(self, tree: dict[str, Any], *, epoch: int, resources: Path) -> bytes:
        """pandoc's document tree (its JSON) as DOCX, with the options of a build (reference document,
        filter, date). Read from JSON: a round trip through Markdown would not keep the tables' column widths."""
        cmd = [
            str(self.pandoc),
            "--from=json",
            "--to=docx",
            f"--reference-doc={self.reference_doc}",
            f"--template={self.docx_template}",
            f"--data-dir={self.data_dir}",
            f"--resource-path={resources}",
            f"--lua-filter={self.lua_filter}",
            "--fail-if-warnings",
            "--output=-",
        ]
        env = {"LANG": "C.UTF-8", "SOURCE_DATE_EPOCH": str(epoch)}
        data = json.dumps(tree).encode("utf-8")
        proc = subprocess.run(cmd, input=data, capture_output=True, env=env, check=False)
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip()
            raise ConversionError(f"pandoc could not write the redline: {detail}")
        return proc.stdout

    def pdf(self, source: str, *, epoch: int, resources: Path) -> bytes:
        """Compile typst markup into a tagged PDF/UA-1 and PDF/A-2a; any warning is an error."""
        import typst

        # The charts' figures are garbage by now: collect them and hand the memory back, so
        # that typst's working memory comes on top of a document's, not of the last ones'.
        gc.collect(1)
        _release_memory()
        try:
            pdf, warnings = typst_compiler().compile_with_warnings(
                source.encode("utf-8"),
                format="pdf",
                pdf_standards=PDF_STANDARDS,
                timestamp=epoch,
                root=str(resources),
            )
        except typst.TypstError as exc:
            raise ConversionError(f"typst could not write PDF: {_typst_text(exc)}") from None
        finally:
            _release_memory()
        if warnings:
            raise ConversionError("typst warned: " + "; ".join(_typst_text(w) for w in warnings))
        assert isinstance(pdf, bytes)
        return compact(pdf)


def markdown_tree(markdown: str) -> dict[str, Any]:
    """A Markdown document as pandoc's tree (its JSON form)."""
    proc = subprocess.run(
        [str(pandoc_binary()), "--from=markdown", "--to=json"],
        input=markdown.encode("utf-8"),
        capture_output=True,
        check=False,
        env={"LANG": "C.UTF-8"},
    )
    if proc.returncode != 0:
        raise ConversionError(f"pandoc could not read the document: {proc.stderr.decode('utf-8', 'replace').strip()}")
    tree: dict[str, Any] = json.loads(proc.stdout.decode("utf-8"))
    return tree


def docx_markdown(path: Path) -> str:
    """A DOCX as Markdown text with tracked changes shown (``[...]{.insertion}``), for ``git diff``."""
    if not path.is_file():
        raise FkjError(f"{display_path(path)} does not exist")
    proc = subprocess.run(
        [
            str(pandoc_binary()),
            "--from=docx",
            "--to=markdown",
            "--standalone",
            "--track-changes=all",
            "--wrap=none",
            str(path),
        ],
        capture_output=True,
        check=False,
        env={"LANG": "C.UTF-8"},
    )
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip()
        raise ConversionError(f"pandoc could not read {display_path(path)}: {detail}")
    return proc.stdout.decode("utf-8")


def _release_memory() -> None:
    """Give the memory a typst compilation freed back to the system (glibc keeps it otherwise),
    so that a worker's footprint stays that of one document, not of its largest."""
    global _TRIM
    if _TRIM is None:
        try:
            _TRIM = ctypes.CDLL("libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _TRIM = False
    if _TRIM:
        _TRIM(0)


_TRIM: Any = None


def _lua_message(text: str) -> str:
    """A Lua error without its traceback and without the script's file and line in front."""
    text = text.split("\nstack traceback:", 1)[0].strip()
    return re.sub(r"^\S+\.lua:\d+: ", "", text)


def _typst_text(diag: Any) -> str:
    text = str(getattr(diag, "message", diag))
    hints = list(getattr(diag, "hints", None) or [])
    return text + "".join(f" (hint: {h})" for h in hints)
