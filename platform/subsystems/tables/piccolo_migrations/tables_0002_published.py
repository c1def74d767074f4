"""tables: `published_file`, the table files the public sees (published and due), for other parts'
SQL (docs/decisions/0010). security_invoker: table_file's row-level security applies to the caller."""

from govstat.platform.db.migrations import sql_migration

ID = "2026-12-10T00:00:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "tables: published_file view"

forwards = sql_migration(
    migration_id=ID,
    app_name="tables",
    description=DESCRIPTION,
    up="""
CREATE VIEW published_file WITH (security_invoker = true) AS
SELECT id, tenant_id, gov_stat_code, table_no, title, survey_date, notes, filename, format, status, publish_at,
       published_at, updated_at
FROM table_file WHERE status = 'published' AND publish_at IS NOT NULL AND publish_at <= now();
""",
    down="DROP VIEW IF EXISTS published_file;",
)
