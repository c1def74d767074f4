"""statdb: a large table's observations are copied straight into its new partition (issue 14 §5).

Until now every load went through the session's staging table and `INSERT ... SELECT` into the
partition: PostgreSQL writes a WAL record per inserted row, and for a million observations that
INSERT took longer than the COPY before it (11 s against 2.9 s on the loaded machine, where a bare
COPY took 4.8 s). COPY into the partition itself writes pages in batches. Two functions, both the
owner's, give the app that way in without giving it the partition:

- `statdb_partition_open(table_id, dims)` checks, as `statdb_load_observations` does, that the
  caller's scope may write that table and that it has no observations yet, then creates
  `statdb_load.observation_<id>` (LIKE observation, with the partition's CHECK (part = id)), whose
  table_id, tenant_id, part and indexed come from column defaults it sets from stat_table and
  class_obj, and grants the caller INSERT on the other columns only (seq, the given dimensions,
  unit, value, raw, annotation). The table is created in the caller's open transaction, so no other
  session sees it; the owner's temporary `statdb_opened` (dropped at commit) records which table
  this transaction opened. A stale one (opened and committed without a load) is dropped and made
  again.
- `statdb_load_partition(table_id)` takes only a table this transaction opened: it revokes the
  grant, counts the rows, and either moves the table into `statdb_partition` and attaches it with
  its primary key and indexes built in bulk (`statdb_partition_attach`, as before), or, under
  `statdb_own_partition_min_rows()`, moves its rows into the shared partition through the parent
  (its policies check them) and drops it: the number of partitions still grows with large tables
  only (decision 0012).

The schema `statdb_load` gives the app USAGE only; `statdb_partition` stays closed to it."""

from govstat.platform.db.migrations import APP_ROLE, sql_migration

ID = "2026-12-22T00:00:41:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: COPY a large table's observations straight into its new partition"

OBJ_IDS = ["tab"] + [f"cat{i:02d}" for i in range(1, 16)] + ["area", "time"]
DIMS_ARRAY = "ARRAY[" + ", ".join(f"'{o}'" for o in OBJ_IDS) + "]::text[]"
SAFE_PATH = "pg_catalog, public, pg_temp"

