"""YAML read node by node, so that every value knows its line (errors name LINE and FIELD).

Every scalar stays the exact text written (a `Str` with `.line`): `00200521` is the code
00200521, never the octal number YAML 1.1 would make of it. Empty and `~` values are None.
"""
from __future__ import annotations

import yaml


class Str(str):
    line: int = 0


class Map(dict):
    line: int = 0
    key_lines: dict[str, int]


class Seq(list):
    line: int = 0


class YamlError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


NULL_TAG = "tag:yaml.org,2002:null"


def load(text: str):
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(mark.line + 1 if mark else 0, f"YAMLとして読めません / not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(0, f"YAMLとして読めません / not valid YAML: {exc}") from None
    return _convert(node) if node is not None else Map()


def _convert(node: yaml.Node):
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        if node.tag == NULL_TAG:
            return None
        s = Str(node.value)
        s.line = line
        return s
    if isinstance(node, yaml.SequenceNode):
        seq = Seq(_convert(n) for n in node.value)
        seq.line = line
        return seq
    if isinstance(node, yaml.MappingNode):
        out = Map()
        out.line, out.key_lines = line, {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(key_node.start_mark.line + 1, "キーは文字列にしてください / keys must be plain text")
            key = key_node.value
            if key in out:
                raise YamlError(key_node.start_mark.line + 1, f"キー {key!r} が重複しています / duplicate key {key!r}")
            out[key] = _convert(value_node)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out
    raise YamlError(line, "対応していないYAMLの要素です / unsupported YAML node")


def line_of(parent, key=None) -> int:
    """The line of `parent[key]` (or of `parent` itself), as well as it is known."""
    if key is not None and isinstance(parent, Map):
        value = parent.get(key)
        if value is not None and getattr(value, "line", 0):
            return value.line
        return parent.key_lines.get(key, parent.line)
    if key is not None and isinstance(parent, Seq) and isinstance(key, int) and key < len(parent):
        return getattr(parent[key], "line", parent.line)
    return getattr(parent, "line", 0)
