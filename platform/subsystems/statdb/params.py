"""The parameter file (パラメータファイル) of a database table: a small YAML document.
See PARAMS.md beside this file for the format. `parse()` validates it whole and names the
line and field of every error; it touches no database."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.tables import OBJ_IDS
from govstat.platform.subsystems.statdb.yamlnodes import MAX_BYTES, Map, Seq, YamlError, line_of, load

FORMAT = "1"
TOP_KEYS = {"format", "table", "data", "dimensions", "special"}
TABLE_KEYS = {
    "gov_stat_code",
    "title",
    "table_no",
    "statistics_name",
    "cycle",
    "survey_date",
    "open_date",
    "explanation",
}
SURVEY_DATE = re.compile(r"^[0-9]{4}([0-9]{2})?(-[0-9]{4}([0-9]{2})?)?$")
NUMBER = re.compile(r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")


@dataclass
class Item:
    code: str
    name: str
    level: int = 1
    unit: str | None = None
    parent: str | None = None
    line: int = 0


@dataclass
class Dimension:
    obj_id: str
    name: str
    source: str  # items | data | area_codes
    items: list[Item] = field(default_factory=list)
    fixed: str | None = None
    as_of: dt.date | None = None
    line: int = 0


@dataclass
class ValueColumn:
    column: int
    codes: dict[str, str]
    line: int = 0


@dataclass
class Layout:
    format: str | None = None  # csv | xlsx (None: from the data file's name)
    encoding: str = "utf-8"
    sheet: str | None = None
    skip_rows: int = 0
    thousands: str = ","
    code_columns: dict[str, int] = field(default_factory=dict)
    name_columns: dict[str, int] = field(default_factory=dict)
    values: list[ValueColumn] = field(default_factory=list)
    unit_column: int | None = None
    annotation_column: int | None = None


@dataclass
class TableInfo:
    gov_stat_code: str = ""
    title: str = ""
    table_no: str = ""
    statistics_name: str = ""
    cycle: str = ""
    survey_date: str = ""
    open_date: dt.date | None = None
    explanation: str = ""
    gov_stat_line: int = 0


@dataclass
class Params:
    table: TableInfo
    layout: Layout
    dimensions: dict[str, Dimension]  # in e-Stat order: tab, cat01..cat15, area, time
    special: dict[str, str]


def parse(raw: bytes, problems: Problems) -> Params | None:
    """The parameter file, or None with the reasons in `problems`."""
    if len(raw) > MAX_BYTES:
        problems.add(
            1,
            "(file)",
            f"パラメータファイルが大きすぎます（{MAX_BYTES // 1024 // 1024} MiB まで）"
            f" / the parameter file is larger than {MAX_BYTES // 1024 // 1024} MiB",
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add(1, "(file)", "UTF-8で保存してください / the parameter file must be UTF-8")
        return None
    try:
        root = load(text)
    except YamlError as exc:
        problems.add(exc.line, exc.field, str(exc))
        return None
    if not isinstance(root, Map):
        problems.add(1, "(file)", "YAMLの対応付け（key: value）で書いてください / must be a YAML mapping")
        return None
    for key in root:
        if key not in TOP_KEYS:
            problems.add(
                root.key_lines[key], key, f"知らない項目です / unknown key (expected one of {sorted(TOP_KEYS)})"
            )
    if root.get("format") != FORMAT:
        problems.add(line_of(root, "format"), "format", f"format: {FORMAT} を指定してください / must be {FORMAT}")
    from govstat.platform.subsystems.statdb.params_layout import dimensions, layout, special

    table = _table(root.get("table"), root, problems)
    dims = dimensions(root.get("dimensions"), root, problems)
    lay = layout(root.get("data"), root, dims, problems)
    chars = special(root.get("special"), root, problems)
    return None if problems else Params(table=table, layout=lay, dimensions=dims, special=chars)


def text(m: Map, key: str, path: str, p: Problems, *, required: bool = False, max_len: int = 2000) -> str:
    value = m.get(key)
    if value is None or value == "":
        if required:
            p.add(line_of(m, key), path, "必須です / required")
        return ""
    if not isinstance(value, str):
        p.add(line_of(m, key), path, "文字列で書いてください / must be a plain value")
        return ""
    if len(value) > max_len:
        p.add(line_of(m, key), path, f"{max_len}文字以内にしてください / at most {max_len} characters")
    return str(value)


def integer(m: Map, key: str, path: str, p: Problems, *, minimum: int = 0, default: int | None = None) -> int | None:
    value = m.get(key)
    if value is None:
        return default
    if not isinstance(value, str) or not value.isdigit() or int(value) < minimum:
        p.add(line_of(m, key), path, f"{minimum}以上の整数にしてください / must be an integer >= {minimum}")
        return default
    return int(value)


def date(m: Map, key: str, path: str, p: Problems) -> dt.date | None:
    value = text(m, key, path, p)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        p.add(line_of(m, key), path, "日付は YYYY-MM-DD で書いてください / date must be YYYY-MM-DD")
        return None


def mapping(value, parent, key: str, path: str, p: Problems, *, required: bool = True) -> Map:
    if value is None and not required:
        return Map()
    if not isinstance(value, Map):
        p.add(line_of(parent, key), path, "key: value の対応付けで書いてください / must be a mapping")
        return Map()
    return value


def _table(value, root: Map, p: Problems) -> TableInfo:
    m = mapping(value, root, "table", "table", p)
    for key in m:
        if key not in TABLE_KEYS:
            p.add(m.key_lines[key], f"table.{key}", "知らない項目です / unknown key")
    info = TableInfo(
        gov_stat_code=text(m, "gov_stat_code", "table.gov_stat_code", p, required=True),
        title=text(m, "title", "table.title", p, required=True, max_len=500),
        table_no=text(m, "table_no", "table.table_no", p, max_len=32),
        statistics_name=text(m, "statistics_name", "table.statistics_name", p, max_len=500),
        cycle=text(m, "cycle", "table.cycle", p, max_len=50),
        survey_date=text(m, "survey_date", "table.survey_date", p, max_len=13),
        open_date=date(m, "open_date", "table.open_date", p),
        explanation=text(m, "explanation", "table.explanation", p, max_len=20000),
        gov_stat_line=line_of(m, "gov_stat_code"),
    )
    if info.gov_stat_code and not re.fullmatch(r"[0-9]{8}", info.gov_stat_code):
        p.add(info.gov_stat_line, "table.gov_stat_code", "政府統計コードは8桁の数字です / must be 8 digits")
    if info.survey_date and not SURVEY_DATE.match(info.survey_date):
        p.add(
            line_of(m, "survey_date"),
            "table.survey_date",
            "YYYY, YYYYMM または YYYYMM-YYYYMM で書いてください / YYYY, YYYYMM or YYYYMM-YYYYMM",
        )
    return info


__all__ = ["NUMBER", "OBJ_IDS", "Dimension", "Item", "Layout", "Params", "Seq", "TableInfo", "ValueColumn", "parse"]
