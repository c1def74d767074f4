from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable, shared, system_only

ID = "2026-11-26T00:00:40:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "ops: incidents (GOV-12): lifecycle, timeline, review, affected agencies, notifications, notices, maintenance"
)

STATES = "'detected', 'investigating', 'identified', 'monitoring', 'recovered', 'review', 'closed'"

forwards = sql_migration(
    migration_id=ID,
    app_name="ops",
    description=DESCRIPTION,
    up=f"""
-- Planned maintenance (計画保守): a window for one subsystem, or for all (module_key NULL). Alerts raised
-- for a module inside one of its windows are recorded as suppressed, not turned into incidents.
CREATE TABLE maintenance_window (
  id uuid PRIMARY KEY,
  module_key varchar(32),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  description text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 2000),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  CHECK (ends_at > starts_at)
);
CREATE INDEX maintenance_window_time ON maintenance_window (starts_at, ends_at) WHERE cancelled_at IS NULL;

-- An incident (障害): one fault of one subsystem (module_key) or of the whole platform (NULL).
-- Its header is public (the status page shows it); the working notes and the review are not.
CREATE TABLE incident (
  id uuid PRIMARY KEY,
  number bigserial NOT NULL UNIQUE,              -- shown as INC-000123
  module_key varchar(32),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 400),
  severity varchar(16) NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
  state varchar(16) NOT NULL CHECK (state IN ({STATES})),
  source varchar(16) NOT NULL CHECK (source IN ('sla', 'manual')),
  detail jsonb NOT NULL DEFAULT '{{}}',
  detected_at timestamptz NOT NULL,
  mitigated_at timestamptz,                      -- first entered monitoring (the fault stopped)
  recovered_at timestamptz,
  closed_at timestamptz,
  created_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (state NOT IN ('recovered', 'review', 'closed') OR recovered_at IS NOT NULL),
  CHECK (state <> 'closed' OR closed_at IS NOT NULL)
);
CREATE INDEX incident_open ON incident (module_key) WHERE state IN ('detected', 'investigating', 'identified', 'monitoring');
CREATE INDEX incident_detected ON incident (detected_at);

-- Alerts received on the incident topic (the SLA's burn-rate alerts, which cover the probes too),
-- keyed by their incident_id: a redelivered or repeated event never opens a second incident. An alert
-- either became (or joined) an incident, or was suppressed by a maintenance window.
CREATE TABLE incident_alert (
  external_ref text PRIMARY KEY,
  module_key varchar(32) NOT NULL,
  severity varchar(16) NOT NULL,
  title text NOT NULL DEFAULT '',
  disposition varchar(16) NOT NULL CHECK (disposition IN ('incident', 'suppressed')),
  incident_id uuid REFERENCES incident(id),
  maintenance_id uuid REFERENCES maintenance_window(id),
  detected_at timestamptz NOT NULL,
  last_state varchar(16) NOT NULL,
  cleared_at timestamptz,
  received_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((disposition = 'incident') = (incident_id IS NOT NULL)),
  CHECK ((disposition = 'suppressed') = (maintenance_id IS NOT NULL))
);
CREATE INDEX incident_alert_incident ON incident_alert (incident_id);

-- Every transition (and escalation, review, note) of an incident, in order: the operator's timeline.
CREATE TABLE incident_timeline (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incident(id),
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  kind varchar(16) NOT NULL CHECK (kind IN ('transition', 'escalation', 'alert', 'review', 'note')),
  from_state varchar(16) CHECK (from_state IN ({STATES})),
  to_state varchar(16) NOT NULL CHECK (to_state IN ({STATES})),
  note text NOT NULL DEFAULT '',
  public_note text NOT NULL DEFAULT '',
  actor text NOT NULL,
  actor_kind text NOT NULL DEFAULT ''
);
CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, id);

-- The public updates (the timeline entries' public notes): what the status page and agencies read.
CREATE TABLE incident_public_update (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incident(id),
  timeline_id bigint NOT NULL UNIQUE REFERENCES incident_timeline(id),
  at timestamptz NOT NULL,
  state varchar(16) NOT NULL CHECK (state IN ({STATES})),
  body text NOT NULL CHECK (length(btrim(body)) > 0)
);
CREATE INDEX incident_public_update_incident ON incident_public_update (incident_id, id);

-- The post-incident review (再発防止): every field is required; an incident enters 'review' only with one.
CREATE TABLE incident_review (
  incident_id uuid PRIMARY KEY REFERENCES incident(id),
  cause text NOT NULL CHECK (length(btrim(cause)) > 0),
  prevention text NOT NULL CHECK (length(btrim(prevention)) > 0),
  owner text NOT NULL CHECK (length(btrim(owner)) > 0),
  due_on date NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The agencies an incident affects: the tenants subscribing to its module when it was detected
-- (every active agency for a platform-wide incident). A tenant sees its own rows only.
CREATE TABLE incident_affected (
  incident_id uuid NOT NULL REFERENCES incident(id),
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  PRIMARY KEY (incident_id, tenant_id)
);
CREATE INDEX incident_affected_tenant ON incident_affected (tenant_id);

-- One e-mail to one contact person (primary or deputy) of one affected tenant, at one step (GOV-12:
-- when it happens and after recovery). Sent by the ops.incident_notify job; retried until sent.
CREATE TABLE incident_notification (
  id uuid PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incident(id),
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  step varchar(16) NOT NULL CHECK (step IN ('detected', 'recovered')),
  contact_role varchar(8) NOT NULL CHECK (contact_role IN ('primary', 'deputy')),
  email text NOT NULL,
  status varchar(8) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  UNIQUE (incident_id, step, tenant_id, contact_role),
  CHECK (status <> 'sent' OR sent_at IS NOT NULL)
);
CREATE INDEX incident_notification_unsent ON incident_notification (created_at) WHERE status <> 'sent';
CREATE INDEX incident_notification_tenant ON incident_notification (tenant_id);

-- Notices (お知らせ) to an agency on its portal; each tenant reads only its own.
CREATE TABLE notice (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  incident_id uuid REFERENCES incident(id),
  step varchar(16),                              -- for incident notices: 'detected' or 'recovered'
  title text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE UNIQUE INDEX notice_once_per_step ON notice (tenant_id, incident_id, step) WHERE incident_id IS NOT NULL;
CREATE INDEX notice_tenant_time ON notice (tenant_id, created_at);
"""
    # incident, incident_public_update, maintenance_window: public by policy (the status page), written by
    # the operator and platform processes only. The working timeline, the review and the alerts are the
    # operator's. Affected agencies, deliveries and notices are per tenant (tenant_isolation).
    + shared("incident")
    + shared("incident_public_update")
    + shared("maintenance_window")
    + system_only("incident_alert")
    + system_only("incident_timeline")
    + system_only("incident_review")
    + enable("incident_affected")
    + enable("incident_notification")
    + enable("notice"),
    down="DROP TABLE notice, incident_notification, incident_affected, incident_review, incident_public_update,"
    " incident_timeline, incident_alert, incident, maintenance_window;",
)
