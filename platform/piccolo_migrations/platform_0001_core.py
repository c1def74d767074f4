from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import FUNCTIONS, system_only

ID = "2026-11-26T00:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "platform core: RLS helper functions, outbox, processed events, consumer lag"

forwards = sql_migration(
    migration_id=ID,
    app_name="platform",
    description=DESCRIPTION,
    up=FUNCTIONS
    + """
CREATE TABLE outbox (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL,
  tenant_id uuid,
  kind varchar(16) NOT NULL,
  topic_suffix varchar(32) NOT NULL,
  payload bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  attempts integer NOT NULL DEFAULT 0
);
CREATE INDEX outbox_pending ON outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;
-- A tenant writes its own events; only platform processes read the outbox.
ALTER TABLE outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbox
  USING (govstat_cross_tenant())
  WITH CHECK (tenant_id IS NULL OR govstat_tenant_visible(tenant_id));

CREATE TABLE processed_event (
  id bigserial PRIMARY KEY,
  consumer varchar(64) NOT NULL,
  event_id uuid NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (consumer, event_id)
);

CREATE TABLE consumer_lag (
  id bigserial PRIMARY KEY,
  consumer varchar(64) NOT NULL,
  topic varchar(128) NOT NULL,
  partition integer NOT NULL,
  lag bigint NOT NULL,
  measured_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (consumer, topic, partition)
);
"""
    + system_only("processed_event")
    + system_only("consumer_lag"),
    down="DROP TABLE consumer_lag; DROP TABLE processed_event; DROP TABLE outbox;",
)
