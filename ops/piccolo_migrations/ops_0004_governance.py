from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import append_only, enable, shared, system_only

ID = "2026-11-26T00:00:42:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "ops: governance records: briefings (GOV-10), regulations and acknowledgements (GOV-8), improvement "
    "and change requests (GOV-16, GOV-5), liaison meetings (GOV-7), security audits (GOV-15)"
)

REQUEST_STATES = (
    "'submitted', 'coordinating', 'deliberation', 'accepted', 'rejected', 'in_progress', 'done', 'reported'"
)

BRIEFINGS = """
-- GOV-10: an agency asks for a briefing (説明会の開催要請); the operator schedules one or declines.
CREATE TABLE briefing_request (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  module_key varchar(32),
  topic text NOT NULL CHECK (length(btrim(topic)) BETWEEN 1 AND 400),
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  state varchar(12) NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'scheduled', 'declined')),
  requested_by text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz
);

-- A briefing: the yearly operation briefing of one subsystem (操作説明会, once per fiscal year), one held
-- on request, or another one. Everyone signed in may read them; the operator writes.
CREATE TABLE briefing (
  id uuid PRIMARY KEY,
  kind varchar(12) NOT NULL CHECK (kind IN ('annual', 'on_request', 'other')),
  fiscal_year integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
  module_key varchar(32),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 400),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  request_id uuid UNIQUE REFERENCES briefing_request(id),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'on_request') = (request_id IS NOT NULL)),
  CHECK (kind <> 'annual' OR module_key IS NOT NULL)
);
CREATE UNIQUE INDEX briefing_annual_once ON briefing (fiscal_year, module_key) WHERE kind = 'annual';

CREATE TABLE briefing_session (
  id uuid PRIMARY KEY,
  briefing_id uuid NOT NULL REFERENCES briefing(id),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  place text NOT NULL DEFAULT '' CHECK (length(place) <= 400),
  online boolean NOT NULL DEFAULT false,
  online_url text NOT NULL DEFAULT '' CHECK (length(online_url) <= 400),
  capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
  cancelled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at),
  CHECK (online OR length(btrim(place)) > 0)
);
CREATE INDEX briefing_session_briefing ON briefing_session (briefing_id, starts_at);

-- Registrations by agency users; the operator records attendance.
CREATE TABLE briefing_registration (
  id uuid PRIMARY KEY,
  session_id uuid NOT NULL REFERENCES briefing_session(id),
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  user_id uuid NOT NULL REFERENCES app_user(id),
  attendee_name text NOT NULL CHECK (length(btrim(attendee_name)) BETWEEN 1 AND 200),
  registered_by text NOT NULL,
  registered_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  attended boolean,
  attendance_recorded_at timestamptz,
  attendance_recorded_by text,
  CHECK ((attended IS NULL) = (attendance_recorded_at IS NULL))
);
CREATE UNIQUE INDEX briefing_registration_once ON briefing_registration (session_id, user_id) WHERE cancelled_at IS NULL;

-- Seats are counted over every tenant's registrations, which no agency may read: this function
-- counts them as the platform and puts the caller's role back before it returns (an error aborts
-- the transaction, which undoes the setting too). With `lock` it also locks the session row, so
-- concurrent registrations for the last seat queue up. It reveals a number, nothing else.
CREATE FUNCTION briefing_seats_left(s uuid, lock boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE cap integer; taken integer; caller text := coalesce(current_setting('app.role', true), '');
BEGIN
  PERFORM set_config('app.role', 'system', true);
  IF lock THEN
    SELECT capacity INTO cap FROM briefing_session WHERE id = s AND cancelled_at IS NULL FOR UPDATE;
  ELSE
    SELECT capacity INTO cap FROM briefing_session WHERE id = s AND cancelled_at IS NULL;
  END IF;
  SELECT count(*) INTO taken FROM briefing_registration WHERE session_id = s AND cancelled_at IS NULL;
  PERFORM set_config('app.role', caller, true);
  RETURN cap - taken;
END $$;
"""

