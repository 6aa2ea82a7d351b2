"""The command line: each command's options, handed by :func:`fkj_cli.dispatch.dispatch` to its function in
:mod:`fkj_cli.commands`. Heavy modules are imported inside those, so that `fkj --help` starts quickly."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fkj_cli import commands
from fkj_cli import options as opt
from fkj_cli.dispatch import dispatch
from fkj_cli.documents import REGISTRY

app = typer.Typer(
    name="fkj",
    help="Build the governance documents of Felles kommunal journal (FKJ) from YAML content.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _group(name: str, help: str) -> typer.Typer:
    group = typer.Typer(help=help, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


build_app = _group("build", "Build a document, for one kommune or --all.")
list_app = _group("list", "Show what there is: kommuner, documents.")
kommuner_app = _group("kommuner", "The municipal register in content/kommuner.yaml.")
decision_app = _group(
    "decision",
    "The municipalities' decisions in content/commitments.yaml: one at a time, or from a tracking sheet.",
)
receipt_app = _group("receipt", "The archives' receipts for the packages: case and journal post numbers into content.")
review_app = _group("review", "Reviewers' Word comments and tracked changes, back into the content.")


@app.callback()
def _main(version: opt.VersionOpt = False) -> None:
    pass


@app.command("validate")
def validate_command(
    content: opt.ContentOpt = Path("content"),
    strict: opt.ValidateStrictOpt = False,
) -> None:
    """Check every YAML file under the content directory and report every problem at once."""
    dispatch(commands.validate.run, content=content, strict=strict)


@app.command("fmt")
def fmt_command(
    paths: opt.FmtPathsArg = None,
    check: opt.FmtCheckOpt = False,
    content: opt.ContentOpt = Path("content"),
) -> None:
    """Rewrite content YAML in the canonical style: indentation, key order from the model, quoting."""
    dispatch(commands.fmt.run, paths=paths or [], content=content, check=check)


@app.command("schema")
def schema_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the schemas.")] = Path("schemas"),
) -> None:
    """Write a JSON Schema for each kind of content file, for completion and checks in editors."""
    dispatch(commands.schema.run, out=out)


def _make_build_command(doc_name: str) -> None:
    doc = REGISTRY[doc_name]

    def command(
        kommune: opt.KommunesOpt = None,
        every: Annotated[bool, typer.Option("--all", help="Build for every kommune the document concerns.")] = False,
        formats: opt.FormatsOpt = None,
        out: opt.OutOpt = Path("build"),
        lang: opt.LangOpt = None,
        jobs: opt.JobsOpt = None,
        force: opt.ForceOpt = False,
        proof: opt.ProofOpt = False,
        content: opt.ContentOpt = Path("content"),
    ) -> None:
        refs = kommune or []
        dispatch(
            commands.build.run, doc_name, refs, every, formats or [], out, content, lang, jobs, force, proof, bar=True
        )

    command.__doc__ = doc.description
    build_app.command(name=doc_name, help=doc.description)(command)


@build_app.command("all")
def build_all(
    formats: opt.FormatsOpt = None,
    out: opt.OutOpt = Path("build"),
    jobs: opt.JobsOpt = None,
    force: opt.ForceOpt = False,
    proof: opt.ProofOpt = False,
    content: opt.ContentOpt = Path("content"),
) -> None:
    """Build every document for every kommune it concerns."""
    dispatch(commands.build.run, None, [], True, formats or [], out, content, None, jobs, force, proof, bar=True)


@app.command("proof")
def proof_command(
    document: opt.ProofDocumentArg = None,
    kommune: opt.KommunesOpt = None,
    every: Annotated[bool, typer.Option("--all", help="Every kommune [the default when none is named].")] = False,
    out: opt.OutOpt = Path("build"),
    lang: opt.LangOpt = None,
    jobs: opt.JobsOpt = None,
    strict: opt.ProofStrictOpt = False,
    content: opt.ContentOpt = Path("content"),
) -> None:
    """Check the built DOCX and PDF as a reader would: layout, headings, tables, alt text, PDF/UA and PDF/A."""
    dispatch(commands.proof.run, document, kommune or [], every, out, content, lang, jobs, strict, bar=True)


for _name in REGISTRY:
    _make_build_command(_name)


@list_app.command("kommuner")
def list_kommuner(content: opt.ContentOpt = Path("content")) -> None:
    """The municipalities in the register, with number, population and målform."""
    dispatch(commands.list.kommuner, content=content)


@list_app.command("overrides")
def list_overrides(content: opt.ContentOpt = Path("content")) -> None:
    """Which kommuner differ from the shared text of a document, and in which keys."""
    dispatch(commands.list.overrides, content=content)


@app.command("show")
def show_command(
    document: Annotated[str, typer.Argument(help="The document, e.g. decision-basis.")],
    kommune: Annotated[str | None, typer.Option("--kommune", "-k", help="Slug, kommunenummer or name.")] = None,
    content: opt.ContentOpt = Path("content"),
) -> None:
    """Print a document's content as used for one kommune: the shared file with its override merged in."""
    dispatch(commands.show.run, document=document, kommune=kommune, content=content)


