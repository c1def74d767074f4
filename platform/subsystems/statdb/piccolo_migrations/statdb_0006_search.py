"""statdb: keyword search and area levels at e-Stat's scale (ESTAT-1, issue 14).

- `stat_table.search_text`: the words of a table's title, statistic name and explanation as the
  platform's Japanese analyser reads them (govstat.platform.text.japanese.index_text: folded
  surfaces and readings, space-separated). A trigger copies it into
  `statdb_partition.stat_table_search`, GIN-indexed on to_tsvector('simple'): that table has no
  row-level security and the app role cannot reach it. Under row-level security PostgreSQL never
  uses an index for an operator that is not leakproof (tsvector @@ tsquery is not), so on
  stat_table itself a search read all 100,000 rows. `statdb_search(tsquery text)` (SECURITY
  DEFINER) answers the ids of matching tables the caller may see (stat_table's policies, forced on
  the owner too, apply with the caller's settings); callers join them to published_table.
- `stat_table.area_level`: the deepest level of the table's area dimension, written at
  registration; `table_area_level` reads it (a primary-key lookup) instead of grouping class_item
  for each listed table (8 ms a table at 100,000 tables: class_item's public_read policy hashes
  every published table's id on each call).
- An index on gov_stat_code serves the words that name a statistic or an agency.

Existing rows are analysed a thousand at a time."""

from collections.abc import Awaitable, Callable
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-20T00:00:32:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: search_text of each table (Japanese analyser) behind statdb_search(), area_level on stat_table"

UP = """
ALTER TABLE stat_table ADD COLUMN IF NOT EXISTS search_text text NOT NULL DEFAULT '';
ALTER TABLE stat_table ADD COLUMN IF NOT EXISTS area_level smallint;
CREATE INDEX IF NOT EXISTS stat_table_gov_stat ON stat_table (gov_stat_code);
CREATE TABLE IF NOT EXISTS statdb_partition.stat_table_search (
  table_id bigint PRIMARY KEY REFERENCES stat_table(id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL,
  public_from timestamptz,  -- publish_at of a scheduled or published table not withdrawn: stat_table's public_read (statdb_0004_versions), copied
  search_text text NOT NULL
);
CREATE INDEX IF NOT EXISTS stat_table_search_words ON statdb_partition.stat_table_search
  USING gin (to_tsvector('simple', search_text));

CREATE OR REPLACE FUNCTION statdb_search_copy() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  INSERT INTO statdb_partition.stat_table_search (table_id, tenant_id, public_from, search_text)
  VALUES (NEW.id, NEW.tenant_id, CASE WHEN NEW.status IN ('scheduled', 'published') AND NEW.withdrawn_at IS NULL THEN NEW.publish_at END, NEW.search_text)
  ON CONFLICT (table_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, public_from = EXCLUDED.public_from,
    search_text = EXCLUDED.search_text;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION statdb_search_copy() FROM PUBLIC;
DROP TRIGGER IF EXISTS stat_table_search_copy ON stat_table;
CREATE TRIGGER stat_table_search_copy AFTER INSERT OR UPDATE OF search_text, status, publish_at, withdrawn_at, tenant_id ON stat_table
  FOR EACH ROW EXECUTE FUNCTION statdb_search_copy();

-- The ids of the tables whose words match, among those the caller may see: stat_table's two
-- policies (tenant_isolation, public_read) on the copied tenant and publication time.
CREATE OR REPLACE FUNCTION statdb_search(p_query text) RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT x.table_id FROM statdb_partition.stat_table_search x
  WHERE to_tsvector('simple', x.search_text) @@ to_tsquery('simple', p_query)
    AND (x.public_from <= now() OR govstat_tenant_visible(x.tenant_id))
$$;
REVOKE ALL ON FUNCTION statdb_search(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION statdb_search(text) TO govstat_app;

CREATE OR REPLACE VIEW table_area_level WITH (security_invoker = true) AS
SELECT id AS table_id, area_level FROM stat_table WHERE area_level IS NOT NULL;
CREATE OR REPLACE VIEW published_table WITH (security_invoker = true) AS
SELECT id, stats_data_id, tenant_id, 'published'::varchar(16) AS status, gov_stat_code, source_file_id, table_no, title,
       statistics_name, cycle, survey_date, open_date, explanation, notes, total_number, publish_at,
       coalesce(published_at, publish_at) AS published_at, updated_at, version, corrected_at, search_text
FROM stat_table WHERE status IN ('scheduled', 'published') AND publish_at IS NOT NULL AND publish_at <= now()
  AND withdrawn_at IS NULL;
"""
DOWN = """
DROP TRIGGER IF EXISTS stat_table_search_copy ON stat_table;
DROP FUNCTION IF EXISTS statdb_search(text), statdb_search_copy();
DROP TABLE IF EXISTS statdb_partition.stat_table_search;
CREATE OR REPLACE VIEW table_area_level WITH (security_invoker = true) AS
SELECT table_id, max(level) AS area_level FROM class_item WHERE obj_id = 'area' GROUP BY table_id;
DROP VIEW published_table;
CREATE VIEW published_table WITH (security_invoker = true) AS
SELECT id, stats_data_id, tenant_id, 'published'::varchar(16) AS status, gov_stat_code, source_file_id, table_no, title,
       statistics_name, cycle, survey_date, open_date, explanation, notes, total_number, publish_at,
       coalesce(published_at, publish_at) AS published_at, updated_at, version, corrected_at
FROM stat_table WHERE status IN ('scheduled', 'published') AND publish_at IS NOT NULL AND publish_at <= now()
  AND withdrawn_at IS NULL;
"""
SYSTEM = "SELECT set_config('app.role', 'system', true)"
AREA_LEVELS = """UPDATE stat_table s SET area_level = l.level
FROM (SELECT table_id, max(level) AS level FROM class_item WHERE obj_id = 'area' GROUP BY table_id) l
WHERE l.table_id = s.id AND s.area_level IS DISTINCT FROM l.level"""
NEXT = """SELECT id, title, statistics_name, explanation FROM stat_table
 WHERE search_text = '' AND id > $1 ORDER BY id LIMIT 1000"""


