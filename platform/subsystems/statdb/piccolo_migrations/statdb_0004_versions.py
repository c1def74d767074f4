"""statdb: publication is a function of the clock; corrections (訂正), extensions and withdrawals
(取り下げ) of published tables, with every earlier version readable (issue 14 §2).

Visibility: a table is public from publish_at on whether the publish job has flipped its status yet
or not (`status IN ('scheduled', 'published') AND publish_at <= now()`): the job runs once a minute
and is bookkeeping (events, e-mails), never the moment the public sees the data. A withdrawn table
keeps its row (the public reads that it was withdrawn, when and why) but not its data.

Versions: `stat_table.version` is the current one. `stat_table_version` records each version after
the first (and the first, when the second comes): who, when, why, what changed. A correction
updates cells in place and keeps each replaced cell in `stat_cell_revision` under the last version
that held it, so version v of a cell is its revision with the smallest version >= v, else the
current cell; an extension appends cells (seq > the earlier total) and class items (kept in
`added_items`, so an earlier version's CLASS_INF leaves them out).

Additive only: new columns, new tables, policies and the published_table view replaced (same
columns first, new ones at the end)."""

from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable, public_read

ID = "2026-12-14T00:00:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: visibility by the clock, versions (訂正・追加), withdrawals"

VISIBLE = "status IN ('scheduled', 'published') AND publish_at IS NOT NULL AND publish_at <= now()"
# Data (classes, observations, versions) only while not withdrawn.
OF_VISIBLE = f"table_id IN (SELECT id FROM stat_table WHERE {VISIBLE} AND withdrawn_at IS NULL)"

UP = f"""
ALTER TABLE stat_table
  ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  ADD COLUMN corrected_at timestamptz,
  ADD COLUMN withdrawn_at timestamptz,
  ADD COLUMN withdrawn_reason text NOT NULL DEFAULT '',
  ADD COLUMN withdrawn_by text NOT NULL DEFAULT '',
  ADD CONSTRAINT stat_table_withdrawn_reason CHECK (withdrawn_at IS NULL OR withdrawn_reason <> '');

CREATE TABLE stat_table_version (
  table_id bigint NOT NULL REFERENCES stat_table(id) ON DELETE CASCADE,
  version integer NOT NULL CHECK (version >= 1),
  tenant_id uuid NOT NULL,
  kind varchar(16) NOT NULL CHECK (kind IN ('original', 'correction', 'extension')),
  reason text NOT NULL DEFAULT '',
  changed_cells integer NOT NULL DEFAULT 0,
  added_cells integer NOT NULL DEFAULT 0,
  total_number bigint NOT NULL,
  added_items jsonb NOT NULL DEFAULT '{{}}' CHECK (jsonb_typeof(added_items) = 'object'),
  data_sha256 char(64) NOT NULL DEFAULT '',
  data_filename text NOT NULL DEFAULT '',
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (table_id, version),
  CHECK (kind = 'original' OR reason <> '')
);

CREATE TABLE stat_cell_revision (
  table_id bigint NOT NULL REFERENCES stat_table(id) ON DELETE CASCADE,
  seq integer NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  tenant_id uuid NOT NULL,
  unit text,
  value numeric,
  raw text,
  annotation text,
  PRIMARY KEY (table_id, seq, version),
  CHECK (value IS NOT NULL OR raw IS NOT NULL)
);

CREATE OR REPLACE VIEW published_table WITH (security_invoker = true) AS
SELECT id, stats_data_id, tenant_id, 'published'::varchar(16) AS status, gov_stat_code, source_file_id, table_no, title,
       statistics_name, cycle, survey_date, open_date, explanation, notes, total_number, publish_at,
       coalesce(published_at, publish_at) AS published_at, updated_at, version, corrected_at
FROM stat_table WHERE {VISIBLE} AND withdrawn_at IS NULL;
"""

RLS = (
    public_read("stat_table", VISIBLE)
    + "".join(public_read(t, OF_VISIBLE) for t in ("class_obj", "class_item", "observation"))
    + "".join(enable(t) + public_read(t, OF_VISIBLE) for t in ("stat_table_version", "stat_cell_revision"))
)

DOWN = """
CREATE OR REPLACE VIEW published_table WITH (security_invoker = true) AS
SELECT id, stats_data_id, tenant_id, status, gov_stat_code, source_file_id, table_no, title, statistics_name, cycle,
       survey_date, open_date, explanation, notes, total_number, publish_at, published_at, updated_at
FROM stat_table WHERE status = 'published' AND publish_at IS NOT NULL AND publish_at <= now();
"""

forwards = sql_migration(
    migration_id=ID,
    app_name="statdb",
    description=DESCRIPTION,
    up=UP + RLS,
    down="DROP VIEW published_table;"
    + DOWN
    + "DROP TABLE stat_cell_revision, stat_table_version; ALTER TABLE stat_table DROP COLUMN version,"
    " DROP COLUMN corrected_at, DROP COLUMN withdrawn_at, DROP COLUMN withdrawn_reason, DROP COLUMN withdrawn_by;",
)
