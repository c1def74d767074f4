"""statdb: the English names and the catalogue fields e-Stat's API shows (issue 14 section 1).

- stat_table.english: {"stat_name", "title", "statistics_name", "explanation"} from the parameter
  file's `*_en` keys (an empty or missing one: the API answers the Japanese, as e-Stat does).
- stat_table.spec: {"tabulation_sub": [..5], "table_category", "table_sub": [..3], "table_explanation"}
  (e-Stat's STATISTICS_NAME_SPEC and TITLE_SPEC).
- stat_table.sub_category: the 4-digit 統計分野 (statsField=0201); small_area: e-Stat's SMALL_AREA
  flag (0: none, 1: small areas 町丁・字等, 2: regional mesh), read by searchKind=2.
- class_obj.name_en, class_item.name_en: the classes' English names.
- the view `published_table_detail` beside `published_table` (a separate view so that other
  migrations may replace published_table without touching these columns)."""

from govstat.platform.db.migrations import sql_migration

ID = "2026-12-21T00:00:31:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: English names and catalogue fields (SUB_CATEGORY, sub-categories, SMALL_AREA)"

forwards = sql_migration(
    migration_id=ID,
    app_name="statdb",
    description=DESCRIPTION,
    up="""
ALTER TABLE stat_table
  ADD COLUMN english jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN spec jsonb NOT NULL DEFAULT '{}',
  ADD COLUMN sub_category text NOT NULL DEFAULT '' CHECK (sub_category ~ '^([0-9]{4})?$'),
  ADD COLUMN small_area smallint NOT NULL DEFAULT 0 CHECK (small_area IN (0, 1, 2));
ALTER TABLE class_obj ADD COLUMN name_en text NOT NULL DEFAULT '';
ALTER TABLE class_item ADD COLUMN name_en text NOT NULL DEFAULT '';
CREATE INDEX stat_table_small_area ON stat_table (small_area) WHERE small_area <> 0;

CREATE VIEW published_table_detail WITH (security_invoker = true) AS
SELECT id, english, spec, sub_category, small_area
FROM stat_table WHERE status IN ('scheduled', 'published') AND publish_at IS NOT NULL AND publish_at <= now()
  AND withdrawn_at IS NULL;  -- visible by the clock, as published_table (statdb_0004_versions)
""",
    down="""
DROP VIEW IF EXISTS published_table_detail;
ALTER TABLE class_item DROP COLUMN IF EXISTS name_en;
ALTER TABLE class_obj DROP COLUMN IF EXISTS name_en;
ALTER TABLE stat_table DROP COLUMN IF EXISTS english, DROP COLUMN IF EXISTS spec,
  DROP COLUMN IF EXISTS sub_category, DROP COLUMN IF EXISTS small_area;
""",
)
