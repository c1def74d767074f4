"""statdb: observations of small tables share one partition; only large tables get their own.

With a partition per table (statdb_0002) registering a table cost 14 ms plus about 4 ms per
thousand existing partitions (ATTACH, and every connection's next query rebuilding the list of
partitions): 400 ms at e-Stat's 100,000 tables, and half a million relations in the catalog.
docs/decisions/0012 records the choice and the figures.

`observation` is now partitioned by LIST on a new column `part`:

- `part = 0`: `statdb_partition.observation_shared`, one table for every table with fewer than
  `statdb_own_partition_min_rows()` observations (50,000). Its rows go in with their indexes
  maintained row by row (the primary key and one partial index per dimension on the `indexed`
  bits, as in statdb_0001): a few ms for a small table whatever the number of tables.
- `part = table_id`: `statdb_partition.observation_<id>`, a partition of its own for a large table,
  loaded and indexed in bulk as before (statdb_0002): the list of partitions grows only with the
  large tables, whose load (seconds) dwarfs the attach.

A row's `part` is either 0 or its table_id, so `part IN (0, <id>) AND table_id = <id>` names one
table's rows and prunes to at most two partitions (queries.of_table writes it with literals).
The primary key is (table_id, seq, part): the partition key must be in it, and `part` being a
function of table_id, (table_id, seq) stays unique. A later column (a version, say) is added to
`observation` as to any table: the partitions follow the parent.

Existing rows move a hundred tables per transaction (see forwards()): a large table's partition is
detached and attached again with its `part` (a constant default: no rewrite) and its primary key
rebuilt; a small table's rows are copied into the shared partition and its partition dropped. The
column lists are read from the catalog, so columns added since statdb_0002 come along."""

from collections.abc import Awaitable, Callable
from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

from govstat.platform.db.migrations import APP_ROLE
from govstat.platform.db.rls import enable, public_read

ID = "2026-12-20T00:00:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: one shared partition of observation for small tables, own partitions for large ones"

OBJ_IDS = ["tab"] + [f"cat{i:02d}" for i in range(1, 16)] + ["area", "time"]
# Public while visible by the clock and not withdrawn, as statdb_0004_versions set it for observation.
VISIBLE = "status IN ('scheduled', 'published') AND publish_at IS NOT NULL AND publish_at <= now()"
OF_PUBLISHED = f"table_id IN (SELECT id FROM stat_table WHERE {VISIBLE} AND withdrawn_at IS NULL)"
DIMS_ARRAY = "ARRAY[" + ", ".join(f"'{o}'" for o in OBJ_IDS) + "]::text[]"
SCHEMA = "statdb_partition"
SAFE_PATH = "pg_catalog, public, pg_temp"
MIN_ROWS = 50_000

SHARED_INDEXES = "".join(
    f"CREATE INDEX observation_shared_{o} ON {SCHEMA}.observation_shared (table_id, {o})"
    f" WHERE (indexed & {1 << i}) <> 0;\n"
    for i, o in enumerate(OBJ_IDS)
)

