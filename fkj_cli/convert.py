"""The only place that talks to pandoc and typst.

pandoc is the static binary that pypandoc-binary bundles, called by path so
that no system pandoc is used; typst compiles in process. Both are pinned to
the document's date so that the same content gives the same bytes.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path
from typing import Any

from fkj_cli.errors import ConversionError

PDF_STANDARDS = ["ua-1", "a-2a"]


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


class Converter:
    """Markdown to DOCX (pandoc) and to PDF (pandoc to typst, typst in process)."""

    def __init__(self, templates: Path) -> None:
        self.pandoc = pandoc_binary()
        self.reference_doc = templates / "reference.docx"
        self.typst_template = templates / "pandoc" / "fkj.typ"
        self.lua_filter = templates / "pandoc" / "fkj.lua"
        self.data_dir = templates / "pandoc"
        self._compiler: Any = None

    def _run_pandoc(self, markdown: str, args: list[str], epoch: int, resources: Path, what: str) -> bytes:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "SOURCE_DATE_EPOCH": str(epoch),
        }
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

    def docx(self, markdown: str, *, epoch: int, resources: Path) -> bytes:
        return self._run_pandoc(
            markdown, ["--to=docx", f"--reference-doc={self.reference_doc}"], epoch, resources, "DOCX"
        )

    def typst_source(self, markdown: str, *, epoch: int, resources: Path) -> str:
        out = self._run_pandoc(
            markdown, ["--to=typst", "--standalone", f"--template={self.typst_template}"], epoch, resources, "typst"
        )
        return out.decode("utf-8")

    def pdf(self, source: str, *, epoch: int, resources: Path) -> bytes:
        """Compile typst markup into a tagged PDF/UA-1 and PDF/A-2a; any warning is an error."""
        import typst

        if self._compiler is None:
            self._compiler = typst.Compiler(font_paths=font_dirs(), ignore_system_fonts=True, root=str(resources))
        try:
            pdf, warnings = self._compiler.compile_with_warnings(
                source.encode("utf-8"),
                format="pdf",
                pdf_standards=PDF_STANDARDS,
                timestamp=epoch,
                root=str(resources),
            )
        except typst.TypstError as exc:
            raise ConversionError(f"typst could not write PDF: {_typst_text(exc)}") from None
        if warnings:
            raise ConversionError("typst warned: " + "; ".join(_typst_text(w) for w in warnings))
        assert isinstance(pdf, bytes)
        return pdf


def _typst_text(diag: Any) -> str:
    text = str(getattr(diag, "message", diag))
    hints = list(getattr(diag, "hints", None) or [])
    return text + "".join(f" (hint: {h})" for h in hints)
