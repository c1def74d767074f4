"""Row types of the metadata registry's queries (platform/db/rows.py): each Struct's fields are
its query's columns. The answers built from them (documents, summaries) are in schemas.py."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class Row(msgspec.Struct, kw_only=True):
    pass


class RecordRow(Row, kw_only=True):
    """A record with its statistic, agency and field from tenants' directory (queries.RECORD)."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    gov_stat_code: str
    created_by: str
    created_at: dt.datetime
    statistic_name: str
    agency_code: str
    agency_name: str
    field_code: str | None = None
    field_name: str = ""
    statistic_cycle: str | None = None


class Survey(Row, kw_only=True):
    """The survey's own fields (schemas.SURVEY_FIELDS), in the order pages and exports show them."""

    survey_name: str
    survey_name_en: str = ""
    purpose: str = ""
    legal_basis: str = ""
    population: str = ""
    observation_unit: str = ""
    cycle: str = ""
    method: str = ""
    reference_date: dt.date | None = None
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    contact: str = ""


class VersionRow(Survey, kw_only=True):
    """metadata_version: a version's survey fields and its lifecycle."""

    id: uuid.UUID
    record_id: uuid.UUID
    tenant_id: uuid.UUID
    version_no: int
    status: str
    finalised_at: dt.datetime | None = None
    finalised_by: str | None = None
    approved_at: dt.datetime | None = None
    approved_by: str | None = None
    published_at: dt.datetime | None = None
    superseded_at: dt.datetime | None = None
    review_note: str = ""
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime

    def survey(self) -> Survey:
        return Survey(**{f: getattr(self, f) for f in Survey.__struct_fields__})


class ItemRow(Row, kw_only=True):
    """項目 (metadata_item); also the API's shape of an item."""

    position: int
    code: str
    name: str
    definition: str
    unit: str
    value_type: str


class ClassificationRow(Row, kw_only=True):
    """A classification used (metadata_classification); `url`: its page in the classification database."""

    position: int = 0
    classification_version: str | None
    classification_name: str
    item_code: str | None
    item_name: str
    free_text: str | None
    applies_to: str
    note: str
    url: str | None = None


class LinkRow(Row, kw_only=True):
    """A linked table as registered (metadata_table_link)."""

    position: int
    stats_data_id: str | None
    table_file_id: uuid.UUID | None
    note: str


class TableLinkIds(Row, kw_only=True):
    stats_data_id: str | None
    table_file_id: uuid.UUID | None


class RecordListRow(Row, kw_only=True):
    """A record with its latest version (queries.list_records); also the API's list item."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    gov_stat_code: str
    statistic_name: str
    agency_name: str
    version: int
    status: str
    survey_name: str
    updated_at: dt.datetime
    finalised_at: dt.datetime | None
    published_at: dt.datetime | None
    has_published: bool


class SummaryRow(Row, kw_only=True):
    """A published version with its statistic (public_search.SUMMARY)."""

    id: uuid.UUID
    version: int
    survey_name: str
    survey_name_en: str
    purpose: str
    cycle: str
    published_at: dt.datetime | None
    gov_stat_code: str
    statistic_name: str
    agency_code: str
    agency_name: str
    field_code: str | None
    field_name: str


class HistoryRow(Row, kw_only=True):
    """A published or superseded version in a document's history; also the API's shape."""

    version: int
    status: str
    published_at: dt.datetime | None
    superseded_at: dt.datetime | None


class CodeName(Row, kw_only=True):
    """A search facet's choice (an agency, a statistical field)."""

    code: str
    name: str
