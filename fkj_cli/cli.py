"""The command line: parse options, call one library function, print the result.

Heavy modules (pydantic, jinja2, pandoc, typst) are imported inside the
commands, so `fkj --help` starts quickly.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from fkj_cli import __version__
from fkj_cli.documents import REGISTRY

app = typer.Typer(
    name="fkj",
    help="Build the governance documents of Felles kommunal journal (FKJ) from YAML content.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
build_app = typer.Typer(help="Build a document, for one kommune or --all.", no_args_is_help=True)
list_app = typer.Typer(help="Show what there is: kommuner, documents.", no_args_is_help=True)
kommuner_app = typer.Typer(help="The municipal register in content/kommuner.yaml.", no_args_is_help=True)
app.add_typer(build_app, name="build")
app.add_typer(list_app, name="list")
app.add_typer(kommuner_app, name="kommuner")
decision_app = typer.Typer(
    help="The municipalities' decisions in content/commitments.yaml: one at a time, or from a tracking sheet.",
    no_args_is_help=True,
)
app.add_typer(decision_app, name="decision")
receipt_app = typer.Typer(
    help="The archives' receipts for the packages: case and journal post numbers into content.", no_args_is_help=True
)
app.add_typer(receipt_app, name="receipt")

T = TypeVar("T")


class Lang(StrEnum):
    nb = "nb"
    nn = "nn"


class Format(StrEnum):
    docx = "docx"
    pdf = "pdf"
    md = "md"


ContentOpt = Annotated[Path, typer.Option("--content", help="The content directory.", show_default=True)]


def _stderr(text: str, style: str = "red") -> None:
    from rich.console import Console

    Console(stderr=True, highlight=False, soft_wrap=True).print(text, style=style, markup=False)


def run(func: Callable[[], T]) -> T:
    """Run a command: user errors exit 1 without a traceback, bugs exit 3."""
    from fkj_cli.errors import ContentError, FkjError, InputError

    try:
        return func()
    except ContentError as exc:
        for problem in exc.problems:
            _stderr(str(problem))
        _stderr(f"✗ {exc.summary()}", style="bold red")
        raise typer.Exit(1) from None
    except InputError as exc:
        for line in exc.problems:
            _stderr(line if exc.summary else f"error: {line}")
        if exc.summary:
            _stderr(f"✗ {exc.summary}", style="bold red")
        raise typer.Exit(1) from None
    except FkjError as exc:
        _stderr(f"error: {exc}")
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        _stderr("interrupted")
        raise typer.Exit(130) from None
    except BrokenPipeError:  # the reader stopped reading (`fkj diff HEAD~1 | head`): not a bug
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing more to flush at exit
        raise typer.Exit(141) from None
    except (typer.Exit, typer.Abort):
        raise
    except OSError as exc:
        from fkj_cli.write import REASONS, output_error

        if exc.errno not in REASONS or not exc.filename:
            raise _bug() from None
        _stderr(f"error: {output_error(exc, Path(exc.filename))}")  # the user's disk, not a bug
        raise typer.Exit(1) from None
    except Exception:
        raise _bug() from None


def _bug() -> typer.Exit:
    """Report the exception being handled as a bug in fkj: the traceback goes to a log file, exit 3."""
    import tempfile

    fd, log = tempfile.mkstemp(prefix="fkj-crash-", suffix=".log")
    with open(fd, "w", encoding="utf-8") as fh:
        fh.write(f"fkj {__version__}\n{' '.join(sys.argv)}\n\n{traceback.format_exc()}")
    _stderr(f"fkj hit a bug: {sys.exc_info()[1]!r}\nThe traceback is in {log}; please report it.")
    return typer.Exit(3)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fkj {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    pass


@app.command()
def validate(
    content: ContentOpt = Path("content"),
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Fail on warnings too (facts without a source, open fields), for the day of sending."
        ),
    ] = False,
) -> None:
    """Check every YAML file under the content directory and report every problem at once."""

    def go() -> None:
        from fkj_cli.errors import ContentError
        from fkj_cli.pipeline import prepare

        loaded = prepare(content).content
        if strict and loaded.warnings:
            raise ContentError(loaded.warnings)
        for w in loaded.warnings:
            key = f" {w.key}:" if w.key else ""
            _stderr(f"{w.file}:{w.line}:{w.col}:{key} warning: {w.message}", style="yellow")
        n = len(loaded.files)
        typer.echo(f"✓ {n} content files valid ({len(loaded.register.kommuner)} kommuner)")
        if loaded.warnings:
            count = len(loaded.warnings)
            typer.echo(f"{count} warning{'s' if count != 1 else ''} (--strict fails on them)")

    run(go)


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


@app.command()
def fmt(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Files or folders to format [default: every file under --content].")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; list the files that would change and exit 1 if any.")
    ] = False,
    content: ContentOpt = Path("content"),
) -> None:
    """Rewrite content YAML in the canonical style: indentation, key order from the model, quoting."""

    def go() -> None:
        from fkj_cli.fmt import content_files, format_files, write

        results = format_files(list(paths) if paths else content_files(content))
        changed = [r for r in results if r.changed]
        for r in changed:
            if not check:
                write(r)
            typer.echo(f"{'would reformat' if check else 'reformatted'} {r.display}")
        n, same = len(changed), len(results) - len(changed)
        files = f"file{'s' if n != 1 else ''}"
        if check and changed:
            typer.echo(f"{n} {files} would be reformatted, {same} already formatted (run `fkj fmt` to fix)")
            raise typer.Exit(1)
        if changed:
            typer.echo(f"{n} {files} reformatted, {same} already formatted")
        else:
            typer.echo(f"✓ {same} file{'s' if same != 1 else ''} already formatted")

    run(go)


@app.command()
def schema(
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the schemas.")] = Path("schemas"),
) -> None:
    """Write a JSON Schema for each kind of content file, for completion and checks in editors."""

    def go() -> None:
        from fkj_cli.errors import display_path
        from fkj_cli.schema import write_schemas

        for path, changed in write_schemas(out):
            typer.echo(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")

    run(go)


def _make_build_command(doc_name: str) -> None:
    doc = REGISTRY[doc_name]

    def command(
        kommune: Annotated[
            list[str] | None,
            typer.Option("--kommune", "-k", help="Slug, kommunenummer or name (repeatable)."),
        ] = None,
        every: Annotated[bool, typer.Option("--all", help="Build for every kommune the document concerns.")] = False,
        formats: FormatsOpt = None,
        out: OutOpt = Path("build"),
        lang: Annotated[
            Lang | None,
            typer.Option("--lang", help="Written language, overriding the kommune's målform (nn for nynorsk)."),
        ] = None,
        jobs: JobsOpt = None,
        force: ForceOpt = False,
        content: ContentOpt = Path("content"),
    ) -> None:
        chosen = [f.value for f in formats or [Format.docx, Format.pdf]]
        run(
            lambda: _build(
                doc_name, kommune or [], every, chosen, out, content, lang.value if lang else None, jobs, force
            )
        )

    command.__doc__ = doc.description
    build_app.command(name=doc_name, help=doc.description)(command)


@build_app.command("all")
def build_all(
    formats: FormatsOpt = None,
    out: OutOpt = Path("build"),
    jobs: JobsOpt = None,
    force: ForceOpt = False,
    content: ContentOpt = Path("content"),
) -> None:
    """Build every document for every kommune it concerns."""
    chosen = [f.value for f in formats or [Format.docx, Format.pdf]]
    run(lambda: _build(None, [], True, chosen, out, content, None, jobs, force))


def _build(
    doc_name: str | None,
    refs: list[str],
    every: bool,
    formats: list[str],
    out: Path,
    content_dir: Path,
    lang: str | None,
    jobs: int | None = None,
    force: bool = False,
) -> None:
    """Build ``doc_name`` (every document type when None) for ``refs`` or, with ``every``, for all."""
    import os

    from fkj_cli import present
    from fkj_cli.build import Request
    from fkj_cli.build import run as run_build
    from fkj_cli.documents import document_type, document_types
    from fkj_cli.errors import FkjError, display_path

    docs = [document_type(doc_name)] if doc_name else document_types()
    request = Request(
        docs=docs,
        refs=refs,
        every=every,
        formats=list(dict.fromkeys(formats)),
        out=out,
        content=content_dir,
        lang=lang,
        jobs=jobs or os.cpu_count() or 1,
        force=force,
    )
    console = present.console()
    bar = present.Bar(console, f"Building {', '.join(sorted(d.name for d in docs))}") if every else None
    try:
        report = run_build(request, bar)
    finally:
        if bar:
            bar.stop()
    if not report.loaded:
        console.print(
            f"Nothing to do: {report.up_to_date} outputs in {display_path(out)}/ are up to date.", markup=False
        )
        return
    if not every:
        for outcome in report.outcomes:
            if outcome.error:
                raise FkjError(f"{outcome.target.label}: {outcome.error}")
        present.written(report, console)
        return
    present.summary(report, console)
    if report.stopped or any(o.error for o in report.outcomes):
        raise typer.Exit(1)


for _name in REGISTRY:
    _make_build_command(_name)


@list_app.command("kommuner")
def list_kommuner(content: ContentOpt = Path("content")) -> None:
    """The municipalities in the register, with number, population and målform."""

    def go() -> None:
        from fkj_cli import present
        from fkj_cli.pipeline import load_content

        present.kommuner(load_content(content), present.console())

    run(go)


@list_app.command("overrides")
def list_overrides(content: ContentOpt = Path("content")) -> None:
    """Which kommuner differ from the shared text of a document, and in which keys."""

    def go() -> None:
        from fkj_cli import present
        from fkj_cli.content import OVERRIDES_DIR
        from fkj_cli.pipeline import load_content

        loaded = load_content(content)
        if not loaded.overrides:
            typer.echo(f"No overrides: no file under {content / OVERRIDES_DIR}/.")
            return
        present.overrides(loaded, present.console())

    run(go)


@app.command()
def show(
    document: Annotated[str, typer.Argument(help="The document, e.g. decision-basis.")],
    kommune: Annotated[str | None, typer.Option("--kommune", "-k", help="Slug, kommunenummer or name.")] = None,
    content: ContentOpt = Path("content"),
) -> None:
    """Print a document's content as used for one kommune: the shared file with its override merged in."""

    def go() -> None:
        from fkj_cli import present
        from fkj_cli.documents import document_type
        from fkj_cli.pipeline import load_content

        doc = document_type(document)
        loaded = load_content(content)
        slug = loaded.kommune(kommune)[0] if kommune else None
        typer.echo(present.as_yaml(loaded.document_file(doc, slug).data), nl=False)

    run(go)


