from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable, public_read

# Piccolo compares migration IDs as strings: ":60" sorts after ":51" (it is not parsed as a time).
ID = "2026-11-26T00:00:60:000000"
VERSION = "1.38.0"
DESCRIPTION = "metadata: survey metadata records with versions (draft, finalised, published), items, classifications used, table links"

# Published metadata is public by policy; a superseded version was published and stays readable
# (the version history). Drafts and finalised versions are the owner's (and the operator's).
PUBLIC = "status IN ('published', 'superseded')"
OF_PUBLIC = f"version_id IN (SELECT id FROM metadata_version WHERE {PUBLIC})"
# Columns of a version that its lifecycle changes; every other column is content, fixed once finalised.
LIFECYCLE = (
    "status",
    "finalised_at",
    "finalised_by",
    "approved_at",
    "approved_by",
    "published_at",
    "superseded_at",
    "review_note",
    "updated_at",
)
LIFECYCLE_SQL = "ARRAY[" + ", ".join(f"'{c}'" for c in LIFECYCLE) + "]"

UP = f"""
-- METADATA-1: one record per described survey of a government statistic (統計調査), owned by the
-- tenant whose agency owns the statistic. Its content lives in versions.
CREATE TABLE metadata_record (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  gov_stat_code varchar(8) NOT NULL REFERENCES gov_statistic(code),
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, tenant_id)
);
CREATE INDEX metadata_record_tenant ON metadata_record (tenant_id, created_at DESC);
CREATE INDEX metadata_record_stat ON metadata_record (gov_stat_code);

-- A version: draft -> finalised (確定, the agency) -> published (承認, the operator) -> superseded
-- (when a later version is approved). finalised -> draft is the operator's send-back (差戻し).
CREATE TABLE metadata_version (
  id uuid PRIMARY KEY,
  record_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  version_no integer NOT NULL CHECK (version_no >= 1),
  status varchar(16) NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'finalised', 'published', 'superseded')),
  survey_name text NOT NULL CHECK (survey_name <> ''),
  survey_name_en text NOT NULL DEFAULT '',
  purpose text NOT NULL DEFAULT '',
  legal_basis text NOT NULL DEFAULT '',
  population text NOT NULL DEFAULT '',
  observation_unit text NOT NULL DEFAULT '',
  cycle text NOT NULL DEFAULT '',
  method text NOT NULL DEFAULT '',
  reference_date date,
  period_from date,
  period_to date,
  contact text NOT NULL DEFAULT '',
  finalised_at timestamptz,
  finalised_by text,
  approved_at timestamptz,
  approved_by text,
  published_at timestamptz,
  superseded_at timestamptz,
  review_note text NOT NULL DEFAULT '',
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (record_id, tenant_id) REFERENCES metadata_record (id, tenant_id),
  UNIQUE (record_id, version_no),
  UNIQUE (id, tenant_id),
  CHECK (period_from IS NULL OR period_to IS NULL OR period_from <= period_to),
  CHECK (status = 'draft' OR finalised_at IS NOT NULL),
  CHECK (status IN ('draft', 'finalised') OR (approved_at IS NOT NULL AND published_at IS NOT NULL)),
  CHECK ((status = 'superseded') = (superseded_at IS NOT NULL))
);
-- at most one published version and one open (draft or finalised) version per record
CREATE UNIQUE INDEX metadata_version_one_published ON metadata_version (record_id) WHERE status = 'published';
CREATE UNIQUE INDEX metadata_version_one_open ON metadata_version (record_id) WHERE status IN ('draft', 'finalised');
CREATE INDEX metadata_version_published ON metadata_version (published_at DESC) WHERE status = 'published';
CREATE INDEX metadata_version_queue ON metadata_version (finalised_at) WHERE status = 'finalised';

-- 項目: the items the survey defines.
CREATE TABLE metadata_item (
  version_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  position integer NOT NULL,
  code varchar(32) NOT NULL DEFAULT '',
  name text NOT NULL CHECK (name <> ''),
  definition text NOT NULL DEFAULT '',
  unit text NOT NULL DEFAULT '',
  value_type varchar(16) NOT NULL CHECK (value_type IN ('integer', 'decimal', 'text', 'code', 'date', 'boolean')),
  PRIMARY KEY (version_id, position),
  UNIQUE (version_id, name),
  FOREIGN KEY (version_id, tenant_id) REFERENCES metadata_version (id, tenant_id) ON DELETE CASCADE
);

-- Classifications used: a version (and optionally one item) of the classification database, by
-- code, or free text. The names are kept as they were when registered: the classification
-- database is reloaded from its sources, so no foreign key ties these rows to it.
CREATE TABLE metadata_classification (
  version_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  position integer NOT NULL,
  classification_version varchar(32),
  classification_name text NOT NULL DEFAULT '',
  item_code varchar(8),
  item_name text NOT NULL DEFAULT '',
  free_text text,
  applies_to text NOT NULL DEFAULT '',
  note text NOT NULL DEFAULT '',
  PRIMARY KEY (version_id, position),
  FOREIGN KEY (version_id, tenant_id) REFERENCES metadata_version (id, tenant_id) ON DELETE CASCADE,
  CHECK ((classification_version IS NULL) <> (free_text IS NULL)),
  CHECK (item_code IS NULL OR classification_version IS NOT NULL),
  CHECK (free_text IS NULL OR free_text <> '')
);

-- Data linkage: a database table of the statistical database (statsDataId) or a table file of the
-- statistical table management system. Resolved when read (titles and publication from there).
CREATE TABLE metadata_table_link (
  version_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  position integer NOT NULL,
  stats_data_id char(10) CHECK (stats_data_id ~ '^[0-9]{{10}}$'),
  table_file_id uuid,
  note text NOT NULL DEFAULT '',
  PRIMARY KEY (version_id, position),
  FOREIGN KEY (version_id, tenant_id) REFERENCES metadata_version (id, tenant_id) ON DELETE CASCADE,
  CHECK ((stats_data_id IS NULL) <> (table_file_id IS NULL))
);
CREATE UNIQUE INDEX metadata_table_link_stat ON metadata_table_link (version_id, stats_data_id) WHERE stats_data_id IS NOT NULL;
CREATE UNIQUE INDEX metadata_table_link_file ON metadata_table_link (version_id, table_file_id) WHERE table_file_id IS NOT NULL;
CREATE INDEX metadata_table_link_by_stat ON metadata_table_link (stats_data_id) WHERE stats_data_id IS NOT NULL;
CREATE INDEX metadata_table_link_by_file ON metadata_table_link (table_file_id) WHERE table_file_id IS NOT NULL;

-- The database keeps the lifecycle honest whatever the caller does: only the allowed transitions,
-- and a version's content is fixed once it leaves draft (published metadata never changes; an
-- update makes a new version).
CREATE OR REPLACE FUNCTION metadata_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status IN ('published', 'superseded') THEN
      RAISE EXCEPTION 'metadata version % was published and is kept', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'metadata_version_fixed';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft'
     AND (to_jsonb(NEW) - {LIFECYCLE_SQL}) IS DISTINCT FROM (to_jsonb(OLD) - {LIFECYCLE_SQL}) THEN
    RAISE EXCEPTION 'metadata version % is %: its content is fixed', OLD.id, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'metadata_version_fixed';
  END IF;
  IF NEW.status <> OLD.status AND (OLD.status::text, NEW.status::text) NOT IN
     (('draft', 'finalised'), ('finalised', 'draft'), ('finalised', 'published'), ('published', 'superseded')) THEN
    RAISE EXCEPTION 'metadata version %: % -> % is not a transition', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'metadata_version_transition';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER metadata_version_guard BEFORE UPDATE OR DELETE ON metadata_version
  FOR EACH ROW EXECUTE FUNCTION metadata_version_guard();

CREATE OR REPLACE FUNCTION metadata_content_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  state text;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT status INTO state FROM metadata_version WHERE id = OLD.version_id;
    IF state IS NOT NULL AND state <> 'draft' THEN
      RAISE EXCEPTION 'metadata version % is %: its content is fixed', OLD.version_id, state
        USING ERRCODE = 'check_violation', CONSTRAINT = 'metadata_version_fixed';
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT status INTO state FROM metadata_version WHERE id = NEW.version_id;
    IF state IS NOT NULL AND state <> 'draft' THEN
      RAISE EXCEPTION 'metadata version % is %: its content is fixed', NEW.version_id, state
        USING ERRCODE = 'check_violation', CONSTRAINT = 'metadata_version_fixed';
    END IF;
    RETURN NEW;
  END IF;
  RETURN OLD;
END $$;
"""

CHILDREN = ("metadata_item", "metadata_classification", "metadata_table_link")
TRIGGERS = "".join(
    f"CREATE TRIGGER {t}_guard BEFORE INSERT OR UPDATE OR DELETE ON {t}"
    f" FOR EACH ROW EXECUTE FUNCTION metadata_content_guard();\n"
    for t in CHILDREN
)

RLS = (
    enable("metadata_record")
    + public_read("metadata_record", f"id IN (SELECT record_id FROM metadata_version WHERE {PUBLIC})")
    + enable("metadata_version")
    + public_read("metadata_version", PUBLIC)
    + "".join(enable(t) + public_read(t, OF_PUBLIC) for t in CHILDREN)
)

forwards = sql_migration(
    migration_id=ID,
    app_name="metadata",
    description=DESCRIPTION,
    up=UP + TRIGGERS + RLS,
    down="DROP TABLE metadata_table_link, metadata_classification, metadata_item, metadata_version,"
    " metadata_record; DROP FUNCTION metadata_content_guard(); DROP FUNCTION metadata_version_guard();",
)
