"""Shapes of the online survey API (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

import msgspec

Code = Annotated[str, msgspec.Meta(pattern=r"^[0-9A-Za-z_-]{1,32}$", description="the agency's own code")]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
UnitKind = Literal["household", "establishment", "enterprise"]


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class SurveyIn(Base, kw_only=True):
    """A survey cycle (調査の回) with its schedule, bound to a published questionnaire version."""

    code: Code
    name_ja: Name
    opens_at: dt.datetime
    deadline_at: dt.datetime
    retention_until: dt.date
    name_en: Annotated[str, msgspec.Meta(max_length=300)] = ""
    cycle: Annotated[str, msgspec.Meta(max_length=100)] = ""
    gov_stat_code: (
        Annotated[
            str, msgspec.Meta(pattern=r"^[0-9]{8}$", description="政府統計コード: the hand-off table's statistic")
        ]
        | None
    ) = None
    unit_kind: UnitKind = "household"
    questionnaire_id: uuid.UUID | None = None
    questionnaire_version: Annotated[int, msgspec.Meta(ge=1, le=100_000)] | None = None
    reminder_dates: Annotated[list[dt.date], msgspec.Meta(max_length=20)] = []


class SurveyView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    code: str
    name_ja: str
    name_en: str
    cycle: str
    gov_stat_code: str | None
    unit_kind: str
    questionnaire_id: uuid.UUID | None
    questionnaire_version: int | None
    opens_at: dt.datetime
    deadline_at: dt.datetime
    reminder_dates: list[dt.date]
    retention_until: dt.date
    handed_off_at: dt.datetime | None
    stats_data_id: str | None
    respondents: int = 0
    units: int = 0
    submitted_units: int = 0


class Credential(msgspec.Struct, kw_only=True):
    """One line of the letter (ログインID通知書): shown once, never stored in clear."""

    respondent_id: uuid.UUID
    respondent_code: str
    login: str
    password: str
    units: list[str]
    address: str
    email: str


class RespondentView(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    respondent_code: str
    login: str
    email: str
    must_change: bool
    opt_out: bool
    units: int
    submitted_units: int
