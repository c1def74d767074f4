from govstat.platform.db.migrations import sql_migration

ID = "2026-11-26T00:00:03:500000"
VERSION = "1.38.0"
DESCRIPTION = "tenants: MIC (総務省) reads tenants, applications, council decisions, contracts and subscriptions"

TABLES = ("tenant", "tenant_application", "council_decision", "tenant_contract", "subscription")

forwards = sql_migration(
    migration_id=ID,
    app_name="tenants",
    description=DESCRIPTION,
    up="".join(
        f"""
DROP POLICY IF EXISTS mic_oversight ON "{t}";
CREATE POLICY mic_oversight ON "{t}" FOR SELECT USING (coalesce(current_setting('app.role', true), '') = 'mic');
"""
        for t in TABLES
    ),
    down="".join(f'DROP POLICY IF EXISTS mic_oversight ON "{t}";' for t in TABLES),
)
