"""Shapes of the reports and plans API (msgspec Structs): requests (unknown fields are refused) and the
answers that are more than a row (a report with its issue, an agency's view of a survey)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Generic, Literal, TypeVar

import msgspec

from govstat.ops.reports.plan.rows import ResponseDetail, SurveyRow
from govstat.ops.reports.rows import IssueRow

FiscalYear = Annotated[int, msgspec.Meta(ge=2000, le=2100, description="年度 (April-March)")]
ModuleKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z]{2,32}$", description="subsystem key, e.g. 'area'")]
Month = Annotated[int, msgspec.Meta(ge=1, le=12, description="calendar month of the planned fiscal year")]
Calls = Annotated[int, msgspec.Meta(ge=0, le=10**12)]
Note = Annotated[str, msgspec.Meta(max_length=4000)]


class Base(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class IssueIn(Base, kw_only=True):
    """Issue the report (or plan) of a year as it stands now: a new version each time."""

    fiscal_year: FiscalYear
    liaison_meeting_id: uuid.UUID | None = None  # where it is reported (not for the MIC report)
    note: Note = ""


class LinkIn(Base, kw_only=True):
    liaison_meeting_id: uuid.UUID


class SurveyIn(Base, kw_only=True):
    """Open the survey for the plan of `fiscal_year` to every active agency."""

    fiscal_year: FiscalYear
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    message: Note = ""
    deadline: dt.datetime


class DeadlineIn(Base, kw_only=True):
    deadline: dt.datetime


class PlannedUseIn(Base, kw_only=True):
    """Planned use of one subsystem: a level, and where known the calls of an ordinary month and of a
    month of heavy use (heavy_months: calendar months 1-12 of the planned year)."""

    module_key: ModuleKey
    level: Literal["none", "low", "medium", "high"]
    calls_per_month: Calls | None = None
    peak_calls_per_month: Calls | None = None
    heavy_months: list[Month] = []


class BriefingWishIn(Base, kw_only=True):
    module_key: ModuleKey
    preferred_month: Month
    participants: Annotated[int, msgspec.Meta(ge=1, le=1000)]
    note: Annotated[str, msgspec.Meta(max_length=1000)] = ""


class ResponseIn(Base, kw_only=True):
    """An agency's answer (replaces its earlier one until the deadline)."""

    uses: Annotated[list[PlannedUseIn], msgspec.Meta(max_length=50)] = []
    briefings: Annotated[list[BriefingWishIn], msgspec.Meta(max_length=50)] = []
    comments: Note = ""


# --- answers ------------------------------------------------------------------------------------------

R = TypeVar("R")  # AnnualReport, MicReport or Plan (a bound, a union of untagged Structs, stops the OpenAPI)


class ReportOut(msgspec.Struct, Generic[R], kw_only=True):
    """A report's figures, and for an issued one its version (None: live, not issued). An issued
    report's type follows its kind, known only when it is read: ReportOut[Any] there."""

    issue: IssueRow | None
    report: R


class AgencySurvey(msgspec.Struct, kw_only=True):
    """A survey as the agency asked sees it, with its own answer (None: not answered yet)."""

    survey: SurveyRow
    response: ResponseDetail | None


class TargetsAdded(msgspec.Struct, kw_only=True):
    added: int  # agencies asked since the survey opened
