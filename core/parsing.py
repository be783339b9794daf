"""Limits shared by the parsers of files that people upload or hand in: YAML without anchors and aliases, bounded in
size, values and depth, and the control characters that no imported text may hold (tables: core.spreadsheets).

Every limit is checked while reading, so that a small hostile file is refused before it costs more than the largest
file that is accepted."""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.utils.translation import gettext as _
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_YAML_NODES = 50_000  # the demo banks hold about 20 per question
MAX_YAML_DEPTH = 50  # far below Python's recursion limit; the formats nest 5 levels
# NUL cannot be stored in PostgreSQL text or jsonb; the other C0 controls cannot be written to an XLSX export.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def control_character_problem(text: str) -> str | None:
    """What is wrong with `text` if it holds a character no imported text may hold (tab and line breaks are fine)."""
    match = CONTROL_CHARACTERS.search(text)
    if match is None:
        return None
    if match.group() == "\x00":
        return _("contains a NUL character")
    return _("contains the control character U+%(code)04X") % {"code": ord(match.group())}


def control_character_line(text: str) -> tuple[int, str] | None:
    """(line, problem) of the first forbidden control character in a whole file's text, or None."""
    match = CONTROL_CHARACTERS.search(text)
    if match is None:
        return None
    return text.count("\n", 0, match.start()) + 1, control_character_problem(match.group()) or ""


class YamlRefused(yaml.MarkedYAMLError):
    """Well-formed YAML that these files may not use (anchors, aliases, too many values, too deep, control
    characters, a value no Python type can hold). `problem` says why; `problem_mark` says where, when known."""

    def __init__(self, problem: str, mark=None):
        super().__init__(problem=problem, problem_mark=mark)

    @property
    def line(self) -> int | None:
        return self.problem_mark.line + 1 if self.problem_mark is not None else None


def _value_error(error: Exception, mark) -> YamlRefused:
    return YamlRefused(_("cannot read this value: %(error)s") % {"error": error}, mark)


class _Loader(yaml.SafeLoader):
    """SafeLoader whose composer refuses anchors and aliases (alias bombs, recursive aliases) and counts as it goes."""

    def __init__(self, stream):
        super().__init__(stream)
        self.nodes = 0
        self.depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent) or event.anchor is not None:
            raise YamlRefused(_("anchors and aliases (& and *) are not allowed"), event.start_mark)
        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            raise YamlRefused(
                _("the file holds more than %(count)d values; please split it") % {"count": MAX_YAML_NODES},
                event.start_mark,
            )
        self.depth += 1
        if self.depth > MAX_YAML_DEPTH:
            raise YamlRefused(_("nested more than %(count)d levels deep") % {"count": MAX_YAML_DEPTH}, event.start_mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if isinstance(node, yaml.ScalarNode):
            problem = control_character_problem(node.value)  # after escapes: "\0" in quotes is a NUL too
            if problem:
                raise YamlRefused(problem, node.start_mark)
        return node

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as error:  # int() of 5000 digits, a date like 2026-13-45
            raise _value_error(error, node.start_mark) from error


def _check_size(text: str) -> None:
    if len(text) > MAX_YAML_BYTES or len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise YamlRefused(
            _("the file is larger than %(size)d MB; please split it") % {"size": MAX_YAML_BYTES // (1024 * 1024)}
        )


def yaml_compose(text: str) -> yaml.Node | None:
    """The node tree of one YAML document (nodes keep their marks, for line numbers), within the limits above.
    Raises yaml.YAMLError: YamlRefused for what is refused, another YAMLError for a syntax error."""
    _check_size(text)
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def yaml_load(text: str) -> Any:
    """One YAML document as Python data (yaml.safe_load, within the limits above); raises as yaml_compose."""
    _check_size(text)
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def yaml_scalar(node: yaml.ScalarNode) -> Any:
    """The Python value of one scalar node of yaml_compose; raises YamlRefused for a value no Python type holds."""
    try:
        # A constructor per value: a shared one would keep every node it ever built (it caches by node).
        return SafeConstructor().construct_object(node, deep=True)
    except (ValueError, OverflowError) as error:
        raise _value_error(error, node.start_mark) from error
