from govstat.platform.db.migrations import sql_migration

ID = "2026-12-02T00:00:21:000000"
VERSION = "1.38.0"
DESCRIPTION = "platform: dead letters replayed by the operator (replayed_at, replayed_by, outcome)"

# A dead letter is put back once its cause is fixed (events/replay.py): the relay's goes back into
# the outbox, a read model's is applied again with its duplicate marker. The row is kept and marked
# (never deleted: the audit trail); a replay that fails again leaves it open with the new error,
# attempts + 1 and outcome 'failed'. The dashboards count the open rows (replayed_at IS NULL).
forwards = sql_migration(
    migration_id=ID,
    app_name="platform",
    description=DESCRIPTION,
    up="""
ALTER TABLE dead_letter ADD COLUMN replayed_at timestamptz;
ALTER TABLE dead_letter ADD COLUMN replayed_by varchar(200);
ALTER TABLE dead_letter ADD COLUMN outcome varchar(16);
CREATE INDEX dead_letter_open ON dead_letter (consumer, id) WHERE replayed_at IS NULL;
""",
    down="""
DROP INDEX dead_letter_open;
ALTER TABLE dead_letter DROP COLUMN outcome;
ALTER TABLE dead_letter DROP COLUMN replayed_by;
ALTER TABLE dead_letter DROP COLUMN replayed_at;
""",
)
