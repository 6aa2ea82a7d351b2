"""`fkj validate`: stages 1–4 over the whole content tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.present import Presenter


@dataclass(frozen=True)
class Validated:
    content: Content
    exit_code: int = 0

    def present(self, out: Presenter) -> None:
        warnings = self.content.warnings
        for w in warnings:
            key = f" {w.key}:" if w.key else ""
            out.warning(f"{w.file}:{w.line}:{w.col}:{key} warning: {w.message}")
        out.echo(f"✓ {len(self.content.files)} content files valid ({len(self.content.register.kommuner)} kommuner)")
        if warnings:
            count = len(warnings)
            out.echo(f"{count} warning{'s' if count != 1 else ''} (--strict fails on them)")


def run(content: Path, strict: bool = False) -> Validated:
    """Check every content file; with ``strict``, warnings are problems too (ContentError)."""
    from fkj_cli.errors import ContentError
    from fkj_cli.pipeline import prepare

    loaded = prepare(content).content
    if strict and loaded.warnings:
        raise ContentError(loaded.warnings)
    return Validated(loaded)
