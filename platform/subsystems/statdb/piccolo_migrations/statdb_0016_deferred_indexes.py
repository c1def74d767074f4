"""statdb: a streamed upload's partition gets its dimension indexes after commit (issue 14 §5;
numbered 0016 so that it never clashes with another branch's statdb_0012-0015).

`statdb_load_partition(table_id)` (statdb_0010) builds a large table's primary key and the index of
every dimension marked `indexed` in its transaction, one after the other, after the COPY: for a
million observations the two dimension indexes were a third of the write. Reads are correct
without them (a narrowed read scans the table's partition), so a load may now leave them to a job:

- `statdb_load_partition(table_id, indexes boolean)`: as the one-argument form, except that with
  `indexes = false` a partition of its own is attached with its primary key and its statistics
  (ANALYZE) only. The primary key stays in the transaction: the parent's key needs it, and reads
  in `seq` order use it from the first moment.
- `statdb_index_next()`: builds the missing dimension indexes of one partition (the first found),
  returns its table id, or NULL when every own partition has its indexes. Only a cross-tenant
  (system) scope may call it; the job `statdb.index_partitions` calls it in a transaction per
  partition every minute. CREATE INDEX takes a SHARE lock on that partition only: reads go on, and
  nothing writes to a loaded partition (deleting the table waits for the build).
"""

from govstat.platform.db.migrations import APP_ROLE, sql_migration

ID = "2026-12-24T00:00:16:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: a streamed load's dimension indexes built after commit by a job"

OBJ_IDS = ["tab"] + [f"cat{i:02d}" for i in range(1, 16)] + ["area", "time"]
DIMS_ARRAY = "ARRAY[" + ", ".join(f"'{o}'" for o in OBJ_IDS) + "]::text[]"
SCHEMA = "statdb_partition"
SAFE_PATH = "pg_catalog, public, pg_temp"

UP = f"""
-- statdb_partition_attach (statdb_0005) without the dimension indexes
CREATE OR REPLACE FUNCTION statdb_partition_attach_keyed(p_table_id bigint) RETURNS void
LANGUAGE plpgsql SET search_path = {SAFE_PATH} AS $$
DECLARE
  part text := 'observation_' || p_table_id;
BEGIN
  EXECUTE format('ALTER TABLE {SCHEMA}.%I ADD CONSTRAINT %I PRIMARY KEY (table_id, seq, part)', part, part || '_pkey');
  EXECUTE format('ANALYZE {SCHEMA}.%I', part);
  EXECUTE format('ALTER TABLE {SCHEMA}.%I ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', part);
  EXECUTE format('ALTER TABLE public.observation ATTACH PARTITION {SCHEMA}.%I FOR VALUES IN (%s)', part, p_table_id);
END $$;
REVOKE ALL ON FUNCTION statdb_partition_attach_keyed(bigint) FROM PUBLIC;

-- The dimension indexes of one own partition (CREATE INDEX IF NOT EXISTS: the same names as
-- statdb_partition_attach gives them); true if any was missing.
CREATE OR REPLACE FUNCTION statdb_partition_index(p_table_id bigint) RETURNS boolean
LANGUAGE plpgsql SET search_path = {SAFE_PATH} AS $$
DECLARE
  part text := 'observation_' || p_table_id;
  dim text;
  v_built boolean := false;
BEGIN
  FOR dim IN SELECT c.obj_id FROM public.class_obj c
             WHERE c.table_id = p_table_id AND c.indexed AND c.obj_id = ANY({DIMS_ARRAY}) ORDER BY c.position LOOP
    IF to_regclass(format('{SCHEMA}.%I', part || '_' || dim)) IS NULL THEN
      EXECUTE format('CREATE INDEX %I ON {SCHEMA}.%I (%I)', part || '_' || dim, part, dim);
      v_built := true;
    END IF;
  END LOOP;
  RETURN v_built;
END $$;
REVOKE ALL ON FUNCTION statdb_partition_index(bigint) FROM PUBLIC;

-- statdb_load_partition (statdb_0010) with the choice: p_indexes = false leaves a partition of its
-- own without its dimension indexes (statdb_index_next builds them after commit)
CREATE OR REPLACE FUNCTION statdb_load_partition(p_table_id bigint, p_indexes boolean) RETURNS bigint
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
  EXECUTE format('SELECT count(*) FROM (SELECT FROM statdb_load.%I LIMIT statdb_own_partition_min_rows()) s', v_name)
    INTO v_rows;
  IF v_rows >= statdb_own_partition_min_rows() THEN
    EXECUTE format('ALTER TABLE statdb_load.%I SET SCHEMA {SCHEMA}', v_name);
    IF p_indexes THEN
      PERFORM statdb_partition_attach(p_table_id);
    ELSE
      PERFORM statdb_partition_attach_keyed(p_table_id);
    END IF;
    SELECT c.reltuples::bigint INTO v_rows FROM pg_class c
     WHERE c.oid = format('{SCHEMA}.%I', v_name)::regclass;
  ELSE
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols FROM pg_attribute a
     WHERE a.attrelid = format('statdb_load.%I', v_name)::regclass AND a.attnum > 0 AND NOT a.attisdropped
       AND a.attname <> 'part';
    EXECUTE format('INSERT INTO public.observation (%s, part) SELECT %s, 0 FROM statdb_load.%I', v_cols, v_cols, v_name);
    EXECUTE format('DROP TABLE statdb_load.%I', v_name);
  END IF;
  RETURN v_rows;
END $$;
REVOKE ALL ON FUNCTION statdb_load_partition(bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION statdb_load_partition(bigint, boolean) TO {APP_ROLE};

-- For the job: one own partition's missing dimension indexes built; its table id, or NULL if none
-- is missing. System scope only.
CREATE OR REPLACE FUNCTION statdb_index_next() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
DECLARE
  v_id bigint;
BEGIN
  IF NOT govstat_cross_tenant() THEN
    RAISE EXCEPTION 'statdb: indexes are built by the system' USING ERRCODE = 'insufficient_privilege';
  END IF;
  FOR v_id IN SELECT substr(c.relname, 13)::bigint FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = 'public.observation'::regclass AND c.relname ~ '^observation_[0-9]+$'
               ORDER BY 1 LOOP
    IF statdb_partition_index(v_id) THEN
      RETURN v_id;
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION statdb_index_next() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION statdb_index_next() TO {APP_ROLE};
"""

DOWN = """
DROP FUNCTION IF EXISTS statdb_index_next(), statdb_load_partition(bigint, boolean), statdb_partition_index(bigint),
  statdb_partition_attach_keyed(bigint);
"""

forwards = sql_migration(migration_id=ID, app_name="statdb", description=DESCRIPTION, up=UP, down=DOWN)
