"""YAML (curriculum packages, question banks) without anchors and aliases, bounded in size, values and depth."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from core.parsing import MAX_YAML_DEPTH, MAX_YAML_NODES, YamlRefused, yaml_compose, yaml_load, yaml_scalar
from tests.core.test_parser_limits import bounded


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        (ALIAS_BOMB, 1, r"anchors and aliases \(& and \*\) are not allowed"),
        ("a: &a [*a]\n", 1, "anchors and aliases"),
        ("a: 1\nb: *nothing\n", 2, "anchors and aliases"),
        ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", 1, f"nested more than {MAX_YAML_DEPTH} levels deep"),
        ("a: [" + "1, " * 100_000 + "1]\n", 1, f"more than {MAX_YAML_NODES} values"),
        ('a: "x\\0y"\n', 1, "contains a NUL character"),
    ],
    ids=["alias-bomb", "recursive-alias", "alias", "deep", "values", "nul-escape"],
)
def test_yaml_without_anchors_bounded_in_values_and_depth(text, line, expected):
    for load in (yaml_load, yaml_compose):
        with bounded(seconds=10, memory_mb=200), pytest.raises(YamlRefused, match=expected) as refused:
            load(text)
        assert refused.value.line == line


@pytest.mark.parametrize("text", ["a: " + "1" * 5000 + "\n", "born: 2026-13-45\n"], ids=["huge-int", "bad-date"])
def test_a_value_no_python_type_can_hold_is_refused_with_its_line(text):
    with pytest.raises(YamlRefused, match="cannot read this value") as refused:
        yaml_load(text)
    assert refused.value.line == 1
    node = yaml_compose(text)
    with pytest.raises(YamlRefused, match="cannot read this value"):
        yaml_scalar(node.value[0][1])


def test_yaml_larger_than_the_limit_is_refused_before_parsing():
    with pytest.raises(YamlRefused, match="larger than 2 MB"):
        yaml_load("a: " + "x" * (3 * 1024 * 1024))
    assert yaml_load("title: 应急救护\nitems: [1, 2.5, true, 2026-03-15]\n") == {
        "title": "应急救护",
        "items": [1, 2.5, True, datetime.date(2026, 3, 15)],
    }
