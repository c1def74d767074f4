"""tables: 差替え (a published file replaced, the previous one kept and readable) and 取り下げ
(withdrawn with a reason: the row stays and says so, the file is no longer served); publication by
the clock, as statdb_0004 (public from publish_at on, whether or not the job has run). Additive."""

from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable, public_read

ID = "2026-12-14T00:00:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "tables: replacements (差替え), withdrawals, visibility by the clock"

VISIBLE = "status IN ('scheduled', 'published') AND publish_at IS NOT NULL AND publish_at <= now()"
OF_SERVED = f"file_id IN (SELECT id FROM table_file WHERE {VISIBLE} AND withdrawn_at IS NULL)"

UP = f"""
ALTER TABLE table_file
  ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  ADD COLUMN replaced_at timestamptz,
  ADD COLUMN withdrawn_at timestamptz,
  ADD COLUMN withdrawn_reason text NOT NULL DEFAULT '',
  ADD COLUMN withdrawn_by text NOT NULL DEFAULT '',
  ADD CONSTRAINT table_file_withdrawn_reason CHECK (withdrawn_at IS NULL OR withdrawn_reason <> '');

-- A replaced file as it was (version n), with who replaced it, when and why.
CREATE TABLE table_file_version (
  file_id uuid NOT NULL REFERENCES table_file(id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  filename text NOT NULL,
  format varchar(8) NOT NULL,
  sha256 char(64) NOT NULL,
  size_bytes bigint NOT NULL,
  content bytea NOT NULL,
  reason text NOT NULL CHECK (reason <> ''),
  replaced_by text NOT NULL DEFAULT '',
  replaced_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (file_id, version)
);

CREATE OR REPLACE VIEW published_file WITH (security_invoker = true) AS
SELECT id, tenant_id, gov_stat_code, table_no, title, survey_date, notes, filename, format,
       'published'::varchar(16) AS status, publish_at, coalesce(published_at, publish_at) AS published_at, updated_at,
       version, replaced_at
FROM table_file WHERE {VISIBLE} AND withdrawn_at IS NULL;
"""

RLS = (
    public_read("table_file", VISIBLE)
    + public_read("table_file_blob", f"kind = 'data' AND {OF_SERVED}")
    + enable("table_file_version")
    + public_read("table_file_version", OF_SERVED)
)

forwards = sql_migration(
    migration_id=ID,
    app_name="tables",
    description=DESCRIPTION,
    up=UP + RLS,
    down="""
DROP VIEW published_file;
CREATE VIEW published_file WITH (security_invoker = true) AS
SELECT id, tenant_id, gov_stat_code, table_no, title, survey_date, notes, filename, format, status, publish_at,
       published_at, updated_at
FROM table_file WHERE status = 'published' AND publish_at IS NOT NULL AND publish_at <= now();
DROP TABLE table_file_version;
ALTER TABLE table_file DROP COLUMN version, DROP COLUMN replaced_at, DROP COLUMN withdrawn_at,
  DROP COLUMN withdrawn_reason, DROP COLUMN withdrawn_by;
""",
)
