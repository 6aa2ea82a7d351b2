"""fkj's import graph: no cycles among its modules, and a command line that starts light.

The graph is read from the source with ``ast``, not by importing: an edge is an
import that runs when a module is imported (at module level, inside a top-level
``try``/``if``/``with`` or class body too), never one in ``if TYPE_CHECKING:`` or in
a function's body. ``import fkj_cli.a.b`` and ``from fkj_cli.a import b`` import the
packages on the way (``fkj_cli``, ``fkj_cli.a``: their ``__init__``), and ``b`` too
when it is a module.
"""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fkj_cli.commands import MODULES as COMMANDS

from .conftest import ROOT

PACKAGE = "fkj_cli"


@dataclass(frozen=True)
class Import:
    """One edge: ``source`` imports ``target`` at ``where`` (file:line), by the statement ``text``;
    ``on_the_way`` when ``target`` is a package the statement imports before the module it names."""

    source: str
    target: str
    where: str
    text: str
    on_the_way: bool = False


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its ``__init__``)."""
    out: dict[str, Path] = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _at_import_time(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements that run when a module with this body is imported."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            negated = isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not)
            if _is_type_checking(node.test):
                yield from _at_import_time(node.orelse)
            elif negated and _is_type_checking(node.test.operand):  # type: ignore[attr-defined]
                yield from _at_import_time(node.body)
            else:
                yield from _at_import_time(node.body)
                yield from _at_import_time(node.orelse)
        elif isinstance(node, ast.Try | ast.TryStar):
            for part in (node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody):
                yield from _at_import_time(part)
        elif isinstance(node, ast.With | ast.For | ast.While):
            yield from _at_import_time(node.body)
            yield from _at_import_time(getattr(node, "orelse", []))
        elif isinstance(node, ast.ClassDef):
            yield from _at_import_time(node.body)  # a class body runs at import; its methods do not
        elif isinstance(node, ast.Match):
            for case in node.cases:
                yield from _at_import_time(case.body)
        # FunctionDef, AsyncFunctionDef: their bodies run when called


def _with_packages(name: str) -> list[str]:
    """``fkj_cli.a.b`` and the packages importing it imports first: ``fkj_cli``, ``fkj_cli.a``."""
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def imports(root: Path = ROOT) -> list[Import]:
    """Every edge of the package's import graph, in file and line order."""
    known = modules(root)
    edges: list[Import] = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _at_import_time(tree.body):
            targets: list[str] = []  # the packages on the way, then what the statement names
            named: set[str] = set()
            if isinstance(node, ast.Import):
                for alias in node.names:
                    targets += _with_packages(alias.name)
                    named.add(alias.name)
            else:
                if node.level:
                    base_parts = package.split(".")
                    base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                    base = ".".join([*base_parts, *([node.module] if node.module else [])])
                else:
                    base = node.module or ""
                targets += _with_packages(base)
                targets += [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in known]
                named |= {base, *(f"{base}.{alias.name}" for alias in node.names)}
            where = f"{path.relative_to(root).as_posix()}:{node.lineno}"
            text = ast.get_source_segment(path.read_text(encoding="utf-8"), node) or ast.unparse(node)
            text = " ".join(text.split())
            for target in dict.fromkeys(targets):
                if target in known and target != name:
                    edges.append(Import(name, target, where, text, target not in named))
    return edges