@kommuner_app.command("import")
def kommuner_import(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The latest register (kommuner-2024.json) and, optionally, an earlier structure's "
            "(kommuner-2020-2023.json: numbers, counties and organisation numbers before 2024)."
        ),
    ],
    content: ContentOpt = Path("content"),
) -> None:
    """Refresh kommuner.yaml from a register: new, renamed and removed municipalities, populations.

    Roles and other keys editors added are kept; with an earlier structure's register, each
    municipality's earlier number and county and its organisation number come from it."""

    def go() -> None:
        from fkj_cli.register import import_register

        target = content / "kommuner.yaml"
        count, report = import_register(list(files), target)
        typer.echo(f"{target}: {count} kommuner")
        typer.echo(f"  new: {len(report.new)}")
        for number, old, new in report.renamed:
            typer.echo(f"  renamed: {number} {old} → {new}")
        for slug, reason in report.merged:
            typer.echo(f"  removed (merged or gone): {slug}: {reason}")
        for slug, before, after in report.population:
            typer.echo(f"  population: {slug} {before} → {after}")

    run(go)


@app.command()
def status(content: ContentOpt = Path("content")) -> None:
    """Commitments per kommune and the coverage against the 55 % condition."""

    def go() -> None:
        from fkj_cli import present
        from fkj_cli.pipeline import load_content

        present.status(load_content(content), present.console())

    run(go)


