"""statdb: loading a large table's partition counts its rows only up to the threshold (issue 14 §5).

`statdb_load_partition` (migration statdb_0009) counted every row it had been given to choose
between a partition of its own and the shared one: a sequential read of the million rows just
copied (0.1 s quiet, 0.4 s loaded), before the index builds read them again. It now counts up to
`statdb_own_partition_min_rows()` and stops; for a partition of its own it answers the number of
rows as `pg_class.reltuples` after the attach (ANALYZE's figure: exact for a table it reads whole,
an estimate above its sample). Nothing else changes: the same checks of the caller's scope and of
the table this transaction opened, the same grants."""

from govstat.platform.db.migrations import APP_ROLE, sql_migration
from govstat.platform.subsystems.statdb.piccolo_migrations import statdb_0009_copy_into_partition as previous

ID = "2026-12-22T00:00:42:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: a large table's load counts its rows up to the own-partition threshold only"

SAFE_PATH = "pg_catalog, public, pg_temp"

UP = f"""
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
  -- enough rows for a partition of their own? Counting stops at the threshold (a full count read
  -- the million rows once more, 0.1-0.4 s); a partition's number of rows is then ANALYZE's
  EXECUTE format('SELECT count(*) FROM (SELECT FROM statdb_load.%I LIMIT statdb_own_partition_min_rows()) s', v_name)
    INTO v_rows;
  IF v_rows >= statdb_own_partition_min_rows() THEN
    EXECUTE format('ALTER TABLE statdb_load.%I SET SCHEMA statdb_partition', v_name);
    PERFORM statdb_partition_attach(p_table_id);
    SELECT c.reltuples::bigint INTO v_rows FROM pg_class c
     WHERE c.oid = format('statdb_partition.%I', v_name)::regclass;
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

# statdb_0009's definition again (its UP only creates or replaces)
DOWN = previous.UP

forwards = sql_migration(migration_id=ID, app_name="statdb", description=DESCRIPTION, up=UP, down=DOWN)
