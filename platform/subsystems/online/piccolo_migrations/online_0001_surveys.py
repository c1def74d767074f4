from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import append_only, enable

ID = "2026-12-20T00:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "online: surveys with schedules and per-survey data keys, respondents and their units, submissions as immutable versions, answers long and encrypted, drafts, reception read model"

# A respondent (app.role 'respondent', app.actor = their id) sees only rows of their own: a
# RESTRICTIVE policy, so it narrows the tenant policy and never widens it.
RESPONDENT_OWN = "coalesce(current_setting('app.role', true), '') <> 'respondent' OR {col}::text = current_setting('app.actor', true)"


def respondent_only(table: str, column: str = "respondent_id") -> str:
    return f"""
DROP POLICY IF EXISTS respondent_own ON "{table}";
CREATE POLICY respondent_own ON "{table}" AS RESTRICTIVE USING ({RESPONDENT_OWN.format(col=column)})
  WITH CHECK ({RESPONDENT_OWN.format(col=column)});
"""


UP = """
-- ONLINE-3: a survey cycle of an agency (調査の回), bound to one published questionnaire version of
-- the survey items database, with its schedule: open, reminder dates, deadline, retention.
CREATE TABLE online_survey (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  code varchar(32) NOT NULL CHECK (code ~ '^[0-9A-Za-z_-]{1,32}$'),
  name_ja text NOT NULL CHECK (name_ja <> ''),
  name_en text NOT NULL DEFAULT '',
  cycle text NOT NULL DEFAULT '',
  gov_stat_code char(8) CHECK (gov_stat_code ~ '^[0-9]{8}$'),  -- the statistic the hand-off table belongs to
  unit_kind varchar(16) NOT NULL DEFAULT 'household' CHECK (unit_kind IN ('household', 'establishment', 'enterprise')),
  questionnaire_id uuid,
  questionnaire_version integer,
  opens_at timestamptz NOT NULL,
  deadline_at timestamptz NOT NULL,
  reminder_dates jsonb NOT NULL DEFAULT '[]',  -- ISO dates
  retention_until date NOT NULL,
  handed_off_at timestamptz,
  stats_data_id char(10),
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (id, tenant_id),
  CHECK (opens_at < deadline_at)
);

-- The survey's data key (AES-256-GCM), wrapped by the master key named in settings: kept beside,
-- never inside, the answers it opens.
CREATE TABLE online_survey_key (
  survey_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  master_key_id varchar(16) NOT NULL,
  wrapped bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (survey_id, tenant_id) REFERENCES online_survey (id, tenant_id) ON DELETE CASCADE
);

-- ONLINE-1: who signs in (one login ID per respondent id of the agency's list).
CREATE TABLE online_respondent (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  survey_id uuid NOT NULL,
  respondent_code varchar(32) NOT NULL CHECK (respondent_code <> ''),
  email text NOT NULL DEFAULT '',
  login varchar(16) NOT NULL UNIQUE CHECK (login ~ '^R[0-9]{11}$'),
  password_hash text NOT NULL,
  must_change boolean NOT NULL DEFAULT true,
  password_issued_at timestamptz NOT NULL DEFAULT now(),
  opt_out boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (survey_id, respondent_code),
  UNIQUE (id, tenant_id),
  FOREIGN KEY (survey_id, tenant_id) REFERENCES online_survey (id, tenant_id) ON DELETE CASCADE
);

-- The units a respondent answers for (a household; an enterprise's establishments), with the
-- values printed on the questionnaire (pre-print, by item id).
CREATE TABLE online_unit (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  survey_id uuid NOT NULL,
  respondent_id uuid NOT NULL,
  unit_code varchar(32) NOT NULL CHECK (unit_code <> ''),
  unit_name text NOT NULL CHECK (unit_name <> ''),
  address text NOT NULL DEFAULT '',
  area_code char(5) NOT NULL CHECK (area_code ~ '^[0-9]{5}$'),
  preprint jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (survey_id, unit_code),
  UNIQUE (id, tenant_id),
  FOREIGN KEY (respondent_id, tenant_id) REFERENCES online_respondent (id, tenant_id) ON DELETE CASCADE
);
CREATE INDEX online_unit_respondent ON online_unit (respondent_id);
CREATE INDEX online_unit_area ON online_unit (survey_id, area_code);

-- Each submission is a new immutable version with a receipt number; version 1 is the first
-- submission, and the key (unit_id, version_no) makes a second "first" impossible.
CREATE TABLE online_submission (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  survey_id uuid NOT NULL,
  unit_id uuid NOT NULL,
  respondent_id uuid NOT NULL,
  version_no integer NOT NULL CHECK (version_no >= 1),
  receipt_no varchar(24) NOT NULL UNIQUE,
  channel varchar(8) NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'bulk', 'paper', 'api')),
  submitted_by text NOT NULL DEFAULT '',
  submitted_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (unit_id, version_no),
  UNIQUE (id, tenant_id),
  FOREIGN KEY (unit_id, tenant_id) REFERENCES online_unit (id, tenant_id)
);
CREATE INDEX online_submission_survey ON online_submission (survey_id, unit_id, version_no DESC);

-- Answers long (item id, value), never a column per question; the value is AES-GCM ciphertext
-- under the survey's data key (nonce || ciphertext || tag), bound to its submission and item.
-- provenance: was the value pre-printed and left (preprinted), pre-printed and confirmed by the
-- respondent on a locked field (confirmed), or typed or changed by the respondent (edited).
CREATE TABLE online_answer (
  submission_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  respondent_id uuid NOT NULL,
  item_id varchar(64) NOT NULL,
  value bytea NOT NULL,
  provenance varchar(12) NOT NULL CHECK (provenance IN ('preprinted', 'confirmed', 'edited')),
  PRIMARY KEY (submission_id, item_id),
  FOREIGN KEY (submission_id, tenant_id) REFERENCES online_submission (id, tenant_id)
);

-- The respondent's saved draft of one unit (encrypted like the answers), replaced at each save.
CREATE TABLE online_draft (
  unit_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  respondent_id uuid NOT NULL,
  payload bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (unit_id, tenant_id) REFERENCES online_unit (id, tenant_id) ON DELETE CASCADE
);

-- The short アンケート after a submission.
CREATE TABLE online_feedback (
  submission_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  respondent_id uuid NOT NULL,
  ease smallint NOT NULL CHECK (ease BETWEEN 1 AND 5),
  minutes smallint CHECK (minutes BETWEEN 0 AND 600),
  comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (submission_id, tenant_id) REFERENCES online_submission (id, tenant_id)
);

-- Reminder e-mails sent (one per respondent and reminder day: a rerun never mails twice).
CREATE TABLE online_reminder (
  survey_id uuid NOT NULL,
  respondent_id uuid NOT NULL,
  day date NOT NULL,
  tenant_id uuid NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (survey_id, respondent_id, day),
  FOREIGN KEY (respondent_id, tenant_id) REFERENCES online_respondent (id, tenant_id) ON DELETE CASCADE
);

-- The reception read model, fed by the online.submitted events from Kafka (govstat monitor).
CREATE TABLE online_reception (
  tenant_id uuid NOT NULL,
  survey_id uuid NOT NULL,
  area_code char(5) NOT NULL,
  channel varchar(8) NOT NULL,
  first_submissions integer NOT NULL DEFAULT 0,
  updates integer NOT NULL DEFAULT 0,
  last_at timestamptz,
  PRIMARY KEY (survey_id, area_code, channel)
);
"""

TENANT_TABLES = (
    "online_survey",
    "online_survey_key",
    "online_respondent",
    "online_unit",
    "online_submission",
    "online_answer",
    "online_draft",
    "online_feedback",
    "online_reception",
    "online_reminder",
)
RLS = (
    "".join(enable(t) for t in TENANT_TABLES)
    + respondent_only("online_respondent", "id")
    + "".join(
        respondent_only(t)
        for t in ("online_unit", "online_submission", "online_answer", "online_draft", "online_feedback")
    )
    + append_only("online_submission")
    + append_only("online_answer")
)

forwards = sql_migration(
    migration_id=ID,
    app_name="online",
    description=DESCRIPTION,
    up=UP + RLS,
    down="DROP TABLE online_reminder, online_reception, online_feedback, online_draft, online_answer, online_submission,"
    " online_unit, online_respondent, online_survey_key, online_survey;",
)
