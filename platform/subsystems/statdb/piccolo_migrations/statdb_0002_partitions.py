"""statdb: `observation` partitioned by database table (one partition per table_id).

A table's observations are loaded into a partition of their own and its indexes are built in bulk
(CREATE INDEX sorts once: far cheaper than maintaining the primary key and the dimension indexes
for each of a million inserted rows), then the partition is attached. Only functions owned by this
migration's role create, fill, attach and drop partitions:

- `statdb_stage_open(dims)` then `statdb_load_observations(table_id)` (SECURITY DEFINER, executable
  by the app role): the first creates the session's temporary `statdb_stage`, owned by the owner
  (the caller may only COPY into it: it cannot hang a policy or rule on it that would run as the
  owner); the caller COPYs; the second refuses a table the caller's scope may not write (row-level
  security is forced on the owner too, with the session's settings: the stat_table row must be
  visible and the caller's own tenant's, unless the scope is operator or system) or one already
  loaded, creates the partition without indexes, inserts the staged rows with the table's id,
  tenant and index bits (taken from stat_table and class_obj, never from the caller), drops the
  stage, builds the primary key and the indexes of the dimensions marked `indexed`, analyses the
  partition and attaches it.
- `statdb_drop_observations()`: an AFTER DELETE trigger on stat_table (SECURITY DEFINER) drops the
  deleted table's partition. The DELETE itself passes row-level security: a table the caller may
  not delete is never dropped.

Partitions live in schema `statdb_partition`, where the app role has no USAGE and no grant (and
`govstat migrate`'s grants on schema public never reach them): the app reads and writes only
through `observation`, whose policies (tenant_isolation, public_read) apply to every row of every
partition. Row-level security is enabled and forced on each partition with no policy, so even the
owner reading a partition directly sees nothing.

A dimension index on a partition holds only that table's rows, so it is a plain index on the
dimension: the partial indexes on `indexed` bits are gone; the column keeps its meaning (bit i =
OBJ_IDS[i] has an index) for the record.

Existing rows move table by table into partitions (a database with tables migrates; so does an
empty one), a hundred tables per transaction (see forwards())."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

from govstat.platform.db.migrations import APP_ROLE
from govstat.platform.db.rls import enable, public_read

ID = "2026-11-26T00:00:32:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: observation partitioned per database table, loaded and dropped by owner functions"

OBJ_IDS = ["tab"] + [f"cat{i:02d}" for i in range(1, 16)] + ["area", "time"]
# As in statdb_0001 (a migration is a snapshot: no import from another one).
PUBLISHED = "status = 'published' AND publish_at IS NOT NULL AND publish_at <= now()"
OF_PUBLISHED = f"table_id IN (SELECT id FROM stat_table WHERE {PUBLISHED})"

DIMENSIONS = ",\n  ".join(f'{o} text COLLATE "C"' for o in OBJ_IDS)
DIMS_ARRAY = "ARRAY[" + ", ".join(f"'{o}'" for o in OBJ_IDS) + "]::text[]"
SCHEMA = "statdb_partition"
# Functions that run as the owner: no object of the caller's (pg_temp last) is ever found by name.
SAFE_PATH = "pg_catalog, public, pg_temp"

# Runs again after an interruption (see forwards): every step is idempotent.
PREPARE = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
REVOKE ALL ON SCHEMA {SCHEMA} FROM PUBLIC;
COMMENT ON SCHEMA {SCHEMA} IS 'statdb: one partition of observation per database table; read through public.observation';

DO $do$
BEGIN
  IF (SELECT c.relkind FROM pg_class c WHERE c.oid = 'public.observation'::regclass) = 'r' THEN
    ALTER TABLE observation RENAME TO observation_unpartitioned;
    ALTER INDEX observation_pkey RENAME TO observation_unpartitioned_pkey;
    ALTER TABLE observation_unpartitioned RENAME CONSTRAINT observation_check TO observation_unpartitioned_check;
    {"".join(f"DROP INDEX observation_{o};" for o in OBJ_IDS)}
    CREATE TABLE observation (
      table_id bigint NOT NULL,
      tenant_id uuid NOT NULL,
      seq integer NOT NULL,
      {DIMENSIONS},
      unit text,
      value numeric,
      raw text,
      annotation text,
      indexed integer NOT NULL DEFAULT 0,
      PRIMARY KEY (table_id, seq),
      CHECK (value IS NOT NULL OR raw IS NOT NULL)
    ) PARTITION BY LIST (table_id);
    COMMENT ON TABLE observation IS 'statdb: one partition per table (schema {SCHEMA}), loaded by statdb_load_observations()';
  END IF;
END $do$;

-- An empty partition for one table, not attached. Its CHECK lets ATTACH skip the validation scan.
CREATE OR REPLACE FUNCTION statdb_partition_create(p_table_id bigint) RETURNS void
LANGUAGE plpgsql SET search_path = {SAFE_PATH} AS $$
BEGIN
  EXECUTE format('CREATE TABLE {SCHEMA}.%I (LIKE public.observation INCLUDING DEFAULTS INCLUDING CONSTRAINTS,'
                 ' CONSTRAINT %I CHECK (table_id = %s))',
                 'observation_' || p_table_id, 'observation_' || p_table_id || '_table', p_table_id);
END $$;

-- The loaded partition's indexes, built in bulk: the primary key and one index per dimension
-- marked indexed in class_obj; its statistics. Then closed to direct access and attached (the
-- parent's primary key adopts the partition's).
CREATE OR REPLACE FUNCTION statdb_partition_attach(p_table_id bigint) RETURNS void
LANGUAGE plpgsql SET search_path = {SAFE_PATH} AS $$
DECLARE
  part text := 'observation_' || p_table_id;
  dim text;
BEGIN
  EXECUTE format('ALTER TABLE {SCHEMA}.%I ADD CONSTRAINT %I PRIMARY KEY (table_id, seq)', part, part || '_pkey');
  FOR dim IN SELECT c.obj_id FROM public.class_obj c
             WHERE c.table_id = p_table_id AND c.indexed AND c.obj_id = ANY({DIMS_ARRAY}) ORDER BY c.position LOOP
    EXECUTE format('CREATE INDEX %I ON {SCHEMA}.%I (%I)', part || '_' || dim, part, dim);
  END LOOP;
  -- Statistics at once (a sample; autovacuum would come a minute later): without them the planner
  -- takes table_id for selective and sorts whole tables instead of reading the primary key in order.
  EXECUTE format('ANALYZE {SCHEMA}.%I', part);
  EXECUTE format('ALTER TABLE {SCHEMA}.%I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', part);
  EXECUTE format('ALTER TABLE public.observation ATTACH PARTITION {SCHEMA}.%I FOR VALUES IN (%s)', part, p_table_id);
END $$;
REVOKE ALL ON FUNCTION statdb_partition_create(bigint), statdb_partition_attach(bigint) FROM PUBLIC;

-- The app's way in, in two steps. First the staging table: this session's temporary table, created
-- and owned by the owner, so that the caller can only INSERT (COPY) into it, never attach a policy,
-- rule or view to it that would run as the owner when the load reads it. Its columns: seq integer;
-- the given dimensions' codes, unit, value, raw, annotation as text. Gone at commit, or at the load.
CREATE OR REPLACE FUNCTION statdb_stage_open(p_dims text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
DECLARE
  dims constant text[] := {DIMS_ARRAY};
  v_cols text;
BEGIN
  IF p_dims IS NULL OR NOT (p_dims <@ dims) OR cardinality(p_dims) <> (SELECT count(DISTINCT d) FROM unnest(p_dims) d) THEN
    RAISE EXCEPTION 'statdb: not a list of dimensions: %', p_dims USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT string_agg(format('%I text, ', d), '' ORDER BY n) INTO v_cols FROM unnest(p_dims) WITH ORDINALITY AS x(d, n);
  EXECUTE format('CREATE TEMP TABLE statdb_stage (seq integer NOT NULL, %s unit text, value text, raw text,'
                 ' annotation text) ON COMMIT DROP', coalesce(v_cols, ''));
  EXECUTE format('GRANT INSERT ON pg_temp.statdb_stage TO %I', session_user);
END $$;

-- Then the load: observations of one table from the staging table. Returns the rows loaded.
CREATE OR REPLACE FUNCTION statdb_load_observations(p_table_id bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
DECLARE
  dims constant text[] := {DIMS_ARRAY};
  v_tenant uuid;
  v_stage regclass;
  v_mask integer;
  v_dims text;
  v_rows bigint;
BEGIN
  -- Row-level security on stat_table holds here with the caller's settings (current_user is the
  -- owner, and RLS is forced): the row is found only if the caller sees it. Published tables are
  -- visible to all, hence the tenant condition (FOR UPDATE asks the tenant_isolation policy too).
  SELECT s.tenant_id INTO v_tenant FROM public.stat_table s
   WHERE s.id = p_table_id AND (govstat_cross_tenant() OR s.tenant_id = govstat_scope_tenant())
   FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'statdb: table % is not writable in this scope', p_table_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF to_regclass(format('{SCHEMA}.%I', 'observation_' || p_table_id)) IS NOT NULL THEN
    RAISE EXCEPTION 'statdb: the observations of table % are already loaded', p_table_id USING ERRCODE = 'unique_violation';
  END IF;
  -- Only the stage statdb_stage_open() made in this session (pg_temp is the session's own schema):
  -- a table of the caller's by that name is refused, nothing of the caller's runs as the owner.
  v_stage := to_regclass('pg_temp.statdb_stage');
  IF v_stage IS NULL OR NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = v_stage AND c.relkind = 'r'
                                    AND c.relpersistence = 't' AND c.relowner = to_regrole(current_user)) THEN
    RAISE EXCEPTION 'statdb: no staging table (statdb_stage_open)' USING ERRCODE = 'undefined_table';
  END IF;
  SELECT string_agg(format('%I, ', a.attname), '' ORDER BY a.attnum) INTO v_dims FROM pg_attribute a
   WHERE a.attrelid = v_stage AND a.attnum > 0 AND NOT a.attisdropped AND a.attname = ANY(dims);
  SELECT coalesce(bit_or(1 << (array_position(dims, c.obj_id::text) - 1)), 0) INTO v_mask
    FROM public.class_obj c WHERE c.table_id = p_table_id AND c.indexed;

  PERFORM statdb_partition_create(p_table_id);
  EXECUTE format('INSERT INTO {SCHEMA}.%I (table_id, tenant_id, seq, %s unit, value, raw, annotation, indexed)'
                 ' SELECT $1, $2, seq, %s unit, value::numeric, raw, annotation, $3 FROM pg_temp.statdb_stage',
                 'observation_' || p_table_id, coalesce(v_dims, ''), coalesce(v_dims, ''))
    USING p_table_id, v_tenant, v_mask;
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  DROP TABLE pg_temp.statdb_stage;
  PERFORM statdb_partition_attach(p_table_id);
  RETURN v_rows;
END $$;
REVOKE ALL ON FUNCTION statdb_stage_open(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION statdb_stage_open(text[]) TO {APP_ROLE};
REVOKE ALL ON FUNCTION statdb_load_observations(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION statdb_load_observations(bigint) TO {APP_ROLE};

-- A deleted table takes its partition with it. Dropping a partition locks observation for a moment
-- (ACCESS EXCLUSIVE until commit): wait at most 1 s for readers, or fail (the caller may retry)
-- rather than hold every reader behind the queued lock.
CREATE OR REPLACE FUNCTION statdb_drop_observations() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SAFE_PATH} SET lock_timeout = '1s' AS $$
BEGIN
  EXECUTE format('DROP TABLE IF EXISTS {SCHEMA}.%I', 'observation_' || OLD.id);
  RETURN OLD;
END $$;
REVOKE ALL ON FUNCTION statdb_drop_observations() FROM PUBLIC;
DROP TRIGGER IF EXISTS stat_table_drop_observations ON stat_table;
CREATE TRIGGER stat_table_drop_observations AFTER DELETE ON stat_table
  FOR EACH ROW EXECUTE FUNCTION statdb_drop_observations();

"""

