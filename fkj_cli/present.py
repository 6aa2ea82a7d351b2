"""Everything fkj prints, on stdout and stderr alike: plain lines, problems, progress, the build
summary, the package and receipt reports and the tables of the `list`, `status` and `economics`
commands. The one module that knows rich; it computes nothing.

Its imports are made where they are used, so that `fkj --help` and the commands that print a
few lines do not load rich's tables or the formatting of numbers.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decimal import Decimal

    from rich.console import Console

    from fkj_cli.archive.package import PackageReport
    from fkj_cli.archive.receipt import ReceiptReport
    from fkj_cli.build import Report
    from fkj_cli.content.load import Content
    from fkj_cli.decisions import Change
    from fkj_cli.decisions import Report as DecisionReport
    from fkj_cli.review.importer import ReviewReport


class Presenter:
    """Where a command's output goes. Made when the command runs, after typer (or a test's runner)
    has set up the streams; the consoles are made on first use."""

    def __init__(self) -> None:
        self._stdout: Console | None = None
        self._stderr: Console | None = None

    @property
    def console(self) -> Console:
        """stdout as rich sees it, for tables and the progress bar."""
        if self._stdout is None:
            from rich.console import Console

            self._stdout = Console(highlight=False)
        return self._stdout

    def echo(self, text: str, *, nl: bool = True) -> None:
        """A line on stdout as it is: never wrapped, no markup, flushed."""
        import typer

        typer.echo(text, nl=nl)

    def write(self, text: str) -> None:
        """Text on stdout byte for byte, for a program that reads it (git's textconv)."""
        sys.stdout.write(text)

    def print(self, text: str, *, style: str | None = None, soft_wrap: bool = False) -> None:
        """A line on stdout through rich: wrapped to the terminal unless ``soft_wrap``, in ``style``."""
        self.console.print(text, style=style, markup=False, soft_wrap=soft_wrap)

    def error(self, text: str, *, style: str = "red") -> None:
        """A line on stderr, in red unless ``style`` says otherwise; never wrapped."""
        if self._stderr is None:
            from rich.console import Console

            self._stderr = Console(stderr=True, highlight=False, soft_wrap=True)
        self._stderr.print(text, style=style, markup=False)

    def warning(self, text: str) -> None:
        self.error(text, style="yellow")

    def bar(self, label: str) -> Bar:
        return Bar(self.console, label)


class Bar:
    """The build's progress bar; it starts only once the workers are started."""

    def __init__(self, out: Console, label: str) -> None:
        self.console = out
        self.label = label
        self.progress: Any = None
        self.task: Any = None

    def start(self, total: int, up_to_date: int) -> None:
        """Show the bar for ``total`` outputs; a build in parts (a document built after those it approves)
        starts it once per part, and each part adds its outputs to the same bar."""
        if self.progress is not None:
            self.progress.update(self.task, total=self.progress.tasks[0].total + total)
            return
        if up_to_date:
            self.console.print(f"{up_to_date} outputs up to date", markup=False)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        self.progress = Progress(*columns, console=self.console, transient=False)
        self.progress.start()
        self.task = self.progress.add_task(self.label, total=total)

    def advance(self) -> None:
        self.progress.advance(self.task)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def written(report: Report, out: Presenter) -> None:
    """What a build for named municipalities wrote, a line per file."""
    from fkj_cli.errors import display_path

    for outcome in report.outcomes:
        for path in outcome.written:
            verb = "up to date" if outcome.skipped else "wrote"
            out.print(f"{verb} {display_path(path)}")


def summary(report: Report, presenter: Presenter) -> None:
    """The summary of a build with --all: a table of what was built or failed, and the counts."""
    from rich.table import Table

    from fkj_cli.errors import display_path

    out = presenter.console
    outcomes = report.outcomes
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
        out.print(table)
    for o in outcomes:
        if o.error:
            # in full, since the table may have folded it
            out.print(f"failed: {o.target.doc.name} for {o.target.label}: {o.error}", style="red", markup=False)
    folders = sorted({display_path(p.parent.parent) for o in outcomes for p in o.written})
    if folders:
        out.print(f"Output in {', '.join(folders)}/", markup=False)
    failed = sum(1 for o in outcomes if o.error)
    skipped = sum(1 for o in outcomes if o.skipped)
    built = len(outcomes) - failed - skipped
    out.print(f"{built} built, {skipped} up to date, {failed} failed", style="red" if failed else "green", markup=False)
    if report.stopped:
        out.print(
            f"stopped: {report.stopped}; {report.not_built} not built. "
            "Make room and build again: what was written is kept and the rest is built.",
            style="red",
            markup=False,
        )


def proof_failed(report: Report, strict: bool) -> bool:
    """Whether what proof found fails the command: an error, a warning with ``strict``, or a document
    that could not be proofed."""
    failing = {"error", "warning"} if strict else {"error"}
    return any(f.severity in failing for _, f in report.findings) or any(o.error for o in report.outcomes)


def findings(report: Report, out: Presenter, strict: bool) -> None:
    """What proof found, a line per finding (``FILE:PAGE: severity: check: message``), then the counts."""
    from fkj_cli.errors import display_path

    if not report.loaded:
        out.print(f"✓ {report.up_to_date} outputs unchanged since they were proofed: nothing found", style="green")
        return
    unproofed = [o for o in report.outcomes if o.error and not o.written]  # not built, or not up to date
    for o in unproofed:
        out.error(f"{o.target.doc.name} for {o.target.label}: {o.error}")
    found = report.findings
    for path, finding in found:
        line = finding.line(display_path(path))
        if finding.severity == "error":
            out.error(line)
        else:
            out.warning(line)
    documents = [o for o in report.outcomes if o.findings]
    errors = sum(1 for _, f in found if f.severity == "error")
    warnings = len(found) - errors
    if not found and unproofed:
        out.error(f"✗ {len(unproofed)} document{'s' if len(unproofed) != 1 else ''} not proofed", style="bold red")
        return
    if not found:
        out.print(
            f"✓ proofed {len(documents)} document{'s' if len(documents) != 1 else ''}: nothing found", style="green"
        )
        return
    counts = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    where = sum(1 for o in documents if any(o.findings.values()))
    line = f"✗ {counts} in {where} of {len(documents)} document{'s' if len(documents) != 1 else ''} proofed"
    if proof_failed(report, strict):
        out.error(line, style="bold red")
    else:
        out.print(f"{line} (--strict fails on warnings)", style="yellow")


def kommuner(content: Content, out: Presenter) -> None:
    from rich.table import Table

    from fkj_cli.formatting import num

    table = Table(title=f"Kommuner (folketall {content.register.population_date:%d.%m.%Y})")
    for col in ("Slug", "Nr", "Kommune", "Fylke", "Innbyggere", "Målform", "Rolle"):
        table.add_column(col, justify="right" if col == "Innbyggere" else "left")
    for slug, k in content.register.kommuner.items():
        table.add_row(slug, k.number, k.name, k.county, num(k.population), k.malform, k.role)
    out.console.print(table)


def overrides(content: Content, out: Presenter) -> None:
    from rich.table import Table

    from fkj_cli.content.yamlfile import format_path

    table = Table(title="Overrides")
    for col in ("Kommune", "Document", "File", "Keys"):
        table.add_column(col, overflow="fold")
    for (doc_name, slug), (_, merged) in sorted(content.overrides.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        files = {pos.file for pos in merged.keys.values() if pos.file}
        keys = sorted({format_path(p) for p, pos in merged.keys.items() if pos.file and _is_leaf(merged.data, p)})
        table.add_row(content.register.kommuner[slug].name, doc_name, ", ".join(sorted(files)), "\n".join(keys))
    out.console.print(table)


def _is_leaf(data: object, path: tuple[str | int, ...]) -> bool:
    for part in path:
        data = data[part]  # type: ignore[index]
    return not isinstance(data, dict)


def status(content: Content, out: Presenter) -> None:
    """Commitments per municipality, largest first, and the coverage against the condition."""
    from rich.table import Table

    from fkj_cli.formatting import date_short, num, percent
    from fkj_cli.participation import condition, decision, in_scope

    scope = in_scope(content)
    table = Table(title=f"Tilslutning utenfor {content.program.commitment.excluded_region}")
    for col in ("Kommune", "Nr", "Innbyggere", "Status", "Dato", "Organ"):
        table.add_column(col, justify="right" if col == "Innbyggere" else "left")
    for slug, k in sorted(scope.items(), key=lambda kv: -kv[1].population):
        d = decision(content, slug)
        table.add_row(k.name, k.number, num(k.population), d.status, date_short(d.date) if d.date else "", d.body or "")
    out.console.print(table)
    c = condition(content)
    out.print(
        f"Dekning: {percent(c.coverage, 1)} ({num(c.committed_population)} av {num(c.total_population)} "
        f"innbyggere), vilkår {percent(c.threshold)}: {'oppfylt' if c.met else 'ikke oppfylt'}"
    )
    if c.met:
        return
    names = [scope[s].name for s in c.closing]
    if names:
        out.print(
            f"Mangler {num(c.gap)} innbyggere; minste antall ubehandlede kommuner som lukker gapet "
            f"({len(names)}): {', '.join(names)}"
        )
    else:
        out.print(f"Mangler {num(c.gap)} innbyggere; de ubehandlede kommunene er ikke nok.")


def economics(content: Content, slug: str, out: Presenter) -> None:
    """One municipality's annual cost and cost per inhabitant by scenario and price model, and the NPVs."""
    from rich.table import Table

    from fkj_cli.formatting import num
    from fkj_cli.participation import compute

    econ = content.economics
    outlook = compute(content).outlook(slug)
    name = content.register.kommuner[slug].name
    table = Table(title=f"{name} kommune: gjennomsnittlig årlig kostnad (forutsetninger)")
    table.add_column("Scenario")
    for model in econ.price_models.values():
        table.add_column(f"{model.label.nb} (kr / kr per innb.)", justify="right")
    for row in outlook.rows:
        cells = [_cost(row.annual[m], row.per_inhabitant[m]) for m in outlook.models]
        table.add_row(econ.scenarios[row.scenario].label.nb, *cells)
    out.console.print(table)
    for sid, value in outlook.net_present_value.items():
        out.print(f"Netto nåverdi, {econ.scenarios[sid].label.nb}: {num(value)} kr")
    out.print(econ.assumption_note.nb)


def _cost(annual: Decimal | None, per_inhabitant: Decimal | None) -> str:
    from fkj_cli.formatting import num

    return "–" if annual is None else f"{num(annual, 0)} / {num(per_inhabitant or 0, 2)}"


def as_yaml(data: Any) -> str:
    """Content data as YAML for reading: Markdown texts as blocks, keys in their order."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None  # Markdown stays readable as a block
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)


def decisions(report: DecisionReport, out: Presenter) -> None:
    """What `fkj decision record` or `import` changes: a line per new or changed decision, then the counts."""
    from fkj_cli.errors import display_path

    for change in report.new:
        out.print(f"new: {change.slug} {_decision(change)}", soft_wrap=True)
    for change in report.changed:
        out.print(f"changed: {change.slug} {_difference(change)}", soft_wrap=True)
    if report.unchanged:
        out.print(f"unchanged: {len(report.unchanged)}")
    if report.skipped:
        out.print(f"skipped: {', '.join(report.skipped)} ({report.skipped_why})", soft_wrap=True)
    counts = f"{len(report.new)} new, {len(report.changed)} changed, {len(report.unchanged)} unchanged"
    path = display_path(report.path)
    if report.written:
        line = f"✓ wrote {path}: {counts}"
    elif report.dry_run and (report.new or report.changed):
        line = f"{path} would get {counts} (dry run: nothing written)"
    else:
        line = f"✓ {path} is up to date ({counts}); nothing written"
    out.print(line, soft_wrap=True)


def _decision(change: Change) -> str:
    """``forpliktelse 22.03.2023 (Bystyret, sak 23/1234)``."""
    from fkj_cli.formatting import date_short

    d = change.after
    details = ", ".join([*([d.body] if d.body else []), *([f"sak {d.case}"] if d.case else [])])
    return " ".join([d.status, *([date_short(d.date)] if d.date else []), *([f"({details})"] if details else [])])


def _difference(change: Change) -> str:
    """``opsjon → forpliktelse, dato 13.03.2023 → 22.03.2023``: each value that changes."""
    from fkj_cli.formatting import date_short

    before, after = change.before, change.after
    assert before is not None
    parts = [f"{before.status} → {after.status}"] if before.status != after.status else []
    for label, old, new in (
        ("dato", before.date and date_short(before.date), after.date and date_short(after.date)),
        ("organ", before.body, after.body),
        ("sak", before.case, after.case),
    ):
        if old != new:
            parts.append(f"{label} {old or '–'} → {new or '–'}")
    return ", ".join(parts)


def package_lines(report: PackageReport) -> list[str]:
    """What `fkj package` did, a line per municipality, then the counts; ``error: `` lines go to stderr."""
    from fkj_cli.archive.package import RECEIVER
    from fkj_cli.errors import display_path

    built = sum(len(o.written) for o in report.build.outcomes if not o.skipped)
    out = [f"warning: {p}" for p in report.unfinished]
    out.append(f"documents: {built} written, {report.build.up_to_date} up to date")
    for p in report.packages:
        folder, archive = display_path(p.folder), display_path(p.zip)
        if p.error is not None:
            out.append(f"error: {p.kommune}: {p.error}")
            continue
        unclassified = report.view is RECEIVER and not p.classified  # the sender's archive has its own key
        where = f"case {p.case}" if p.case else "a new case file" + (", no arkivkode" if unclassified else "")
        what = "up to date" if p.up_to_date else "wrote"
        out.append(f"{what}: {folder}/ and {archive} ({report.view.journalposttype.beskrivelse.lower()}, {where})")
    written = sum(1 for p in report.packages if p.written)
    fresh = sum(1 for p in report.packages if p.up_to_date)
    counts = [f"{written} package{'s' if written != 1 else ''} written", f"{fresh} up to date"]
    if report.failed:
        counts.append(f"{len(report.failed)} failed")
    if report.not_packaged:
        counts.append(f"{report.not_packaged} not packaged")
    out.append(", ".join(counts))
    if report.stopped:
        out.append(f"stopped: {report.stopped}")
    if report.unfinished:
        n = len(report.unfinished)
        out.append(
            f"draft: {n} field{'s' if n != 1 else ''} still to fill in; "
            "a document with open fields is marked B (under editing)"
        )
    return out


def package(report: PackageReport, out: Presenter) -> None:
    for line in package_lines(report):
        if line.startswith("error: "):
            out.error(line)
        elif line.startswith("warning: "):
            out.warning(line)
        else:
            out.echo(line)


def receipt_lines(report: ReceiptReport) -> list[str]:
    """What `fkj receipt import` read and recorded, and whether it wrote."""
    from fkj_cli.errors import display_path

    out = [f"new: {c.describe()}" for c in report.of("new")]
    out += [f"changed: {c.describe()}" for c in report.of("changed")]
    unchanged = report.of("unchanged")
    if unchanged:
        out.append(f"unchanged: {', '.join(c.slug for c in unchanged)}")
    for r in report.sender:
        out.append(
            f"not recorded: {r.display} is from the sender's archive ({r.slug}: {r.describe()}); "
            "the sender's case number belongs in letter.yaml's our_ref"
        )
    shown = display_path(report.path)
    if report.written:
        out.append(f"wrote {shown}")
    elif report.dry_run and any(c.kind != "unchanged" for c in report.changes):
        out.append(f"dry run: {shown} not written")
    else:
        out.append(f"nothing to record; {shown} unchanged")
    return out


def receipts(report: ReceiptReport, out: Presenter) -> None:
    for line in receipt_lines(report):
        out.echo(line)


def review(report: ReviewReport, out: Presenter) -> None:
    from fkj_cli.review.report import lines

    for line in lines(report):
        out.echo(line)


def preview_started(content: str, url: str, out: Presenter) -> None:
    out.echo(f"fkj preview of {content} at {url} (Ctrl-C stops it)")
