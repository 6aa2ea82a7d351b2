"""What the content layer needs to know about a document type, handed in by the layer above.

Content is the bottom layer: it imports no document type. Whoever loads a
content tree passes the registry's types (``fkj_cli.documents.document_types()``),
which satisfy :class:`DocumentSpec` as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pydantic import BaseModel

    from fkj_cli.content.kommuner import Kommune, Register
    from fkj_cli.content.load import Content
    from fkj_cli.content.program import Program

# A cross-check's findings: the key path in the document's file, and what is wrong there.
Found = Iterator[tuple[tuple[str | int, ...], str]]


class DocumentSpec(Protocol):
    """One document type, as loading and validating the content tree sees it."""

    @property
    def name(self) -> str: ...

    @property
    def model(self) -> type[BaseModel]: ...  # of its content file

    @property
    def content_file(self) -> str: ...

    @property
    def scope(self) -> str: ...  # "kommune", "program" or "recipient": only "kommune" has overrides

    @property
    def needs(self) -> tuple[str, ...]: ...  # what each municipality it is made for must have in the register

    @property
    def check(self) -> Callable[[Any, Program, Register], Found] | None: ...

    def applies(self, content: Content, slug: str, kommune: Kommune) -> str | None:
        """Why the document is not made for ``kommune``, or None when it is."""
        ...
