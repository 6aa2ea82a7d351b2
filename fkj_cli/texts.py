"""The check-texts stage: every text of the content rendered in each language it is built in.

Texts are Markdown and Jinja at once; a bad reference or a missing nynorsk
text is found here, before a build, with the file, line and key it is at.
The renderer keeps the texts compiled for the build that follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fkj_cli.documents import document_types
from fkj_cli.errors import ContentError, Problem
from fkj_cli.targets import samples

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.participation import Figures
    from fkj_cli.render import Renderer


def check_texts(content: Content, figures: Figures, renderer: Renderer) -> None:
    """Render every text of the content in each language it is built in; raise ContentError listing all.

    The targets are :func:`fkj_cli.targets.samples`, the ones `fkj lint` renders too.
    """
    problems: list[Problem] = []
    for target in samples(content, document_types()):
        try:
            renderer.context(content, figures, target)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
