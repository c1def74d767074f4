"""Tables of the statistical database (統計情報データベース). Tenant rows under row-level
security; published tables (and their classes and observations) are public from publish_at on.

Composite keys live in the migration; Piccolo needs one primary key column, so the classes
below name the leading key column (they serve metadata and simple reads, not inserts)."""

from piccolo.columns import (
    JSONB,
    UUID,
    BigInt,
    Boolean,
    Bytea,
    Char,
    Date,
    Integer,
    Numeric,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

import govstat.platform.db  # noqa: F401

OBJ_IDS = ("tab", *tuple(f"cat{i:02d}" for i in range(1, 16)), "area", "time")


class StatTable(Table, tablename="stat_table"):
    id = BigInt(primary_key=True)
    stats_data_id = Char(length=10, null=True, default=None)  # generated from id (lpad)
    tenant_id = UUID()
    gov_stat_code = Varchar(length=8)
    source_file_id = UUID(null=True, default=None)
    table_no = Varchar(length=32)
    title = Text()
    statistics_name = Text()
    cycle = Text()
    survey_date = Varchar(length=13)
    open_date = Date(null=True, default=None)
    explanation = Text()
    notes = JSONB()
    status = Varchar(length=16)
    test_mode = Boolean()
    publish_at = Timestamptz(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)
    total_number = BigInt()
    params = Bytea()
    params_sha256 = Char(length=64)
    data_sha256 = Char(length=64)
    data_filename = Text()
    created_by = Text()
    created_at = Timestamptz()
    updated_at = Timestamptz()
    version = Integer(default=1)
    corrected_at = Timestamptz(null=True, default=None)
    withdrawn_at = Timestamptz(null=True, default=None)
    withdrawn_reason = Text()
    withdrawn_by = Text()
    search_text = Text()  # platform.text.japanese.index_text of title, statistics_name, explanation
    area_level = SmallInt(null=True, default=None)  # the deepest level of the area dimension
    english = JSONB()  # statdb_0007: {"stat_name", "title", "statistics_name", "explanation"}
    spec = JSONB()  # {"tabulation_sub", "table_category", "table_sub", "table_explanation"}
    sub_category = Text()
    small_area = SmallInt()


class ClassObj(Table, tablename="class_obj"):
    table_id = BigInt(primary_key=True)  # key: (table_id, obj_id)
    tenant_id = UUID()
    obj_id = Varchar(length=8)
    name = Text()
    position = SmallInt()
    source = Varchar(length=16)
    indexed = Boolean()
    name_en = Text()
    description = Text()  # statdb_0011: CLASS_OBJ@description


class ClassItem(Table, tablename="class_item"):
    table_id = BigInt(primary_key=True)  # key: (table_id, obj_id, code)
    tenant_id = UUID()
    obj_id = Varchar(length=8)
    code = Text()
    name = Text()
    level = SmallInt()
    unit = Text(null=True, default=None)
    parent_code = Text(null=True, default=None)
    position = Integer()
    name_en = Text()
    add_inf = Text()  # statdb_0011: CLASS@addInf
    explanation = Text()  # statdb_0011: CLASS_OBJ.EXPLANATION[@id=code]


class Observation(Table, tablename="observation"):
    table_id = BigInt(primary_key=True)  # key: (table_id, seq)
    tenant_id = UUID()
    seq = Integer()
    tab = Text(null=True)
    cat01 = Text(null=True)
    cat02 = Text(null=True)
    cat03 = Text(null=True)
    cat04 = Text(null=True)
    cat05 = Text(null=True)
    cat06 = Text(null=True)
    cat07 = Text(null=True)
    cat08 = Text(null=True)
    cat09 = Text(null=True)
    cat10 = Text(null=True)
    cat11 = Text(null=True)
    cat12 = Text(null=True)
    cat13 = Text(null=True)
    cat14 = Text(null=True)
    cat15 = Text(null=True)
    area = Text(null=True)
    time = Text(null=True)
    unit = Text(null=True)
    value = Numeric(null=True)
    raw = Text(null=True)
    annotation = Text(null=True)
    indexed = Integer()  # bit i: dimension OBJ_IDS[i] has an index (partial in the shared partition)
    part = BigInt()  # 0: the shared partition of small tables; else table_id: its own (statdb_0005)


class StatTableUsage(Table, tablename="stat_table_usage"):
    table_id = BigInt(primary_key=True)  # key: (table_id, day)
    tenant_id = UUID()
    day = Date()
    views = BigInt()
    downloads = BigInt()
    api_rows = BigInt()


class StatTableVersion(Table, tablename="stat_table_version"):
    table_id = BigInt(primary_key=True)  # key: (table_id, version)
    version = Integer(default=1)
    tenant_id = UUID()
    kind = Varchar(length=16)
    reason = Text()
    changed_cells = Integer()
    added_cells = Integer()
    total_number = BigInt()
    added_items = JSONB()
    data_sha256 = Char(length=64)
    data_filename = Text()
    created_by = Text()
    created_at = Timestamptz()


class StatCellRevision(Table, tablename="stat_cell_revision"):
    table_id = BigInt(primary_key=True)  # key: (table_id, seq, version)
    seq = Integer()
    version = Integer(default=1)
    tenant_id = UUID()
    unit = Text(null=True)
    value = Numeric(null=True)
    raw = Text(null=True)
    annotation = Text(null=True)


ALL = [StatTable, ClassObj, ClassItem, Observation, StatTableUsage, StatTableVersion, StatCellRevision]
