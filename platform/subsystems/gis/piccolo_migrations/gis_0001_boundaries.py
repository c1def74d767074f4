from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import shared

ID = "2026-12-12T00:00:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "gis: PostGIS and the administrative boundaries (国土数値情報 N03) by level and vintage"

# PostGIS is created by a superuser (ops/services/postgres-init.sql, schema "postgis"): the owner role
# may not create an untrusted extension; IF NOT EXISTS makes this a check that it is there.
forwards = sql_migration(
    migration_id=ID,
    app_name="gis",
    description=DESCRIPTION,
    up="""
CREATE EXTENSION IF NOT EXISTS postgis SCHEMA postgis;

CREATE TABLE gis_boundary (
  id bigserial PRIMARY KEY,
  level varchar(16) NOT NULL CHECK (level IN ('prefecture', 'municipality')),
  code char(5) NOT NULL CHECK (code ~ '^[0-9]{5}$'),
  pref_code char(2) NOT NULL,
  name text NOT NULL,
  vintage date NOT NULL,
  source varchar(80) NOT NULL,
  geom geometry(MultiPolygon, 4326) NOT NULL,
  geom_ea geometry(MultiPolygon, 6933) NOT NULL,
  geom_wm geometry(MultiPolygon, 3857) NOT NULL,
  area_km2 double precision NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (level, code, vintage)
);
CREATE INDEX gis_boundary_geom ON gis_boundary USING gist (geom);
CREATE INDEX gis_boundary_geom_ea ON gis_boundary USING gist (geom_ea);
CREATE INDEX gis_boundary_geom_wm ON gis_boundary USING gist (geom_wm);
COMMENT ON COLUMN gis_boundary.geom_ea IS 'EPSG:6933 (WGS 84 / NSIDC EASE-Grid 2.0 Global): equal-area, for areas and allocation';
COMMENT ON COLUMN gis_boundary.geom_wm IS 'EPSG:3857 (Web Mercator): the tiles'' projection';
"""
    + shared("gis_boundary"),
    down="DROP TABLE gis_boundary;",
)
