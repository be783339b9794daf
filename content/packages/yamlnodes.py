"""YAML loading that remembers the line of every key and list item, for error messages."""

from __future__ import annotations

import yaml

from core.parsing import yaml_compose, yaml_scalar


class LineDict(dict):
    line: int = 1
    lines: dict

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    line: int = 1
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


def _convert(node, offset: int):
    if isinstance(node, yaml.MappingNode):
        result = LineDict()
        result.line = node.start_mark.line + 1 + offset
        result.lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, offset)
            key = key if isinstance(key, str) else str(key)
            result[key] = _convert(value_node, offset)
            result.lines[key] = key_node.start_mark.line + 1 + offset
        return result
    if isinstance(node, yaml.SequenceNode):
        result = LineList()
        result.line = node.start_mark.line + 1 + offset
        result.lines = []
        for item in node.value:
            result.append(_convert(item, offset))
            result.lines.append(item.start_mark.line + 1 + offset)
        return result
    return yaml_scalar(node)


def load_with_lines(text: str, *, offset: int = 0):
    """Parse one YAML document; `offset` is added to every line (front matter starts below a `---` line).
    Raises yaml.YAMLError (with its mark) on a syntax error, core.parsing.YamlRefused on anchors and aliases (alias
    bombs), too many values, too deep a nesting or a control character."""
    node = yaml_compose(text)
    if node is None:
        return None
    return _convert(node, offset)
