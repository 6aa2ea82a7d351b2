"""`fkj fmt`: the canonical style, --check, comments, and properties over generated content."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fkj_cli.content.load import content_models
from fkj_cli.content.yamlfile import load_yaml
from fkj_cli.documents import document_types
from fkj_cli.fmt import format_text

from .conftest import ROOT, SHIPPED, replace
from .helpers import Maker, invoke

MODELS = content_models(document_types())
FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def loaded(text: str, tmp: Path) -> Any:
    """The data fkj's own loader reads from ``text``."""
    path = tmp / "x.yaml"
    path.write_text(text, encoding="utf-8")
    result, problem = load_yaml(path, "x.yaml")
    assert result is not None, problem
    return result.data


def hash_lines(text: str) -> Counter[str]:
    """Every line that starts with '#' (comments and Markdown headings alike), counted."""
    return Counter(line.strip() for line in text.splitlines() if line.strip().startswith("#"))


MISORDERED = """\
# What each municipality has decided.

commitments:
    # Bergen decided first.
    bergen: {date: 2023-03-22, body: Bystyret, status: forpliktelse}
    vinje:
        body: 'Kommunestyret'   # the whole council
        status: opsjon
        date: 2023-04-20
"""

CANONICAL = """\
# What each municipality has decided.

commitments:
  # Bergen decided first.
  bergen: {status: forpliktelse, date: 2023-03-22, body: Bystyret}
  vinje:
    status: opsjon
    date: 2023-04-20
    body: "Kommunestyret"       # the whole council
"""


def test_check_lists_a_misordered_file_and_fmt_fixes_it(make_tree: Maker) -> None:
    root = make_tree({"commitments.yaml": MISORDERED})
    n = len(list(root.glob("*.yaml")))
    code, out, _ = invoke("fmt", "--check")
    assert code == 1
    assert out == (
        "would reformat content/commitments.yaml\n"
        f"1 file would be reformatted, {n - 1} already formatted (run `fkj fmt` to fix)\n"
    )
    assert (root / "commitments.yaml").read_text(encoding="utf-8") == MISORDERED  # --check writes nothing

    code, out, _ = invoke("fmt")
    assert code == 0
    assert out == f"reformatted content/commitments.yaml\n1 file reformatted, {n - 1} already formatted\n"
    assert (root / "commitments.yaml").read_text(encoding="utf-8") == CANONICAL
    assert not [p for p in root.iterdir() if p.name.startswith(".")]  # no temporary file left

    code, out, _ = invoke("fmt", "--check")
    assert (code, out) == (0, f"✓ {n} files already formatted\n")
    code, out, _ = invoke("validate")
    assert code == 0, out


def test_paths_select_files_and_folders(make_tree: Maker) -> None:
    root = make_tree({"commitments.yaml": MISORDERED, "overrides/bergen/decision-basis.yaml": "title:  Bergen\n"})
    code, out, _ = invoke("fmt", "--check", "content/overrides")
    assert code == 1 and out.startswith("would reformat content/overrides/bergen/decision-basis.yaml\n")
    code, out, _ = invoke("fmt", "content/program.yaml")
    assert (code, out) == (0, "✓ 1 file already formatted\n")
    code, _, err = invoke("fmt", "content/nothing.yaml")
    assert code == 1 and "content/nothing.yaml: no such file or directory" in err
    assert (root / "commitments.yaml").read_text(encoding="utf-8") == MISORDERED


def test_broken_yaml_names_file_and_line_and_writes_nothing(make_tree: Maker) -> None:
    broken = "name: FKJ\nvision: [unclosed\nshort_name: x\n"
    root = make_tree({"program.yaml": broken, "commitments.yaml": MISORDERED})
    for args in (["fmt"], ["fmt", "--check"]):
        code, out, err = invoke(*args)
        assert code == 1
        assert "content/program.yaml:3:" in err and "invalid YAML" in err
        assert "Traceback" not in err + out
        assert (root / "program.yaml").read_text(encoding="utf-8") == broken
        assert (root / "commitments.yaml").read_text(encoding="utf-8") == MISORDERED


# A full-line comment inside a flow mapping that spans lines: valid YAML and valid content, but
# ruamel.yaml writes the mapping back without the comment.
COMMENT_IN_FLOW = replace(
    "commitments: {}",
    "commitments:\n"
    "  bergen: {status: forpliktelse,\n"
    "    # the city council decided\n"
    "    date: 2023-03-22, body: Bystyret}",
)


