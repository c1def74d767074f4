from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import system_only

ID = "2026-11-26T00:00:05:000000"
VERSION = "1.38.0"
DESCRIPTION = "platform: dead letters of consumers (unreadable messages kept, never dropped)"

forwards = sql_migration(
    migration_id=ID,
    app_name="platform",
    description=DESCRIPTION,
    up="""
CREATE TABLE dead_letter (
  id bigserial PRIMARY KEY,
  consumer varchar(64) NOT NULL,
  topic varchar(128) NOT NULL,
  partition integer NOT NULL,
  kafka_offset bigint NOT NULL,
  payload bytea,
  error text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (consumer, topic, partition, kafka_offset)
);
"""
    + system_only("dead_letter"),
    down="DROP TABLE dead_letter;",
)
