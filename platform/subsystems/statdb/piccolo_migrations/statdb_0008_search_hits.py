"""statdb: a keyword search answered from the search table alone (issue 14 section 5).

At 100,000 tables a common word matches thousands of them (人口: 5,557, 世帯: 15,077). Joining each
hit to stat_table by primary key (row-level security filters every probe) to sort and count them
cost 60-120 ms on its own. `statdb_partition.stat_table_search` now also holds what a keyword search
sorts and filters on, copied by the same trigger: the words as a stored tsvector (GIN, fastupdate
off: a pending list would be read by every search), the statistic code, the title, the survey's
first and last month (yyyymm, as getStatsList's surveyYears reads survey_date) and SMALL_AREA.

`statdb_search_hits(queries, codes, survey_from, survey_to, small_area)` (SECURITY DEFINER) answers
the published and due tables (published_table's own condition, which implies stat_table's
public_read policy: what it answers, everyone may see) where every group matches, by its words
(`queries[i]`, tsquery text) or as a table of one of its statistics (`codes[i]`, comma-separated),
with their sort keys; callers count, sort and page them and read the page's rows through
published_table. statdb_search() (any visible table, drafts included for their tenant) reads the
stored tsvector too."""

from govstat.platform.db.migrations import sql_migration

ID = "2026-12-22T00:00:14:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: keyword search hits with their sort keys from the search table (statdb_search_hits)"

_SURVEY_END = "coalesce(nullif(split_part({d}, '-', 2), ''), {d})"
SURVEY_FROM = "(left({d}, 4) || coalesce(nullif(substr({d}, 5, 2), ''), '01'))"
SURVEY_TO = f"(left({_SURVEY_END}, 4) || coalesce(nullif(substr({_SURVEY_END}, 5, 2), ''), '12'))"


def _survey(column: str) -> tuple[str, str]:
    return SURVEY_FROM.format(d=column), SURVEY_TO.format(d=column)


UP = f"""
SELECT set_config('app.role', 'system', true);
ALTER TABLE statdb_partition.stat_table_search
  ADD COLUMN words tsvector NOT NULL DEFAULT ''::tsvector,
  ADD COLUMN gov_stat_code text NOT NULL DEFAULT '',
  ADD COLUMN title text NOT NULL DEFAULT '',
  ADD COLUMN survey_from text,
  ADD COLUMN survey_to text,
  ADD COLUMN small_area smallint NOT NULL DEFAULT 0;
UPDATE statdb_partition.stat_table_search x
   SET words = strip(to_tsvector('simple', x.search_text)), search_text = '', gov_stat_code = s.gov_stat_code, title = s.title,
       survey_from = {_survey("s.survey_date")[0]}, survey_to = {_survey("s.survey_date")[1]}, small_area = s.small_area
  FROM stat_table s WHERE s.id = x.table_id;
DROP INDEX IF EXISTS statdb_partition.stat_table_search_words;
CREATE INDEX stat_table_search_words ON statdb_partition.stat_table_search USING gin (words) WITH (fastupdate = off);
CREATE INDEX stat_table_search_code ON statdb_partition.stat_table_search (gov_stat_code);

CREATE OR REPLACE FUNCTION statdb_search_copy() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  INSERT INTO statdb_partition.stat_table_search (table_id, tenant_id, public_from, search_text, words, gov_stat_code,
                                                  title, survey_from, survey_to, small_area)
  VALUES (NEW.id, NEW.tenant_id,
          CASE WHEN NEW.status IN ('scheduled', 'published') AND NEW.withdrawn_at IS NULL THEN NEW.publish_at END,
          '', strip(to_tsvector('simple', NEW.search_text)), NEW.gov_stat_code, NEW.title,
          {_survey("NEW.survey_date")[0]}, {_survey("NEW.survey_date")[1]}, NEW.small_area)
  ON CONFLICT (table_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, public_from = EXCLUDED.public_from,
    search_text = EXCLUDED.search_text, words = EXCLUDED.words, gov_stat_code = EXCLUDED.gov_stat_code,
    title = EXCLUDED.title, survey_from = EXCLUDED.survey_from, survey_to = EXCLUDED.survey_to,
    small_area = EXCLUDED.small_area;
  RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION statdb_search_copy() FROM PUBLIC;
DROP TRIGGER IF EXISTS stat_table_search_copy ON stat_table;
CREATE TRIGGER stat_table_search_copy AFTER INSERT OR UPDATE OF search_text, status, publish_at, withdrawn_at, tenant_id,
  gov_stat_code, title, survey_date, small_area ON stat_table
  FOR EACH ROW EXECUTE FUNCTION statdb_search_copy();

CREATE OR REPLACE FUNCTION statdb_search(p_query text) RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT x.table_id FROM statdb_partition.stat_table_search x
  WHERE x.words @@ to_tsquery('simple', p_query)
    AND (x.public_from <= now() OR govstat_tenant_visible(x.tenant_id))
$$;

CREATE OR REPLACE FUNCTION statdb_search_hits(p_queries text[], p_codes text[], p_survey_from text, p_survey_to text,
                                              p_small_area boolean)
RETURNS TABLE (table_id bigint, publish_at timestamptz, gov_stat_code text, title text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
  every tsquery;  -- every group's words: a table matching them all is found by one probe of the index
  codes text[];   -- every group's statistics: a table of one of them may match a group by its code
BEGIN
  SELECT CASE WHEN bool_and(q <> '') THEN to_tsquery('simple', string_agg('(' || q || ')', ' & ')) END
    INTO every FROM unnest(p_queries) q;
  SELECT coalesce(array_agg(DISTINCT c), '{{}}') INTO codes
    FROM unnest(p_codes) u(cs), unnest(string_to_array(nullif(cs, ''), ',')) c;
  -- dynamic, so that each search is planned with its own words (a generic plan reads every row)
  RETURN QUERY EXECUTE $q$
    WITH g AS MATERIALIZED (
      SELECT CASE WHEN q <> '' THEN to_tsquery('simple', q) END AS q, string_to_array(nullif(c, ''), ',') AS codes
      FROM unnest($1, $2) u(q, c)
    )
    SELECT x.table_id, x.public_from, x.gov_stat_code, x.title FROM statdb_partition.stat_table_search x
     WHERE x.words @@ $3 AND x.public_from <= now()
       AND ($4 IS NULL OR (x.survey_from <= $5 AND x.survey_to >= $4)) AND ($6 IS NULL OR (x.small_area <> 0) = $6)
    UNION ALL
    SELECT x.table_id, x.public_from, x.gov_stat_code, x.title FROM statdb_partition.stat_table_search x
     WHERE x.gov_stat_code = ANY($7) AND NOT coalesce(x.words @@ $3, false) AND x.public_from <= now()
       AND ($4 IS NULL OR (x.survey_from <= $5 AND x.survey_to >= $4)) AND ($6 IS NULL OR (x.small_area <> 0) = $6)
       AND NOT EXISTS (SELECT 1 FROM g WHERE NOT (coalesce(x.words @@ g.q, false) OR coalesce(x.gov_stat_code = ANY(g.codes), false)))
  $q$ USING p_queries, p_codes, every, p_survey_from, p_survey_to, p_small_area, codes;
END $$;

REVOKE ALL ON FUNCTION statdb_search_hits(text[], text[], text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION statdb_search_hits(text[], text[], text, text, boolean) TO govstat_app;
"""

