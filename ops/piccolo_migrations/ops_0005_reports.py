from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable, shared, system_only

ID = "2026-11-26T00:00:43:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "ops: yearly reports to the liaison meeting and to MIC (GOV-13) issued as snapshots; the survey of "
    "agencies' planned use and wanted briefings behind the annual operation plan (GOV-14)"
)

ISSUES = """
-- GOV-13 / GOV-14: an issued report or plan is the figures as they were when issued (JSON), with who issued
-- it. Re-issuing adds the next version; nothing changes an issued one, except linking it once to the
-- liaison meeting where it was reported (the MIC report goes to MIC, not to the meeting).
CREATE TABLE report_issue (
  id uuid PRIMARY KEY,
  kind varchar(8) NOT NULL CHECK (kind IN ('annual', 'mic', 'plan')),
  fiscal_year integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
  version integer NOT NULL CHECK (version >= 1),
  figures jsonb NOT NULL,
  liaison_meeting_id uuid REFERENCES liaison_meeting(id),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  issued_by text NOT NULL,
  issued_by_name text NOT NULL DEFAULT '',
  issued_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, fiscal_year, version),
  CHECK (kind <> 'mic' OR liaison_meeting_id IS NULL)
);

CREATE FUNCTION report_issue_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.liaison_meeting_id IS NOT NULL OR NEW.liaison_meeting_id IS NULL
     OR (to_jsonb(NEW) - 'liaison_meeting_id') <> (to_jsonb(OLD) - 'liaison_meeting_id') THEN
    RAISE EXCEPTION 'an issued report never changes; issue a new version (GOV-13)'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'report_issue_frozen';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER report_issue_frozen BEFORE UPDATE OR DELETE ON report_issue
  FOR EACH ROW EXECUTE FUNCTION report_issue_frozen();
"""

SURVEY = """
-- GOV-14 (約款 第8): before each fiscal year the operator asks every agency (利用機関) its planned use of
-- each subsystem and the briefings it wants. One survey per planned year; agencies read it.
CREATE TABLE plan_survey (
  id uuid PRIMARY KEY,
  fiscal_year integer NOT NULL UNIQUE CHECK (fiscal_year BETWEEN 2000 AND 2100),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  message text NOT NULL DEFAULT '' CHECK (length(message) <= 4000),
  deadline timestamptz NOT NULL,
  opened_by text NOT NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  CHECK (deadline > opened_at)
);

-- Who was asked: every active agency when the survey opened (the operator may add those activated since).
CREATE TABLE plan_survey_target (
  survey_id uuid NOT NULL REFERENCES plan_survey(id),
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (survey_id, tenant_id)
);
CREATE INDEX plan_survey_target_tenant ON plan_survey_target (tenant_id);

-- One answer per asked agency, given (and replaced until the deadline) by its administrators.
CREATE TABLE plan_response (
  id uuid PRIMARY KEY,
  survey_id uuid NOT NULL,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  comments text NOT NULL DEFAULT '' CHECK (length(comments) <= 4000),
  revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
  submitted_by text NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (survey_id, tenant_id),
  FOREIGN KEY (survey_id, tenant_id) REFERENCES plan_survey_target (survey_id, tenant_id)
);

-- Planned use of one subsystem: a level, and if known the calls of an ordinary month and of a heavy
-- month; heavy months are calendar months (1-12) of the planned fiscal year.
CREATE TABLE plan_response_use (
  response_id uuid NOT NULL REFERENCES plan_response(id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  module_key varchar(32) NOT NULL,
  level varchar(8) NOT NULL CHECK (level IN ('none', 'low', 'medium', 'high')),
  calls_per_month bigint CHECK (calls_per_month BETWEEN 0 AND 1000000000000),
  peak_calls_per_month bigint CHECK (peak_calls_per_month BETWEEN 0 AND 1000000000000),
  heavy_months smallint[] NOT NULL DEFAULT '{}'
    CHECK (heavy_months <@ ARRAY[1,2,3,4,5,6,7,8,9,10,11,12]::smallint[]),
  PRIMARY KEY (response_id, module_key),
  CHECK (peak_calls_per_month IS NULL OR cardinality(heavy_months) > 0)
);

-- A briefing wanted (説明会の開催希望): subsystem, preferred month (1-12 of the planned year), participants.
CREATE TABLE plan_response_briefing (
  id uuid PRIMARY KEY,
  response_id uuid NOT NULL REFERENCES plan_response(id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  module_key varchar(32) NOT NULL,
  preferred_month smallint NOT NULL CHECK (preferred_month BETWEEN 1 AND 12),
  participants integer NOT NULL CHECK (participants BETWEEN 1 AND 1000),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000)
);
CREATE INDEX plan_response_briefing_response ON plan_response_briefing (response_id);
"""

RLS = (
    system_only("report_issue")
    + shared("plan_survey")
    + "".join(enable(t) for t in ("plan_survey_target", "plan_response", "plan_response_use", "plan_response_briefing"))
)

forwards = sql_migration(
    migration_id=ID,
    app_name="ops",
    description=DESCRIPTION,
    up=ISSUES + SURVEY + RLS,
    down="DROP TABLE plan_response_briefing, plan_response_use, plan_response, plan_survey_target,"
    " plan_survey, report_issue; DROP FUNCTION report_issue_frozen();",
)
