"""The `dimensions`, `data` and `special` parts of a parameter file, and how they fit together."""

from __future__ import annotations

from govstat.platform.subsystems.statdb import options
from govstat.platform.subsystems.statdb.params_model import (
    NUMBER,
    Dimension,
    Item,
    Layout,
    ValueColumn,
    date,
    integer,
    mapping,
    text,
)
from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.tables import OBJ_IDS
from govstat.platform.subsystems.statdb.yamlnodes import Map, Seq, line_of

DIM_KEYS = {"name", "items", "fixed", "as_of", "name_en", "description"}
ITEM_KEYS = {"code", "name", "level", "unit", "parent", "name_en", "add_inf", "explanation"}
DATA_KEYS = {
    "format",
    "encoding",
    "sheet",
    "skip_rows",
    "thousands",
    "columns",
    "values",
    "unit_column",
    "annotation_column",
} | options.KEYS
ENCODINGS = {"utf-8", "utf-8-sig", "cp932", "shift_jis", "euc-jp"}
FROM_DATA = {"data", "area_codes"}


def dimensions(value, root: Map, p: Problems) -> dict[str, Dimension]:
    m = mapping(value, root, "dimensions", "dimensions", p)
    if not m and value is not None:
        p.add(
            line_of(root, "dimensions"), "dimensions", "次元を1つ以上定義してください / define at least one dimension"
        )
    out: dict[str, Dimension] = {}
    for obj_id in m:
        if obj_id not in OBJ_IDS:
            p.add(
                m.key_lines[obj_id],
                f"dimensions.{obj_id}",
                "次元は tab, cat01〜cat15, area, time のいずれかです / must be tab, cat01..cat15, area or time",
            )
            continue
        d = mapping(m[obj_id], m, obj_id, obj_id, p)
        for key in d:
            if key not in DIM_KEYS:
                p.add(
                    d.key_lines[key], f"{obj_id}.{key}", f"知らない項目です / unknown key (expected {sorted(DIM_KEYS)})"
                )
        dim = Dimension(
            obj_id=obj_id,
            name=text(d, "name", f"{obj_id}.name", p, required=True, max_len=500),
            source="items",
            fixed=text(d, "fixed", f"{obj_id}.fixed", p, max_len=64) or None,
            line=line_of(m, obj_id),
        )
        items = d.get("items")
        if isinstance(items, str) and items in FROM_DATA:
            dim.source = str(items)
        elif isinstance(items, Seq):
            dim.items = _items(items, obj_id, p)
        else:
            p.add(
                line_of(d, "items"),
                f"{obj_id}.items",
                "項目の一覧、data（データから）または area_codes（標準地域コード）を指定してください"
                " / a list of items, `data` or `area_codes`",
            )
        if dim.source == "area_codes":
            dim.as_of = date(d, "as_of", f"{obj_id}.as_of", p)
            if dim.as_of is None:
                p.add(
                    line_of(d, "as_of"),
                    f"{obj_id}.as_of",
                    "地域コードの基準日が必要です / area_codes needs as_of (YYYY-MM-DD)",
                )
        if dim.fixed and dim.source == "items" and dim.items and dim.fixed not in {i.code for i in dim.items}:
            p.add(line_of(d, "fixed"), f"{obj_id}.fixed", f"{dim.fixed!r} は items にありません / not one of the items")
        out[obj_id] = dim
    return {o: out[o] for o in OBJ_IDS if o in out}


