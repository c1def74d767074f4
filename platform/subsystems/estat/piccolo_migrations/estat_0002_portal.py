from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable, public_read

ID = "2026-11-26T00:00:51:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "estat: the public portal — release calendar read model, subscriptions and their e-mail deliveries,"
    " saved queries, questionnaires"
)

# A registered general user's own rows: the scope's actor is the user id (tenants/accounts.py).
OWNER = "owner_id::text = current_setting('app.actor', true)"

UP = f"""
-- ESTAT-3: what is announced (公表予定) and what came out, for the public calendar. A read model
-- written only by the estat-releases consumer (platform scope) from the statdb and tables domain
-- events; public from the moment it is announced, although the data itself stays hidden by the
-- statdb/tables row-level security until publish_at. One row per publication: a database table
-- handed over from a table file shares the file's row ("file:<id>"), otherwise "db:<statsDataId>".
CREATE TABLE estat_release (
  release_key text PRIMARY KEY CHECK (release_key ~ '^(db:[0-9]{{10}}|file:[0-9a-f-]{{36}})$'),
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  kind varchar(8) NOT NULL CHECK (kind IN ('db', 'file')),
  stats_data_id char(10),
  file_id uuid,
  gov_stat_code varchar(8) NOT NULL REFERENCES gov_statistic(code),
  stat_name text NOT NULL DEFAULT '',
  agency_code varchar(16) NOT NULL DEFAULT '',
  agency_name text NOT NULL DEFAULT '',
  title text NOT NULL CHECK (title <> ''),
  table_no text NOT NULL DEFAULT '',
  survey_date text NOT NULL DEFAULT '',
  publish_at timestamptz NOT NULL,
  status varchar(16) NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'published', 'withdrawn')),
  published_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'db') = (release_key LIKE 'db:%')),
  CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX estat_release_when ON estat_release (publish_at);
CREATE INDEX estat_release_stat ON estat_release (gov_stat_code, publish_at);

-- ESTAT-3: a registered user's subscriptions to government statistics (新着通知).
CREATE TABLE estat_subscription (
  owner_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  gov_stat_code varchar(8) NOT NULL REFERENCES gov_statistic(code),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (owner_id, gov_stat_code)
);
CREATE INDEX estat_subscription_stat ON estat_subscription (gov_stat_code);
ALTER TABLE estat_subscription ENABLE ROW LEVEL SECURITY;
ALTER TABLE estat_subscription FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_only ON estat_subscription
  USING (govstat_cross_tenant() OR {OWNER}) WITH CHECK (govstat_cross_tenant() OR {OWNER});

-- One e-mail per user and publication: the unique key is what makes a repeated job send once.
CREATE TABLE estat_notification (
  id uuid PRIMARY KEY,
  owner_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  release_key text NOT NULL REFERENCES estat_release(release_key),
  gov_stat_code varchar(8) NOT NULL,
  email text NOT NULL CHECK (email ~ '^[^@\\s]+@[^@\\s]+$'),
  status varchar(8) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner_id, release_key),
  CHECK (status <> 'sent' OR sent_at IS NOT NULL)
);
CREATE INDEX estat_notification_due ON estat_notification (created_at) WHERE status <> 'sent';
ALTER TABLE estat_notification ENABLE ROW LEVEL SECURITY;
ALTER TABLE estat_notification FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_writes ON estat_notification
  USING (govstat_cross_tenant()) WITH CHECK (govstat_cross_tenant());
CREATE POLICY owner_reads ON estat_notification FOR SELECT USING ({OWNER});

-- ESTAT-4 My page: a table page's selection (e-Stat narrowing parameters) saved by name.
CREATE TABLE estat_saved_query (
  id uuid PRIMARY KEY,
  owner_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (name <> '' AND length(name) <= 100),
  stats_data_id char(10) NOT NULL,
  params jsonb NOT NULL DEFAULT '{{}}' CHECK (jsonb_typeof(params) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner_id, name)
);
ALTER TABLE estat_saved_query ENABLE ROW LEVEL SECURITY;
ALTER TABLE estat_saved_query FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_only ON estat_saved_query
  USING (govstat_cross_tenant() OR {OWNER}) WITH CHECK (govstat_cross_tenant() OR {OWNER});

-- ESTAT-4: questionnaires (アンケート) the operator builds, publishes and closes.
CREATE TABLE estat_questionnaire (
  id uuid PRIMARY KEY,
  title text NOT NULL CHECK (title <> ''),
  description text NOT NULL DEFAULT '',
  audience varchar(16) NOT NULL DEFAULT 'anyone' CHECK (audience IN ('anyone', 'registered')),
  show_results boolean NOT NULL DEFAULT false,
  status varchar(16) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed')),
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  closed_at timestamptz
);
CREATE TABLE estat_question (
  id uuid PRIMARY KEY,
  questionnaire_id uuid NOT NULL REFERENCES estat_questionnaire(id) ON DELETE CASCADE,
  position smallint NOT NULL CHECK (position >= 1),
  kind varchar(8) NOT NULL CHECK (kind IN ('single', 'multiple', 'text')),
  text text NOT NULL CHECK (text <> ''),
  required boolean NOT NULL DEFAULT false,
  choices jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(choices) = 'array'),
  UNIQUE (questionnaire_id, position),
  CHECK ((kind = 'text') = (jsonb_array_length(choices) = 0))
);
-- One response per questionnaire and respondent: a registered user's id, or "anon:" and the
-- keyed hash of an anonymous browser's cookie. The respondent acts as itself (app.actor), so it
-- sees and writes only its own response; the operator reads them all.
CREATE TABLE estat_response (
  id uuid PRIMARY KEY,
  questionnaire_id uuid NOT NULL REFERENCES estat_questionnaire(id) ON DELETE CASCADE,
  respondent text NOT NULL CHECK (respondent ~ '^([0-9a-f-]{{36}}|anon:[0-9a-f]{{64}})$'),
  answered_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (questionnaire_id, respondent)
);
CREATE TABLE estat_answer (
  response_id uuid NOT NULL REFERENCES estat_response(id) ON DELETE CASCADE,
  question_id uuid NOT NULL REFERENCES estat_question(id) ON DELETE CASCADE,
  choice smallint CHECK (choice >= 0),
  text text CHECK (length(text) <= 4000),
  CHECK ((choice IS NULL) <> (text IS NULL)),
  UNIQUE (response_id, question_id, choice)
);
CREATE INDEX estat_answer_question ON estat_answer (question_id, choice);
"""