@app.command("economics")
def economics_command(
    kommune: Annotated[str, typer.Option("--kommune", "-k", help="Slug, kommunenummer or name.")],
    content: ContentOpt = Path("content"),
) -> None:
    """One kommune's figures: annual cost and cost per inhabitant by price model and scenario."""

    def go() -> None:
        from fkj_cli import present
        from fkj_cli.pipeline import load_content

        loaded = load_content(content)
        slug, _ = loaded.kommune(kommune)
        present.economics(loaded, slug, present.console())

    run(go)


@app.command()
def package(
    kommune: Annotated[
        list[str] | None, typer.Option("--kommune", "-k", help="Slug, kommunenummer or name (repeatable).")
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Package the mailing for every kommune it goes to.")] = False,
    sender: Annotated[
        bool, typer.Option("--sender", help="The sender's view: an outgoing journal post to the kommune.")
    ] = False,
    out: OutOpt = Path("build"),
    jobs: JobsOpt = None,
    force: ForceOpt = False,
    content: ContentOpt = Path("content"),
) -> None:
    """Write the mailing (letter, decision basis, draft saksframlegg) as a Fiks Arkiv message, folder and zip."""

    def go() -> None:
        import os

        from fkj_cli import present
        from fkj_cli.archive.package import package as make_packages

        console = present.console()
        bar = present.Bar(console, "Building the mailing") if every else None
        try:
            report = make_packages(
                kommuner=kommune or [],
                every=every,
                sender=sender,
                out=out,
                content=content,
                jobs=jobs or os.cpu_count() or 1,
                force=force,
                reporter=bar,
            )
        finally:
            if bar:
                bar.stop()
        for line in report.lines():
            if line.startswith("error: "):
                _stderr(line)
            else:
                typer.echo(line)
        if not report.ok:
            raise typer.Exit(1)

    run(go)


@receipt_app.command("import")
def receipt_import(
    files: Annotated[list[Path], typer.Argument(help="The archives' receipts (arkivmelding-kvittering.xml).")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "--check", help="Report what would change; write nothing.")
    ] = False,
    content: ContentOpt = Path("content"),
) -> None:
    """Record the case and journal post numbers the archives assigned; nothing is written if any receipt is bad."""

    def go() -> None:
        from fkj_cli.archive.receipt import import_receipts

        report = import_receipts(files=files, content=content, dry_run=dry_run)
        for line in report.lines():
            typer.echo(line)

    run(go)


