from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import shared

ID = "2026-12-12T00:00:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "region: the indicator catalogue (社会・人口統計体系の項目) with the operator's 項目定義"

forwards = sql_migration(
    migration_id=ID,
    app_name="region",
    description=DESCRIPTION,
    up="""
CREATE TABLE region_indicator (
  code varchar(16) PRIMARY KEY CHECK (code ~ '^[A-Z][A-Za-z0-9_]{1,15}$'),
  position integer NOT NULL DEFAULT 0,
  name_ja text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  definition text NOT NULL DEFAULT '',
  unit text NOT NULL DEFAULT '',
  kind varchar(16) NOT NULL CHECK (kind IN ('base', 'share', 'change', 'density')),
  sources jsonb NOT NULL DEFAULT '[]',
  operands jsonb NOT NULL DEFAULT '[]',
  updated_by text NOT NULL DEFAULT '',
  updated_at timestamptz NOT NULL DEFAULT now()
);
"""
    + shared("region_indicator"),
    down="DROP TABLE region_indicator;",
)
