"""The rows the portal reads (decision 0007): fields = the queries' columns."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class SearchItem(msgspec.Struct, kw_only=True):
    """A database table or a table file as search.COLUMNS reads it."""

    kind: str
    stats_data_id: str | None
    file_id: uuid.UUID | None
    gov_stat_code: str
    table_no: str | None
    title: str
    statistics_name: str | None
    cycle: str | None
    survey_date: str | None
    open_date: dt.date | None
    total_number: int | None
    publish_at: dt.datetime | None
    updated_at: dt.datetime | None
    format: str | None
    stat_name: str
    agency_code: str
    agency_name: str
    agency_name_en: str | None
    field_code: str
    field_name: str
    area_level: int | None


class StatisticSummary(msgspec.Struct, kw_only=True):
    """A government statistic with how much of it is published (the statistics page)."""

    code: str
    name_ja: str
    cycle: str | None
    agency_code: str
    agency_name: str
    field_code: str
    field_name: str
    db_tables: int
    files: int
    last_published: dt.datetime | None


class StatisticDetail(msgspec.Struct, kw_only=True):
    code: str
    name_ja: str
    cycle: str | None
    agency_code: str
    agency_name: str
    agency_name_en: str | None
    field_code: str
    field_name: str
    field_name_en: str


class Release(msgspec.Struct, kw_only=True):
    """An announced publication (estat_release, 公表予定)."""

    release_key: str
    tenant_id: uuid.UUID
    kind: str
    stats_data_id: str | None
    file_id: uuid.UUID | None
    gov_stat_code: str
    stat_name: str
    agency_code: str
    agency_name: str
    title: str
    table_no: str
    survey_date: str
    publish_at: dt.datetime
    status: str
    published_at: dt.datetime | None
    updated_at: dt.datetime


class Synonym(msgspec.Struct, kw_only=True):
    """A pair of the operator's synonym list (estat_synonym)."""

    id: int
    word: str
    synonym: str
    created_at: dt.datetime


class Contact(msgspec.Struct, kw_only=True):
    """The two fields of a primary contact that leave contacts.py (an office address)."""

    division: str | None
    email: str | None


class Subscription(msgspec.Struct, kw_only=True):
    gov_stat_code: str
    stat_name: str
    agency_name: str
    created_at: dt.datetime


class Subscribed(msgspec.Struct, kw_only=True):
    gov_stat_code: str
    subscribed: bool


class Notice(msgspec.Struct, kw_only=True):
    """A new-arrival notification with its release."""

    release_key: str
    status: str
    sent_at: dt.datetime | None
    created_at: dt.datetime
    title: str
    stat_name: str
    stats_data_id: str | None
    file_id: uuid.UUID | None


class SavedQuery(msgspec.Struct, kw_only=True):
    """A saved table selection (estat_saved_query) with its table's title (None: not public now)."""

    id: uuid.UUID
    name: str
    stats_data_id: str
    params: dict[str, str]
    created_at: dt.datetime
    title: str | None


class SavedQueryStored(msgspec.Struct, kw_only=True):
    """What save_query answers: the stored row, then its cleaned parameters."""

    id: uuid.UUID
    name: str
    stats_data_id: str
    created_at: dt.datetime
    params: dict[str, str] = {}


class Announced(msgspec.Struct, kw_only=True):
    """What the calendar copies of a table or file (its owner's ref) with its statistic's names."""

    tenant_id: uuid.UUID
    status: str
    gov_stat_code: str
    title: str
    table_no: str | None
    survey_date: str | None
    publish_at: dt.datetime | None
    published_at: dt.datetime | None
    stat_name: str
    agency_code: str
    agency_name: str


class Delivery(Release, kw_only=True):
    """A notification to send (estat_notification) with its release."""

    id: uuid.UUID
    email: str


class Owner(msgspec.Struct, kw_only=True):
    owner_id: uuid.UUID


class Pending(msgspec.Struct, kw_only=True):
    owner_id: uuid.UUID
    release_key: str
    attempts: int


class Question(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    position: int
    kind: str
    text: str
    required: bool
    choices: list[str]


class Questionnaire(msgspec.Struct, kw_only=True):
    """estat_questionnaire (アンケート)."""

    id: uuid.UUID
    title: str
    description: str
    audience: str
    show_results: bool
    status: str
    created_by: str
    created_at: dt.datetime
    published_at: dt.datetime | None
    closed_at: dt.datetime | None


class QuestionnaireDetail(Questionnaire, kw_only=True):
    questions: list[Question] = []


class QuestionnaireListed(Questionnaire, kw_only=True):
    responses: int


class Shown(msgspec.Struct, kw_only=True):
    """Whether a questionnaire's counts may be shown to the public."""

    show_results: bool
    status: str
