"""The check-texts stage: every text of the content rendered once in each language it is built in.

Texts are Markdown and Jinja at once; a bad reference or a missing nynorsk
text is found here, before a build, with the file, line and key it is at.
The renderer keeps the texts compiled for the build that follows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fkj_cli.documents import document_types
from fkj_cli.errors import ContentError, Problem
from fkj_cli.targets import Target

if TYPE_CHECKING:
    from fkj_cli.content.load import Content
    from fkj_cli.participation import Figures
    from fkj_cli.render import Renderer


def text_samples(content: Content) -> list[Target]:
    """One target per document type and language it is built in, and one per override.

    A text renders alike for every municipality of one language, except
    where an override gives a municipality its own.
    """
    samples: list[Target] = []
    for doc in document_types():
        by_lang: dict[str, Target] = {}
        if doc.scope == "kommune":
            for slug, kommune in content.register.kommuner.items():
                if doc.applies(content, slug, kommune) is None:
                    by_lang.setdefault(kommune.lang, Target(doc, slug, kommune, kommune.lang))
        else:
            by_lang["nb"] = Target(doc, None, None, "nb")
        samples += by_lang.values()
        kommuner = content.register.kommuner
        samples += [
            Target(doc, slug, kommuner[slug], kommuner[slug].lang)
            for name, slug in content.overrides
            if name == doc.name
        ]
    return samples


def check_texts(content: Content, figures: Figures, renderer: Renderer) -> None:
    """Render every text of the content in each language it is built in; raise ContentError listing all."""
    problems: list[Problem] = []
    for target in text_samples(content):
        try:
            renderer.context(content, figures, target)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