PREPARE = f"""
DO $do$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'public.observation'::regclass AND attname = 'part') THEN
    ALTER TABLE observation RENAME TO observation_by_table;
    ALTER INDEX observation_pkey RENAME TO observation_by_table_pkey;
    CREATE TABLE observation (
      LIKE observation_by_table INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
      part bigint NOT NULL DEFAULT 0,
      PRIMARY KEY (table_id, seq, part)
    ) PARTITION BY LIST (part);
    COMMENT ON TABLE observation IS 'statdb: small tables in {SCHEMA}.observation_shared (part 0), large ones in a partition of their own (part = table_id)';
    CREATE TABLE {SCHEMA}.observation_shared PARTITION OF observation FOR VALUES IN (0);
    {SHARED_INDEXES}
    ALTER TABLE {SCHEMA}.observation_shared ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
  END IF;
END $do$;

CREATE OR REPLACE FUNCTION statdb_own_partition_min_rows() RETURNS bigint
LANGUAGE sql IMMUTABLE AS 'SELECT {MIN_ROWS}::bigint';
REVOKE ALL ON FUNCTION statdb_own_partition_min_rows() FROM PUBLIC;

CREATE OR REPLACE FUNCTION statdb_partition_create(p_table_id bigint) RETURNS void
LANGUAGE plpgsql SET search_path = {SAFE_PATH} AS $$
BEGIN
  EXECUTE format('CREATE TABLE {SCHEMA}.%I (LIKE public.observation INCLUDING DEFAULTS INCLUDING CONSTRAINTS,'
                 ' CONSTRAINT %I CHECK (part = %s))',
                 'observation_' || p_table_id, 'observation_' || p_table_id || '_part', p_table_id);
END $$;

CREATE OR REPLACE FUNCTION statdb_partition_attach(p_table_id bigint) RETURNS void
LANGUAGE plpgsql SET search_path = {SAFE_PATH} AS $$
DECLARE
  part text := 'observation_' || p_table_id;
  dim text;
BEGIN
  EXECUTE format('ALTER TABLE {SCHEMA}.%I ADD CONSTRAINT %I PRIMARY KEY (table_id, seq, part)', part, part || '_pkey');
  FOR dim IN SELECT c.obj_id FROM public.class_obj c
             WHERE c.table_id = p_table_id AND c.indexed AND c.obj_id = ANY({DIMS_ARRAY}) ORDER BY c.position LOOP
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON {SCHEMA}.%I (%I)', part || '_' || dim, part, dim);
  END LOOP;
  EXECUTE format('ANALYZE {SCHEMA}.%I', part);
  EXECUTE format('ALTER TABLE {SCHEMA}.%I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', part);
  EXECUTE format('ALTER TABLE public.observation ATTACH PARTITION {SCHEMA}.%I FOR VALUES IN (%s)', part, p_table_id);
END $$;
REVOKE ALL ON FUNCTION statdb_partition_create(bigint), statdb_partition_attach(bigint) FROM PUBLIC;

-- The load, as in statdb_0002, choosing the partition by the number of staged rows.
CREATE OR REPLACE FUNCTION statdb_load_observations(p_table_id bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
DECLARE
  dims constant text[] := {DIMS_ARRAY};
  v_tenant uuid;
  v_stage regclass;
  v_mask integer;
  v_dims text;
  v_rows bigint;
  v_own boolean;
BEGIN
  SELECT s.tenant_id INTO v_tenant FROM public.stat_table s
   WHERE s.id = p_table_id AND (govstat_cross_tenant() OR s.tenant_id = govstat_scope_tenant())
   FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'statdb: table % is not writable in this scope', p_table_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF to_regclass(format('{SCHEMA}.%I', 'observation_' || p_table_id)) IS NOT NULL
     OR EXISTS (SELECT 1 FROM public.observation o WHERE o.part = 0 AND o.table_id = p_table_id) THEN
    RAISE EXCEPTION 'statdb: the observations of table % are already loaded', p_table_id USING ERRCODE = 'unique_violation';
  END IF;
  v_stage := to_regclass('pg_temp.statdb_stage');
  IF v_stage IS NULL OR NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = v_stage AND c.relkind = 'r'
                                    AND c.relpersistence = 't' AND c.relowner = to_regrole(current_user)) THEN
    RAISE EXCEPTION 'statdb: no staging table (statdb_stage_open)' USING ERRCODE = 'undefined_table';
  END IF;
  SELECT string_agg(format('%I, ', a.attname), '' ORDER BY a.attnum) INTO v_dims FROM pg_attribute a
   WHERE a.attrelid = v_stage AND a.attnum > 0 AND NOT a.attisdropped AND a.attname = ANY(dims);
  SELECT coalesce(bit_or(1 << (array_position(dims, c.obj_id::text) - 1)), 0) INTO v_mask
    FROM public.class_obj c WHERE c.table_id = p_table_id AND c.indexed;
  -- pg_class.reltuples is unknown for a fresh temporary table: count (a sequential read of the stage)
  EXECUTE 'SELECT count(*) >= statdb_own_partition_min_rows() FROM pg_temp.statdb_stage' INTO v_own;

  IF v_own THEN
    PERFORM statdb_partition_create(p_table_id);
    EXECUTE format('INSERT INTO {SCHEMA}.%I (table_id, tenant_id, seq, %s unit, value, raw, annotation, indexed, part)'
                   ' SELECT $1, $2, seq, %s unit, value::numeric, raw, annotation, $3, $1 FROM pg_temp.statdb_stage',
                   'observation_' || p_table_id, coalesce(v_dims, ''), coalesce(v_dims, ''))
      USING p_table_id, v_tenant, v_mask;
  ELSE
    -- through the parent: its policies check the rows (the shared partition admits no one directly)
    EXECUTE format('INSERT INTO public.observation (table_id, tenant_id, seq, %s unit, value, raw, annotation, indexed, part)'
                   ' SELECT $1, $2, seq, %s unit, value::numeric, raw, annotation, $3, 0 FROM pg_temp.statdb_stage',
                   coalesce(v_dims, ''), coalesce(v_dims, ''))
      USING p_table_id, v_tenant, v_mask;
  END IF;
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  DROP TABLE pg_temp.statdb_stage;
  IF v_own THEN
    PERFORM statdb_partition_attach(p_table_id);
  END IF;
  RETURN v_rows;
END $$;
REVOKE ALL ON FUNCTION statdb_load_observations(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION statdb_load_observations(bigint) TO {APP_ROLE};

-- A deleted table takes its observations with it: its own partition, or its rows of the shared one.
CREATE OR REPLACE FUNCTION statdb_drop_observations() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SAFE_PATH} SET lock_timeout = '1s' AS $$
BEGIN
  IF to_regclass(format('{SCHEMA}.%I', 'observation_' || OLD.id)) IS NOT NULL THEN
    EXECUTE format('DROP TABLE {SCHEMA}.%I', 'observation_' || OLD.id);
  ELSE
    DELETE FROM public.observation o WHERE o.part = 0 AND o.table_id = OLD.id;
  END IF;
  RETURN OLD;
END $$;
REVOKE ALL ON FUNCTION statdb_drop_observations() FROM PUBLIC;
"""

