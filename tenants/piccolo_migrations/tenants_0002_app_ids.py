from govstat.platform.db.migrations import sql_migration

ID = "2026-11-26T00:00:03:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenants: application ids (appId) of registered general users for the public API"

forwards = sql_migration(
    migration_id=ID,
    app_name="tenants",
    description=DESCRIPTION,
    up="""
CREATE TABLE app_id (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user(id),
  app_id varchar(40) NOT NULL UNIQUE CHECK (app_id ~ '^[0-9a-f]{40}$'),
  name text NOT NULL,
  url text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX app_id_user ON app_id (user_id);
-- A registered user's own rows (the scope's actor is the user id); platform processes see all.
ALTER TABLE app_id ENABLE ROW LEVEL SECURITY;
ALTER TABLE app_id FORCE ROW LEVEL SECURITY;
CREATE POLICY owner_only ON app_id
  USING (govstat_cross_tenant() OR user_id::text = current_setting('app.actor', true))
  WITH CHECK (govstat_cross_tenant() OR user_id::text = current_setting('app.actor', true));
""",
    down="DROP TABLE app_id;",
)