@app.command("lint")
def lint_command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Report only what is in these files: content files, the templates' catalogues (all is still read)."
        ),
    ] = None,
    content: ContentOpt = Path("content"),
    strict: Annotated[
        bool, typer.Option("--strict", help="Warnings (long sentences, hard-to-read sections) fail too.")
    ] = False,
    stats: Annotated[
        bool,
        typer.Option("--stats", help="A table per document: words, sentences, LIX, long sentences, unknown words."),
    ] = False,
) -> None:
    """Check the spelling, the written language (bokmål/nynorsk) and the plain language of every text."""

    def go() -> None:
        from fkj_cli.errors import FkjError, display_path
        from fkj_cli.lint import lint, stats_table
        from fkj_cli.resources import TEMPLATES

        catalogues = TEMPLATES / "i18n"
        for path in paths or []:
            if not path.is_file():
                raise FkjError(f"{display_path(path)}: no such file")
            if not {content.resolve(), catalogues.resolve()} & set(path.resolve().parents):
                raise FkjError(
                    f"{display_path(path)}: not a file under {display_path(content)}/ or {display_path(catalogues)}/"
                )
        result = lint(content, only=paths or [])
        for line, error in result.lines():
            _stderr(line, style="red" if error else "yellow")
        if stats:
            typer.echo(stats_table(result.stats), nl=False)
        if result.failed(strict):
            _stderr(result.summary(strict), style="bold red")
            raise typer.Exit(1)
        typer.echo(result.summary(strict))

    run(go)


@app.command("diff")
def diff_command(
    rev: Annotated[str, typer.Argument(help="The revision to compare from, e.g. HEAD~1, a tag or a commit.")],
    rev2: Annotated[str | None, typer.Argument(help="The revision to compare to [default: the working tree].")] = None,
    content: ContentOpt = Path("content"),
) -> None:
    """What changed in the content between two git revisions, and which documents each change touches."""

    def go() -> None:
        from contextlib import ExitStack

        from fkj_cli.render import Renderer
        from fkj_cli.revisions import Repository, load_at
        from fkj_cli.semdiff import report

        repo = Repository(content)
        before, after = repo.revision(rev), repo.revision(rev2)
        renderer = Renderer()
        with ExitStack() as stack:
            old = load_at(repo, before, content, stack, renderer=renderer)
            new = load_at(repo, after, content, stack, renderer=renderer)
            lines = report(old, new, renderer).lines()
        typer.echo("\n".join(lines) or f"No changes in content between {before.label} and {after.label}.")

    run(go)