# Existing tables, a batch per transaction: a transaction keeps its locks on the partitions it
# creates until it commits (about six entries of the shared lock table each, which holds
# max_locks_per_transaction x max_connections = 6,400 by default), so one transaction for
# thousands of tables would run out of shared memory. Every table gets a partition, even if empty.
BATCH = 100
NEXT_TABLES = f"""SELECT s.id FROM stat_table s WHERE to_regclass(format('{SCHEMA}.%I', 'observation_' || s.id)) IS NULL
ORDER BY s.id LIMIT {BATCH}"""
MOVE_ROWS = (
    f"INSERT INTO {SCHEMA}.observation_{{id}} SELECT table_id, tenant_id, seq, {', '.join(OBJ_IDS)}, unit, value,"
    " raw, annotation, indexed FROM observation_unpartitioned WHERE table_id = $1"
)

FINISH = """
DO $do$
DECLARE orphans bigint;
BEGIN
  IF to_regclass('public.observation_unpartitioned') IS NOT NULL THEN
    SELECT count(*) INTO orphans FROM observation_unpartitioned o WHERE NOT EXISTS (SELECT 1 FROM stat_table s WHERE s.id = o.table_id);
    IF orphans > 0 THEN
      RAISE NOTICE 'statdb: % observations of no table (unreachable) were not kept', orphans;
    END IF;
    DROP TABLE observation_unpartitioned;
  END IF;
END $do$;
"""