RLS = enable("observation") + public_read("observation", OF_PUBLISHED)
SYSTEM = "SELECT set_config('app.role', 'system', true)"
BATCH = 100
NEXT_TABLES = """SELECT substr(c.relname, 13)::bigint AS id FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
 WHERE i.inhparent = 'public.observation_by_table'::regclass ORDER BY 1 LIMIT 100"""
COLUMNS = """SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
 WHERE attrelid = 'public.observation_by_table'::regclass AND attnum > 0 AND NOT attisdropped"""


async def _move(conn: Any, table_id: int, cols: str) -> None:
    """One table of the old layout into the new one."""
    part = f"{SCHEMA}.observation_{int(table_id)}"
    rows = await conn.fetchval(f"SELECT count(*) FROM observation_by_table WHERE table_id = {int(table_id)}")
    if rows >= MIN_ROWS:  # keeps its partition: detached, given its part, attached again
        name = f"observation_{int(table_id)}"
        await conn.execute(
            f"""ALTER TABLE observation_by_table DETACH PARTITION {part};
            ALTER TABLE {part} ADD COLUMN part bigint NOT NULL DEFAULT {int(table_id)};
            ALTER TABLE {part} DROP CONSTRAINT {name}_pkey;
            ALTER TABLE {part} DROP CONSTRAINT IF EXISTS {name}_table;
            ALTER TABLE {part} ADD CONSTRAINT {name}_part CHECK (part = {int(table_id)});
            ALTER TABLE {part} ADD CONSTRAINT {name}_pkey PRIMARY KEY (table_id, seq, part);
            ALTER TABLE observation ATTACH PARTITION {part} FOR VALUES IN ({int(table_id)});"""
        )
    else:
        await conn.execute(
            f"INSERT INTO observation ({cols}, part) SELECT {cols}, 0 FROM observation_by_table"
            f" WHERE table_id = {int(table_id)}"
        )
        await conn.execute(f"DROP TABLE {part}")


async def _up(conn: Any) -> None:
    async with conn.transaction():
        await conn.execute(SYSTEM)
        await conn.execute(PREPARE + RLS)
    while await conn.fetchval("SELECT to_regclass('public.observation_by_table') IS NOT NULL"):
        async with conn.transaction():
            await conn.execute(SYSTEM)
            cols = await conn.fetchval(COLUMNS)
            ids = [r["id"] for r in await conn.fetch(NEXT_TABLES)]
            for table_id in ids:
                await _move(conn, table_id, cols)
            if len(ids) < BATCH:
                await conn.execute("DROP TABLE observation_by_table")


DOWN = (
    """
DO $do$
BEGIN
  IF (SELECT c.relkind FROM pg_class c WHERE c.oid = 'public.observation'::regclass) = 'p' THEN
    CREATE TABLE observation_flat (LIKE observation INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
    INSERT INTO observation_flat SELECT * FROM observation;
    DROP TABLE observation;
    ALTER TABLE observation_flat DROP COLUMN part;
    ALTER TABLE observation_flat RENAME TO observation;
    ALTER TABLE observation ADD PRIMARY KEY (table_id, seq);
"""
    + "".join(  # statdb_0001's partial indexes, which statdb_0002 drops on its way
        f"    CREATE INDEX observation_{o} ON observation (table_id, {o}) WHERE (indexed & {1 << i}) <> 0;\n"
        for i, o in enumerate(OBJ_IDS)
    )
    + """  END IF;
END $do$;
DROP FUNCTION IF EXISTS statdb_own_partition_min_rows();
"""
)


async def _down(conn: Any) -> None:
    """One plain table again, then statdb_0002's own step from a plain table: a partition per
    table, its functions and trigger as they were."""
    import importlib

    async with conn.transaction():
        await conn.execute(SYSTEM)
        await conn.execute(DOWN)
    previous = importlib.import_module("govstat.platform.subsystems.statdb.piccolo_migrations.statdb_0002_partitions")
    await previous._up(conn)


async def forwards() -> MigrationManager:
    """Not one transaction: the preparation and each batch of tables commit on their own.
    Interrupted, `govstat migrate` runs it again and it goes on where it stopped."""
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
