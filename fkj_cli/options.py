"""The options several commands share, as typer declares them (cli.py uses them)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fkj_cli.dispatch import print_version


class Lang(StrEnum):
    nb = "nb"
    nn = "nn"


class Format(StrEnum):
    docx = "docx"
    pdf = "pdf"
    md = "md"


ContentOpt = Annotated[Path, typer.Option("--content", help="The content directory.", show_default=True)]
KommunesOpt = Annotated[
    list[str] | None, typer.Option("--kommune", "-k", help="Slug, kommunenummer or name (repeatable).")
]
JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Worker processes [default: the machine's cores]."),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Rebuild everything, even what is up to date.")]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output directory.")]
FormatsOpt = Annotated[
    list[Format] | None,
    typer.Option(
        "--format", "-f", help="Output format (repeatable) [default: docx, pdf]; md writes its charts beside it."
    ),
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", "--check", help="Report what would change; write nothing.")]
VersionOpt = Annotated[bool, typer.Option("--version", callback=print_version, is_eager=True, help="Show the version.")]
LangOpt = Annotated[
    Lang | None,
    typer.Option("--lang", help="Written language, overriding the kommune's målform (nn for nynorsk)."),
]
ProofOpt = Annotated[
    bool, typer.Option("--proof", help="Proof every DOCX and PDF written, as `fkj proof` does; fail on an error.")
]
RegisterFilesArg = Annotated[
    list[Path],
    typer.Argument(
        help="The latest register (kommuner-2024.json) and, optionally, an earlier structure's "
        "(kommuner-2020-2023.json: numbers, counties and organisation numbers before 2024)."
    ),
]
LintPathsArg = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Report only what is in these files: content files, the templates' catalogues (all is still read)."
    ),
]
LintStrictOpt = Annotated[
    bool, typer.Option("--strict", help="Warnings (long sentences, hard-to-read sections) fail too.")
]
StatsOpt = Annotated[
    bool,
    typer.Option("--stats", help="A table per document: words, sentences, LIX, long sentences, unknown words."),
]
SheetArg = Annotated[
    Path,
    typer.Argument(
        help="The tracking sheet, CSV or .xlsx: columns kommune, status, dato, organ and optionally saksnr "
        "(or municipality, status, date, body, case)."
    ),
]
# fkj receipt import: whose mailing receipts without the echoed key answer, and in which view.
ReceiptKommuneOpt = Annotated[
    str | None,
    typer.Option(
        "--kommune",
        "-k",
        help="Whose mailing receipts without the echoed key (referanseEksternNoekkel) answer: slug, number, name.",
    ),
]
ReceiptSenderOpt = Annotated[
    bool, typer.Option("--sender", help="With --kommune: the receipts are the sender's archive's.")
]
# fkj package: whose view, and whether a mailing with fields to fill may be packaged.
PackageSenderOpt = Annotated[
    bool, typer.Option("--sender", help="The sender's view: an outgoing journal post to the kommune.")
]
PackageDraftOpt = Annotated[
    bool,
    typer.Option(
        "--draft",
        help="Package even with fields to fill: documents with open fields are marked B (under editing).",
    ),
]
# fkj redline
RedlineFromOpt = Annotated[str, typer.Option("--from", help="The revision the changes are shown against.")]
RedlineKommuneOpt = Annotated[
    str | None, typer.Option("--kommune", "-k", help="Slug, kommunenummer or name (a recipient for hearing).")
]
RedlineToOpt = Annotated[str | None, typer.Option("--to", help="The revision shown [default: the working tree].")]
RedlineOutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Output directory, or a .docx file [default: build/<kommune>/...].")
]
# fkj review import
ReviewedArg = Annotated[Path, typer.Argument(help="The reviewed DOCX, as the reviewer saved it.")]
ReviewApplyOpt = Annotated[
    bool, typer.Option("--apply", help="Write the changes that can be applied (all of them, or none).")
]
ReviewSharedOpt = Annotated[
    bool, typer.Option("--shared", help="Change a text every kommune shares, though reviewed in one kommune's copy.")
]
ReviewForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Read a DOCX built from another content revision; apply only what still matches."),
]
ReviewReportOpt = Annotated[
    Path | None, typer.Option("--report", help="Write the report here too: FILE.md (Markdown) or FILE.csv.")
]
# fkj validate
ValidateStrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict", help="Fail on warnings too (facts without a source, open fields), for the day of sending."
    ),
]
# fkj preview
PreviewPortOpt = Annotated[
    int, typer.Option("--port", min=0, max=65535, help="The port on 127.0.0.1 to serve on (0: any free one).")
]
PreviewOpenOpt = Annotated[bool, typer.Option("--open", help="Open the preview in the default browser.")]
# fkj fmt
FmtPathsArg = Annotated[
    list[Path] | None, typer.Argument(help="Files or folders to format [default: every file under --content].")
]
FmtCheckOpt = Annotated[
    bool, typer.Option("--check", help="Write nothing; list the files that would change and exit 1 if any.")
]
# fkj proof
ProofDocumentArg = Annotated[str | None, typer.Argument(help="The document, e.g. decision-basis [default: every one].")]
ProofStrictOpt = Annotated[bool, typer.Option("--strict", help="Warnings fail too.")]
# one kommune, named
KommuneOpt = Annotated[str, typer.Option("--kommune", "-k", help="Slug, kommunenummer or name.")]