@kommuner_app.command("import")
def kommuner_import(
    files: opt.RegisterFilesArg,
    content: opt.ContentOpt = Path("content"),
) -> None:
    """Refresh kommuner.yaml from a register: new, renamed and removed municipalities, populations.

    Roles and other keys editors added are kept; with an earlier structure's register, each
    municipality's earlier number and county and its organisation number come from it."""
    dispatch(commands.kommuner.run_import, files=list(files), content=content)


@app.command("status")
def status_command(content: opt.ContentOpt = Path("content")) -> None:
    """Commitments per kommune and the coverage against the 55 % condition."""
    dispatch(commands.status.run, content=content)


@app.command("economics")
def economics_command(kommune: opt.KommuneOpt, content: opt.ContentOpt = Path("content")) -> None:
    """One kommune's figures: annual cost and cost per inhabitant by price model and scenario."""
    dispatch(commands.economics.run, kommune=kommune, content=content)


@app.command("package")
def package_command(
    kommune: opt.KommunesOpt = None,
    every: Annotated[bool, typer.Option("--all", help="Package the mailing for every kommune it goes to.")] = False,
    sender: opt.PackageSenderOpt = False,
    draft: opt.PackageDraftOpt = False,
    out: opt.OutOpt = Path("build"),
    jobs: opt.JobsOpt = None,
    force: opt.ForceOpt = False,
    content: opt.ContentOpt = Path("content"),
) -> None:
    """Write the mailing (letter, decision basis, draft saksframlegg) as a Fiks Arkiv message, folder and zip.

    Only a final mailing: while a field is to fill in, it names each one and writes nothing (--draft: anyway)."""
    dispatch(commands.package.run, kommune or [], every, sender, out, content, jobs, force, draft, bar=True)


@receipt_app.command("import")
def receipt_import(
    files: Annotated[list[Path], typer.Argument(help="The archives' receipts (arkivmelding-kvittering.xml).")],
    kommune: opt.ReceiptKommuneOpt = None,
    sender: opt.ReceiptSenderOpt = False,
    dry_run: opt.DryRunOpt = False,
    content: opt.ContentOpt = Path("content"),
) -> None:
    """Record the case and journal post numbers the archives assigned; nothing is written if any receipt is bad."""
    dispatch(commands.receipt.run_import, files=files, content=content, dry_run=dry_run, kommune=kommune, sender=sender)


