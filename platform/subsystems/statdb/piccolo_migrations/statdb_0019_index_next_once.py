"""statdb: one dimension-index build at a time (h19 review; numbered 0019 so that it never clashes
with another branch's 0017-0018).

`statdb_index_next()` (statdb_0016) is called by the job `statdb.index_partitions`, queued at an
upload's commit and run every minute as a backstop: two runs may overlap (two workers, or the queued
run and the minute's). Both then found the same partition's index missing and both ran CREATE INDEX;
the second failed on the index's name (unique violation on pg_class) and its run stopped there. Now a
call takes a transaction-level advisory lock first; a call that finds it held returns NULL at once
(another run is building: this one has nothing to do now, and does not hold a worker waiting).
"""

from govstat.platform.db.migrations import sql_migration
from govstat.platform.subsystems.statdb.piccolo_migrations.statdb_0016_deferred_indexes import SAFE_PATH

ID = "2026-12-24T00:00:19:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: statdb_index_next builds one partition at a time across callers"


def _index_next(guard: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION statdb_index_next() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {SAFE_PATH} AS $$
DECLARE
  v_id bigint;
BEGIN
  IF NOT govstat_cross_tenant() THEN
    RAISE EXCEPTION 'statdb: indexes are built by the system' USING ERRCODE = 'insufficient_privilege';
  END IF;{guard}
  FOR v_id IN SELECT substr(c.relname, 13)::bigint FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = 'public.observation'::regclass AND c.relname ~ '^observation_[0-9]+$'
               ORDER BY 1 LOOP
    IF statdb_partition_index(v_id) THEN
      RETURN v_id;
    END IF;
  END LOOP;
  RETURN NULL;
END $$;
"""


UP = _index_next("""
  IF NOT pg_try_advisory_xact_lock(hashtext('govstat.statdb_index_next')) THEN
    RETURN NULL;  -- another run is building (its indexes are not committed yet): nothing to do now
  END IF;""")
DOWN = _index_next("")

forwards = sql_migration(migration_id=ID, app_name="statdb", description=DESCRIPTION, up=UP, down=DOWN)
