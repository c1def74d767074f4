from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import system_only

ID = "2026-12-20T00:20:14:000000"
VERSION = "1.38.0"
DESCRIPTION = "frame: a bigram index of the establishments' names the planner may use under row-level security"

UP = """
-- The name search (LIKE '%...%') scanned every version: under row-level security the planner puts
-- only leakproof operators into an index scan, and LIKE, trigram and array operators are not, while
-- text equality is. So each name's bigrams (and its kana's) are rows here, found by `gram = ANY(...)`
-- on the primary key; an establishment whose names hold every bigram of the search word is a
-- candidate, and LIKE then checks the candidates only. Kept by a statement trigger (COPY included);
-- a name that changes adds its bigrams, old ones stay (a candidate more, never one fewer).
CREATE TABLE frame_name_gram (
  gram text NOT NULL,
  establishment_id bigint NOT NULL,
  PRIMARY KEY (gram, establishment_id)
);

CREATE OR REPLACE FUNCTION frame_bigrams(s text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
  SELECT DISTINCT substr(s, i, 2) FROM generate_series(1, length(s) - 1) AS i
$$;

CREATE OR REPLACE FUNCTION frame_name_gram_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO frame_name_gram (gram, establishment_id)
  SELECT DISTINCT g, n.id FROM new_rows n,
    LATERAL (SELECT frame_bigrams(n.name) UNION SELECT frame_bigrams(n.name_kana)) AS b(g)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

CREATE TRIGGER frame_name_gram_add AFTER INSERT ON frame_establishment
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION frame_name_gram_add();

INSERT INTO frame_name_gram (gram, establishment_id)
SELECT DISTINCT g, e.id FROM frame_establishment e,
  LATERAL (SELECT frame_bigrams(e.name) UNION SELECT frame_bigrams(e.name_kana)) AS b(g)
ON CONFLICT DO NOTHING;
"""

forwards = sql_migration(
    migration_id=ID,
    app_name="frame",
    description=DESCRIPTION,
    up=UP + system_only("frame_name_gram"),
    down="DROP TRIGGER frame_name_gram_add ON frame_establishment; DROP FUNCTION frame_name_gram_add();"
    " DROP FUNCTION frame_bigrams(text); DROP TABLE frame_name_gram;",
)
