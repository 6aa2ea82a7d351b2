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
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from fkj_cli import __version__
from fkj_cli.documents import REGISTRY

if TYPE_CHECKING:
    from rich.console import Console

    from fkj_cli.build import Outcome

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
    from fkj_cli.errors import ContentError, FkjError

    try:
        return func()
    except ContentError as exc:
        for problem in exc.problems:
            _stderr(str(problem))
        _stderr(f"✗ {exc.summary()}", style="bold red")
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
    except Exception:
        import tempfile

        fd, log = tempfile.mkstemp(prefix="fkj-crash-", suffix=".log")
        with open(fd, "w", encoding="utf-8") as fh:
            fh.write(f"fkj {__version__}\n{' '.join(sys.argv)}\n\n{traceback.format_exc()}")
        _stderr(f"fkj hit a bug: {sys.exc_info()[1]!r}\nThe traceback is in {log}; please report it.")
        raise typer.Exit(3) from None


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
def validate(content: ContentOpt = Path("content")) -> None:
    """Check every YAML file under the content directory and report every problem at once."""

    def go() -> None:
        from fkj_cli.content import load_content

        loaded = load_content(content)
        n = len(loaded.files)
        typer.echo(f"✓ {n} content files valid ({len(loaded.register.kommuner)} kommuner)")

    run(go)


