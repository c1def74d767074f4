from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import shared

ID = "2026-11-26T00:00:50:000000"
VERSION = "1.38.0"
DESCRIPTION = "estat: datasets of the e-Stat API (saved narrowing conditions) and the search synonym list"

forwards = sql_migration(
    migration_id=ID,
    app_name="estat",
    description=DESCRIPTION,
    up="""
-- postDataset / refDataset: a registered user's saved conditions; public ones anyone may use.
CREATE TABLE estat_dataset (
  id uuid PRIMARY KEY,
  dataset_id varchar(30) NOT NULL UNIQUE CHECK (dataset_id ~ '^[A-Za-z0-9_-]{1,30}$'),
  owner_id uuid NOT NULL REFERENCES app_user(id),
  name text NOT NULL DEFAULT '',
  stats_data_id char(10) NOT NULL,
  conditions jsonb NOT NULL DEFAULT '{}',
  public boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE estat_dataset ENABLE ROW LEVEL SECURITY;
ALTER TABLE estat_dataset FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_or_public ON estat_dataset
  USING (govstat_cross_tenant() OR public OR owner_id::text = current_setting('app.actor', true))
  WITH CHECK (govstat_cross_tenant() OR owner_id::text = current_setting('app.actor', true));

-- ESTAT-1: the operator's synonyms; a synonym finds what its word finds, and the other way round.
CREATE TABLE estat_synonym (
  id bigserial PRIMARY KEY,
  word text NOT NULL CHECK (word <> ''),
  synonym text NOT NULL CHECK (synonym <> '' AND synonym <> word),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (word, synonym)
);
"""
    + shared("estat_synonym"),
    down="DROP TABLE estat_synonym; DROP TABLE estat_dataset;",
)