REGULATIONS = """
-- GOV-8: regulations (運用管理規程, 利用要領, ...) kept with versions. A version binding agencies goes
-- through the council: it is put in force only with an approved council decision on 'regulation'.
CREATE TABLE regulation (
  id uuid PRIMARY KEY,
  code varchar(40) NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_-]{1,39}$'),
  kind varchar(16) NOT NULL CHECK (kind IN ('operation_rules', 'usage_rules', 'security', 'procedure', 'other')),
  title_ja text NOT NULL CHECK (length(btrim(title_ja)) BETWEEN 1 AND 200),
  title_en text NOT NULL DEFAULT '',
  binds_agencies boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE regulation_version (
  id uuid PRIMARY KEY,
  regulation_id uuid NOT NULL REFERENCES regulation(id),
  version varchar(16) NOT NULL CHECK (version ~ '^[0-9A-Za-z][0-9A-Za-z.-]{0,15}$'),
  body text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 200000),
  effective_on date NOT NULL,
  council_decision_id uuid REFERENCES council_decision(id),
  state varchar(12) NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'in_force', 'superseded')),
  in_force_at timestamptz,
  superseded_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (regulation_id, version),
  CHECK (state = 'draft' OR in_force_at IS NOT NULL)
);
CREATE UNIQUE INDEX regulation_one_in_force ON regulation_version (regulation_id) WHERE state = 'in_force';

-- The rule in the database as well as in the use case: no binding version in force without its decision.
CREATE FUNCTION regulation_version_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.state = 'in_force' AND (SELECT binds_agencies FROM regulation WHERE id = NEW.regulation_id)
     AND NOT EXISTS (SELECT 1 FROM council_decision d WHERE d.id = NEW.council_decision_id
                     AND d.subject = 'regulation' AND d.outcome = 'approved') THEN
    RAISE EXCEPTION 'a version binding agencies needs an approved council decision (GOV-8)'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'regulation_version_council_decision';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER regulation_version_check BEFORE INSERT OR UPDATE ON regulation_version
  FOR EACH ROW EXECUTE FUNCTION regulation_version_check();

-- Each tenant acknowledges the version in force (遵守の確認).
CREATE TABLE regulation_acknowledgement (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  version_id uuid NOT NULL REFERENCES regulation_version(id),
  acknowledged_by text NOT NULL,
  acknowledged_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, version_id)
);
"""

REQUESTS = f"""
CREATE SEQUENCE agency_request_no;

-- GOV-16 improvement requests (改善要望) and GOV-5 agency-specific change requests (個別改修等).
CREATE TABLE agency_request (
  id uuid PRIMARY KEY,
  number varchar(24) NOT NULL UNIQUE,
  kind varchar(12) NOT NULL CHECK (kind IN ('improvement', 'change')),
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  module_key varchar(32),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  body text NOT NULL CHECK (length(btrim(body)) BETWEEN 1 AND 20000),
  state varchar(12) NOT NULL DEFAULT 'submitted' CHECK (state IN ({REQUEST_STATES})),
  council_decision_id uuid REFERENCES council_decision(id),
  cost_yen bigint CHECK (cost_yen > 0),
  cost_fixed_at timestamptz,
  cost_occurred_on date,
  report_ref text,
  reported_on date,
  submitted_by text NOT NULL,
  submitted_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind = 'change' OR cost_yen IS NULL),
  CHECK ((cost_yen IS NULL) = (cost_fixed_at IS NULL) AND (cost_yen IS NULL) = (cost_occurred_on IS NULL)),
  CHECK (state <> 'reported' OR (report_ref IS NOT NULL AND reported_on IS NOT NULL)),
  -- GOV-5: an agency-specific change is decided by the council
  CHECK (kind <> 'change' OR state IN ('submitted', 'coordinating', 'deliberation') OR council_decision_id IS NOT NULL)
);
CREATE INDEX agency_request_tenant ON agency_request (tenant_id, submitted_at);

-- Every step of a request: who moved it, when, from which state to which, with what note.
CREATE TABLE agency_request_event (
  id uuid PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES agency_request(id),
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  action varchar(16) NOT NULL,
  state_from varchar(12) NOT NULL,
  state_to varchar(12) NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 4000)
);
CREATE INDEX agency_request_event_request ON agency_request_event (request_id, at);
"""

