from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable, public_read

ID = "2026-11-26T00:00:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: database tables (statsDataId), classes, observations, usage figures"

OBJ_IDS = ["tab"] + [f"cat{i:02d}" for i in range(1, 16)] + ["area", "time"]
# Published and due: visible to everyone from publish_at on, never a second earlier.
PUBLISHED = "status = 'published' AND publish_at IS NOT NULL AND publish_at <= now()"
# Child rows follow their table. Uncorrelated, so PostgreSQL hashes it once per query.
OF_PUBLISHED = f"table_id IN (SELECT id FROM stat_table WHERE {PUBLISHED})"

DIMENSIONS = ",\n  ".join(f'{o} text COLLATE "C"' for o in OBJ_IDS)
# One partial index per dimension, holding only the rows of tables where that dimension has enough
# codes for an index to beat scanning the table's own rows (bit i of `indexed` = OBJ_IDS[i]; see
# statdb/ingest.py). Unused and small dimensions cost nothing at ingestion.
DIM_INDEXES = "".join(
    f"CREATE INDEX observation_{o} ON observation (table_id, {o}) WHERE (indexed & {1 << i}) <> 0;\n"
    for i, o in enumerate(OBJ_IDS)
)

UP = f"""
-- statsDataId: 10 digits like e-Stat's; this system's series starts at 8000000001 so that it
-- never collides with an id e-Stat has issued.
CREATE SEQUENCE stat_table_id_seq START 8000000001 MINVALUE 8000000001 MAXVALUE 9999999999;

CREATE TABLE stat_table (
  id bigint PRIMARY KEY DEFAULT nextval('stat_table_id_seq'),
  stats_data_id char(10) GENERATED ALWAYS AS (lpad(id::text, 10, '0')) STORED UNIQUE,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  gov_stat_code varchar(8) NOT NULL REFERENCES gov_statistic(code),
  source_file_id uuid UNIQUE REFERENCES table_file(id),
  table_no varchar(32) NOT NULL DEFAULT '',
  title text NOT NULL CHECK (title <> ''),
  statistics_name text NOT NULL DEFAULT '',
  cycle text NOT NULL DEFAULT '',
  survey_date varchar(13) NOT NULL DEFAULT '',
  open_date date,
  explanation text NOT NULL DEFAULT '',
  notes jsonb NOT NULL DEFAULT '[]',
  status varchar(16) NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'scheduled', 'published')),
  test_mode boolean NOT NULL DEFAULT false,
  publish_at timestamptz,
  published_at timestamptz,
  total_number bigint NOT NULL DEFAULT 0,
  params bytea NOT NULL,
  params_sha256 char(64) NOT NULL,
  data_sha256 char(64) NOT NULL,
  data_filename text NOT NULL DEFAULT '',
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT test_mode OR status = 'registered'),
  CHECK (status = 'registered' OR publish_at IS NOT NULL)
);
ALTER SEQUENCE stat_table_id_seq OWNED BY stat_table.id;
CREATE INDEX stat_table_tenant ON stat_table (tenant_id, created_at DESC);
CREATE INDEX stat_table_due ON stat_table (publish_at) WHERE status = 'scheduled';
CREATE INDEX stat_table_published ON stat_table (id) WHERE status = 'published';

CREATE TABLE class_obj (
  table_id bigint NOT NULL REFERENCES stat_table(id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL,
  obj_id varchar(8) NOT NULL CHECK (obj_id ~ '^(tab|cat(0[1-9]|1[0-5])|area|time)$'),
  name text NOT NULL,
  position smallint NOT NULL,
  source varchar(16) NOT NULL DEFAULT 'items' CHECK (source IN ('items', 'data', 'area_codes')),
  indexed boolean NOT NULL DEFAULT false,
  PRIMARY KEY (table_id, obj_id)
);

CREATE TABLE class_item (
  table_id bigint NOT NULL,
  tenant_id uuid NOT NULL,
  obj_id varchar(8) NOT NULL,
  code text COLLATE "C" NOT NULL CHECK (code <> ''),
  name text NOT NULL,
  level smallint NOT NULL DEFAULT 1 CHECK (level >= 1),
  unit text,
  parent_code text COLLATE "C",
  position integer NOT NULL,
  PRIMARY KEY (table_id, obj_id, code),
  FOREIGN KEY (table_id, obj_id) REFERENCES class_obj (table_id, obj_id) ON DELETE CASCADE
);
CREATE INDEX class_item_parent ON class_item (table_id, obj_id, parent_code);

-- One row per cell (観測値). seq is the stable order (paging); value is NULL where the cell holds
-- a special character, which is kept in raw. No foreign key: an RI check per row would cost more
-- than the insert itself; the service deletes observations with their table.
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
);
{DIM_INDEXES}
-- STATDB-3: usage figures per table and day (JST).
CREATE TABLE stat_table_usage (
  table_id bigint NOT NULL REFERENCES stat_table(id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL,
  day date NOT NULL,
  views bigint NOT NULL DEFAULT 0,
  downloads bigint NOT NULL DEFAULT 0,
  api_rows bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (table_id, day)
);
"""

RLS = (
    enable("stat_table")
    + public_read("stat_table", PUBLISHED)
    + "".join(enable(t) + public_read(t, OF_PUBLISHED) for t in ("class_obj", "class_item", "observation"))
    + enable("stat_table_usage")
)

forwards = sql_migration(
    migration_id=ID,
    app_name="statdb",
    description=DESCRIPTION,
    up=UP + RLS,
    down="DROP TABLE stat_table_usage, observation, class_item, class_obj, stat_table;",
)
