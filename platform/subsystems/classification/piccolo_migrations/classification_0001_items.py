from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import shared

ID = "2026-11-26T00:00:20:000000"
VERSION = "1.38.0"
DESCRIPTION = "classification: classifications, versions, items and the computed correspondence between versions"

forwards = sql_migration(
    migration_id=ID,
    app_name="classification",
    description=DESCRIPTION,
    up="""
CREATE TABLE classification (
  code varchar(16) PRIMARY KEY CHECK (code ~ '^[a-z]{2,16}$'),
  name_ja text NOT NULL,
  name_en text NOT NULL DEFAULT ''
);

CREATE TABLE classification_version (
  key varchar(32) PRIMARY KEY CHECK (key ~ '^[a-z]{2,16}-[0-9]{1,4}$'),
  classification_code varchar(16) NOT NULL REFERENCES classification(code) ON DELETE CASCADE,
  ordinal integer NOT NULL,
  name_ja text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  revision_ja text NOT NULL,
  revision_en text NOT NULL DEFAULT '',
  revised char(7) NOT NULL CHECK (revised ~ '^[0-9]{4}-[0-9]{2}$'),
  effective_from date NOT NULL,
  level_names_ja text[] NOT NULL,
  level_names_en text[] NOT NULL,
  source text NOT NULL DEFAULT '',
  UNIQUE (classification_code, ordinal)
);

CREATE TABLE classification_item (
  id bigserial PRIMARY KEY,
  version_key varchar(32) NOT NULL REFERENCES classification_version(key) ON DELETE CASCADE,
  seq integer NOT NULL,
  code varchar(8) NOT NULL CHECK (code ~ '^[A-Z0-9]{1,8}$'),
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  name_ja text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  parent_code varchar(8),
  path_codes text[] NOT NULL,
  path_names text[] NOT NULL,
  search_names text NOT NULL,
  search_description text NOT NULL DEFAULT '',
  UNIQUE (version_key, code),
  UNIQUE (version_key, seq),
  CHECK ((level = 1) = (parent_code IS NULL)),
  CHECK (cardinality(path_codes) = level AND cardinality(path_names) = level)
);
CREATE INDEX classification_item_level ON classification_item (version_key, level);
CREATE INDEX classification_item_code ON classification_item (code text_pattern_ops);

CREATE TABLE classification_correspondence (
  id bigserial PRIMARY KEY,
  from_version varchar(32) NOT NULL REFERENCES classification_version(key) ON DELETE CASCADE,
  to_version varchar(32) NOT NULL REFERENCES classification_version(key) ON DELETE CASCADE,
  seq integer NOT NULL,
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  kind varchar(16) NOT NULL CHECK (kind IN ('unchanged', 'renamed', 'moved', 'removed', 'added')),
  old_code varchar(8),
  old_name text,
  new_code varchar(8),
  new_name text,
  rule varchar(16) NOT NULL DEFAULT '',
  note text NOT NULL DEFAULT '',
  CHECK (from_version <> to_version),
  CHECK ((old_code IS NULL) = (kind = 'added') AND (new_code IS NULL) = (kind = 'removed')),
  UNIQUE (from_version, to_version, seq)
);
CREATE INDEX classification_correspondence_pair ON classification_correspondence (from_version, to_version, kind, level);
CREATE INDEX classification_correspondence_old ON classification_correspondence (from_version, old_code);
CREATE INDEX classification_correspondence_new ON classification_correspondence (to_version, new_code);
"""
    + shared("classification")
    + shared("classification_version")
    + shared("classification_item")
    + shared("classification_correspondence"),
    down="DROP TABLE classification_correspondence; DROP TABLE classification_item; DROP TABLE classification_version;"
    " DROP TABLE classification;",
)
