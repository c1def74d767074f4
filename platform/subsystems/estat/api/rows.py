"""The rows the e-Stat API reads (decision 0007): the wire documents (TABLE_INF, CLASS_INF, ...)
stay dicts with e-Stat's keys, built from these."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec


class PublishedTable(msgspec.Struct, kw_only=True):
    """A published and due table with its statistic's directory entry (table_refs.SELECT)."""

    id: int
    stats_data_id: str
    tenant_id: uuid.UUID
    status: str
    gov_stat_code: str
    table_no: str
    title: str
    statistics_name: str
    cycle: str
    survey_date: str
    open_date: dt.date | None
    explanation: str
    notes: list[Any]  # statdb.notes.decode keeps the well-formed ones
    total_number: int
    publish_at: dt.datetime | None
    updated_at: dt.datetime
    stat_name: str
    agency_code: str
    agency_name: str
    agency_name_en: str | None
    field_code: str
    field_name: str
    area_level: int | None
    field_name_en: str | None = None
    english: str = "{}"  # JSON text (statdb_0005): stat_name, title, statistics_name, explanation
    spec: str = "{}"  # JSON text: tabulation_sub, table_category, table_sub, table_explanation
    sub_category: str = ""
    small_area: int = 0


class Dataset(msgspec.Struct, kw_only=True):
    """A registered user's saved narrowing (estat_dataset)."""

    dataset_id: str
    name: str
    stats_data_id: str
    conditions: dict[str, str]
    public: bool
    owner_id: uuid.UUID | None = None


class Synonym(msgspec.Struct, kw_only=True):
    word: str
    synonym: str