DOWN = """
SELECT set_config('app.role', 'system', true);
UPDATE statdb_partition.stat_table_search x SET search_text = s.search_text FROM stat_table s WHERE s.id = x.table_id;
DROP FUNCTION IF EXISTS statdb_search_hits(text[], text[], text, text, boolean);
DROP INDEX IF EXISTS statdb_partition.stat_table_search_code;
DROP INDEX IF EXISTS statdb_partition.stat_table_search_words;
CREATE INDEX stat_table_search_words ON statdb_partition.stat_table_search USING gin (to_tsvector('simple', search_text));
CREATE OR REPLACE FUNCTION statdb_search(p_query text) RETURNS SETOF bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
  SELECT x.table_id FROM statdb_partition.stat_table_search x
  WHERE to_tsvector('simple', x.search_text) @@ to_tsquery('simple', p_query)
    AND (x.public_from <= now() OR govstat_tenant_visible(x.tenant_id))
$$;
DROP TRIGGER IF EXISTS stat_table_search_copy ON stat_table;
CREATE OR REPLACE FUNCTION statdb_search_copy() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
  INSERT INTO statdb_partition.stat_table_search (table_id, tenant_id, public_from, search_text)
  VALUES (NEW.id, NEW.tenant_id, CASE WHEN NEW.status IN ('scheduled', 'published') AND NEW.withdrawn_at IS NULL THEN NEW.publish_at END, NEW.search_text)
  ON CONFLICT (table_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, public_from = EXCLUDED.public_from,
    search_text = EXCLUDED.search_text;
  RETURN NEW;
END $$;
CREATE TRIGGER stat_table_search_copy AFTER INSERT OR UPDATE OF search_text, status, publish_at, withdrawn_at, tenant_id ON stat_table
  FOR EACH ROW EXECUTE FUNCTION statdb_search_copy();
ALTER TABLE statdb_partition.stat_table_search DROP COLUMN words, DROP COLUMN gov_stat_code, DROP COLUMN title,
  DROP COLUMN survey_from, DROP COLUMN survey_to, DROP COLUMN small_area;
"""

forwards = sql_migration(migration_id=ID, app_name="statdb", description=DESCRIPTION, up=UP, down=DOWN)
