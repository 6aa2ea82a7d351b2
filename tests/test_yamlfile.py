"""Loading YAML safely, with positions, and refusing what is not content."""

from __future__ import annotations

from pathlib import Path

import pytest

from fkj_cli.content.yamlfile import MAX_NODES, load_yaml


def load(tmp_path: Path, text: str | bytes):  # type: ignore[no-untyped-def]
    path = tmp_path / "x.yaml"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return load_yaml(path, "x.yaml")


def problem(tmp_path: Path, text: str | bytes) -> str:
    loaded, found = load(tmp_path, text)
    assert loaded is None and found is not None
    return str(found)


def test_positions_of_keys_items_and_values(tmp_path: Path) -> None:
    loaded, found = load(tmp_path, "a: 1\nlist:\n  - x\n  - name: y\n    n: |\n      line one\n      line two\n")
    assert found is None and loaded is not None
    assert loaded.data == {"a": 1, "list": ["x", {"name": "y", "n": "line one\nline two\n"}]}
    assert (loaded.keys[("list",)].line, loaded.keys[("list",)].col) == (2, 1)
    assert loaded.keys[("list", 1)].line == 4
    assert (loaded.keys[("list", 1, "n")].line, loaded.keys[("list", 1, "n")].col) == (5, 5)
    # line 2 of the block scalar is file line 7
    assert str(loaded.text_problem(("list", 1, "n"), 2, "m")) == "x.yaml:7:5: list[1].n: m"
    assert str(loaded.text_problem(("a",), 1, "m")) == "x.yaml:1:1: a: m"


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    assert (
        problem(tmp_path, "a: 1\nb:\n  c: 1\n  c: 2\n")
        == "x.yaml:4:3: b.c: duplicate key 'c' (first defined at line 3)"
    )


def test_object_tags_are_refused(tmp_path: Path) -> None:
    text = "a: !!python/object/apply:os.system ['echo hi']\n"
    assert (
        problem(tmp_path, text) == "x.yaml:1:4: a: unsupported YAML tag tag:yaml.org,2002:python/object/apply:os.system"
    )


def test_custom_tag_is_refused(tmp_path: Path) -> None:
    assert problem(tmp_path, "a: !secret x\n") == "x.yaml:1:4: a: unsupported YAML tag !secret"


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    message = problem(tmp_path, "\n".join(lines) + "\n")
    assert message.startswith("x.yaml:")
    assert message.endswith(f"the file expands to more than {MAX_NODES:,} nodes through aliases; refusing to load it")


def test_small_aliases_are_fine(tmp_path: Path) -> None:
    loaded, found = load(tmp_path, "a: &x [1, 2]\nb: *x\n")
    assert found is None and loaded is not None
    assert loaded.data == {"a": [1, 2], "b": [1, 2]}


def test_merge_keys_are_refused(tmp_path: Path) -> None:
    text = "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n"
    assert problem(tmp_path, text) == "x.yaml:3:3: other: merge keys (<<) are not supported; write the keys out"


def test_not_utf8(tmp_path: Path) -> None:
    assert problem(tmp_path, "name: B\xe6rum\n".encode("latin-1")) == (
        "x.yaml:1:8: the file is not valid UTF-8 (byte 0xe6); save it as UTF-8"
    )


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_empty(tmp_path: Path, text: str) -> None:
    assert problem(tmp_path, text) == "x.yaml:1:1: the file is empty"


def test_not_a_mapping(tmp_path: Path) -> None:
    assert problem(tmp_path, "- a\n- b\n") == "x.yaml:1:1: the file must be a mapping of keys to values, not a list"
    assert problem(tmp_path, "just text\n") == (
        "x.yaml:1:1: the file must be a mapping of keys to values, not a single value"
    )


def test_syntax_error_has_position(tmp_path: Path) -> None:
    assert problem(tmp_path, "a: [1, 2\nb: 3\n") == ("x.yaml:2:2: invalid YAML: did not find expected ',' or ']'")


def test_complex_key_is_refused(tmp_path: Path) -> None:
    assert problem(tmp_path, "? [a, b]\n: 1\n") == "x.yaml:1:3: a key must be a plain value, not a list or mapping"
