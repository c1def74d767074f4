"""Tables of the statistical table management system (統計表管理システム): tenant rows under
row-level security; published entries are public from their announced time on."""

from piccolo.columns import UUID, BigInt, Boolean, Bytea, Char, Date, Integer, SmallInt, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class ProvisionClass(Table, tablename="provision_class"):
    # 提供分類: one node of a government statistic's three-level tree (TABLES-1)
    id = UUID(primary_key=True)
    tenant_id = UUID()
    gov_stat_code = Varchar(length=8)
    parent_id = UUID(null=True, default=None)
    level = SmallInt()
    code = Varchar(length=32)
    name_ja = Text()
    name_en = Text()
    position = Integer()
    published = Boolean()
    created_at = Timestamptz()


class TableFile(Table, tablename="table_file"):
    # a registered table file and its lifecycle (TABLES-2); the bytes are in table_file_blob
    id = UUID(primary_key=True)
    tenant_id = UUID()
    gov_stat_code = Varchar(length=8)
    provision_class_id = UUID(null=True, default=None)
    table_no = Varchar(length=32)
    title = Text()
    survey_date = Varchar(length=13)
    notes = Text()
    filename = Text()
    format = Varchar(length=8)
    sha256 = Char(length=64)
    size_bytes = BigInt()
    has_params = Boolean()
    status = Varchar(length=16)
    publish_at = Timestamptz(null=True, default=None)
    finalised_at = Timestamptz(null=True, default=None)
    published_at = Timestamptz(null=True, default=None)
    created_by = Text()
    created_at = Timestamptz()
    updated_at = Timestamptz()
    version = Integer(default=1)
    replaced_at = Timestamptz(null=True, default=None)
    withdrawn_at = Timestamptz(null=True, default=None)
    withdrawn_reason = Text()
    withdrawn_by = Text()


class TableFileBlob(Table, tablename="table_file_blob"):
    file_id = UUID(primary_key=True)  # key: (file_id, kind)
    tenant_id = UUID()
    kind = Varchar(length=8)
    sha256 = Char(length=64)
    content = Bytea()


class TableFileUsage(Table, tablename="table_file_usage"):
    file_id = UUID(primary_key=True)  # key: (file_id, day)
    tenant_id = UUID()
    day = Date()
    views = BigInt()
    downloads = BigInt()


class TableFileVersion(Table, tablename="table_file_version"):
    # a replaced file as it was (差替え), with who replaced it, when and why
    file_id = UUID(primary_key=True)  # key: (file_id, version)
    version = Integer(default=1)
    tenant_id = UUID()
    filename = Text()
    format = Varchar(length=8)
    sha256 = Char(length=64)
    size_bytes = BigInt()
    content = Bytea()
    reason = Text()
    replaced_by = Text()
    replaced_at = Timestamptz()


ALL = [ProvisionClass, TableFile, TableFileBlob, TableFileUsage, TableFileVersion]
