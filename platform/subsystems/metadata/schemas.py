"""Shapes of the metadata registry API (msgspec Structs). UNSET in a patch keeps what is there;
a list that is given (items, classifications, tables) replaces the whole list."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

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


def given(patch: SurveyPatch) -> dict[str, Any]:
    """The fields a patch sets (UNSET left out)."""
    return {f: getattr(patch, f) for f in patch.__struct_fields__ if getattr(patch, f) is not UNSET}