RLS = enable("observation") + public_read("observation", OF_PUBLISHED)
# FORCE ROW LEVEL SECURITY applies to the owner too: the migration sees every tenant's rows as the
# platform does. set_config(..., true) ends with each transaction.
SYSTEM = "SELECT set_config('app.role', 'system', true)"


async def _up(conn) -> None:
    async with conn.transaction():
        await conn.execute(SYSTEM)
        await conn.execute(PREPARE + RLS)
    old_rows = await conn.fetchval("SELECT to_regclass('public.observation_unpartitioned') IS NOT NULL")
    while True:
        async with conn.transaction():
            await conn.execute(SYSTEM)
            ids = [r["id"] for r in await conn.fetch(NEXT_TABLES)]
            for table_id in ids:
                await conn.execute("SELECT statdb_partition_create($1)", table_id)
                if old_rows:
                    await conn.execute(MOVE_ROWS.format(id=int(table_id)), table_id)
                await conn.execute("SELECT statdb_partition_attach($1)", table_id)
        if len(ids) < BATCH:
            break
    async with conn.transaction():
        await conn.execute(SYSTEM)
        await conn.execute(FINISH)


DIM_INDEXES = "".join(
    f"CREATE INDEX observation_{o} ON observation (table_id, {o}) WHERE (indexed & {1 << i}) <> 0;\n"
    for i, o in enumerate(OBJ_IDS)
)
DOWN_START = """
DROP TRIGGER stat_table_drop_observations ON stat_table;
DROP FUNCTION statdb_drop_observations(), statdb_load_observations(bigint), statdb_stage_open(text[]);
CREATE TABLE observation_flat (LIKE observation INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
"""
# read through the parent (the partitions' own row-level security lets no one read them directly)
DOWN_MOVE = "INSERT INTO observation_flat SELECT * FROM observation WHERE table_id = $1"
DOWN_FINISH = (
    f"""
DROP TABLE observation;
DROP SCHEMA {SCHEMA} CASCADE;
DROP FUNCTION statdb_partition_attach(bigint), statdb_partition_create(bigint);
ALTER TABLE observation_flat RENAME TO observation;
ALTER TABLE observation ADD PRIMARY KEY (table_id, seq);
{DIM_INDEXES}"""
    + enable("observation")
    + public_read("observation", OF_PUBLISHED)
)


