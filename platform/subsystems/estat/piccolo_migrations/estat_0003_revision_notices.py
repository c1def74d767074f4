"""estat: a correction, an extension or a replacement of a published table or table file is a
publication of its own in the release read model (key "db:<statsDataId>:v<version>" or
"file:<id>:v<version>"), so that the subscribers of its statistic get the notice (issue 14 §2)."""

from govstat.platform.db.migrations import sql_migration

ID = "2026-12-14T00:00:51:000000"
VERSION = "1.38.0"
DESCRIPTION = "estat: release keys of corrections (訂正・追加・差替え)"

forwards = sql_migration(
    migration_id=ID,
    app_name="estat",
    description=DESCRIPTION,
    up="""
ALTER TABLE estat_release DROP CONSTRAINT IF EXISTS estat_release_release_key_check;
ALTER TABLE estat_release ADD CONSTRAINT estat_release_release_key_check
  CHECK (release_key ~ '^(db:[0-9]{10}|file:[0-9a-f-]{36})(:v[0-9]{1,9})?$');
""",
    down="""
DELETE FROM estat_notification WHERE release_key ~ ':v[0-9]+$';
DELETE FROM estat_release WHERE release_key ~ ':v[0-9]+$';
ALTER TABLE estat_release DROP CONSTRAINT IF EXISTS estat_release_release_key_check;
ALTER TABLE estat_release ADD CONSTRAINT estat_release_release_key_check
  CHECK (release_key ~ '^(db:[0-9]{10}|file:[0-9a-f-]{36})$');
""",
)
