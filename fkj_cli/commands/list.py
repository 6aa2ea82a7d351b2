"""`fkj list kommuner`, `fkj list overrides` and `fkj list documents`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fkj_cli.commands import Lines

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.present import Presenter


@dataclass(frozen=True)
class Kommuner:
    content: Content
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        from fkj_cli import present

        present.kommuner(self.content, out)


@dataclass(frozen=True)
class Overrides:
    content: Content
    folder: Path  # where overrides would be
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        from fkj_cli import present

        if not self.content.overrides:
            out.echo(f"No overrides: no file under {self.folder}/.")
        else:
            present.overrides(self.content, out)


def kommuner(content: Path) -> Kommuner:
    from fkj_cli.pipeline import load_content

    return Kommuner(load_content(content))


def overrides(content: Path) -> Overrides:
    from fkj_cli.content import OVERRIDES_DIR
    from fkj_cli.pipeline import load_content

    return Overrides(load_content(content), content / OVERRIDES_DIR)


def documents() -> Lines:
    from fkj_cli.documents import document_types

    return Lines([f"{doc.name:<16} {doc.scope:<8} {doc.description}" for doc in document_types()])