def test_a_file_that_cannot_be_formatted_safely_is_refused_and_left_as_it_is(make_tree: Maker) -> None:
    """fmt tries the file with its keys reordered and then as it is; both would lose the comment,
    so it names the file and the reasons, exits 1 and writes nothing."""
    root = make_tree({"commitments.yaml": COMMENT_IN_FLOW})
    path = root / "commitments.yaml"
    before = path.read_bytes()
    assert invoke("validate")[0] == 0  # fkj reads the file; only fmt cannot rewrite it
    for args in (["fmt"], ["fmt", "--check"], ["fmt", "content/commitments.yaml"]):
        code, _, err = invoke(*args)
        assert code == 1, args
        assert err == (
            "error: content/commitments.yaml: cannot be formatted safely "
            "(a comment would be lost; a comment would be lost); left as it is\n"
        ), args
        assert path.read_bytes() == before
        assert not [p for p in root.iterdir() if p.name.startswith(".")]  # no temporary file left


def test_comments_move_with_their_keys() -> None:
    text = """\
# header

disputes: x
purpose:
    -   nn: sikre nn
        # about nb
        nb: sikre nb
# about the background
background:
    # bokmål
    nb: |
        # A Markdown heading, not a comment
        text: {{ kommune.name }}

    nn: >-
        folded
        text
# at the end
"""
    assert (
        format_text(text, MODELS["agreement.yaml"])
        == """\
# header

# about the background
background:
  # bokmål
  nb: |
    # A Markdown heading, not a comment
    text: {{ kommune.name }}

  nn: >-
    folded
    text
purpose:
  # about nb
  - nb: sikre nb
    nn: sikre nn
disputes: x
# at the end
"""
    )


def test_long_flow_mappings_become_blocks_and_short_ones_stay() -> None:
    long = "x" * 100
    text = f"assumption_note: {{nn: {long}, nb: kort}}\nanalysis: {{period_years: 10, discount_rate: 0.04}}\n"
    assert format_text(text, MODELS["economics.yaml"]) == (
        f"assumption_note:\n  nb: kort\n  nn: {long}\nanalysis: {{discount_rate: 0.04, period_years: 10}}\n"
    )


def test_quotes_are_kept_and_made_double() -> None:
    text = "'a': '91,4 MNOK'\nb: \"0301\"\nc: plain text\nd: \"{{ x }} kommune\"\ne: 'it''s'\nf: ~\ng: True\n"
    assert format_text(text, None) == (
        '"a": "91,4 MNOK"\nb: "0301"\nc: plain text\nd: "{{ x }} kommune"\ne: "it\'s"\nf: null\ng: true\n'
    )


@pytest.mark.parametrize("name", sorted(p.relative_to(SHIPPED).as_posix() for p in SHIPPED.rglob("*.yaml")))
def test_shipped_content_is_formatted_and_keeps_every_comment(name: str, tmp_path: Path) -> None:
    text = (SHIPPED / name).read_text(encoding="utf-8")
    formatted = format_text(text, MODELS.get(Path(name).name), name)
    assert hash_lines(formatted) == hash_lines(text)
    assert loaded(formatted, tmp_path) == loaded(text, tmp_path)
    assert formatted == text, f"content/{name} is not formatted: run `fkj fmt`"


# --- properties -----------------------------------------------------------

_chars = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]) | st.sampled_from(
    [":", "#", "'", '"', "-", "{", "}", "[", "]", ",", "&", "*", "!", "|", ">", "%", "@", "`", " ", "\n", "\t"]
)
_words = st.sampled_from(["yes", "no", "on", "null", "~", "0301", "1:20", "2022-09", "2022-06-30", "1e3", "true"])
texts = st.text(_chars, max_size=30) | _words
keys = st.text(st.characters(codec="utf-8", categories=["L", "N"]) | st.sampled_from(["_", "-", " ", ":"]), min_size=1)
scalars = texts | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False, allow_infinity=False)
data = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys | _words, inner, max_size=4),
    max_leaves=15,
)


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value.strip() else None)


_Dumper.add_representer(str, _text)


