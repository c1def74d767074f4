"""Piccolo classes of the report and plan tables (DDL, constraints and RLS in
piccolo_migrations/ops_0005_reports.py)."""

from piccolo.columns import JSONB, UUID, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401  (PICCOLO_CONF before any table class)


class ReportIssue(Table, tablename="report_issue"):
    id = UUID(primary_key=True)
    kind = Varchar(length=8)
    fiscal_year = Integer()
    version = Integer()
    figures = JSONB()
    liaison_meeting_id = UUID(null=True, default=None)
    note = Text()
    issued_by = Text()
    issued_by_name = Text()
    issued_at = Timestamptz()


class PlanSurvey(Table, tablename="plan_survey"):
    id = UUID(primary_key=True)
    fiscal_year = Integer()
    title = Text()
    message = Text()
    deadline = Timestamptz()
    opened_by = Text()
    opened_at = Timestamptz()


class PlanResponse(Table, tablename="plan_response"):
    id = UUID(primary_key=True)
    survey_id = UUID()
    tenant_id = UUID()
    comments = Text()
    revision = Integer()
    submitted_by = Text()
    submitted_at = Timestamptz()
    updated_at = Timestamptz()


TABLES = [ReportIssue, PlanSurvey, PlanResponse]