def _items(seq: Seq, obj_id: str, p: Problems) -> list[Item]:
    items: list[tuple[int, Item]] = []
    seen: dict[str, Item] = {}
    for i, node in enumerate(seq):
        path = f"{obj_id}.items[{i}]"
        if not isinstance(node, Map):
            p.add(line_of(seq, i), path, "{code: ..., name: ...} の形で書いてください / must be a mapping")
            continue
        for key in node:
            if key not in ITEM_KEYS:
                p.add(
                    node.key_lines[key],
                    f"{path}.{key}",
                    f"知らない項目です / unknown key (expected {sorted(ITEM_KEYS)})",
                )
        item = Item(
            code=text(node, "code", f"{path}.code", p, required=True, max_len=64),
            name=text(node, "name", f"{path}.name", p, required=True, max_len=500),
            level=integer(node, "level", f"{path}.level", p, minimum=1, default=1) or 1,
            unit=text(node, "unit", f"{path}.unit", p, max_len=50) or None,
            parent=text(node, "parent", f"{path}.parent", p, max_len=64) or None,
            line=line_of(node, "code"),
        )
        if item.code and item.code != item.code.strip():
            p.add(item.line, f"{path}.code", "前後に空白を入れないでください / no leading or trailing spaces")
        if item.code in seen:
            p.add(
                item.line,
                f"{path}.code",
                f"コード {item.code!r} が重複しています（{seen[item.code].line}行目）"
                f" / duplicate code (first on line {seen[item.code].line})",
            )
        elif item.code:
            seen[item.code] = item
            items.append((i, item))
    for i, item in items:
        if item.parent is None:
            continue
        parent = seen.get(item.parent)
        if parent is None or parent is item:
            p.add(
                item.line,
                f"{obj_id}.items[{i}].parent",
                f"親コード {item.parent!r} が {obj_id} にありません / parent {item.parent!r} is not a code of {obj_id}",
            )
        elif parent.level >= item.level:
            p.add(
                item.line,
                f"{obj_id}.items[{i}].level",
                f"親（階層 {parent.level}）より深い階層にしてください"
                f" / level must be below its parent's ({parent.level})",
            )
    return [item for _, item in items]


def layout(value, root: Map, dims: dict[str, Dimension], p: Problems) -> Layout:
    m = mapping(value, root, "data", "data", p)
    for key in m:
        if key not in DATA_KEYS:
            p.add(m.key_lines[key], f"data.{key}", f"知らない項目です / unknown key (expected {sorted(DATA_KEYS)})")
    lay = Layout(
        format=text(m, "format", "data.format", p) or None,
        encoding=(text(m, "encoding", "data.encoding", p) or "utf-8").lower(),
        sheet=text(m, "sheet", "data.sheet", p) or None,
        skip_rows=integer(m, "skip_rows", "data.skip_rows", p, default=0) or 0,
        thousands="," if m.get("thousands") is None and "thousands" not in m else str(m.get("thousands") or ""),
        unit_column=integer(m, "unit_column", "data.unit_column", p, minimum=1),
        annotation_column=integer(m, "annotation_column", "data.annotation_column", p, minimum=1),
    )
    if lay.format not in (None, "csv", "xlsx"):
        p.add(line_of(m, "format"), "data.format", "csv または xlsx です / must be csv or xlsx")
    if lay.encoding not in ENCODINGS:
        p.add(line_of(m, "encoding"), "data.encoding", f"対応する文字コード / one of {sorted(ENCODINGS)}")
    _columns(m, dims, lay, p)
    lay.options = options.read(m, dims, lay, p)
    if lay.options.header is None:  # a wide table's value columns come from its header rows (wide.py)
        _values(m, dims, lay, p)
    _sources(m, dims, lay, p)
    return lay


def _columns(m: Map, dims: dict[str, Dimension], lay: Layout, p: Problems) -> None:
    cols = mapping(m.get("columns"), m, "columns", "data.columns", p, required=False)
    for obj_id in cols:
        path = f"data.columns.{obj_id}"
        if obj_id not in dims:
            p.add(cols.key_lines[obj_id], path, f"{obj_id} は dimensions にありません / not a declared dimension")
            continue
        spec = cols[obj_id]
        if isinstance(spec, str):  # shorthand: the code column only
            spec = Map({"code": spec})
            spec.line, spec.key_lines = cols.key_lines[obj_id], {"code": cols.key_lines[obj_id]}
        spec = mapping(spec, cols, obj_id, path, p)
        code = integer(spec, "code", f"{path}.code", p, minimum=1)
        if code is None:
            p.add(
                line_of(spec, "code"),
                f"{path}.code",
                "コードの列番号（1から）が必要です / the code column (from 1) is required",
            )
            continue
        lay.code_columns[obj_id] = code
        name = integer(spec, "name", f"{path}.name", p, minimum=1)
        if name is not None:
            lay.name_columns[obj_id] = name