UP = f"""
CREATE SCHEMA IF NOT EXISTS statdb_load;
REVOKE ALL ON SCHEMA statdb_load FROM PUBLIC;
GRANT USAGE ON SCHEMA statdb_load TO {APP_ROLE};

CREATE OR REPLACE FUNCTION statdb_partition_open(p_table_id bigint, p_dims text[]) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
DECLARE
  dims constant text[] := {DIMS_ARRAY};
  v_name constant text := 'observation_' || p_table_id;
  v_tenant uuid;
  v_mask integer;
  v_cols text;
  v_marker regclass;
BEGIN
  IF p_dims IS NULL OR NOT (p_dims <@ dims) OR cardinality(p_dims) <> (SELECT count(DISTINCT d) FROM unnest(p_dims) d) THEN
    RAISE EXCEPTION 'statdb: not a list of dimensions: %', p_dims USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT s.tenant_id INTO v_tenant FROM public.stat_table s
   WHERE s.id = p_table_id AND (govstat_cross_tenant() OR s.tenant_id = govstat_scope_tenant())
   FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'statdb: table % is not writable in this scope', p_table_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF to_regclass(format('statdb_partition.%I', v_name)) IS NOT NULL
     OR EXISTS (SELECT 1 FROM public.observation o WHERE o.part = 0 AND o.table_id = p_table_id) THEN
    RAISE EXCEPTION 'statdb: the observations of table % are already loaded', p_table_id USING ERRCODE = 'unique_violation';
  END IF;
  v_marker := to_regclass('pg_temp.statdb_opened');
  IF v_marker IS NULL THEN
    CREATE TEMP TABLE statdb_opened (table_id bigint PRIMARY KEY) ON COMMIT DROP;
  ELSIF NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = v_marker AND c.relkind = 'r' AND c.relpersistence = 't'
                    AND c.relowner = to_regrole(current_user)) THEN
    RAISE EXCEPTION 'statdb: pg_temp.statdb_opened is not the owner''s' USING ERRCODE = 'duplicate_table';
  END IF;
  SELECT coalesce(bit_or(1 << (array_position(dims, c.obj_id::text) - 1)), 0) INTO v_mask
    FROM public.class_obj c WHERE c.table_id = p_table_id AND c.indexed;
  EXECUTE format('DROP TABLE IF EXISTS statdb_load.%I', v_name);
  EXECUTE format('CREATE TABLE statdb_load.%I (LIKE public.observation INCLUDING DEFAULTS INCLUDING CONSTRAINTS,'
                 ' CONSTRAINT %I CHECK (part = %s))', v_name, v_name || '_part', p_table_id);
  EXECUTE format('ALTER TABLE statdb_load.%I ALTER table_id SET DEFAULT %s, ALTER tenant_id SET DEFAULT %L,'
                 ' ALTER part SET DEFAULT %s, ALTER indexed SET DEFAULT %s', v_name, p_table_id, v_tenant, p_table_id, v_mask);
  SELECT string_agg(format('%I, ', d), '' ORDER BY n) INTO v_cols FROM unnest(p_dims) WITH ORDINALITY AS x(d, n);
  EXECUTE format('GRANT INSERT (seq, %s unit, value, raw, annotation) ON statdb_load.%I TO %I',
                 coalesce(v_cols, ''), v_name, session_user);
  EXECUTE 'INSERT INTO pg_temp.statdb_opened VALUES ($1) ON CONFLICT DO NOTHING' USING p_table_id;
  RETURN v_name;
END $$;
REVOKE ALL ON FUNCTION statdb_partition_open(bigint, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION statdb_partition_open(bigint, text[]) TO {APP_ROLE};

CREATE OR REPLACE FUNCTION statdb_load_partition(p_table_id bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
DECLARE
  v_name constant text := 'observation_' || p_table_id;
  v_marker regclass := to_regclass('pg_temp.statdb_opened');
  v_opened boolean := false;
  v_rows bigint;
  v_cols text;
BEGIN
  PERFORM 1 FROM public.stat_table s
   WHERE s.id = p_table_id AND (govstat_cross_tenant() OR s.tenant_id = govstat_scope_tenant());
  IF NOT FOUND THEN
    RAISE EXCEPTION 'statdb: table % is not writable in this scope', p_table_id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF v_marker IS NOT NULL AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = v_marker AND c.relkind = 'r'
                                      AND c.relpersistence = 't' AND c.relowner = to_regrole(current_user)) THEN
    EXECUTE 'DELETE FROM pg_temp.statdb_opened WHERE table_id = $1 RETURNING true' INTO v_opened USING p_table_id;
  END IF;
  IF NOT coalesce(v_opened, false) OR to_regclass(format('statdb_load.%I', v_name)) IS NULL THEN
    RAISE EXCEPTION 'statdb: no partition opened for table % (statdb_partition_open)', p_table_id
      USING ERRCODE = 'undefined_table';
  END IF;
  EXECUTE format('REVOKE ALL ON statdb_load.%I FROM %I', v_name, session_user);
  EXECUTE format('SELECT count(*) FROM statdb_load.%I', v_name) INTO v_rows;
  IF v_rows >= statdb_own_partition_min_rows() THEN
    EXECUTE format('ALTER TABLE statdb_load.%I SET SCHEMA statdb_partition', v_name);
    PERFORM statdb_partition_attach(p_table_id);
  ELSE
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols FROM pg_attribute a
     WHERE a.attrelid = format('statdb_load.%I', v_name)::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attname <> 'part';
    -- through the parent: its policies check the rows (the shared partition admits no one directly)
    EXECUTE format('INSERT INTO public.observation (%s, part) SELECT %s, 0 FROM statdb_load.%I', v_cols, v_cols, v_name);
    EXECUTE format('DROP TABLE statdb_load.%I', v_name);
  END IF;
  RETURN v_rows;
END $$;
REVOKE ALL ON FUNCTION statdb_load_partition(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION statdb_load_partition(bigint) TO {APP_ROLE};
"""

DOWN = """
DROP FUNCTION IF EXISTS statdb_load_partition(bigint), statdb_partition_open(bigint, text[]);
DROP SCHEMA IF EXISTS statdb_load CASCADE;
"""

forwards = sql_migration(migration_id=ID, app_name="statdb", description=DESCRIPTION, up=UP, down=DOWN)
