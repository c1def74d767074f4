from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import append_only, enable

ID = "2026-11-26T00:00:04:000000"
VERSION = "1.38.0"
DESCRIPTION = "ops: hash-chained audit log and per-minute usage read models"

forwards = sql_migration(
    migration_id=ID,
    app_name="ops",
    description=DESCRIPTION,
    up="""
-- The audit log: append-only, each record chained to the previous by SHA-256 (tamper-evident).
CREATE TABLE audit_log (
  seq bigserial PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  tenant_id uuid,
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  action text NOT NULL,
  actor text NOT NULL,
  actor_kind text NOT NULL,
  target_type text NOT NULL DEFAULT '',
  target_id text NOT NULL DEFAULT '',
  module text NOT NULL DEFAULT '',
  outcome text NOT NULL DEFAULT 'success',
  detail jsonb NOT NULL DEFAULT '{}',
  prev_hash char(64) NOT NULL,
  hash char(64) NOT NULL UNIQUE
);
CREATE INDEX audit_log_tenant_time ON audit_log (tenant_id, occurred_at);
CREATE INDEX audit_log_action ON audit_log (action, occurred_at);
CREATE INDEX audit_log_actor ON audit_log (actor, occurred_at);

-- Usage rolled up per minute, tenant, module and operation (GOV-13; billing and SLA read it).
CREATE TABLE usage_minute (
  minute timestamptz NOT NULL,
  tenant_id uuid,
  tenant_key uuid GENERATED ALWAYS AS (coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'::uuid)) STORED,
  module varchar(32) NOT NULL,
  operation varchar(64) NOT NULL,
  principal_kind varchar(16) NOT NULL,
  calls integer NOT NULL DEFAULT 0,
  errors integer NOT NULL DEFAULT 0,
  client_errors integer NOT NULL DEFAULT 0,
  units bigint NOT NULL DEFAULT 0,
  bytes bigint NOT NULL DEFAULT 0,
  latency_ms_sum double precision NOT NULL DEFAULT 0,
  latency_ms_max double precision NOT NULL DEFAULT 0,
  PRIMARY KEY (minute, tenant_key, module, operation, principal_kind)
);
CREATE INDEX usage_minute_tenant ON usage_minute (tenant_id, minute);
"""
    + enable("audit_log")
    + append_only("audit_log")
    + enable("usage_minute")
    + """
-- platform-wide rows (no tenant: public callers) are the operator's to see
""",
    down="DROP TABLE usage_minute; DROP TABLE audit_log;",
)
