"""Row types of the statistical database: what its queries answer and its API sends (docs/decisions/0007).

The fields are the queries' columns (platform/db/rows.columns spells them from here), so a column
is named in the migration, its table class and here, and nowhere else."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import msgspec
from msgspec import UNSET, UnsetType


class Note(msgspec.Struct, kw_only=True):
    """特殊文字: a character standing in a cell for a value, and what it means."""

    char: str
    text: str
    text_en: str = ""  # the parameter file's special_en (statdb_0005); "" = the Japanese


class StatTableRow(msgspec.Struct, kw_only=True):
    """統計表: one registered database table (stat_table without the parameter file's bytes)."""

    id: int
    stats_data_id: str
    tenant_id: uuid.UUID
    gov_stat_code: str
    source_file_id: uuid.UUID | None
    table_no: str
    title: str
    statistics_name: str
    cycle: str
    survey_date: str
    open_date: dt.date | None
    explanation: str
    notes: list[Note]
    status: str
    test_mode: bool
    publish_at: dt.datetime | None
    published_at: dt.datetime | None
    total_number: int
    params_sha256: str
    data_sha256: str
    data_filename: str
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = 1  # 訂正・追加 make new versions; the earlier ones stay readable (statdb/revisions/read.py)
    corrected_at: dt.datetime | None = None
    withdrawn_at: dt.datetime | None = None  # 取り下げ: the row stays, its data is no longer public
    withdrawn_reason: str = ""


class TableInfo(StatTableRow, kw_only=True):
    """The table with its statistic's and agency's names (what e-Stat's TABLE_INF shows)."""

    stat_name: str = ""
    agency_code: str = ""
    agency_name: str = ""


class ClassItem(msgspec.Struct, kw_only=True):
    """分類事項: one item (code) of a dimension."""

    obj_id: str
    code: str
    name: str
    level: int
    unit: str | None
    parent_code: str | None
    name_en: str = ""  # "" = no English name (the API answers `name`)
    add_inf: str = ""  # statdb_0011: CLASS@addInf
    explanation: str = ""  # statdb_0011: CLASS_OBJ.EXPLANATION with @id the code


class ClassObj(msgspec.Struct, kw_only=True):
    """分類: one dimension of a table (tab, cat01 .. cat15, area, time) with its items in order."""

    obj_id: str
    name: str
    source: str
    indexed: bool
    name_en: str = ""
    description: str = ""  # statdb_0011: CLASS_OBJ@description
    items: list[ClassItem] = []


class TableDetail(TableInfo, kw_only=True):
    classes: list[ClassObj]


Code = str | UnsetType | None  # a dimension the table lacks is UNSET: left out of the JSON


class Observation(msgspec.Struct, kw_only=True):
    """One cell: its order `seq`, a code per dimension of the table, and the value as stored
    (`value` is the numeric's own digits, as text; `raw` what the data file said)."""

    seq: int
    tab: Code = UNSET
    cat01: Code = UNSET
    cat02: Code = UNSET
    cat03: Code = UNSET
    cat04: Code = UNSET
    cat05: Code = UNSET
    cat06: Code = UNSET
    cat07: Code = UNSET
    cat08: Code = UNSET
    cat09: Code = UNSET
    cat10: Code = UNSET
    cat11: Code = UNSET
    cat12: Code = UNSET
    cat13: Code = UNSET
    cat14: Code = UNSET
    cat15: Code = UNSET
    area: Code = UNSET
    time: Code = UNSET
    unit: str | None
    value: str | None
    raw: str | None
    annotation: str | None


# --- what statdb's read interface (published.py) answers for e-Stat's API, portal and LOD -----------
# A cell's columns are the table's own dimensions, known only at run time: a dimension the table
# lacks is UNSET. Callers look one up with getattr(row, obj_id).


class Dimensions(msgspec.Struct, kw_only=True):
    """A cell's codes, one per dimension of e-Stat's model; those its table lacks stay UNSET."""

    tab: Code = UNSET
    cat01: Code = UNSET
    cat02: Code = UNSET
    cat03: Code = UNSET
    cat04: Code = UNSET
    cat05: Code = UNSET
    cat06: Code = UNSET
    cat07: Code = UNSET
    cat08: Code = UNSET
    cat09: Code = UNSET
    cat10: Code = UNSET
    cat11: Code = UNSET
    cat12: Code = UNSET
    cat13: Code = UNSET
    cat14: Code = UNSET
    cat15: Code = UNSET
    area: Code = UNSET
    time: Code = UNSET


class Cell(Dimensions, kw_only=True):
    """One selected cell as the portal shows and downloads it (`value` the numeric as stored)."""

    seq: int
    unit: str | None
    value: Decimal | None
    raw: str | None
    annotation: str | None


class ValueRow(Dimensions, kw_only=True):
    """getStatsData's VALUE: `v` the digits as stored, else the special character (`special`)."""

    unit: str | None
    v: str | None
    special: bool
    annotation: str | None


class LodCell(Dimensions, kw_only=True):
    """One observation of LOD's qb:DataSet page: `v` the digits as stored, else the raw text."""

    seq: int
    v: str | None
    unit: str | None


class AreaValue(msgspec.Struct, kw_only=True):
    """One area's cell of a ranking."""

    area: str
    value: Decimal | None
    raw: str | None
    unit: str | None


class Registered(msgspec.Struct, kw_only=True):
    """What registration answers before the table is read back."""

    id: int
    stats_data_id: str
    tenant_id: uuid.UUID
    status: str
    test_mode: bool
    total_number: int
    title: str


class Published(msgspec.Struct, kw_only=True):
    id: int
    stats_data_id: str
    tenant_id: uuid.UUID
    title: str
    publish_at: dt.datetime
    source_file_id: uuid.UUID | None


class Validation(msgspec.Struct, kw_only=True):
    valid: bool
    total_number: int
    classes: dict[str, int]  # items per dimension


class Bulk(msgspec.Struct, kw_only=True):
    registered: int
    items: list[StatTableRow]


class DataPage(msgspec.Struct, kw_only=True):
    """Observations from `start`; `next` is the start of the following page (None: the last)."""

    stats_data_id: str
    total: int
    next: int | None
    items: list[Observation]


class UsageDay(msgspec.Struct, kw_only=True):
    day: dt.date
    views: int
    downloads: int
    api_rows: int


class UsageTotals(msgspec.Struct, kw_only=True):
    views: int
    downloads: int
    api_rows: int


class TableUsage(msgspec.Struct, kw_only=True):
    stats_data_id: str
    totals: UsageTotals
    days: list[UsageDay]
