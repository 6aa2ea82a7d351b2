"""`fkj economics`: one kommune's figures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.present import Presenter


@dataclass(frozen=True)
class Economics:
    content: Content
    slug: str
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        from fkj_cli import present

        present.economics(self.content, self.slug, out)


def run(kommune: str, content: Path) -> Economics:
    from fkj_cli.pipeline import load_content

    loaded = load_content(content)
    slug, _ = loaded.kommune(kommune)
    return Economics(loaded, slug)
