"""Where fkj's own files are, found from this module and never from the working directory.

A wheel carries the repository's top-level templates/ inside the package, as
fkj_cli/templates (setup.py copies it there at build time). A checkout has no
such copy, and neither has an editable install, which runs the checkout's own
code: there the templates are the templates/ folder beside the package.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _templates() -> Path:
    installed = PACKAGE / "templates"
    return installed if installed.is_dir() else PACKAGE.parent / "templates"


TEMPLATES: Path = _templates()
"""The templates folder: Jinja templates, i18n/ catalogues, reference.docx and pandoc/."""
