"""statdb: what e-Stat's CLASS_INF says of a dimension and its items beyond their names (issue 14
section 1; numbered 0011 so that it never clashes with another statdb_0010).

- class_obj.description: the dimension's explanation (a recorded e-Stat answer writes it as
  CLASS_OBJ@description).
- class_item.add_inf: CLASS@addInf (追加情報), e.g. a note on the item's definition.
- class_item.explanation: an item's explanation, written as CLASS_OBJ.EXPLANATION with @id the
  item's code.

All from the parameter file (`dimensions.<id>.description`, `items[].add_inf`, `items[].explanation`);
empty when it gives none, and then the API leaves them out."""

from govstat.platform.db.migrations import sql_migration

ID = "2026-12-23T00:00:11:000000"
VERSION = "1.38.0"
DESCRIPTION = "statdb: class object descriptions, items' addInf and explanations"

forwards = sql_migration(
    migration_id=ID,
    app_name="statdb",
    description=DESCRIPTION,
    up="""
ALTER TABLE class_obj ADD COLUMN description text NOT NULL DEFAULT '';
ALTER TABLE class_item ADD COLUMN add_inf text NOT NULL DEFAULT '',
  ADD COLUMN explanation text NOT NULL DEFAULT '';
""",
    down="""
ALTER TABLE class_item DROP COLUMN IF EXISTS explanation, DROP COLUMN IF EXISTS add_inf;
ALTER TABLE class_obj DROP COLUMN IF EXISTS description;
""",
)