def _components(graph: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components (Tarjan), each in sorted order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, []):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            out.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _shortest_path(graph: dict[str, list[str]], start: str, goal: str, within: set[str]) -> list[str] | None:
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        if v == goal:
            path = [v]
            while previous[path[-1]] is not None:
                path.append(previous[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for w in graph.get(v, []):
            if w in within and w not in previous:
                previous[w] = v
                queue.append(w)
    return None


def cycles(edges: list[Import]) -> list[list[str]]:
    """Import cycles, each as ``[a, b, ..., a]``: for every edge inside a strongly connected component,
    the shortest cycle through it (so that every edge that takes part in a cycle is in one shown)."""
    graph: dict[str, list[str]] = {}
    for edge in edges:
        graph.setdefault(edge.source, [])
        graph.setdefault(edge.target, [])
        if edge.target not in graph[edge.source]:
            graph[edge.source].append(edge.target)
    for targets in graph.values():
        targets.sort()
    found: dict[tuple[str, ...], list[str]] = {}
    for component in _components(graph):
        if len(component) < 2:
            continue
        members = set(component)
        for source in component:
            for target in graph[source]:
                if target not in members:
                    continue
                back = _shortest_path(graph, target, source, members)
                assert back is not None
                cycle = [source, *back]  # source -> target -> ... -> source
                ring = cycle[:-1]
                start = ring.index(min(ring))
                canonical = (*ring[start:], *ring[:start])
                found.setdefault(canonical, [*canonical, canonical[0]])
    return sorted(found.values(), key=lambda c: (len(c), c))


def describe(cycle: list[str], edges: list[Import]) -> str:
    """``a -> b -> a`` and, under it, the import statement behind each arrow."""
    lines = [" -> ".join(cycle)]
    for source, target in itertools.pairwise(cycle):
        edge = min((e for e in edges if e.source == source and e.target == target), key=lambda e: e.on_the_way)
        note = f"  (imports the package {target} first)" if edge.on_the_way else ""
        lines.append(f"    {edge.where}: {edge.text}{note}")
    return "\n".join(lines)


def test_the_import_graph_reads_what_runs_at_import_time(tmp_path: Path) -> None:
    """The rules above, on a small package: TYPE_CHECKING and function bodies do not count."""
    package = tmp_path / PACKAGE
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "sub" / "__init__.py").write_text("from fkj_cli.sub import leaf\n", encoding="utf-8")
    (package / "sub" / "leaf.py").write_text("from .. import top\n", encoding="utf-8")
    (package / "top.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from fkj_cli import lazy\n"
        "else:\n    pass\n"
        "try:\n    import fkj_cli.sub.leaf\nexcept ImportError:\n    pass\n"
        "def later():\n    from fkj_cli import lazy\n"
        "class C:\n    def m(self):\n        import fkj_cli.lazy\n",
        encoding="utf-8",
    )
    (package / "lazy.py").write_text("import fkj_cli.top\n", encoding="utf-8")
    edges = {(e.source, e.target) for e in imports(tmp_path)}
    assert edges == {
        ("fkj_cli.sub", "fkj_cli"),
        ("fkj_cli.sub", "fkj_cli.sub.leaf"),
        ("fkj_cli.sub.leaf", "fkj_cli"),
        ("fkj_cli.sub.leaf", "fkj_cli.top"),
        ("fkj_cli.top", "fkj_cli"),
        ("fkj_cli.top", "fkj_cli.sub"),
        ("fkj_cli.top", "fkj_cli.sub.leaf"),
        ("fkj_cli.lazy", "fkj_cli"),
        ("fkj_cli.lazy", "fkj_cli.top"),
    }
    found = cycles(imports(tmp_path))
    assert [" -> ".join(c) for c in found] == [
        "fkj_cli.sub.leaf -> fkj_cli.top -> fkj_cli.sub.leaf",
        "fkj_cli.sub -> fkj_cli.sub.leaf -> fkj_cli.top -> fkj_cli.sub",
    ]


def test_no_import_cycles() -> None:
    edges = imports()
    assert edges, "no imports found under fkj_cli/"
    found = cycles(edges)
    report = "\n".join(describe(c, edges) for c in found)
    assert not found, f"{len(found)} import cycle{'s' if len(found) != 1 else ''} among fkj's modules:\n{report}"


def test_the_cli_starts_without_the_heavy_modules() -> None:
    """`fkj --help` imports no engine, chart library, YAML round-tripper or document model."""
    heavy = [
        "matplotlib", "typst", "pypandoc", "pydantic", "jinja2", "ruamel", "docx", "babel", "yaml", "rich",
        "fkj_cli.convert", "fkj_cli.build", "fkj_cli.content", "fkj_cli.documents.decision_basis",
        "fkj_cli.present", *(f"fkj_cli.commands.{name}" for name in COMMANDS),
    ]  # fmt: skip
    code = (
        "import sys, fkj_cli.cli\n"
        "from typer.testing import CliRunner\n"
        "assert CliRunner().invoke(fkj_cli.cli.app, ['--help']).exit_code == 0\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_importing_the_cli_loads_no_command() -> None:
    """cli.py names every command's module; each is imported when its command runs, not before."""
    code = "import sys, fkj_cli.cli\nprint(sorted(m for m in sys.modules if m.startswith('fkj_cli.commands.')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_every_command_module_is_named() -> None:
    """``commands.<name>`` resolves exactly the modules in fkj_cli/commands/."""
    found = sorted(p.stem for p in (ROOT / PACKAGE / "commands").glob("*.py") if p.stem != "__init__")
    assert sorted(COMMANDS) == found


# ---------------------------------------------------------------- content is the bottom layer

# What fkj_cli/content may not import, at any depth of a file (in a function, under TYPE_CHECKING):
# the document types are handed to it, and rendering, figures and targets stand on it.
ABOVE_CONTENT = (
    "fkj_cli.documents",
    "fkj_cli.render",
    "fkj_cli.participation",
    "fkj_cli.targets",
    "fkj_cli.pipeline",
    "fkj_cli.charts",
)


def imported_names(path: Path, module: str) -> Iterator[tuple[int, str]]:
    """Every module a file's import statements name, wherever they are in it: (line, dotted name).

    ``from a import b`` names ``a`` and ``a.b`` (``b`` may be a module); a relative import is
    resolved against ``module``, the file's dotted name.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join([*parts[: len(parts) - (node.level - 1)], *([node.module] if node.module else [])])
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def forbidden_imports(root: Path, under: str, forbidden: tuple[str, ...]) -> list[str]:
    """``file:line: imports name`` for each import in the package ``under`` of a module in ``forbidden``."""
    out: list[str] = []
    for module, path in modules(root).items():
        if module != under and not module.startswith(f"{under}."):
            continue
        for line, name in imported_names(path, module):
            if any(name == f or name.startswith(f"{f}.") for f in forbidden):
                out.append(f"{path.relative_to(root).as_posix()}:{line}: imports {name}")
    return list(dict.fromkeys(out))


def test_forbidden_imports_are_found_wherever_they_are(tmp_path: Path) -> None:
    """Relative, in a function, under TYPE_CHECKING, ``import x`` and ``from x import y``: each is found."""
    content = tmp_path / PACKAGE / "content"
    content.mkdir(parents=True)
    (tmp_path / PACKAGE / "__init__.py").write_text("", encoding="utf-8")
    (content / "__init__.py").write_text("from .. import documents\n", encoding="utf-8")
    (content / "a.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from fkj_cli.content import b\n"
        "if TYPE_CHECKING:\n    from ..render import Renderer\n"
        "def f():\n    import fkj_cli.targets\n"
        "class C:\n    def m(self):\n        from fkj_cli.documents.kind import DocumentType\n",
        encoding="utf-8",
    )
    (content / "b.py").write_text("from fkj_cli.errors import Problem\n", encoding="utf-8")
    assert forbidden_imports(tmp_path, f"{PACKAGE}.content", ABOVE_CONTENT) == [
        "fkj_cli/content/__init__.py:1: imports fkj_cli.documents",
        "fkj_cli/content/a.py:4: imports fkj_cli.render",
        "fkj_cli/content/a.py:4: imports fkj_cli.render.Renderer",
        "fkj_cli/content/a.py:6: imports fkj_cli.targets",
        "fkj_cli/content/a.py:9: imports fkj_cli.documents.kind",
        "fkj_cli/content/a.py:9: imports fkj_cli.documents.kind.DocumentType",
    ]


def test_content_imports_nothing_above_it() -> None:
    """fkj_cli/content knows no document type, rendering, figures or targets: the registry is handed in."""
    found = forbidden_imports(ROOT, f"{PACKAGE}.content", ABOVE_CONTENT)
    assert not found, "fkj_cli/content reaches into a layer above it:\n" + "\n".join(found)


def test_importing_content_loads_nothing_above_it() -> None:
    """Nor through another module: importing every content module loads none of those above it."""
    names = [m for m in modules() if m == f"{PACKAGE}.content" or m.startswith(f"{PACKAGE}.content.")]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.startswith({ABOVE_CONTENT!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
