"""Row types of the statistical table management system: what its queries answer and its API sends
(docs/decisions/0007). Fields are the queries' columns; platform/db/rows.columns spells them."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class ProvisionClassRow(msgspec.Struct, kw_only=True):
    """提供分類: one node of a statistic's tree (provision_class)."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    gov_stat_code: str
    parent_id: uuid.UUID | None
    level: int
    code: str
    name_ja: str
    name_en: str
    position: int
    published: bool
    created_at: dt.datetime


class TableFileRow(msgspec.Struct, kw_only=True):
    """統計表ファイル: a registered file and where it is in its lifecycle (table_file)."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    gov_stat_code: str
    provision_class_id: uuid.UUID | None
    table_no: str
    title: str
    survey_date: str
    notes: str
    filename: str
    format: str
    sha256: str
    size_bytes: int
    has_params: bool
    status: str
    publish_at: dt.datetime | None
    finalised_at: dt.datetime | None
    published_at: dt.datetime | None
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = 1  # 差替え: the replaced files stay readable (tables/replace.py)
    replaced_at: dt.datetime | None = None
    withdrawn_at: dt.datetime | None = None
    withdrawn_reason: str = ""


class FileListItem(TableFileRow, kw_only=True):
    """A file in a list, with the names of its statistic and provision class."""

    gov_stat_name: str
    provision_class_name: str | None


class FileDetail(TableFileRow, kw_only=True):
    """A file with the database table handed over from it (None: no parameter file, or not yet)."""

    stats_data_id: str | None


class PublishedFile(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    tenant_id: uuid.UUID
    title: str
    gov_stat_code: str
    table_no: str
    publish_at: dt.datetime


class UsageDay(msgspec.Struct, kw_only=True):
    day: dt.date
    views: int
    downloads: int


class UsageTotals(msgspec.Struct, kw_only=True):
    views: int
    downloads: int


class FileUsage(msgspec.Struct, kw_only=True):
    file_id: uuid.UUID
    totals: UsageTotals
    days: list[UsageDay]
