"""Tables of the standard area codes (標準地域コード). Shared reference data: everyone
reads, only the operator changes (row-level security `shared`)."""

from piccolo.columns import JSONB, UUID, BigSerial, Char, Date, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class AreaChange(Table, tablename="area_change"):
    # one 廃置分合等 record: a merger, abolition, name or boundary change
    id = UUID(primary_key=True)
    code = Char(length=5)
    pref_name = Text()
    desig_name = Text()
    name = Text()
    name_kana = Text()
    effective_on = Date()
    reason = Text()  # 改正事由, as published
    kind = Varchar(length=24)
    source = Varchar(length=16)
    gazette_ref = Text()  # 官報 reference for changes the operator enters
    effects = JSONB()  # versions ended and started by an operator-entered change
    created_at = Timestamptz()
    updated_at = Timestamptz()


class AreaVersion(Table, tablename="area_version"):
    # a code with its names over one validity interval [valid_from, valid_to)
    id = BigSerial(primary_key=True)
    code = Char(length=5)
    code6 = Char(length=6)
    pref_code = Char(length=2)
    pref_name = Text()
    desig_name = Text()
    desig_kana = Text()
    name = Text()
    name_kana = Text()
    level = Varchar(length=16)
    valid_from = Date(null=True, default=None)
    valid_to = Date(null=True, default=None)
    source = Varchar(length=16)
    change_id = UUID(null=True, default=None)


class AreaLink(Table, tablename="area_link"):
    # succession: old code became new code on effective_on
    id = BigSerial(primary_key=True)
    change_id = UUID()
    old_code = Char(length=5)
    old_name = Text()
    new_code = Char(length=5)
    new_name = Text()
    effective_on = Date()


ALL = [AreaChange, AreaVersion, AreaLink]
