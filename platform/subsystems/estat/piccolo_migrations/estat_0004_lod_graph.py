from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import shared

ID = "2026-12-15T00:00:52:000000"  # after estat_0003_revision_notices (main)
VERSION = "1.38.0"
DESCRIPTION = "estat: the linked-data read model (each published table's RDF Data Cube, for the SPARQL store)"

UP = """
-- Issue 14 §4: the estat-lod consumer keeps here each published table's RDF (N-Triples, gzip),
-- from statdb's TablePublished / TableScheduled / TableDeleted events; `data` is NULL once the
-- table is withdrawn. Every write takes a new generation, so each app process's SPARQL store
-- loads only what changed since the generation it holds (docs/decisions/0013). Public data only:
-- everyone reads, the platform's consumer writes.
CREATE SEQUENCE estat_lod_generation;
CREATE TABLE estat_lod_graph (
  stats_data_id char(10) PRIMARY KEY,
  generation bigint NOT NULL DEFAULT nextval('estat_lod_generation'),
  data bytea,
  triples integer NOT NULL DEFAULT 0 CHECK (triples >= 0),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX estat_lod_graph_generation ON estat_lod_graph (generation);
"""

forwards = sql_migration(
    migration_id=ID,
    app_name="estat",
    description=DESCRIPTION,
    up=UP + shared("estat_lod_graph"),
    down="DROP TABLE estat_lod_graph; DROP SEQUENCE estat_lod_generation;",
)
