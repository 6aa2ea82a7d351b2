"""The language catalogues: the same keys in bokmål and nynorsk, and every key a template uses."""

from __future__ import annotations

import itertools
import typing
from collections.abc import Iterator

import jinja2
import yaml
from jinja2 import nodes

from fkj_cli.content.economics import CommitmentStatus
from fkj_cli.documents.memo import CaseKind
from fkj_cli.render import TEMPLATES

# What an expression in a key built at render time (``t["memo_kind_" ~ case.kind]``) can be.
# A template that builds a key from anything else fails the test until it is added here.
EXPANSIONS: dict[str, tuple[str, ...]] = {
    "case.kind": typing.get_args(CaseKind),  # memo.md.j2: memo_kind_*, memo_resolution_*
    "status": typing.get_args(CommitmentStatus),  # _economics.md.j2: econ_status_*, by figures.status_shares
    "row.status": typing.get_args(CommitmentStatus),  # _sector_appendix.md.j2: econ_status_*, by municipality
    "code": ("nb", "nn"),  # board-case.md.j2: board_lang_*, the languages of the approved editions
}


def catalogue(lang: str) -> dict[str, str]:
    data = yaml.safe_load((TEMPLATES / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_both_languages_have_the_same_keys() -> None:
    nb, nn = catalogue("nb"), catalogue("nn")
    assert sorted(set(nb) - set(nn)) == [], "keys only in nb.yaml"
    assert sorted(set(nn) - set(nb)) == [], "keys only in nn.yaml"
    assert all(isinstance(v, str) and v for v in [*nb.values(), *nn.values()])


def _source(node: nodes.Node) -> str:
    """An expression written back roughly as the template has it, for messages and EXPANSIONS."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_source(node.node)}.{node.attr}"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    if isinstance(node, nodes.Concat):
        return " ~ ".join(_source(n) for n in node.nodes)
    return f"<{type(node).__name__}>"


def _values(node: nodes.Node) -> tuple[str, ...] | None:
    """Every string ``node`` can be: a constant, an expression in EXPANSIONS, or a ``~`` of those."""
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, nodes.Concat):
        parts = [_values(n) for n in node.nodes]
        if any(p is None for p in parts):
            return None
        return tuple("".join(combo) for combo in itertools.product(*typing.cast(list[tuple[str, ...]], parts)))
    return EXPANSIONS.get(_source(node))


def catalogue_keys(template: str) -> Iterator[tuple[int, str | None, str]]:
    """(line, key or None, how the template wrote it) for every use of the catalogue ``t`` in a template.

    ``t.key`` and ``t['key']`` give their key; ``t["prefix_" ~ expr]`` every key ``expr`` can make
    (EXPANSIONS); anything else, a bare ``t`` included, gives None: a key the test cannot check.
    """
    tree = jinja2.Environment().parse(template)
    read: set[int] = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        assert isinstance(node, nodes.Getattr | nodes.Getitem)
        if not (isinstance(node.node, nodes.Name) and node.node.name == "t"):
            continue
        read.add(id(node.node))
        if isinstance(node, nodes.Getattr):
            yield node.lineno, node.attr, f"t.{node.attr}"
            continue
        written = f"t[{_source(node.arg)}]"
        values = _values(node.arg)
        if values is None:
            yield node.lineno, None, written
        for value in values or ():
            yield node.lineno, value, written
    for name in tree.find_all(nodes.Name):
        if name.name == "t" and id(name) not in read:
            yield name.lineno, None, "t"


def test_every_key_a_template_uses_exists() -> None:
    known = set(catalogue("nb")) & set(catalogue("nn"))
    used: dict[str, set[str]] = {}
    unknown: list[str] = []
    for template in TEMPLATES.glob("*.j2"):
        keys = used.setdefault(template.name, set())
        for line, key, written in catalogue_keys(template.read_text(encoding="utf-8")):
            if key is None:
                unknown.append(f"{template.name}:{line}: {written}")
            else:
                keys.add(key)
    assert used, "no templates found"
    assert unknown == [], "keys built from expressions the test cannot expand: add them to EXPANSIONS"
    missing = {name: sorted(keys - known) for name, keys in used.items() if keys - known}
    assert missing == {}


def test_keys_built_at_render_time_are_expanded() -> None:
    """The check above sees the keys a template builds with ``~``, and refuses what it cannot expand."""
    built = {key for _, key, _ in catalogue_keys('{{ t["memo_kind_" ~ case.kind] }}{{ t.kommune }}')}
    assert built == {"memo_kind_notat", "memo_kind_saksframlegg", "memo_kind_byradssak", "kommune"}
    loop = "{% for status in s %}{{ t['econ_status_' ~ status] }}{% endfor %}"
    statuses = {key for _, key, _ in catalogue_keys(loop)}
    assert statuses == {"econ_status_forpliktelse", "econ_status_opsjon", "econ_status_nei", "econ_status_ubehandlet"}
    assert list(catalogue_keys("{{ t['econ_' ~ what ~ '_x'] }}")) == [(1, None, "t['econ_' ~ what ~ '_x']")]
    assert list(catalogue_keys("{% set key = 'a_' ~ b %}\n{{ t[key] }}")) == [(2, None, "t[key]")]
    assert list(catalogue_keys("{{ labels(t) }}")) == [(1, None, "t")]


def test_nynorsk_differs_where_the_languages_differ() -> None:
    nb, nn = catalogue("nb"), catalogue("nn")
    assert nb["resolution"] == "Forslag til vedtak"
    assert nn["resolution"] == "Framlegg til vedtak"
    assert nn["population"] == "Innbyggjarar"


def test_a_broken_catalogue_is_named_with_its_line_not_a_traceback(tmp_path: typing.Any) -> None:
    """A label ending in ": " is not valid YAML unless quoted: the error names the file, line and column."""
    import shutil

    import pytest

    from fkj_cli.errors import TemplateError
    from fkj_cli.render import Renderer

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    nb = (templates / "i18n" / "nb.yaml").read_text(encoding="utf-8")
    line = nb.splitlines().index("milestones: Mål og milepæler") + 1
    (templates / "i18n" / "nb.yaml").write_text(
        nb.replace("milestones: Mål og milepæler\n", "milestones: Mål og: milepæler\n"), encoding="utf-8"
    )
    with pytest.raises(TemplateError) as raised:
        Renderer(templates).catalogue("nb")
    assert str(raised.value).endswith(
        f"templates/i18n/nb.yaml:{line}:19: not valid YAML: mapping values are not allowed here"
    )  # column 19: the colon after "Mål og"
