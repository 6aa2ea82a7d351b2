"""Loading and validating the content tree: every problem at once, each with its place."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from fkj_cli.content.checks import (
    check_commitments,
    check_document,
    check_economics,
    check_needs,
    check_program,
    check_references,
    check_register,
)
from fkj_cli.content.economics import Commitments, Economics
from fkj_cli.content.errors import problems_from, suggest
from fkj_cli.content.kommuner import Kommune, Register
from fkj_cli.content.program import Program
from fkj_cli.content.yamlfile import YamlFile, load_yaml
from fkj_cli.documents import REGISTRY, DocumentType
from fkj_cli.errors import ContentError, FkjError, Problem, UnknownKommuneError, display_path

if TYPE_CHECKING:
    from fkj_cli.render import Renderer

PROGRAM_FILE = "program.yaml"
REGISTER_FILE = "kommuner.yaml"
ECONOMICS_FILE = "economics.yaml"
COMMITMENTS_FILE = "commitments.yaml"
# Files every content tree has, with their models; document files come from the registry.
BASE_FILES: dict[str, type[BaseModel]] = {
    PROGRAM_FILE: Program,
    REGISTER_FILE: Register,
    ECONOMICS_FILE: Economics,
    COMMITMENTS_FILE: Commitments,
}
OVERRIDES_DIR = "overrides"


@dataclass
class Content:
    """A validated content tree."""

    root: Path
    program: Program
    register: Register
    economics: Economics
    commitments: Commitments
    documents: dict[str, Any]  # document name -> its validated model
    files: dict[str, YamlFile] = field(repr=False)  # file name -> loaded file
    # (document name, kommune slug) -> the model and file merged from content/overrides/
    overrides: dict[tuple[str, str], tuple[Any, YamlFile]] = field(default_factory=dict, repr=False)
    cache: dict[str, Any] = field(default_factory=dict, repr=False)  # figures computed once per build

    def document(self, name: str, slug: str | None = None) -> Any:
        """A document's content, with the municipality's override merged in if it has one."""
        if slug is not None and (name, slug) in self.overrides:
            return self.overrides[(name, slug)][0]
        return self.documents[name]

    def document_file(self, doc: DocumentType, slug: str | None = None) -> YamlFile:
        """The loaded (and, for an override, merged) file behind :meth:`document`."""
        if slug is not None and (doc.name, slug) in self.overrides:
            return self.overrides[(doc.name, slug)][1]
        return self.files[doc.content_file]

    def kommune(self, ref: str) -> tuple[str, Kommune]:
        """Find a municipality by slug, kommunenummer or name, case-insensitively."""
        wanted = ref.strip().casefold()
        for slug, k in self.register.kommuner.items():
            if wanted in (slug, k.number, k.name.casefold()):
                return slug, k
        names = {k.name.casefold(): k.name for k in self.register.kommuner.values()}
        names.update({slug: k.name for slug, k in self.register.kommuner.items()})
        import difflib

        close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(dict.fromkeys(names[c] for c in close))}?" if close else ""
        raise UnknownKommuneError(f"unknown kommune {ref!r}{hint} (`fkj list kommuner` shows them all)")

    def applies(self, doc: DocumentType, kommune: Kommune) -> str | None:
        """Why ``doc`` is not made for ``kommune``, or None when it is."""
        if doc.audience == "outside-midt-norge":
            commitment = self.program.commitment
            if kommune.county_number in commitment.excluded_counties:
                return (
                    f"{doc.name} is for municipalities outside {commitment.excluded_region}; "
                    f"{kommune.name} ({kommune.number}) is in {kommune.county}"
                )
        elif doc.audience == "collaboration" and kommune.role != "collaboration":
            return f"{doc.name} is only for the collaboration municipalities; {kommune.name} is not one"
        # A document whose content is partly per municipality (the memo's case
        # metadata) is made only where that part is written; --all skips the rest.
        # Looked up in the kommune's merged content, so a case may also sit in its override.
        slug = next((s for s, k in self.register.kommuner.items() if k.number == kommune.number), None)
        model = self.document(doc.name, slug) if doc.name in self.documents else None
        missing_for = getattr(model, "missing_for", None)
        if missing_for is not None and slug is not None:
            missing = missing_for(slug, display_path(self.root / doc.content_file))
            if missing is not None:
                return f"{doc.name} for {kommune.name} needs {missing}"
        return None


def _known_files() -> dict[str, type[BaseModel] | None]:
    files: dict[str, type[BaseModel] | None] = dict(BASE_FILES)
    files.update({d.content_file: None for d in REGISTRY.values()})
    return files


def _load_overrides(
    root: Path,
    paths: list[Path],
    register: Register,
    files: dict[str, YamlFile],
    models: dict[str, type[BaseModel]],
    problems: list[Problem],
) -> dict[tuple[str, str], tuple[Any, YamlFile]]:
    """Load ``overrides/<kommune>/<document file>`` and validate each merged over the shared file."""
    per_kommune = {d.content_file: d for d in REGISTRY.values() if d.scope == "kommune"}
    out: dict[tuple[str, str], tuple[Any, YamlFile]] = {}
    for path in paths:
        parts = path.relative_to(root).parts
        shown = display_path(path)
        if len(parts) != 3:
            problems.append(Problem(shown, 1, 1, "", f"an override is {OVERRIDES_DIR}/<kommune>/<document file>"))
            continue
        _, slug, name = parts
        if slug not in register.kommuner:
            hint = suggest(slug, register.kommuner)
            problems.append(Problem(shown, 1, 1, "", f"unknown kommune {slug!r} in the override's folder{hint}"))
            continue
        if name not in per_kommune:
            hint = suggest(name, per_kommune)
            message = f"not a per-kommune document file{hint} (overrides are for {', '.join(per_kommune)})"
            problems.append(Problem(shown, 1, 1, "", message))
            continue
        loaded, problem = load_yaml(path, shown)
        if loaded is None:
            assert problem is not None
            problems.append(problem)
            continue
        if name not in files:
            continue  # the shared file is broken or missing; that is reported already
        merged = files[name].merged(loaded)
        try:
            out[(per_kommune[name].name, slug)] = (models[name].model_validate(merged.data), merged)
        except ValidationError as exc:
            problems.extend(problems_from(exc, models[name], merged))
    return out


def load_content(root: Path, *, check_texts: bool = True, renderer: Renderer | None = None) -> Content:
    """Load, validate and cross-check every file under ``root``; raise ContentError listing all problems.

    Texts are checked by rendering them with ``renderer`` (which then keeps them compiled for a build).
    """
    if not root.is_dir():
        raise FkjError(f"content directory {display_path(root)} does not exist")
    known = _known_files()
    models: dict[str, type[BaseModel]] = dict(BASE_FILES)
    models.update({d.content_file: d.model() for d in REGISTRY.values()})
    problems: list[Problem] = []
    files: dict[str, YamlFile] = {}
    validated: dict[str, Any] = {}

    found = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    override_paths = [p for p in found if p.relative_to(root).parts[0] == OVERRIDES_DIR]
    for path in found:
        rel = path.relative_to(root).as_posix()
        if rel not in known and path not in override_paths:
            problems.append(
                Problem(
                    display_path(path),
                    1,
                    1,
                    "",
                    f"unknown content file{suggest(rel, known)} (fkj reads {', '.join(known)})",
                )
            )
    for name, model in models.items():
        path = root / name
        if not path.is_file():
            problems.append(Problem(display_path(path), 1, 1, "", "required content file is missing"))
            continue
        loaded, problem = load_yaml(path, display_path(path))
        if loaded is None:
            assert problem is not None
            problems.append(problem)
            continue
        files[name] = loaded
        try:
            validated[name] = model.model_validate(loaded.data)
        except ValidationError as exc:
            problems.extend(problems_from(exc, model, loaded))

    program, register = validated.get(PROGRAM_FILE), validated.get(REGISTER_FILE)
    overrides: dict[tuple[str, str], tuple[Any, YamlFile]] = {}
    if register is not None:
        overrides = _load_overrides(root, override_paths, register, files, models, problems)
    if program is not None and register is not None:
        problems += [files[PROGRAM_FILE].problem(p, m) for p, m in check_program(program, register)]
        for doc in REGISTRY.values():
            if doc.content_file in validated:
                found_refs = check_references(validated[doc.content_file], program)
                problems += [files[doc.content_file].problem(p, m, at_value=True) for p, m in found_refs]
                found_own = check_document(validated[doc.content_file], program, register)
                problems += [files[doc.content_file].problem(p, m) for p, m in found_own]
        for model, merged in overrides.values():
            problems += [merged.problem(p, m, at_value=True) for p, m in check_references(model, program)]
    if register is not None:
        problems += [files[REGISTER_FILE].problem(p, m, at_value=True) for p, m in check_register(register)]
        for name, checker in ((ECONOMICS_FILE, check_economics), (COMMITMENTS_FILE, check_commitments)):
            if name in validated:
                issues = list(checker(validated[name], register))
                problems += [files[name].problem(path, message, at_value=True) for path, message in issues]
    if problems:
        raise ContentError(problems)
    assert program is not None and register is not None

    content = Content(
        root=root,
        program=program,
        register=register,
        economics=validated[ECONOMICS_FILE],
        commitments=validated[COMMITMENTS_FILE],
        documents={d.name: validated[d.content_file] for d in REGISTRY.values()},
        files=files,
        overrides=overrides,
    )
    needs = [content.files[name].problem(path, message) for name, path, message in check_needs(content)]
    if needs:
        raise ContentError(needs)
    if check_texts:
        from fkj_cli.render import check_texts as check

        check(content, renderer)
    return content
