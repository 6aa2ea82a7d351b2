"""What a document type declares about itself, in the one module that owns it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from fkj_cli.content import COMMITMENTS_FILE, ECONOMICS_FILE, PROGRAM_FILE, REGISTER_FILE
from fkj_cli.documents.context import Context, FiguresContext
from fkj_cli.errors import display_path

if TYPE_CHECKING:
    from pydantic import BaseModel

    from fkj_cli.charts import Drawing
    from fkj_cli.content.kommuner import Kommune, Register
    from fkj_cli.content.load import Content
    from fkj_cli.content.program import Program
    from fkj_cli.participation import Figures
    from fkj_cli.targets import Target

Scope = Literal["kommune", "program", "recipient"]
Audience = Literal["outside-midt-norge", "collaboration", "all"]
# A cross-check's findings: the key path in the document's file, and what is wrong there.
Found = Iterator[tuple[tuple[str | int, ...], str]]
# Files that give a document its own computed figures: the context then has
# ``economics`` (economics.yaml in the document's language) and ``figures``.
FIGURES = (ECONOMICS_FILE, COMMITMENTS_FILE)


@dataclass(frozen=True)
class Chart:
    """An image a document embeds: the name its template refers to, its file, and how it is drawn.

    ``draw`` takes the document's render context and returns the chart as
    typst source (the convert stage draws it), or None when the document has
    nothing to show in it. ``width`` is the share of
    the text width it is shown at: every chart is drawn at the same scale, so a
    narrower image is shown narrower and its text is as large as the others'.
    """

    key: str
    file: str
    draw: Callable[[Any], Drawing | None]
    width: float = 1.0


@dataclass(frozen=True)
class DocumentType:
    """Everything about one kind of document; the registry names it."""

    name: str  # the CLI name and the output file's stem
    description: str  # what it is, in `fkj list documents` and the CLI's help
    order: int  # where it comes wherever fkj lists the types (help, `fkj list documents`, `fkj diff`, builds)
    model: type[BaseModel]  # of its content file
    template: str  # under templates/
    content_file: str  # its own file under content/
    scope: Scope
    pages: tuple[int, int]  # the fewest and the most pages a document of this type has (fkj proof checks it)
    audience: Audience = "all"
    # Content files it reads besides program.yaml, the register and its own file.
    # The manifest's digest of an output is made of exactly these, and the
    # rendering context offers only what they give, so the two cannot drift apart.
    reads: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()  # what each municipality's register entry must have for this document
    folder: str = "program"  # where program- and recipient-scoped outputs go, under the output directory
    # What its content must agree on with the program and the register, beyond the
    # issuer and milestone references every document is checked for.
    check: Callable[[Any, Program, Register], Found] | None = None
    # A document whose content is partly per municipality (the memo's case) is made
    # only where that part is written: what the content lacks for ``slug``, or None.
    missing: Callable[[Any, str], str | None] | None = None
    charts: tuple[Chart, ...] = ()
    draft: bool = False  # the recipient's to edit and complete: blanks to fill are expected in it
    # Other document types whose content (for the same municipality, its override merged) this one
    # shows; the context has each under its name with "_" for "-" (decision_basis). Their files
    # belong in ``reads`` too.
    uses: tuple[str, ...] = ()
    # What the document's template needs beyond its content and figures, computed from them:
    # a function of (content, figures, target) returning the fields its ``context`` class adds.
    extra: Callable[[Content, Figures, Target], dict[str, Any]] | None = None
    # Document types whose outputs (DOCX and PDF, for everyone each is made for) this one approves: it
    # lists each with its SHA-256 (Target.approved) and is written with their checksum list, so building it
    # builds them first, and it is rebuilt whenever one of them changes.
    approves: tuple[str, ...] = ()
    # Its render context's class: by default FiguresContext for a document that shows figures, else Context.
    context: type[Context[Any]] | None = None

    @property
    def inputs(self) -> tuple[str, ...]:
        """Every content file an output of this document is made from."""
        return (PROGRAM_FILE, REGISTER_FILE, self.content_file, *self.reads)

    @property
    def shows_figures(self) -> bool:
        return all(name in self.reads for name in FIGURES)

    @property
    def context_type(self) -> type[Context[Any]]:
        """The class of its render context."""
        if self.context is not None:
            return self.context
        return FiguresContext if self.shows_figures else Context

    def applies(self, content: Content, slug: str, kommune: Kommune) -> str | None:
        """Why this document is not made for ``kommune``, or None when it is."""
        if self.audience == "outside-midt-norge":
            commitment = content.program.commitment
            if kommune.county_number in commitment.excluded_counties:
                return (
                    f"{self.name} is for municipalities outside {commitment.excluded_region}; "
                    f"{kommune.name} ({kommune.number}) is in {kommune.county}"
                )
        elif self.audience == "collaboration" and kommune.role != "collaboration":
            return f"{self.name} is only for the collaboration municipalities; {kommune.name} is not one"
        if self.missing is not None and slug in content.register.kommuner:
            # looked up in the kommune's merged content, so the part may also sit in its override
            lacking = self.missing(content.document(self.name, slug), slug)
            if lacking is not None:
                where = display_path(content.root / self.content_file)
                return f"{self.name} for {kommune.name} needs {lacking} to {where}"
        return None
