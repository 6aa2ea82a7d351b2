"""The first two stages: load the content tree's YAML, then validate it.

:func:`load` reads every file with the position of every key; :func:`validate`
checks each against its model and then across files. Both collect every
problem before stopping, so an editor sees them all at once.

The document types are handed in (:class:`~fkj_cli.content.spec.DocumentSpec`),
never imported: content is the layer everything else stands on.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from fkj_cli.content import COMMITMENTS_FILE, ECONOMICS_FILE, OVERRIDES_DIR, PROGRAM_FILE, REGISTER_FILE
from fkj_cli.content.checks import (
    check_commitment_scope,
    check_commitments,
    check_dated,
    check_economics,
    check_needs,
    check_program,
    check_references,
    check_register,
    check_sources,
    open_fields,
    unsourced,
)
from fkj_cli.content.economics import Commitments, Economics
from fkj_cli.content.errors import problems_from, suggest
from fkj_cli.content.kommuner import Kommune, Register
from fkj_cli.content.ordliste import ORDLISTE_FILE, Ordliste
from fkj_cli.content.program import Program
from fkj_cli.content.spec import DocumentSpec
from fkj_cli.content.yamlfile import Path_, YamlFile, load_yaml
from fkj_cli.errors import ContentError, FkjError, Problem, UnknownKommuneError, display_path

# Files every content tree has, with their models; document files come from the document types handed in.
BASE_FILES: dict[str, type[BaseModel]] = {
    PROGRAM_FILE: Program,
    REGISTER_FILE: Register,
    ECONOMICS_FILE: Economics,
    COMMITMENTS_FILE: Commitments,
}
# Files a content tree may have: the word list `fkj lint` reads.
OPTIONAL_FILES: dict[str, type[BaseModel]] = {ORDLISTE_FILE: Ordliste}


def content_models(docs: Sequence[DocumentSpec]) -> dict[str, type[BaseModel]]:
    """Content file name -> its model, for every kind of content file (the documents' from ``docs``)."""
    models: dict[str, type[BaseModel]] = dict(BASE_FILES)
    for doc in docs:
        models.setdefault(doc.content_file, doc.model)
    return {**models, **OPTIONAL_FILES}


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
    docs: Sequence[DocumentSpec] = field(repr=False)  # the document types it was loaded with
    # (document name, kommune slug) -> the model and file merged from content/overrides/
    overrides: dict[tuple[str, str], tuple[Any, YamlFile]] = field(default_factory=dict, repr=False)
    # What is not wrong but not ready either (a fact without a source): `fkj validate --strict` fails on them.
    warnings: list[Problem] = field(default_factory=list, repr=False)
    ordliste: Ordliste | None = field(default=None, repr=False)  # content/ordliste.yaml, where there is one

    def document(self, name: str, slug: str | None = None) -> Any:
        """A document's content, with the municipality's override merged in if it has one."""
        if slug is not None and (name, slug) in self.overrides:
            return self.overrides[(name, slug)][0]
        return self.documents[name]

    def document_file(self, doc: DocumentSpec, slug: str | None = None) -> YamlFile:
        """The loaded (and, for an override, merged) file behind :meth:`document`."""
        if slug is not None and (doc.name, slug) in self.overrides:
            return self.overrides[(doc.name, slug)][1]
        return self.files[doc.content_file]

    def models(self) -> dict[str, Any]:
        """Each content file's validated model, by file name."""
        out: dict[str, Any] = {
            PROGRAM_FILE: self.program,
            REGISTER_FILE: self.register,
            ECONOMICS_FILE: self.economics,
            COMMITMENTS_FILE: self.commitments,
        }
        for doc in self.docs:
            out.setdefault(doc.content_file, self.documents[doc.name])
        return out

    def kommune(self, ref: str) -> tuple[str, Kommune]:
        """Find a municipality by slug, kommunenummer or name, case-insensitively."""
        wanted = ref.strip().casefold()
        for slug, k in self.register.kommuner.items():
            if wanted in (slug, k.number, k.name.casefold()):
                return slug, k
        names = {k.name.casefold(): k.name for k in self.register.kommuner.values()}
        names.update({slug: k.name for slug, k in self.register.kommuner.items()})
        close = difflib.get_close_matches(wanted, list(names), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(dict.fromkeys(names[c] for c in close))}?" if close else ""
        raise UnknownKommuneError(f"unknown kommune {ref!r}{hint} (`fkj list kommuner` shows them all)")


@dataclass
class Loaded:
    """The content tree's YAML as read, before validation, and what could not be read."""

    root: Path
    files: dict[str, YamlFile]  # file name -> loaded file, for the files fkj knows
    override_paths: dict[tuple[str, str], Path]  # (content file, kommune slug) -> its override
    problems: list[Problem]
    docs: Sequence[DocumentSpec]  # the document types whose files were read, for validate()


def load(root: Path, docs: Sequence[DocumentSpec]) -> Loaded:
    """Stage one: read every YAML file under ``root`` with its positions; ``docs`` name the document files.

    Unknown files, missing files and YAML that does not parse are problems,
    collected with the rest in :func:`validate`.
    """
    if not root.is_dir():
        raise FkjError(f"content directory {display_path(root)} does not exist")
    known = [*BASE_FILES, *dict.fromkeys(d.content_file for d in docs)]
    problems: list[Problem] = []
    files: dict[str, YamlFile] = {}
    override_paths: dict[tuple[str, str], Path] = {}

    found = sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    for path in found:
        parts = path.relative_to(root).parts
        shown = display_path(path)
        if parts[0] == OVERRIDES_DIR:
            if len(parts) != 3:
                problems.append(Problem(shown, 1, 1, "", f"an override is {OVERRIDES_DIR}/<kommune>/<document file>"))
                continue
            _, slug, name = parts
            override_paths[(name, slug)] = path
        elif "/".join(parts) not in known and "/".join(parts) not in OPTIONAL_FILES:
            message = f"unknown content file{suggest('/'.join(parts), known)} (fkj reads {', '.join(known)})"
            problems.append(Problem(shown, 1, 1, "", message))
    for name in [*known, *OPTIONAL_FILES]:
        path = root / name
        if name in OPTIONAL_FILES and not path.exists():
            continue
        if not path.is_file():
            problems.append(Problem(display_path(path), 1, 1, "", "required content file is missing"))
            continue
        loaded, problem = load_yaml(path, display_path(path))
        if loaded is None:
            assert problem is not None
            problems.append(problem)
        else:
            files[name] = loaded
    return Loaded(root, files, override_paths, problems, tuple(docs))


def validate(loaded: Loaded) -> Content:
    """Stage two: every file against its model, then the checks across files; raise ContentError listing all."""
    docs = loaded.docs
    models = content_models(docs)
    problems = list(loaded.problems)
    files = loaded.files
    validated: dict[str, Any] = {}
    for name, file in files.items():
        try:
            validated[name] = models[name].model_validate(file.data)
        except ValidationError as exc:
            problems.extend(problems_from(exc, models[name], file))

    program, register = validated.get(PROGRAM_FILE), validated.get(REGISTER_FILE)
    overrides: dict[tuple[str, str], tuple[Any, YamlFile]] = {}
    if register is not None:
        overrides = _validate_overrides(loaded, register, models, problems)
    for where, path, message, at_value in cross_checks(validated, overrides, docs):
        file = files[where] if isinstance(where, str) else overrides[where][1]
        problems.append(file.problem(path, message, at_value=at_value))
    if problems:
        raise ContentError(problems)
    assert program is not None and register is not None

    content = Content(
        root=loaded.root,
        program=program,
        register=register,
        economics=validated[ECONOMICS_FILE],
        commitments=validated[COMMITMENTS_FILE],
        documents={d.name: validated[d.content_file] for d in docs},
        files=files,
        docs=docs,
        overrides=overrides,
        ordliste=validated.get(ORDLISTE_FILE),
    )
    needs = [content.files[name].problem(path, message) for name, path, message in check_needs(content)]
    if needs:
        raise ContentError(needs)
    warnings = {files[name].problem(p, m) for name, model in validated.items() for p, m in unsourced(model)}
    warnings |= {files[name].problem(p, m) for name, model in validated.items() for p, m in open_fields(model)}
    for model, merged in overrides.values():
        warnings |= {merged.problem(p, m) for p, m in open_fields(model)}
    content.warnings = sorted(warnings)
    return content


# Where a cross-check found a problem: a content file's name, or an override's (document, kommune).
Where = str | tuple[str, str]


def cross_checks(
    validated: dict[str, Any], overrides: dict[tuple[str, str], tuple[Any, YamlFile]], docs: Sequence[DocumentSpec]
) -> Iterator[tuple[Where, Path_, str, bool]]:
    """The checks across keys and files, on whatever passed its model: (where, key path, message, at the value).

    Used by :func:`validate`, and by `fkj diff` to tell whether one change can stand without the others.
    """
    program, register = validated.get(PROGRAM_FILE), validated.get(REGISTER_FILE)
    if program is not None:
        for name, model in validated.items():
            for path, message in check_sources(model, program):
                yield name, path, message, True
    if program is not None and register is not None:
        for path, message in check_program(program, register):
            yield PROGRAM_FILE, path, message, False
        for name in dict.fromkeys(d.content_file for d in docs):
            if name not in validated:
                continue
            for path, message in check_references(validated[name], program):
                yield name, path, message, True
            for path, message in check_dated(validated[name], register):
                yield name, path, message, True
            checks = dict.fromkeys(d.check for d in docs if d.content_file == name and d.check)
            for check in checks:
                assert check is not None
                for path, message in check(validated[name], program, register):
                    yield name, path, message, False
        for key, (model, _) in overrides.items():
            for path, message in check_references(model, program):
                yield key, path, message, True
        if COMMITMENTS_FILE in validated:
            for path, message in check_commitment_scope(validated[COMMITMENTS_FILE], program, register):
                yield COMMITMENTS_FILE, path, message, False
    if register is not None:
        for path, message in check_register(register):
            yield REGISTER_FILE, path, message, True
        for name, checker in ((ECONOMICS_FILE, check_economics), (COMMITMENTS_FILE, check_commitments)):
            if name in validated:
                for path, message in checker(validated[name], register):
                    yield name, path, message, True


def _validate_overrides(
    loaded: Loaded, register: Register, models: dict[str, type[BaseModel]], problems: list[Problem]
) -> dict[tuple[str, str], tuple[Any, YamlFile]]:
    """Each ``overrides/<kommune>/<document file>`` merged over the shared file and validated."""
    by_file = {d.content_file: d for d in loaded.docs if d.scope == "kommune"}
    out: dict[tuple[str, str], tuple[Any, YamlFile]] = {}
    for (name, slug), path in loaded.override_paths.items():
        shown = display_path(path)
        if slug not in register.kommuner:
            hint = suggest(slug, register.kommuner)
            problems.append(Problem(shown, 1, 1, "", f"unknown kommune {slug!r} in the override's folder{hint}"))
            continue
        if name not in by_file:
            hint = suggest(name, by_file)
            message = f"not a per-kommune document file{hint} (overrides are for {', '.join(by_file)})"
            problems.append(Problem(shown, 1, 1, "", message))
            continue
        override, problem = load_yaml(path, shown)
        if override is None:
            assert problem is not None
            problems.append(problem)
            continue
        if name not in loaded.files:
            continue  # the shared file is broken or missing; that is reported already
        merged = loaded.files[name].merged(override)
        try:
            out[(by_file[name].name, slug)] = (models[name].model_validate(merged.data), merged)
        except ValidationError as exc:
            problems.extend(problems_from(exc, models[name], merged))
    return out
