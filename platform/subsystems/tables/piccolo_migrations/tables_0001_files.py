from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable, public_read

ID = "2026-11-26T00:00:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "tables: provision classification (提供分類), table files with their lifecycle, usage figures"

# Published and due: the public sees a row only from its announced time on, never a second
# earlier, even if the status were set early (PLAT-1: public by policy, drafts are the owner's).
PUBLISHED = "status = 'published' AND publish_at IS NOT NULL AND publish_at <= now()"

UP = """
-- TABLES-1: 提供分類 (provision classification) of one government statistic, three levels deep.
-- A tenant row: the agency that owns the statistic keeps its tree; published entries are public.
CREATE TABLE provision_class (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  gov_stat_code varchar(8) NOT NULL REFERENCES gov_statistic(code),
  parent_id uuid REFERENCES provision_class(id) ON DELETE RESTRICT,
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 3),
  code varchar(32) NOT NULL CHECK (code ~ '^[0-9A-Za-z_-]{1,32}$'),
  name_ja text NOT NULL CHECK (name_ja <> ''),
  name_en text NOT NULL DEFAULT '',
  position integer NOT NULL DEFAULT 0,
  published boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, gov_stat_code, code),
  CHECK ((level = 1) = (parent_id IS NULL))
);
CREATE INDEX provision_class_stat ON provision_class (gov_stat_code, level, position);

-- TABLES-2: a registered table file (統計表ファイル) and its lifecycle
-- draft -> finalised (確定) -> scheduled (公表予約, publish_at) -> published (公表).
CREATE TABLE table_file (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  gov_stat_code varchar(8) NOT NULL REFERENCES gov_statistic(code),
  provision_class_id uuid REFERENCES provision_class(id),
  table_no varchar(32) NOT NULL CHECK (table_no <> ''),
  title text NOT NULL CHECK (title <> ''),
  survey_date varchar(13) NOT NULL CHECK (survey_date ~ '^[0-9]{4}([0-9]{2})?(-[0-9]{4}([0-9]{2})?)?$'),
  notes text NOT NULL DEFAULT '',
  filename text NOT NULL,
  format varchar(8) NOT NULL CHECK (format IN ('csv', 'xlsx')),
  sha256 char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  has_params boolean NOT NULL DEFAULT false,
  status varchar(16) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'finalised', 'scheduled', 'published')),
  publish_at timestamptz,
  finalised_at timestamptz,
  published_at timestamptz,
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, gov_stat_code, table_no, survey_date),
  CHECK (status IN ('draft', 'finalised') OR publish_at IS NOT NULL),
  CHECK (status = 'draft' OR finalised_at IS NOT NULL)
);
CREATE INDEX table_file_due ON table_file (publish_at) WHERE status = 'scheduled';
CREATE INDEX table_file_tenant ON table_file (tenant_id, created_at DESC);

-- The stored files (bytea), apart from the row so that lists never drag them along.
CREATE TABLE table_file_blob (
  file_id uuid NOT NULL REFERENCES table_file(id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  kind varchar(8) NOT NULL CHECK (kind IN ('data', 'params')),
  sha256 char(64) NOT NULL,
  content bytea NOT NULL,
  PRIMARY KEY (file_id, kind)
);

-- TABLES-3: usage figures per table file and day (JST).
CREATE TABLE table_file_usage (
  file_id uuid NOT NULL REFERENCES table_file(id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  day date NOT NULL,
  views bigint NOT NULL DEFAULT 0,
  downloads bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (file_id, day)
);
"""

RLS = (
    enable("provision_class")
    + public_read("provision_class", "published")
    + enable("table_file")
    + public_read("table_file", PUBLISHED)
    + enable("table_file_blob")
    + public_read("table_file_blob", f"kind = 'data' AND file_id IN (SELECT id FROM table_file WHERE {PUBLISHED})")
    + enable("table_file_usage")
)

forwards = sql_migration(
    migration_id=ID,
    app_name="tables",
    description=DESCRIPTION,
    up=UP + RLS,
    down="DROP TABLE table_file_usage, table_file_blob, table_file, provision_class;",
)
