"""`fkj status`: the commitments and the 55 % condition."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.present import Presenter


@dataclass(frozen=True)
class Status:
    content: Content
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        from fkj_cli import present

        present.status(self.content, out)


def run(content: Path) -> Status:
    from fkj_cli.pipeline import load_content

    return Status(load_content(content))
