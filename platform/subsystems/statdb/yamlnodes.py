"""YAML read node by node, so that every value knows its line (errors name LINE and FIELD).

Every scalar stays the exact text written (a `Str` with `.line`): `00200521` is the code
00200521, never the octal number YAML 1.1 would make of it. Empty and `~` values are None.

Aliases (`*name`) are refused where they appear: a parameter file never needs one, and expanding
them let a 300-byte file build a million values (billion laughs) and a self-referencing one recurse
until the request failed with a 500. The file and its node count are capped as well.
"""

from __future__ import annotations

import yaml

MAX_BYTES = 4 * 1024 * 1024  # a parameter file with tens of thousands of items stays far below
MAX_NODES = 250_000
MAX_DEPTH = 64  # the deepest real file nests about 6 levels; deeper would overflow the recursion


class Str(str):
    line: int = 0


class Map(dict):
    line: int = 0
    key_lines: dict[str, int]


class Seq(list):
    line: int = 0


class YamlError(ValueError):
    def __init__(self, line: int, message: str, field: str = "(file)") -> None:
        super().__init__(message)
        self.line = line
        self.field = field


NULL_TAG = "tag:yaml.org,2002:null"


class _Loader(yaml.SafeLoader):
    """SafeLoader's composer that refuses aliases and counts nodes, knowing the path it is at."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._path: list[str] = []
        self._nodes = 0
        self._depth = 0

    def compose_node(self, parent, index):
        step = index.value if isinstance(index, yaml.ScalarNode) else (f"[{index}]" if isinstance(index, int) else None)
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            path = ".".join(self._path + ([step] if step else [])).replace(".[", "[") or "(file)"
            raise YamlError(
                event.start_mark.line + 1,
                f"エイリアス（*{event.anchor}）は使えません。値をそのまま書いてください"
                f" / YAML aliases (*{event.anchor}) are not allowed: write the value out",
                field=path,
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            mark = self.peek_event().start_mark
            raise YamlError(
                mark.line + 1, f"要素が多すぎます（{MAX_NODES:,} まで）/ more than {MAX_NODES:,} YAML nodes"
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise YamlError(
                mark.line + 1, f"入れ子が深すぎます（{MAX_DEPTH} 段まで）/ nested deeper than {MAX_DEPTH} levels"
            )
        if step is not None:
            self._path.append(step)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1
            if step is not None:
                self._path.pop()


def load(text: str):
    if len(text) > MAX_BYTES:
        raise YamlError(
            1,
            f"パラメータファイルが大きすぎます（{MAX_BYTES // 1024 // 1024} MiB まで）"
            f" / the parameter file is larger than {MAX_BYTES // 1024 // 1024} MiB",
        )
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError(mark.line + 1 if mark else 0, f"YAMLとして読めません / not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(0, f"YAMLとして読めません / not valid YAML: {exc}") from None
    finally:
        loader.dispose()
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
