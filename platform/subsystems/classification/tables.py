"""Tables of the classification database (統計分類データベース). Shared reference data: everyone
reads, only the operator and platform processes change it (row-level security `shared`)."""

from piccolo.columns import Array, BigSerial, Char, Date, Integer, SmallInt, Text, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class Classification(Table, tablename="classification"):
    # a classification standard: 'jsic' (産業), 'jsoc' (職業)
    code = Varchar(length=16, primary_key=True)
    name_ja = Text()
    name_en = Text()


class ClassificationVersion(Table, tablename="classification_version"):
    # one revision of a classification: 'jsic-13' 第13回改定, 'jsic-14' 第14回改定, 'jsoc-2009'
    key = Varchar(length=32, primary_key=True)
    classification_code = Varchar(length=16)
    ordinal = Integer()
    name_ja = Text()
    name_en = Text()
    revision_ja = Text()
    revision_en = Text()
    revised = Char(length=7)  # 'YYYY-MM' of the revision (告示)
    effective_from = Date()  # 施行: the day it applies from
    level_names_ja = Array(base_column=Text())
    level_names_en = Array(base_column=Text())
    source = Text()


class ClassificationItem(Table, tablename="classification_item"):
    # one item (大分類 / 中分類 / 小分類 / 細分類) of one version
    id = BigSerial(primary_key=True)
    version_key = Varchar(length=32)
    seq = Integer()  # order in the published table
    code = Varchar(length=8)
    level = SmallInt()
    name_ja = Text()
    name_en = Text()
    description = Text()
    parent_code = Varchar(length=8, null=True, default=None)
    path_codes = Array(base_column=Text())
    path_names = Array(base_column=Text())
    search_names = Text()  # parsing.search_norm(code, names)
    search_description = Text()


class ClassificationCorrespondence(Table, tablename="classification_correspondence"):
    # one row of the computed old -> new table (see correspondence.py for the rule)
    id = BigSerial(primary_key=True)
    from_version = Varchar(length=32)
    to_version = Varchar(length=32)
    seq = Integer()
    level = SmallInt()
    kind = Varchar(length=16)  # unchanged | renamed | moved | removed | added
    old_code = Varchar(length=8, null=True, default=None)
    old_name = Text(null=True, default=None)
    new_code = Varchar(length=8, null=True, default=None)
    new_name = Text(null=True, default=None)
    rule = Varchar(length=16)
    note = Text()


ALL = [Classification, ClassificationVersion, ClassificationItem, ClassificationCorrespondence]
