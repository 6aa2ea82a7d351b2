"""A new document type is its module, its template and its content file: nothing in fkj is edited.

The type here lives only in tests/fixtures/doctype/ (named in FKJ_DOCUMENTS);
fkj finds it, validates its content, and builds it to DOCX and PDF, in the
municipality's written language, in parallel workers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pikepdf
import pypdf

from fkj_cli.documents import REGISTRY

from .conftest import copy_content

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "doctype"
COLLABORATION = ["bergen", "baerum", "bodo", "hammerfest", "kristiansand", "ringsaker", "stavanger", "vinje"]


def fkj(*args: str | Path, cwd: Path, documents: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FKJ_DOCUMENTS"}
    if documents:
        env["FKJ_DOCUMENTS"] = str(FIXTURE)
    command = [sys.executable, "-m", "fkj_cli", *map(str, args)]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_a_document_type_kept_outside_fkj_is_found_validated_and_built(tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content")
    shutil.copyfile(FIXTURE / "notice.yaml", content / "notice.yaml")

    listed = fkj("list", "documents", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert names == [*REGISTRY, "notice"]  # listed after fkj's own, by its order
    assert "notice           kommune  Orientering: a short notice" in listed.stdout

    validated = fkj("validate", cwd=tmp_path)
    assert validated.returncode == 0, validated.stderr
    # without the folder, the content file belongs to no document type fkj knows
    unknown = fkj("validate", cwd=tmp_path, documents=False)
    assert unknown.returncode == 1
    assert "notice.yaml" in unknown.stderr

    built = fkj("build", "notice", "--all", "-j", "2", "--proof", cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "✓ proofed 8 documents: nothing found" in built.stdout  # a reader finds nothing wrong with it
    assert sorted(p.parent.name for p in (tmp_path / "build").glob("*/notice.docx")) == sorted(COLLABORATION)
    assert sorted(p.parent.name for p in (tmp_path / "build").glob("*/notice.pdf")) == sorted(COLLABORATION)

    # Vinje's in nynorsk, with a real heading; the PDF in the same language
    document = docx.Document(str(tmp_path / "build" / "vinje" / "notice.docx"))
    paragraphs = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert ("Heading 1", "Samarbeidet om Felles kommunal journal") in paragraphs
    assert ("First Paragraph", "Vinje kommune er ein av samarbeidskommunane i Felles kommunal journal.") in paragraphs
    pdf = tmp_path / "build" / "vinje" / "notice.pdf"
    text = " ".join((page.extract_text() or "") for page in pypdf.PdfReader(pdf).pages)
    assert "Vinje kommune er ein av samarbeidskommunane" in " ".join(text.split())
    with pikepdf.open(pdf) as opened:
        assert str(opened.Root.Lang) == "nn-NO"

    # a second build finds it all up to date, the template digested from its own folder
    again = fkj("build", "notice", "--all", "--proof", cwd=tmp_path)
    assert again.returncode == 0
    assert "Nothing to do" in again.stdout