def _values(m: Map, dims: dict[str, Dimension], lay: Layout, p: Problems) -> None:
    seq = m.get("values")
    if not isinstance(seq, Seq) or not seq:
        p.add(line_of(m, "values"), "data.values", "値の列を1つ以上指定してください / at least one value column")
        return
    for i, node in enumerate(seq):
        path = f"data.values[{i}]"
        if not isinstance(node, Map):
            p.add(line_of(seq, i), path, "{column: ..., <次元>: <コード>} の形で / must be a mapping")
            continue
        column = integer(node, "column", f"{path}.column", p, minimum=1)
        if column is None:
            p.add(
                line_of(node, "column"), f"{path}.column", "列番号（1から）が必要です / the column (from 1) is required"
            )
            continue
        codes = {}
        for obj_id in node:
            if obj_id == "column":
                continue
            dim = dims.get(obj_id)
            code = text(node, obj_id, f"{path}.{obj_id}", p, required=True, max_len=64)
            if dim is None:
                p.add(
                    node.key_lines[obj_id],
                    f"{path}.{obj_id}",
                    f"{obj_id} は dimensions にありません / not a declared dimension",
                )
            elif dim.source != "items" or code not in {it.code for it in dim.items}:
                p.add(
                    line_of(node, obj_id),
                    f"{path}.{obj_id}",
                    f"{code!r} は {obj_id} の items にありません / not an item of {obj_id}",
                )
            codes[obj_id] = code
        lay.values.append(ValueColumn(column=column, codes=codes, line=node.line))
    used = [v.column for v in lay.values] + list(lay.code_columns.values()) + list(lay.name_columns.values())
    for i, v in enumerate(lay.values):
        if used.count(v.column) > 1:
            p.add(
                v.line,
                f"data.values[{i}].column",
                f"列 {v.column} は他の用途にも指定されています / column {v.column} is used twice",
            )


def _sources(m: Map, dims: dict[str, Dimension], lay: Layout, p: Problems) -> None:
    """Each dimension gets its code from exactly one place: a column, every value column, or `fixed`."""
    header = lay.options.header if lay.options else None
    for obj_id, dim in dims.items():
        by_values = [v for v in lay.values if obj_id in v.codes]
        by_header = header is not None and obj_id in header.rows.values()
        ways = [bool(dim.fixed), obj_id in lay.code_columns, bool(by_values) or by_header]
        if sum(ways) == 0:
            p.add(
                dim.line,
                obj_id,
                "コードの取り方がありません: data.columns、data.values の各列、または fixed"
                " / no source of codes: data.columns, every data.values entry, or fixed",
            )
        elif sum(ways) > 1:
            p.add(dim.line, obj_id, "コードの取り方は1つにしてください / give exactly one source of codes")
        elif by_values and len(by_values) != len(lay.values):
            p.add(dim.line, obj_id, "値の列のすべてで指定してください / set it in every data.values entry")
        if dim.source in ("data", "area_codes") and obj_id not in lay.code_columns:
            p.add(
                dim.line,
                f"{obj_id}.items",
                "データから項目を取るにはコードの列が必要です / items from the data need data.columns.<dim>.code",
            )


def special(value, root: Map, p: Problems) -> dict[str, str]:
    m = mapping(value, root, "special", "special", p, required=False)
    out: dict[str, str] = {}
    for char in m:
        meaning = text(m, char, f"special.{char!r}", p, required=True, max_len=200)
        if NUMBER.match(char.replace(",", "")):
            p.add(m.key_lines[char], f"special.{char!r}", "数値と区別できません / looks like a number")
        out[char] = meaning
    return out
