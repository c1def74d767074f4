"""Rows of the plan's survey (plan_survey, its targets and the agencies' answers) as msgspec Structs
(issue 9: queries answer Structs, never dicts). The API answers them as they are; a detail that adds
to a row extends its type."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class Row(msgspec.Struct, kw_only=True):
    pass


class SurveyRow(Row, kw_only=True):
    """利用予定等の照会: one survey a fiscal year."""

    id: uuid.UUID
    fiscal_year: int
    title: str
    message: str
    deadline: dt.datetime
    opened_by: str
    opened_at: dt.datetime


class SurveyOpened(SurveyRow, kw_only=True):
    asked: int  # agencies asked when it opened


class SurveyCounts(SurveyRow, kw_only=True):
    """The operator's list: how many were asked and have answered."""

    asked: int
    answered: int


class SurveyAnswered(SurveyRow, kw_only=True):
    """An agency's list: whether (and when) it answered."""

    response_id: uuid.UUID | None
    answered_at: dt.datetime | None


class AskedAgency(Row, kw_only=True):
    """An agency asked, its answer if any, and its primary contact (whom to chase)."""

    tenant_id: uuid.UUID
    code: str
    name_ja: str
    kind: str
    response_id: uuid.UUID | None
    answered_at: dt.datetime | None
    revision: int | None
    contact_name: str | None
    contact_email: str | None


class SurveyProgress(SurveyRow, kw_only=True):
    """The operator's view of a survey: who was asked, who answered, who has not."""

    asked: int
    answered: list[AskedAgency]
    missing: list[AskedAgency]
    open: bool  # before the deadline


class ResponseRow(Row, kw_only=True):
    """An agency's answer (one per survey; revision counts its replacements)."""

    id: uuid.UUID
    survey_id: uuid.UUID
    tenant_id: uuid.UUID
    comments: str
    revision: int
    submitted_by: str
    submitted_at: dt.datetime
    updated_at: dt.datetime


class UseRow(Row, kw_only=True):
    """Planned use of one subsystem (heavy_months: calendar months 1-12 of the planned year)."""

    module_key: str
    level: str  # none | low | medium | high
    calls_per_month: int | None
    peak_calls_per_month: int | None
    heavy_months: list[int]


class WishRow(Row, kw_only=True):
    """A briefing wanted (説明会の開催希望)."""

    module_key: str
    preferred_month: int  # 1-12
    participants: int
    note: str


class TenantWish(WishRow, kw_only=True):
    tenant_id: uuid.UUID


class ResponseDetail(ResponseRow, kw_only=True):
    uses: list[UseRow]
    briefings: list[WishRow]


class CommentRow(Row, kw_only=True):
    name_ja: str  # the agency
    comments: str