async def _up(conn: Any) -> None:
    from govstat.platform.text.japanese import index_text

    async with conn.transaction():
        await conn.execute(SYSTEM)
        await conn.execute(UP)
    last = 0
    while True:
        async with conn.transaction():
            await conn.execute(SYSTEM)
            rows = await conn.fetch(NEXT, last)
            if not rows:
                break
            await conn.execute(
                "UPDATE stat_table s SET search_text = v.t FROM unnest($1::bigint[], $2::text[]) v(id, t) WHERE s.id = v.id",
                [r["id"] for r in rows],
                [index_text(r["title"], r["statistics_name"], r["explanation"]) for r in rows],
            )
            last = rows[-1]["id"]
    async with conn.transaction():
        await conn.execute(SYSTEM)
        await conn.execute(AREA_LEVELS)
        await conn.execute(
            "INSERT INTO statdb_partition.stat_table_search (table_id, tenant_id, public_from, search_text)"
            " SELECT id, tenant_id, CASE WHEN status = 'published' THEN publish_at END, search_text FROM stat_table"
            " WHERE search_text <> '' ON CONFLICT (table_id) DO NOTHING"
        )


async def _down(conn: Any) -> None:
    async with conn.transaction():
        await conn.execute(DOWN)
        await conn.execute(
            "DROP INDEX IF EXISTS stat_table_gov_stat;"
            " ALTER TABLE stat_table DROP COLUMN IF EXISTS search_text, DROP COLUMN IF EXISTS area_level"
        )


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="statdb", description=DESCRIPTION, wrap_in_transaction=False)

    def step(body: Callable[[Any], Awaitable[None]]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            engine = engine_finder()
            if not isinstance(engine, PostgresEngine):
                raise RuntimeError(f"migrations run on PostgreSQL, found {engine!r}")
            conn = await engine.get_new_connection()
            try:
                await body(conn)
            finally:
                await conn.close()

        return run

    manager.add_raw(step(_up))
    manager.add_raw_backwards(step(_down))
    return manager
