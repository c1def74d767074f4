from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import system_only

ID = "2026-12-02T00:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "platform: one duplicate marker per event for a shared consumer group (marker_group)"

# A shared group (events/shared.py) writes one processed_event row per event under its own marker
# name instead of one per read model; marker_group says which read models such a name stands for,
# so a read model that later runs alone (or in another group) skips what the group applied
# (events/markers.py). marker_activity keeps, per marker name, when it last marked an event: a
# group looks for its read models' markers made elsewhere only among events older than that. The
# group's name is longer than a read model's: the column is widened
# (no rewrite for varchar).
forwards = sql_migration(
    migration_id=ID,
    app_name="platform",
    description=DESCRIPTION,
    up="""
ALTER TABLE processed_event ALTER COLUMN consumer TYPE varchar(200);
CREATE TABLE marker_group (
  name varchar(200) PRIMARY KEY,
  members text[] NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE marker_activity (
  name varchar(200) PRIMARY KEY,
  last_at timestamptz NOT NULL
);
-- what was marked before: a group looks for these markers among events older than this
-- (the rows are behind row-level security, as platform bookkeeping: read as the system)
SELECT set_config('app.role', 'system', false);
INSERT INTO marker_activity (name, last_at)
  SELECT consumer, max(processed_at) FROM processed_event GROUP BY consumer;
RESET app.role;
"""
    + system_only("marker_group")
    + system_only("marker_activity"),
    down="DROP TABLE marker_activity; DROP TABLE marker_group;",
)