def dump(value: Any, flow: bool | None, indent: int, width: int, literal: bool) -> str:
    return yaml.dump(
        value,
        Dumper=_Dumper if literal else yaml.SafeDumper,
        default_flow_style=flow,
        indent=indent,
        width=width,
        allow_unicode=True,
        sort_keys=False,
    )


def with_comments(text: str, rnd: random.Random) -> str:
    """Comment lines put above random lines that start a key or an item (never inside a scalar)."""
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    for line in lines:
        stripped = line.lstrip(" ")
        starts = stripped[:1] not in ("", " ", "\n") and (stripped.startswith("- ") or ": " in stripped)
        if starts and rnd.random() < 0.3 and out[-1:] != [line]:
            out.append(" " * (len(line) - len(stripped)) + f"# c{len(out)} #x: 'y'\n")
        out.append(line)
    return "".join(out)


@FAST
@given(
    value=st.dictionaries(keys | _words, data, min_size=1, max_size=5),
    flow=st.sampled_from([None, False]),
    indent=st.integers(2, 5),
    width=st.sampled_from([20, 80, 1000]),
    literal=st.booleans(),
)
def test_fmt_is_idempotent_and_keeps_the_data(
    tmp_path_factory: pytest.TempPathFactory,
    value: dict[str, Any],
    flow: bool | None,
    indent: int,
    width: int,
    literal: bool,
) -> None:
    tmp = tmp_path_factory.mktemp("p")
    text = dump(value, flow, indent, width, literal)
    once = format_text(text, None)
    assert format_text(once, None) == once
    assert loaded(once, tmp) == loaded(text, tmp)


# Content's shape: mappings, and lists of mappings or scalars (ruamel.yaml drops a comment
# after a list nested directly in a list; fmt then refuses the file rather than lose it).
content_like = st.recursive(
    scalars,
    lambda inner: (
        st.lists(scalars | st.dictionaries(keys, inner, min_size=1, max_size=3), max_size=3)
        | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=12,
)


@FAST
@given(
    value=st.dictionaries(keys, content_like, min_size=1, max_size=6), indent=st.integers(2, 4), seed=st.integers(0, 99)
)
def test_fmt_keeps_generated_comments(
    tmp_path_factory: pytest.TempPathFactory, value: dict[str, Any], indent: int, seed: int
) -> None:
    tmp = tmp_path_factory.mktemp("c")
    text = with_comments(dump(value, False, indent, 1000, True), random.Random(seed))
    once = format_text(text, None)
    assert hash_lines(once) == hash_lines(text)
    assert format_text(once, None) == once
    assert loaded(once, tmp) == loaded(text, tmp)


def _shuffle(value: Any, rnd: random.Random, top: bool) -> Any:
    """Shuffle the keys of the model's mappings: the top level and every {nb, nn} text."""
    if isinstance(value, dict):
        items = [(k, _shuffle(v, rnd, False)) for k, v in value.items()]
        if top or set(value) <= {"nb", "nn", "allow_fallback"}:
            rnd.shuffle(items)
        return dict(items)
    if isinstance(value, list):
        return [_shuffle(v, rnd, False) for v in value]
    return value


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(["economics.yaml", "agreement.yaml", "hearing.yaml", "governance.yaml"]),
    seed=st.integers(0, 2**16),
    indent=st.integers(2, 4),
    literal=st.booleans(),
)
def test_reordered_keys_come_back_in_model_order(
    tmp_path_factory: pytest.TempPathFactory, name: str, seed: int, indent: int, literal: bool
) -> None:
    tmp = tmp_path_factory.mktemp("r")
    original = yaml.safe_load((SHIPPED / name).read_text(encoding="utf-8"))
    shuffled = dump(_shuffle(original, random.Random(seed), True), False, indent, 1000, literal)
    canonical = format_text(dump(original, False, indent, 1000, literal), MODELS[name])
    once = format_text(shuffled, MODELS[name])
    assert once == canonical
    assert format_text(once, MODELS[name]) == once
    assert loaded(once, tmp) == loaded(shuffled, tmp)
    assert list(yaml.safe_load(once)) == list(original)  # the shipped file is in model order


def test_pre_commit_runs_fmt_check_and_validate() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert hooks["fkj-fmt"]["entry"].endswith("fkj fmt --check")
    assert hooks["fkj-validate"]["entry"].endswith("fkj validate")
    assert hooks["fkj-validate"]["pass_filenames"] is False
    assert all(h["language"] == "system" for h in hooks.values())
