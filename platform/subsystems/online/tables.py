"""Tables of the online survey system; the DDL, keys and row-level security (the tenant's rows, and
for a respondent only their own) are in piccolo_migrations/online_0001_surveys.py."""

from piccolo.columns import JSONB, UUID, Boolean, Bytea, Char, Date, Integer, SmallInt, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class OnlineSurvey(Table, tablename="online_survey"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    code = Varchar(length=32)
    name_ja = Text()
    name_en = Text()
    cycle = Text()
    gov_stat_code = Char(length=8, null=True, default=None)
    unit_kind = Varchar(length=16)
    questionnaire_id = UUID(null=True, default=None)
    questionnaire_version = Integer(null=True, default=None)
    opens_at = Timestamptz()
    deadline_at = Timestamptz()
    reminder_dates = JSONB()
    retention_until = Date()
    handed_off_at = Timestamptz(null=True, default=None)
    stats_data_id = Char(length=10, null=True, default=None)
    created_by = Text()
    created_at = Timestamptz()


class OnlineSurveyKey(Table, tablename="online_survey_key"):
    survey_id = UUID(primary_key=True)
    tenant_id = UUID()
    master_key_id = Varchar(length=16)
    wrapped = Bytea()
    created_at = Timestamptz()


class OnlineRespondent(Table, tablename="online_respondent"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    survey_id = UUID()
    respondent_code = Varchar(length=32)
    email = Text()
    login = Varchar(length=16)
    password_hash = Text()
    must_change = Boolean()
    password_issued_at = Timestamptz()
    opt_out = Boolean()
    created_at = Timestamptz()


class OnlineUnit(Table, tablename="online_unit"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    survey_id = UUID()
    respondent_id = UUID()
    unit_code = Varchar(length=32)
    unit_name = Text()
    address = Text()
    area_code = Char(length=5)
    preprint = JSONB()
    created_at = Timestamptz()
    intermediary_tenant_id = UUID(null=True, default=None)


class OnlineSubmission(Table, tablename="online_submission"):
    id = UUID(primary_key=True)
    tenant_id = UUID()
    survey_id = UUID()
    unit_id = UUID()
    respondent_id = UUID()
    version_no = Integer()
    receipt_no = Varchar(length=24)
    channel = Varchar(length=8)
    submitted_by = Text()
    submitted_at = Timestamptz()


class OnlineAnswer(Table, tablename="online_answer"):
    submission_id = UUID(primary_key=True)  # key: (submission_id, item_id)
    tenant_id = UUID()
    respondent_id = UUID()
    item_id = Varchar(length=64)
    value = Bytea()
    provenance = Varchar(length=12)


class OnlineDraft(Table, tablename="online_draft"):
    unit_id = UUID(primary_key=True)
    tenant_id = UUID()
    respondent_id = UUID()
    payload = Bytea()
    updated_at = Timestamptz()


class OnlineFeedback(Table, tablename="online_feedback"):
    submission_id = UUID(primary_key=True)
    tenant_id = UUID()
    respondent_id = UUID()
    ease = SmallInt()
    minutes = SmallInt(null=True, default=None)
    comment = Text()
    created_at = Timestamptz()


class OnlineReception(Table, tablename="online_reception"):
    tenant_id = UUID()
    survey_id = UUID(primary_key=True)  # key: (survey_id, area_code, channel)
    area_code = Char(length=5)
    channel = Varchar(length=8)
    first_submissions = Integer()
    updates = Integer()
    last_at = Timestamptz(null=True, default=None)


class OnlineReminder(Table, tablename="online_reminder"):
    survey_id = UUID(primary_key=True)  # key: (survey_id, respondent_id, day)
    respondent_id = UUID()
    day = Date()
    tenant_id = UUID()
    sent_at = Timestamptz()


class OnlineGrant(Table, tablename="online_grant"):
    survey_id = UUID(primary_key=True)  # key: (survey_id, intermediary_tenant_id)
    tenant_id = UUID()
    intermediary_tenant_id = UUID()
    granted_at = Timestamptz()
    completed_at = Timestamptz(null=True, default=None)
    completion_note = Text()


ALL = (
    OnlineSurvey,
    OnlineSurveyKey,
    OnlineRespondent,
    OnlineUnit,
    OnlineSubmission,
    OnlineAnswer,
    OnlineDraft,
    OnlineFeedback,
    OnlineReception,
    OnlineReminder,
    OnlineGrant,
)
