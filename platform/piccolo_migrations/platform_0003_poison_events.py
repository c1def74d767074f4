from govstat.platform.db.migrations import sql_migration

ID = "2026-12-01T00:00:08:000000"
VERSION = "1.38.0"
DESCRIPTION = "platform: poison events set aside after N attempts (outbox errors, dead letters of the relay)"

# The relay counts failed sends in outbox.attempts and keeps the last error; after
# govstat.platform.events.poison.MAX_ATTEMPTS the row moves to dead_letter (consumer 'relay',
# partition -1, kafka_offset = the outbox seq). Consumers set aside a message whose handler keeps
# failing the same way, with its event id and attempts.
forwards = sql_migration(
    migration_id=ID,
    app_name="platform",
    description=DESCRIPTION,
    up="""
ALTER TABLE outbox ADD COLUMN last_error text;
ALTER TABLE dead_letter ADD COLUMN event_id uuid;
ALTER TABLE dead_letter ADD COLUMN attempts integer NOT NULL DEFAULT 1;
CREATE INDEX dead_letter_recent ON dead_letter (created_at DESC);
""",
    down="""
DROP INDEX dead_letter_recent;
ALTER TABLE dead_letter DROP COLUMN attempts;
ALTER TABLE dead_letter DROP COLUMN event_id;
ALTER TABLE outbox DROP COLUMN last_error;
""",
)
