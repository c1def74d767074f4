"""The parts of a parsed parameter file (dataclasses) and the readers of its fields, shared by
params.py (the whole file, `table`) and params_layout.py (`dimensions`, `data`, `special`)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.yamlnodes import Map, line_of

if TYPE_CHECKING:
    from govstat.platform.subsystems.statdb.options import DataOptions

NUMBER = re.compile(r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")


@dataclass
class Item:
    code: str
    name: str
    level: int = 1
    unit: str | None = None
    parent: str | None = None
    line: int = 0
    name_en: str = ""
    add_inf: str = ""  # CLASS@addInf (params_classes.py)
    explanation: str = ""  # CLASS_OBJ.EXPLANATION


@dataclass
class Dimension:
    obj_id: str
    name: str
    source: str  # items | data | area_codes
    items: list[Item] = field(default_factory=list)
    fixed: str | None = None
    as_of: dt.date | None = None
    line: int = 0
    name_en: str = ""
    description: str = ""  # CLASS_OBJ@description (params_classes.py)


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
    options: DataOptions | None = None  # options for real files (options.py), None when none is read


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
    # English names and e-Stat's catalogue fields (params_catalog.py): `english` holds stat_name,
    # title, statistics_name, explanation; `spec` tabulation_sub, table_category, table_sub,
    # table_explanation
    english: dict[str, str] = field(default_factory=dict)
    spec: dict[str, object] = field(default_factory=dict)
    sub_category: str = ""
    small_area: int = 0


@dataclass
class Params:
    table: TableInfo
    layout: Layout
    dimensions: dict[str, Dimension]  # in e-Stat order: tab, cat01..cat15, area, time
    special: dict[str, str]
    special_en: dict[str, str] = field(default_factory=dict)


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
    # ASCII digits, at most 18: int() refuses "²" (a digit to isdigit) and past 4,300 digits (a 500)
    if (
        not isinstance(value, str)
        or not (value.isascii() and value.isdigit() and len(value) <= 18)
        or int(value) < minimum
    ):
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


def mapping(value: object, parent: object, key: str, path: str, p: Problems, *, required: bool = True) -> Map:
    if value is None and not required:
        return Map()
    if not isinstance(value, Map):
        p.add(line_of(parent, key), path, "key: value の対応付けで書いてください / must be a mapping")
        return Map()
    return value