@app.command()
def redline(
    document: Annotated[str, typer.Argument(help="The document, e.g. decision-basis.")],
    from_rev: Annotated[str, typer.Option("--from", help="The revision the changes are shown against.")],
    kommune: Annotated[
        str | None, typer.Option("--kommune", "-k", help="Slug, kommunenummer or name (a recipient for hearing).")
    ] = None,
    to_rev: Annotated[str | None, typer.Option("--to", help="The revision shown [default: the working tree].")] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output directory, or a .docx file [default: build/<kommune>/...]."),
    ] = None,
    lang: Annotated[
        Lang | None, typer.Option("--lang", help="Written language, overriding the kommune's målform.")
    ] = None,
    content: ContentOpt = Path("content"),
) -> None:
    """A DOCX of the document as of --to with Word tracked changes against --from."""

    def go() -> None:
        from fkj_cli.redline import write_redline

        message = write_redline(
            document,
            ref=kommune,
            from_rev=from_rev,
            to_rev=to_rev,
            out=out,
            content_dir=content,
            lang=lang.value if lang else None,
        )
        typer.echo(message)

    run(go)


@app.command()
def textconv(file: Annotated[Path, typer.Argument(help="A DOCX file.")]) -> None:
    """Print a DOCX as plain text, for git's diff.docx.textconv (see the README)."""

    def go() -> None:
        from fkj_cli.convert import docx_markdown

        sys.stdout.write(docx_markdown(file))

    run(go)


@list_app.command("documents")
def list_documents() -> None:
    """The document types fkj can build."""

    def go() -> None:
        from fkj_cli.documents import document_types

        for doc in document_types():
            typer.echo(f"{doc.name:<16} {doc.scope:<8} {REGISTRY[doc.name].description}")

    run(go)


DryRunOpt = Annotated[bool, typer.Option("--dry-run", "--check", help="Report what would change; write nothing.")]


def _decision_report(func: Callable[[], object]) -> None:
    """Run a `decision` command: print its report, or every bad input it found (exit 1)."""
    from fkj_cli import present
    from fkj_cli.decisions import Report

    report = func()
    assert isinstance(report, Report)
    present.decisions(report, present.console())


@decision_app.command("record")
def decision_record(
    kommune: Annotated[str, typer.Argument(help="Slug, kommunenummer or name.")],
    status: Annotated[str, typer.Argument(help="forpliktelse, opsjon, nei or ubehandlet.")],
    date: Annotated[str, typer.Option("--date", help="The date of the decision: YYYY-MM-DD or DD.MM.YYYY.")],
    body: Annotated[str, typer.Option("--body", help="The body that decided, e.g. Bystyret.")],
    case: Annotated[str | None, typer.Option("--case", help="The case reference (saksnummer).")] = None,
    dry_run: DryRunOpt = False,
    content: ContentOpt = Path("content"),
) -> None:
    """Record one municipality's decision in commitments.yaml (comments kept, validated before writing)."""

    def go() -> None:
        from fkj_cli.decisions import record

        _decision_report(
            lambda: record(
                content_dir=content, kommune=kommune, status=status, date=date, body=body, case=case, dry_run=dry_run
            )
        )

    run(go)


@decision_app.command("import")
def decision_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="The tracking sheet, CSV or .xlsx: columns kommune, status, dato, organ and optionally saksnr "
            "(or municipality, status, date, body, case)."
        ),
    ],
    dry_run: DryRunOpt = False,
    content: ContentOpt = Path("content"),
) -> None:
    """Record every decision in the secretariat's tracking sheet; nothing is written if any row is bad."""

    def go() -> None:
        from fkj_cli.decisions import import_sheet

        _decision_report(lambda: import_sheet(content_dir=content, sheet=file, dry_run=dry_run))

    run(go)


def main() -> None:
    app(prog_name="fkj")
