from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable

ID = "2026-12-12T00:00:41:000000"
VERSION = "1.38.0"
DESCRIPTION = "gis: the users' own areas and uploaded points (tenant rows, row-level security)"

forwards = sql_migration(
    migration_id=ID,
    app_name="gis",
    description=DESCRIPTION,
    up="""
CREATE TABLE gis_area (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  geom geometry(MultiPolygon, 4326) NOT NULL,
  geom_ea geometry(MultiPolygon, 6933) NOT NULL,
  area_km2 double precision NOT NULL,
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gis_area_tenant ON gis_area (tenant_id, created_at);
CREATE INDEX gis_area_geom ON gis_area USING gist (geom);

CREATE TABLE gis_dataset (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  source_name text NOT NULL DEFAULT '',
  fields text[] NOT NULL DEFAULT '{}',
  points integer NOT NULL,
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX gis_dataset_tenant ON gis_dataset (tenant_id, created_at);

CREATE TABLE gis_point (
  id bigserial PRIMARY KEY,
  dataset_id uuid NOT NULL REFERENCES gis_dataset(id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenant(id) ON DELETE CASCADE,
  line integer NOT NULL,
  geom geometry(Point, 4326) NOT NULL,
  weight double precision NOT NULL DEFAULT 1,
  attrs jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX gis_point_dataset ON gis_point (dataset_id);
CREATE INDEX gis_point_geom ON gis_point USING gist (geom);
"""
    + enable("gis_area")
    + enable("gis_dataset")
    + enable("gis_point"),
    down="DROP TABLE gis_point; DROP TABLE gis_dataset; DROP TABLE gis_area;",
)
