from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import append_only, enable

ID = "2026-11-26T00:00:41:000000"
VERSION = "1.38.0"
DESCRIPTION = "ops: helpdesk (GOV-11): tickets, their history and forwarding, out-of-hours charges"

STATES = "'received', 'answered', 'forwarded', 'resolved', 'closed'"

forwards = sql_migration(
    migration_id=ID,
    app_name="ops",
    description=DESCRIPTION,
    up=f"""
CREATE SEQUENCE helpdesk_ticket_no;

-- A ticket (問合せ) from an agency's staff, an intermediary (both inside one tenant) or a general user
-- (no tenant: the operator's). The targets are fixed when it is received (business time, JP holidays).
CREATE TABLE helpdesk_ticket (
  id uuid PRIMARY KEY,
  number varchar(24) NOT NULL UNIQUE,
  tenant_id uuid REFERENCES tenant(id),
  requester_kind varchar(16) NOT NULL CHECK (requester_kind IN ('agency', 'intermediary', 'general')),
  requester_user text NOT NULL DEFAULT '',
  requester_name text NOT NULL DEFAULT '' CHECK (length(requester_name) <= 200),
  requester_email text NOT NULL DEFAULT '' CHECK (length(requester_email) <= 254),
  requester_phone text NOT NULL DEFAULT '' CHECK (length(requester_phone) <= 40),
  channel varchar(8) NOT NULL CHECK (channel IN ('phone', 'email', 'web')),
  via varchar(16) NOT NULL CHECK (via IN ('operator', 'agency_portal', 'estat_form')),
  module_key varchar(32),
  subject text NOT NULL CHECK (length(btrim(subject)) BETWEEN 1 AND 200),
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
  state varchar(12) NOT NULL DEFAULT 'received' CHECK (state IN ({STATES})),
  received_at timestamptz NOT NULL,
  out_of_hours boolean NOT NULL DEFAULT false,
  first_response_due timestamptz NOT NULL,
  resolution_due timestamptz NOT NULL,
  first_response_at timestamptz,
  resolved_at timestamptz,
  closed_at timestamptz,
  reopen_count integer NOT NULL DEFAULT 0 CHECK (reopen_count >= 0),
  help_out_of_hours boolean NOT NULL DEFAULT false,
  charge_minutes integer CHECK (charge_minutes > 0),
  charge_yen integer CHECK (charge_yen > 0),
  charged_at timestamptz,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((requester_kind = 'general') = (tenant_id IS NULL)),
  CHECK (channel = 'phone' OR NOT out_of_hours),                         -- e-mail is received 24 hours
  CHECK (NOT help_out_of_hours OR (out_of_hours AND tenant_id IS NOT NULL)),
  CHECK ((charged_at IS NULL) = (charge_yen IS NULL) AND (charge_yen IS NULL) = (charge_minutes IS NULL)),
  CHECK (charged_at IS NULL OR help_out_of_hours),
  CHECK (first_response_due >= received_at AND resolution_due >= received_at),
  CHECK (first_response_at IS NULL OR first_response_at >= received_at),
  CHECK (state NOT IN ('resolved', 'closed') OR resolved_at IS NOT NULL),
  CHECK (state <> 'closed' OR closed_at IS NOT NULL)
);
CREATE INDEX helpdesk_ticket_tenant ON helpdesk_ticket (tenant_id, received_at);
CREATE INDEX helpdesk_ticket_received ON helpdesk_ticket (received_at);
CREATE INDEX helpdesk_ticket_open ON helpdesk_ticket (state) WHERE state <> 'closed';

-- What happened to a ticket after it was received: answers, forwarding (to whom and when),
-- resolution, closing, reopening, the out-of-hours charge. Append-only.
CREATE TABLE helpdesk_ticket_event (
  id uuid PRIMARY KEY,
  ticket_id uuid NOT NULL REFERENCES helpdesk_ticket(id),
  tenant_id uuid REFERENCES tenant(id),
  kind varchar(16) NOT NULL CHECK (kind IN ('answered', 'forwarded', 'resolved', 'closed', 'reopened', 'charged')),
  state_from varchar(12) NOT NULL CHECK (state_from IN ({STATES})),
  state_to varchar(12) NOT NULL CHECK (state_to IN ({STATES})),
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
  forwarded_to_kind varchar(24) CHECK (forwarded_to_kind IN ('statistic_owner', 'subsystem_operator')),
  forwarded_to text,
  forwarded_to_tenant_id uuid REFERENCES tenant(id),
  statistic_code varchar(8) REFERENCES gov_statistic(code),
  module_key varchar(32),
  CHECK ((kind = 'forwarded') = (forwarded_to_kind IS NOT NULL AND forwarded_to IS NOT NULL)),
  CHECK (forwarded_to_kind <> 'statistic_owner' OR statistic_code IS NOT NULL),
  CHECK (forwarded_to_kind <> 'subsystem_operator' OR module_key IS NOT NULL)
);
CREATE INDEX helpdesk_ticket_event_ticket ON helpdesk_ticket_event (ticket_id, at);
"""
    + enable("helpdesk_ticket")
    + enable("helpdesk_ticket_event")
    + append_only("helpdesk_ticket_event")
    + """
-- The e-Stat inquiry form posts without signing in: such a caller may create a fresh general
-- e-mail ticket (nothing else), and cannot read it back (no SELECT policy matches, so no RETURNING).
CREATE POLICY public_inquiry ON helpdesk_ticket FOR INSERT
  WITH CHECK (tenant_id IS NULL AND requester_kind = 'general' AND via = 'estat_form' AND channel = 'email'
              AND state = 'received' AND NOT out_of_hours AND NOT help_out_of_hours AND first_response_at IS NULL
              AND charged_at IS NULL AND reopen_count = 0);
""",
    down="DROP TABLE helpdesk_ticket_event; DROP TABLE helpdesk_ticket; DROP SEQUENCE helpdesk_ticket_no;",
)
