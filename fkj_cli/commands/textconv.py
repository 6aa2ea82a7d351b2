"""`fkj textconv`: a DOCX as text, for git's diff driver."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.present import Presenter


@dataclass(frozen=True)
class Text:
    text: str
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        out.write(self.text)  # as it is: git reads it


def run(file: Path) -> Text:
    from fkj_cli.convert import docx_markdown

    return Text(docx_markdown(file))
