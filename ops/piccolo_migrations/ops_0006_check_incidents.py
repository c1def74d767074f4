from govstat.platform.db.migrations import sql_migration

ID = "2026-12-02T00:00:18:000000"
VERSION = "1.38.0"
DESCRIPTION = (
    "ops: an incident may be opened by an operations check of ops's own (source 'check': the replication"
    " check of issue 15 §5), as well as by the SLA's alerts and by hand"
)

forwards = sql_migration(
    migration_id=ID,
    app_name="ops",
    description=DESCRIPTION,
    up="ALTER TABLE incident DROP CONSTRAINT incident_source_check,"
    " ADD CONSTRAINT incident_source_check CHECK (source IN ('sla', 'check', 'manual'));",
    down="ALTER TABLE incident DROP CONSTRAINT incident_source_check,"
    " ADD CONSTRAINT incident_source_check CHECK (source IN ('sla', 'manual'));",
)
