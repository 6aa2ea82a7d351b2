"""`fkj show`: a document's content as one kommune gets it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fkj_cli.present import Presenter


@dataclass(frozen=True)
class Shown:
    data: Any  # the merged content file, as plain data
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        from fkj_cli import present

        out.echo(present.as_yaml(self.data), nl=False)


def run(document: str, kommune: str | None, content: Path) -> Shown:
    from fkj_cli.documents import document_type
    from fkj_cli.pipeline import load_content

    doc = document_type(document)
    loaded = load_content(content)
    slug = loaded.kommune(kommune)[0] if kommune else None
    return Shown(loaded.document_file(doc, slug).data)