RESPONDENT = "respondent = current_setting('app.actor', true)"
OPEN = "questionnaire_id IN (SELECT id FROM estat_questionnaire WHERE status = 'published')"
OWN_RESPONSE = f"response_id IN (SELECT id FROM estat_response WHERE {RESPONDENT})"

RLS = (
    enable("estat_release")
    + public_read("estat_release", "status <> 'withdrawn'")
    + f"""
ALTER TABLE estat_questionnaire ENABLE ROW LEVEL SECURITY;
ALTER TABLE estat_questionnaire FORCE ROW LEVEL SECURITY;
CREATE POLICY operator_write ON estat_questionnaire USING (govstat_cross_tenant()) WITH CHECK (govstat_cross_tenant());
CREATE POLICY public_read ON estat_questionnaire FOR SELECT USING (status <> 'draft');

ALTER TABLE estat_question ENABLE ROW LEVEL SECURITY;
ALTER TABLE estat_question FORCE ROW LEVEL SECURITY;
CREATE POLICY operator_write ON estat_question USING (govstat_cross_tenant()) WITH CHECK (govstat_cross_tenant());
CREATE POLICY public_read ON estat_question FOR SELECT
  USING (questionnaire_id IN (SELECT id FROM estat_questionnaire WHERE status <> 'draft'));

ALTER TABLE estat_response ENABLE ROW LEVEL SECURITY;
ALTER TABLE estat_response FORCE ROW LEVEL SECURITY;
CREATE POLICY respondent_own ON estat_response
  USING (govstat_cross_tenant() OR {RESPONDENT})
  WITH CHECK (govstat_cross_tenant() OR ({RESPONDENT} AND {OPEN}));

ALTER TABLE estat_answer ENABLE ROW LEVEL SECURITY;
ALTER TABLE estat_answer FORCE ROW LEVEL SECURITY;
CREATE POLICY respondent_own ON estat_answer
  USING (govstat_cross_tenant() OR {OWN_RESPONSE}) WITH CHECK (govstat_cross_tenant() OR {OWN_RESPONSE});
"""
)

forwards = sql_migration(
    migration_id=ID,
    app_name="estat",
    description=DESCRIPTION,
    up=UP + RLS,
    down="""
DROP TABLE estat_answer, estat_response, estat_question, estat_questionnaire, estat_saved_query,
  estat_notification, estat_subscription, estat_release;""",
)