async def _down(conn) -> None:
    async with conn.transaction():
        await conn.execute(SYSTEM)
        await conn.execute(DOWN_START)
    while True:  # partitions dropped a batch per transaction, as they were made
        async with conn.transaction():
            await conn.execute(SYSTEM)
            ids = [
                r["id"]
                for r in await conn.fetch(
                    "SELECT substr(c.relname, 13)::bigint AS id FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    f" WHERE i.inhparent = 'public.observation'::regclass ORDER BY 1 LIMIT {BATCH}"
                )
            ]
            for table_id in ids:
                await conn.execute(DOWN_MOVE, table_id)
                await conn.execute(f"DROP TABLE {SCHEMA}.observation_{int(table_id)}")
        if not ids:
            break
    async with conn.transaction():
        await conn.execute(SYSTEM)
        await conn.execute(DOWN_FINISH)


async def forwards() -> MigrationManager:
    """Not one transaction: the preparation, each batch of tables and the end commit on their own.
    Interrupted, `govstat migrate` runs it again and it goes on where it stopped (the migration is
    recorded once all is done)."""
    manager = MigrationManager(migration_id=ID, app_name="statdb", description=DESCRIPTION, wrap_in_transaction=False)

    def step(body):
        async def run() -> None:
            conn = await engine_finder().get_new_connection()
            try:
                await body(conn)
            finally:
                await conn.close()

        return run

    manager.add_raw(step(_up))
    manager.add_raw_backwards(step(_down))
    return manager
