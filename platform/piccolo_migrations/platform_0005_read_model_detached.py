from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import system_only

ID = "2026-12-02T00:00:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "platform: read models a shared consumer group stopped carrying (read_model_detached)"

# A read model that holds its shared group back (it fails poll after poll) is detached: it runs in
# its own Kafka group and the others go on (events/detach.py). Each detachment is a row, open until
# the read model rejoins; /ops lists the open ones, and an operations incident goes with each.
forwards = sql_migration(
    migration_id=ID,
    app_name="platform",
    description=DESCRIPTION,
    up="""
CREATE TABLE read_model_detached (
  id bigserial PRIMARY KEY,
  shared_group varchar(200) NOT NULL,
  read_model varchar(64) NOT NULL,
  reason text NOT NULL,
  alert_ref varchar(100) NOT NULL,
  detached_at timestamptz NOT NULL DEFAULT now(),
  rejoined_at timestamptz
);
CREATE INDEX read_model_detached_open ON read_model_detached (shared_group) WHERE rejoined_at IS NULL;
"""
    + system_only("read_model_detached"),
    down="DROP TABLE read_model_detached;",
)
