from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable, shared

ID = "2026-11-26T00:00:08:000000"
VERSION = "1.38.0"
DESCRIPTION = "gateway: SLA (GOV-9, GOV-17): service level objectives, per-minute SLA read model, burn-rate alerts"

forwards = sql_migration(
    migration_id=ID,
    app_name="gateway",
    description=DESCRIPTION,
    up="""
-- The service level each module keeps (GOV-17). Defaults are seeded by the burn-rate job for every
-- module in the registry; the operator may tighten or loosen them. A target of 100 % would leave no
-- error budget (and burn rates would divide by zero), so it is below 100.
CREATE TABLE slo (
  module_key varchar(32) PRIMARY KEY,
  availability_target double precision NOT NULL DEFAULT 99.9
    CHECK (availability_target > 0 AND availability_target < 100),
  latency_threshold_ms integer NOT NULL DEFAULT 1000 CHECK (latency_threshold_ms > 0),
  latency_target double precision NOT NULL DEFAULT 99.0 CHECK (latency_target > 0 AND latency_target <= 100),
  window_days integer NOT NULL DEFAULT 30 CHECK (window_days BETWEEN 1 AND 366),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Calls per module, tenant, minute and source, from the usage events (requests metered by the gateway
-- and synthetic probes). errors: status >= 500 (4xx are the caller's, not unavailability); slow: answered
-- (< 500) slower than the module's threshold; latency_buckets: a histogram of answered calls over the
-- fixed bounds of gateway/sla/histogram.py (5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, +inf ms).
CREATE TABLE sla_minute (
  module_key varchar(32) NOT NULL,
  tenant_key uuid NOT NULL,                 -- the nil uuid: no tenant (public callers, probes)
  minute timestamptz NOT NULL CHECK (minute = date_trunc('minute', minute)),
  source varchar(8) NOT NULL CHECK (source IN ('request', 'probe')),
  calls integer NOT NULL DEFAULT 0 CHECK (calls >= 0),
  errors integer NOT NULL DEFAULT 0 CHECK (errors >= 0 AND errors <= calls),
  slow integer NOT NULL DEFAULT 0 CHECK (slow >= 0 AND slow <= calls),
  latency_buckets bigint[] NOT NULL CHECK (cardinality(latency_buckets) = 12),
  PRIMARY KEY (module_key, minute, tenant_key, source)
);
CREATE INDEX sla_minute_tenant ON sla_minute (tenant_key, minute);
CREATE INDEX sla_minute_time ON sla_minute (minute);

-- Burn-rate alerts: at most one active per module (the partial unique index makes two evaluations
-- racing each other unable to raise the same alert twice). Its id is the incident id of its events.
CREATE TABLE sla_alert (
  id uuid PRIMARY KEY,
  module_key varchar(32) NOT NULL,
  rule varchar(16) NOT NULL,                -- '1h/5m' or '6h/30m' (the most severe that fired)
  severity varchar(16) NOT NULL,
  started_at timestamptz NOT NULL,
  resolved_at timestamptz CHECK (resolved_at IS NULL OR resolved_at >= started_at),
  burn_5m double precision NOT NULL,        -- burn rates when it started
  burn_30m double precision NOT NULL,
  burn_1h double precision NOT NULL,
  burn_6h double precision NOT NULL,
  last_burn jsonb NOT NULL DEFAULT '{}',    -- burn rates at the latest evaluation
  evaluated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX sla_alert_one_active ON sla_alert (module_key) WHERE resolved_at IS NULL;
CREATE INDEX sla_alert_started ON sla_alert (started_at);
"""
    # slo, sla_alert: a module's objectives and its faults concern every agency using it (GOV-12 has them
    # notified), so everyone reads them and only the operator and platform processes write them.
    # sla_minute: enable() on tenant_key. An agency reads its own tenant's rows (its calls, its figures);
    # rows with the nil tenant (public callers, probes) and every other tenant's rows are visible to the
    # operator only: platform-wide figures are the operator's. The consumer writes in the system scope.
    + shared("slo")
    + enable("sla_minute", column="tenant_key")
    + shared("sla_alert"),
    down="DROP TABLE sla_alert; DROP TABLE sla_minute; DROP TABLE slo;",
)