JobsOpt = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Worker processes [default: the machine's cores]."),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Rebuild everything, even what is up to date.")]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output directory.")]
FormatsOpt = Annotated[
    list[Format] | None, typer.Option("--format", "-f", help="Output format (repeatable) [default: docx, pdf].")
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


class _Bar:
    """The build's progress bar; it starts only once the workers are forked."""

    def __init__(self, console: Console, label: str) -> None:
        self.console = console
        self.label = label
        self.progress: Any = None
        self.task: Any = None

    def start(self, total: int, up_to_date: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        if up_to_date:
            self.console.print(f"{up_to_date} outputs up to date", markup=False)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        self.progress = Progress(*columns, console=self.console, transient=False)
        self.progress.start()
        self.task = self.progress.add_task(self.label, total=total)

    def advance(self) -> None:
        self.progress.advance(self.task)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


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

    from rich.console import Console

    from fkj_cli.build import Request, document_type
    from fkj_cli.build import run as run_build
    from fkj_cli.errors import FkjError, display_path

    docs = [document_type(doc_name)] if doc_name else list(REGISTRY.values())
    request = Request(
        docs, refs, every, list(dict.fromkeys(formats)), out, content_dir, lang, jobs or os.cpu_count() or 1, force
    )
    console = Console(highlight=False)
    bar = _Bar(console, f"Building {', '.join(sorted(d.name for d in docs))}") if every else None
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
            for path in outcome.written:
                verb = "up to date" if outcome.skipped else "wrote"
                console.print(f"{verb} {display_path(path)}", markup=False)
        return
    _summary(report.outcomes, console)
    if any(o.error for o in report.outcomes):
        raise typer.Exit(1)


def _summary(outcomes: list[Outcome], console: Console) -> None:
    from rich.table import Table

    from fkj_cli.errors import display_path

    table = Table(title="Build summary", show_lines=False)
    table.add_column("Document")
    table.add_column("Kommune")
    table.add_column("Result")
    table.add_column("Formats or error", overflow="fold")
    for o in outcomes:
        if o.skipped:
            continue  # counted below: a table of what did not change would hide what did
        if o.error:
            table.add_row(o.target.doc.name, o.target.label, "[red]failed[/red]", o.error)
        else:
            formats = ", ".join(p.suffix[1:] for p in o.written)
            table.add_row(o.target.doc.name, o.target.label, "[green]ok[/green]", formats)
    if table.row_count:
        console.print(table)
    for o in outcomes:
        if o.error:
            # in full, since the table may have folded it
            console.print(f"failed: {o.target.doc.name} for {o.target.label}: {o.error}", style="red", markup=False)
    folders = sorted({display_path(p.parent.parent) for o in outcomes for p in o.written})
    if folders:
        console.print(f"Output in {', '.join(folders)}/", markup=False)
    failed = sum(1 for o in outcomes if o.error)
    skipped = sum(1 for o in outcomes if o.skipped)
    built = len(outcomes) - failed - skipped
    console.print(
        f"{built} built, {skipped} up to date, {failed} failed", style="red" if failed else "green", markup=False
    )


for _name in REGISTRY:
    _make_build_command(_name)


@list_app.command("kommuner")
def list_kommuner(content: ContentOpt = Path("content")) -> None:
    """The municipalities in the register, with number, population and målform."""

    def go() -> None:
        from rich.console import Console
        from rich.table import Table

        from fkj_cli.content import load_content
        from fkj_cli.formatting import num

        loaded = load_content(content, check_texts=False)
        table = Table(title=f"Kommuner (folketall {loaded.register.population_date:%d.%m.%Y})")
        for col in ("Slug", "Nr", "Kommune", "Fylke", "Innbyggere", "Målform", "Rolle"):
            table.add_column(col, justify="right" if col == "Innbyggere" else "left")
        for slug, k in loaded.register.kommuner.items():
            table.add_row(slug, k.number, k.name, k.county, num(k.population), k.malform, k.role)
        Console(highlight=False).print(table)

    run(go)


@list_app.command("overrides")
def list_overrides(content: ContentOpt = Path("content")) -> None:
    """Which kommuner differ from the shared text of a document, and in which keys."""

    def go() -> None:
        from rich.console import Console
        from rich.table import Table

        from fkj_cli.content import OVERRIDES_DIR, load_content
        from fkj_cli.content.yamlfile import format_path

        loaded = load_content(content, check_texts=False)
        if not loaded.overrides:
            typer.echo(f"No overrides: no file under {content / OVERRIDES_DIR}/.")
            return
        table = Table(title="Overrides")
        for col in ("Kommune", "Document", "File", "Keys"):
            table.add_column(col, overflow="fold")
        for (doc_name, slug), (_, merged) in sorted(loaded.overrides.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            files = {pos.file for pos in merged.keys.values() if pos.file}
            keys = sorted({format_path(p) for p, pos in merged.keys.items() if pos.file and _is_leaf(merged.data, p)})
            table.add_row(loaded.register.kommuner[slug].name, doc_name, ", ".join(sorted(files)), "\n".join(keys))
        Console(highlight=False).print(table)

    run(go)


def _is_leaf(data: object, path: tuple[str | int, ...]) -> bool:
    for part in path:
        data = data[part]  # type: ignore[index]
    return not isinstance(data, dict)


@app.command()
def show(
    document: Annotated[str, typer.Argument(help="The document, e.g. decision-basis.")],
    kommune: Annotated[str | None, typer.Option("--kommune", "-k", help="Slug, kommunenummer or name.")] = None,
    content: ContentOpt = Path("content"),
) -> None:
    """Print a document's content as used for one kommune: the shared file with its override merged in."""

    def go() -> None:
        import yaml

        from fkj_cli.build import document_type
        from fkj_cli.content import load_content

        doc = document_type(document)
        loaded = load_content(content, check_texts=False)
        slug = loaded.kommune(kommune)[0] if kommune else None
        data = loaded.document_file(doc, slug).data

        class Dumper(yaml.SafeDumper):
            pass

        def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
            style = "|" if "\n" in value else None  # Markdown stays readable as a block
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

        Dumper.add_representer(str, text)
        typer.echo(yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100), nl=False)

    run(go)


@kommuner_app.command("import")
def kommuner_import(
    file: Annotated[Path, typer.Argument(help="A register file, e.g. kommuner-2024.json.")],
    content: ContentOpt = Path("content"),
) -> None:
    """Refresh kommuner.yaml from a register: new, renamed and removed municipalities, populations.

    Roles, organisation numbers and other keys editors added are kept."""

    def go() -> None:
        from fkj_cli.register import import_register

        target = content / "kommuner.yaml"
        count, report = import_register(file, target)
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
        from rich.console import Console
        from rich.table import Table

        from fkj_cli.content import load_content
        from fkj_cli.formatting import date_short, num, percent
        from fkj_cli.participation import condition, decision, in_scope

        loaded = load_content(content, check_texts=False)
        scope = in_scope(loaded)
        table = Table(title=f"Tilslutning utenfor {loaded.program.commitment.excluded_region}")
        for col in ("Kommune", "Nr", "Innbyggere", "Status", "Dato", "Organ"):
            table.add_column(col, justify="right" if col == "Innbyggere" else "left")
        for slug, k in sorted(scope.items(), key=lambda kv: -kv[1].population):
            d = decision(loaded, slug)
            table.add_row(
                k.name, k.number, num(k.population), d.status, date_short(d.date) if d.date else "", d.body or ""
            )
        console = Console(highlight=False)
        console.print(table)
        c = condition(loaded)
        console.print(
            f"Dekning: {percent(c.coverage, 1)} ({num(c.committed_population)} av {num(c.total_population)} "
            f"innbyggere), vilkår {percent(c.threshold)}: {'oppfylt' if c.met else 'ikke oppfylt'}",
            markup=False,
        )
        if not c.met:
            names = [scope[s].name for s in c.closing]
            if names:
                console.print(
                    f"Mangler {num(c.gap)} innbyggere; minste antall ubehandlede kommuner som lukker gapet "
                    f"({len(names)}): {', '.join(names)}",
                    markup=False,
                )
            else:
                console.print(f"Mangler {num(c.gap)} innbyggere; de ubehandlede kommunene er ikke nok.", markup=False)

    run(go)


@app.command("economics")
def economics_command(
    kommune: Annotated[str, typer.Option("--kommune", "-k", help="Slug, kommunenummer or name.")],
    content: ContentOpt = Path("content"),
) -> None:
    """One kommune's figures: annual cost and cost per inhabitant by price model and scenario."""

    def go() -> None:
        from rich.console import Console
        from rich.table import Table

        from fkj_cli.content import load_content
        from fkj_cli.formatting import num
        from fkj_cli.participation import kommune_figures, net_present_values

        loaded = load_content(content, check_texts=False)
        slug, k = loaded.kommune(kommune)
        econ = loaded.economics
        console = Console(highlight=False)
        table = Table(title=f"{k.name} kommune: gjennomsnittlig årlig kostnad (forutsetninger)")
        table.add_column("Scenario")
        for model in econ.price_models.values():
            table.add_column(f"{model.label.nb} (kr / kr per innb.)", justify="right")
        rows: dict[str, list[str]] = {}
        for f in kommune_figures(loaded, slug):
            cell = "–" if f.annual is None else f"{num(f.annual, 0)} / {num(f.per_inhabitant or 0, 2)}"
            rows.setdefault(f.scenario, []).append(cell)
        for sid, cells in rows.items():
            table.add_row(econ.scenarios[sid].label.nb, *cells)
        console.print(table)
        for sid, value in net_present_values(loaded).items():
            console.print(f"Netto nåverdi, {econ.scenarios[sid].label.nb}: {num(value)} kr", markup=False)
        console.print(econ.assumption_note.nb, markup=False)

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

        from fkj_cli.revisions import Repository, load_at
        from fkj_cli.semdiff import report

        repo = Repository(content)
        before, after = repo.revision(rev), repo.revision(rev2)
        with ExitStack() as stack:
            old = load_at(repo, before, content, stack)
            new = load_at(repo, after, content, stack)
            lines = report(old, new).lines()
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

        message = write_redline(document, kommune, from_rev, to_rev, out, content, lang.value if lang else None)
        typer.echo(message)

    run(go)


@app.command()
def textconv(file: Annotated[Path, typer.Argument(help="A DOCX file.")]) -> None:
    """Print a DOCX as plain text, for git's diff.docx.textconv (see the README)."""

    def go() -> None:
        from fkj_cli.redline import docx_text

        sys.stdout.write(docx_text(file))

    run(go)


@list_app.command("documents")
def list_documents() -> None:
    """The document types fkj can build."""
    for doc in REGISTRY.values():
        typer.echo(f"{doc.name:<16} {doc.scope:<8} {doc.description}")


def main() -> None:
    app(prog_name="fkj")