LIAISON = """
-- GOV-7: the liaison meeting (担当者会議). Its members are not stored: they are every active
-- tenant's current primary contact (contact_person) plus the operator's, read when asked.
CREATE TABLE liaison_meeting (
  id uuid PRIMARY KEY,
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  held_at timestamptz NOT NULL,
  place text NOT NULL DEFAULT '' CHECK (length(place) <= 400),
  minutes text NOT NULL DEFAULT '' CHECK (length(minutes) <= 200000),
  minutes_recorded_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE liaison_agenda_item (
  id uuid PRIMARY KEY,
  meeting_id uuid NOT NULL REFERENCES liaison_meeting(id),
  position integer NOT NULL CHECK (position >= 1),
  kind varchar(16) NOT NULL CHECK (kind IN ('annual_report', 'annual_plan', 'regulation', 'request', 'other')),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 400),
  presenter text NOT NULL DEFAULT '',
  UNIQUE (meeting_id, position)
);

-- Attendance per member tenant: the member (primary contact) as of the meeting, and who came.
CREATE TABLE liaison_attendance (
  id uuid PRIMARY KEY,
  meeting_id uuid NOT NULL REFERENCES liaison_meeting(id),
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  contact_person_id uuid NOT NULL REFERENCES contact_person(id),
  attended boolean NOT NULL,
  attendee_name text NOT NULL DEFAULT '' CHECK (length(attendee_name) <= 200),
  recorded_by text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (meeting_id, tenant_id)
);
"""

SECURITY = """
-- GOV-15: the yearly security audit (セキュリティ監査), its findings and their follow-up. Operator only.
CREATE TABLE security_audit (
  id uuid PRIMARY KEY,
  fiscal_year integer NOT NULL UNIQUE CHECK (fiscal_year BETWEEN 2000 AND 2100),
  auditor text NOT NULL CHECK (length(btrim(auditor)) BETWEEN 1 AND 200),
  scope text NOT NULL DEFAULT '' CHECK (length(scope) <= 4000),
  started_on date NOT NULL,
  completed_on date,
  summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 20000),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (completed_on IS NULL OR completed_on >= started_on)
);

CREATE TABLE security_finding (
  id uuid PRIMARY KEY,
  audit_id uuid NOT NULL REFERENCES security_audit(id),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 400),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
  severity varchar(8) NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
  module_key varchar(32),
  status varchar(8) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  closed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX security_finding_open ON security_finding (severity) WHERE status = 'open';

CREATE TABLE security_action (
  id uuid PRIMARY KEY,
  finding_id uuid NOT NULL REFERENCES security_finding(id),
  description text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 4000),
  owner text NOT NULL CHECK (length(btrim(owner)) BETWEEN 1 AND 200),
  due_on date NOT NULL,
  status varchar(12) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done')),
  done_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'done') = (done_at IS NOT NULL))
);
CREATE INDEX security_action_finding ON security_action (finding_id);
"""

RLS = (
    "".join(
        enable(t)
        for t in (
            "briefing_request",
            "briefing_registration",
            "regulation_acknowledgement",
            "agency_request",
            "agency_request_event",
            "liaison_attendance",
        )
    )
    + "".join(
        shared(t)
        for t in (
            "briefing",
            "briefing_session",
            "regulation",
            "regulation_version",
            "liaison_meeting",
            "liaison_agenda_item",
        )
    )
    + "".join(system_only(t) for t in ("security_audit", "security_finding", "security_action"))
    + append_only("agency_request_event")
    + append_only("regulation_acknowledgement")
)

forwards = sql_migration(
    migration_id=ID,
    app_name="ops",
    description=DESCRIPTION,
    up=BRIEFINGS + REGULATIONS + REQUESTS + LIAISON + SECURITY + RLS,
    down="DROP TABLE security_action, security_finding, security_audit, liaison_attendance,"
    " liaison_agenda_item, liaison_meeting, agency_request_event, agency_request,"
    " regulation_acknowledgement, regulation_version, regulation, briefing_registration,"
    " briefing_session, briefing, briefing_request CASCADE;"
    " DROP FUNCTION briefing_seats_left(uuid, boolean); DROP FUNCTION regulation_version_check();"
    " DROP SEQUENCE agency_request_no;",
)
