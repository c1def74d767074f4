"""Shapes of the metadata registry API (msgspec Structs). UNSET in a patch keeps what is there;
a list that is given (items, classifications, tables) replaces the whole list. The answers
(documents, summaries) are below the inputs; their fields keep the order the JSON has always had."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, UnsetType

from govstat.platform.subsystems.metadata.rows import ClassificationRow, HistoryRow, ItemRow, RecordListRow, Survey

StatCode = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{8}$", description="8-digit government statistic code")]
StatsDataId = Annotated[
    str, msgspec.Meta(pattern=r"^[0-9]{10}$", description="statsDataId of the statistical database")
]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
Text = Annotated[str, msgspec.Meta(max_length=20000)]
Short = Annotated[str, msgspec.Meta(max_length=500)]
ValueType = Literal["integer", "decimal", "text", "code", "date", "boolean"]
VersionKey = Annotated[
    str, msgspec.Meta(pattern=r"^[a-z]{2,16}-[0-9]{1,4}$", description="classification version, e.g. jsic-14")
]
ItemCode = Annotated[str, msgspec.Meta(pattern=r"^[A-Z0-9]{1,8}$", description="item code in that version, e.g. E")]

# The survey's own fields, in the order the pages and exports show them.
SURVEY_FIELDS = (
    "survey_name",
    "survey_name_en",
    "purpose",
    "legal_basis",
    "population",
    "observation_unit",
    "cycle",
    "method",
    "reference_date",
    "period_from",
    "period_to",
    "contact",
)


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class ItemIn(Base, kw_only=True):
    """項目: one item the survey defines."""

    name: Name
    value_type: ValueType
    definition: Text = ""
    unit: Annotated[str, msgspec.Meta(max_length=100)] = ""
    code: Annotated[str, msgspec.Meta(max_length=32)] = ""


class ClassificationIn(Base, kw_only=True):
    """A classification used: a version of the classification database (and optionally one of its
    items) by code, or free text. `applies_to` names the item it codes."""

    version: VersionKey | None = None
    item_code: ItemCode | None = None
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)] | None = None
    applies_to: Short = ""
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class TableLinkIn(Base, kw_only=True):
    """A linked table: a database table (statsDataId) or a table file (its id)."""

    stats_data_id: StatsDataId | None = None
    table_file_id: uuid.UUID | None = None
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class SurveyIn(Base, kw_only=True):
    """A new metadata record: version 1, a draft."""

    gov_stat_code: StatCode
    survey_name: Name
    survey_name_en: Short = ""
    purpose: Text = ""
    legal_basis: Text = ""
    population: Text = ""
    observation_unit: Short = ""
    cycle: Short = ""
    method: Text = ""
    reference_date: dt.date | None = None
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    contact: Short = ""
    items: list[ItemIn] = []
    classifications: list[ClassificationIn] = []
    tables: list[TableLinkIn] = []


class SurveyPatch(Base, kw_only=True):
    """Changes to the open draft; after publication, the first change opens a new draft version."""

    survey_name: Name | UnsetType = UNSET
    survey_name_en: Short | UnsetType = UNSET
    purpose: Text | UnsetType = UNSET
    legal_basis: Text | UnsetType = UNSET
    population: Text | UnsetType = UNSET
    observation_unit: Short | UnsetType = UNSET
    cycle: Short | UnsetType = UNSET
    method: Text | UnsetType = UNSET
    reference_date: dt.date | UnsetType | None = UNSET
    period_from: dt.date | UnsetType | None = UNSET
    period_to: dt.date | UnsetType | None = UNSET
    contact: Short | UnsetType = UNSET
    items: list[ItemIn] | UnsetType = UNSET
    classifications: list[ClassificationIn] | UnsetType = UNSET
    tables: list[TableLinkIn] | UnsetType = UNSET


class RejectIn(Base, kw_only=True):
    """差戻し: why the operator sends a finalised version back to the agency."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


def given(patch: SurveyPatch) -> list[str]:
    """The names of the fields a patch sets (UNSET left out)."""
    return [f for f in patch.__struct_fields__ if getattr(patch, f) is not UNSET]


# --- answers -----------------------------------------------------------------------------------


class Out(msgspec.Struct, kw_only=True):
    pass


class StatisticRef(Out, kw_only=True):
    code: str
    name: str
    field_code: str | None
    field_name: str


class AgencyRef(Out, kw_only=True):
    code: str
    name: str


class TableLink(Out, kw_only=True):
    """A linked table with what its own subsystem says of it now (`kind`: statdb or table_file)."""

    position: int
    kind: Literal["statdb", "table_file"]
    stats_data_id: str | None
    table_file_id: uuid.UUID | None
    title: str | None
    table_no: str | None
    survey_date: str | None
    published: bool
    portal_url: str | None
    note: str


class VersionContent(Out, kw_only=True):
    """One version with its content."""

    version_id: uuid.UUID
    version: int
    status: str
    survey: Survey
    items: list[ItemRow]
    classifications: list[ClassificationRow]
    tables: list[TableLink]


class OwnerVersion(VersionContent, kw_only=True):
    """A version as its owner (and the operator) sees it: with who did what and when."""

    finalised_at: dt.datetime | None
    finalised_by: str | None
    approved_at: dt.datetime | None
    approved_by: str | None
    published_at: dt.datetime | None
    superseded_at: dt.datetime | None
    review_note: str
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime


class VersionEntry(Out, kw_only=True):
    version: int
    status: str
    created_at: dt.datetime
    finalised_at: dt.datetime | None
    published_at: dt.datetime | None
    superseded_at: dt.datetime | None


class RecordView(Out, kw_only=True):
    """The owner's (or operator's) view of a record: its published and its open version."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    statistic: StatisticRef
    agency: AgencyRef
    created_at: dt.datetime
    created_by: str
    published: OwnerVersion | None
    open: OwnerVersion | None
    versions: list[VersionEntry]


class DocLinks(Out, kw_only=True):
    page: str
    api: str
    json: str
    ddi: str


class PublishedDoc(Out, kw_only=True):
    """The published document of a record (its current or a former published version)."""

    id: uuid.UUID
    statistic: StatisticRef
    agency: AgencyRef
    version_id: uuid.UUID
    version: int
    status: str
    survey: Survey
    items: list[ItemRow]
    classifications: list[ClassificationRow]
    tables: list[TableLink]
    published_at: dt.datetime | None
    superseded_at: dt.datetime | None
    history: list[HistoryRow]
    links: DocLinks


class Summary(Out, kw_only=True):
    """A published survey in search results and linkage lookups."""

    id: uuid.UUID
    version: int
    survey_name: str
    survey_name_en: str
    purpose: str
    cycle: str
    published_at: dt.datetime | None
    statistic: StatisticRef
    agency: AgencyRef
    url: str
    api: str


class TableOfTable(Out, kw_only=True):
    title: str
    gov_stat_code: str
    published: bool
    portal_url: str


class ByTable(Out, kw_only=True):
    stats_data_id: str
    table: TableOfTable
    items: list[Summary]
    related: list[Summary]


class TableOfFile(Out, kw_only=True):
    title: str
    gov_stat_code: str
    stats_data_id: str | None


class ByFile(Out, kw_only=True):
    table_file_id: uuid.UUID
    table: TableOfFile
    items: list[Summary]


class SurveyPage(Out, kw_only=True):
    """A page of search results."""

    total: int
    offset: int
    items: list[Summary]


class RecordPage(Out, kw_only=True):
    """A page of records (rows.RecordListRow)."""

    total: int
    offset: int
    items: list[RecordListRow]