@review_app.command("import")
def review_import(
    file: opt.ReviewedArg,
    apply: opt.ReviewApplyOpt = False,
    shared: opt.ReviewSharedOpt = False,
    force: opt.ReviewForceOpt = False,
    report: opt.ReviewReportOpt = None,
    content: opt.ContentOpt = Path("content"),
) -> None:
    """Map a reviewed DOCX's comments and tracked changes to the content (file, line, key); --apply writes them."""
    dispatch(commands.review.run_import, file, apply, shared, force, report, content)


@app.command("lint")
def lint_command(
    paths: opt.LintPathsArg = None,
    content: opt.ContentOpt = Path("content"),
    strict: opt.LintStrictOpt = False,
    stats: opt.StatsOpt = False,
) -> None:
    """Check the spelling, the written language (bokmål/nynorsk) and the plain language of every text."""
    dispatch(commands.lint.run, paths=paths or [], content=content, strict=strict, stats=stats)


@app.command("diff")
def diff_command(
    rev: Annotated[str, typer.Argument(help="The revision to compare from, e.g. HEAD~1, a tag or a commit.")],
    rev2: Annotated[str | None, typer.Argument(help="The revision to compare to [default: the working tree].")] = None,
    content: opt.ContentOpt = Path("content"),
) -> None:
    """What changed in the content between two git revisions, and which documents each change touches."""
    dispatch(commands.diff.run, rev=rev, rev2=rev2, content=content)


@app.command("redline")
def redline_command(
    document: Annotated[str, typer.Argument(help="The document, e.g. decision-basis.")],
    from_rev: opt.RedlineFromOpt,
    kommune: opt.RedlineKommuneOpt = None,
    to_rev: opt.RedlineToOpt = None,
    out: opt.RedlineOutOpt = None,
    lang: opt.LangOpt = None,
    content: opt.ContentOpt = Path("content"),
) -> None:
    """A DOCX of the document as of --to with Word tracked changes against --from."""
    dispatch(commands.redline.run, document, from_rev, kommune, to_rev, out, lang, content)


@app.command("preview")
def preview_command(
    port: opt.PreviewPortOpt = 8000, open_: opt.PreviewOpenOpt = False, content: opt.ContentOpt = Path("content")
) -> None:
    """Show the documents in the browser, on 127.0.0.1 only, updated as content and templates are saved."""
    dispatch(commands.preview.run, port, open_, content, presenter=True)


@app.command("textconv")
def textconv_command(file: Annotated[Path, typer.Argument(help="A DOCX file.")]) -> None:
    """Print a DOCX as plain text, for git's diff.docx.textconv (see the README)."""
    dispatch(commands.textconv.run, file=file)


@list_app.command("documents")
def list_documents() -> None:
    """The document types fkj can build."""
    dispatch(commands.list.documents)


@decision_app.command("record")
def decision_record(
    kommune: Annotated[str, typer.Argument(help="Slug, kommunenummer or name.")],
    status: Annotated[str, typer.Argument(help="forpliktelse, opsjon, nei or ubehandlet.")],
    date: Annotated[str, typer.Option("--date", help="The date of the decision: YYYY-MM-DD or DD.MM.YYYY.")],
    body: Annotated[str, typer.Option("--body", help="The body that decided, e.g. Bystyret.")],
    case: Annotated[str | None, typer.Option("--case", help="The case reference (saksnummer).")] = None,
    dry_run: opt.DryRunOpt = False,
    content: opt.ContentOpt = Path("content"),
) -> None:
    """Record one municipality's decision in commitments.yaml (comments kept, validated before writing)."""
    dispatch(commands.decision.record, kommune, status, date, body, case, content, dry_run)


@decision_app.command("import")
def decision_import(
    file: opt.SheetArg,
    dry_run: opt.DryRunOpt = False,
    content: opt.ContentOpt = Path("content"),
) -> None:
    """Record every decision in the secretariat's tracking sheet; nothing is written if any row is bad."""
    dispatch(commands.decision.run_import, file=file, content=content, dry_run=dry_run)


def main() -> None:
    app(prog_name="fkj")
