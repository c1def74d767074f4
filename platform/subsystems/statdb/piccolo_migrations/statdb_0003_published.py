"""statdb: what other parts' SQL may name of the statistical database (docs/decisions/0010).

- `published_table`: the database tables the public sees (published and due).
- `table_area_level`: the deepest level of each table's area dimension (e-Stat's 集計地域区分).
  Read it as `(SELECT l.area_level FROM table_area_level l WHERE l.table_id = t.id)`: PostgreSQL
  pushes the table into the grouping, so it is the one index lookup it always was, done only for
  the rows a list returns.

security_invoker: the row-level security of stat_table and class_item applies to the caller."""

from govstat.platform.db.migrations import sql_migration

ID = "2026-12-10T00:00:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: published_table and table_area_level views"

forwards = sql_migration(
    migration_id=ID,
    app_name="statdb",
    description=DESCRIPTION,
    up="""
CREATE VIEW published_table WITH (security_invoker = true) AS
SELECT id, stats_data_id, tenant_id, status, gov_stat_code, source_file_id, table_no, title, statistics_name, cycle,
       survey_date, open_date, explanation, notes, total_number, publish_at, published_at, updated_at
FROM stat_table WHERE status = 'published' AND publish_at IS NOT NULL AND publish_at <= now();

CREATE VIEW table_area_level WITH (security_invoker = true) AS
SELECT table_id, max(level) AS area_level FROM class_item WHERE obj_id = 'area' GROUP BY table_id;
""",
    down="DROP VIEW IF EXISTS published_table, table_area_level;",
)
