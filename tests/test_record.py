"""Writing recorded values into a content file (fkj_cli/content/record.py), which `fkj decision` and
`fkj receipt import` share: comments kept or the change refused, values quoted where YAML would misread
them, and nothing written unless the whole content is valid with the change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml.comments import CommentedMap

from fkj_cli.content import COMMITMENTS_FILE
from fkj_cli.content.economics import Commitments
from fkj_cli.content.load import load
from fkj_cli.content.record import edited, save, scalar
from fkj_cli.documents import document_types
from fkj_cli.errors import ContentError, FkjError

from .helpers import Maker


def test_an_edit_keeps_every_comment() -> None:
    text = "# about the file\na: 1  # one\n# before b\nb: 2\n"

    def change(data: CommentedMap) -> None:
        data["b"] = 3
        data["c"] = "new"

    assert edited(text, "x.yaml", "record it", change) == "# about the file\na: 1  # one\n# before b\nb: 3\nc: new\n"


def test_an_edit_that_would_lose_a_comment_is_refused() -> None:
    with pytest.raises(FkjError) as raised:
        edited("a: 1  # keep this\nb: 2\n", "x.yaml", "record the decisions", lambda data: data.pop("a"))
    assert str(raised.value) == "x.yaml: cannot record the decisions without losing a comment; do it by hand"


def test_a_file_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(FkjError) as raised:
        edited("- a\n- b\n", "x.yaml", "record the receipts", lambda data: None)
    assert str(raised.value) == "x.yaml: cannot record the receipts: the file must be a mapping of keys to values"


def test_a_string_yaml_would_read_as_something_else_is_quoted() -> None:
    def written(value: object) -> str:
        return edited("a: 0\n", "x.yaml", "record it", lambda data: data.__setitem__("a", scalar(value)))

    assert written("Bystyret") == "a: Bystyret\n"
    assert written("22/1234") == "a: 22/1234\n"
    assert written("2023-03-22") == 'a: "2023-03-22"\n'
    assert written("true") == 'a: "true"\n'
    assert written("0301") == 'a: "0301"\n'
    assert written(dt.date(2023, 3, 22)) == "a: 2023-03-22\n"


def test_save_writes_only_content_that_validates(make_tree: Maker) -> None:
    root = make_tree()
    path = root / COMMITMENTS_FILE
    before = path.read_bytes()
    bad = "commitments:\n  vinje: {status: kanskje, date: 2023-03-13, body: Kommunestyret}\n"
    with pytest.raises(ContentError) as raised:
        save(load(root, document_types()), path, "content/commitments.yaml", bad, Commitments)
    [problem] = raised.value.problems
    assert (problem.file, problem.line) == ("content/commitments.yaml", 2)
    assert "kanskje" in problem.message
    assert path.read_bytes() == before

    good = "commitments:\n  vinje: {status: opsjon, date: 2023-03-13, body: Kommunestyret}\n"
    save(load(root, document_types()), path, "content/commitments.yaml", good, Commitments)
    assert "vinje: {status: opsjon, date: 2023-03-13, body: Kommunestyret}" in path.read_text(encoding="utf-8")


def test_save_formats_as_fmt_does(make_tree: Maker) -> None:
    root = make_tree()
    path = root / COMMITMENTS_FILE
    messy = "commitments:\n    vinje:   {body: Kommunestyret, date: 2023-03-13, status: opsjon}\n"
    save(load(root, document_types()), path, "content/commitments.yaml", messy, Commitments)
    assert path.read_text(encoding="utf-8") == (
        "commitments:\n  vinje: {status: opsjon, date: 2023-03-13, body: Kommunestyret}\n"
    )


def test_the_module_is_the_one_both_recorders_use() -> None:
    import fkj_cli.archive.receipt as receipt
    import fkj_cli.decisions as decisions

    for module in (decisions, receipt):
        assert module.edited is edited and module.save is save and module.scalar is scalar
        assert not hasattr(module, "_check") and not hasattr(module, "_scalar")
    assert Path(decisions.__file__).parent == Path(receipt.__file__).parent.parent


def test_every_comment_is_counted_and_a_hash_inside_a_value_is_not_one() -> None:
    from fkj_cli.fmt import comments

    text = (
        "# head\n"
        "a: 1  # one\n"
        'b: "x # not"  # two\n'
        "c: |  # three\n"
        "  line # not a comment\n"
        "  # nor this\n"
        "d: [1, 2]  # four\n"
        "e: plain#not\n"
        "g:\n"
        "  - x  # five\n"
        "# tail\n"
    )
    assert sorted(comments(text)) == ["# five", "# four", "# head", "# one", "# tail", "# three", "# two"]
