"""gateway: the SLA figures other parts' SQL may read (docs/decisions/0010), declared in
gateway/sla/figures.py. Operations' reports cannot import the gateway (ops imports only the
platform and tenants), so the gateway publishes views: `sla_calls` (calls and errors per module,
tenant and minute) and `slo_target` (each module's objectives). security_invoker: sla_minute's
row-level security applies to the caller (platform-wide figures stay the operator's)."""

from govstat.platform.db.migrations import sql_migration

ID = "2026-12-10T00:00:08:000000"
VERSION = "1.38.0"
DESCRIPTION = "gateway: sla_calls and slo_target views"

forwards = sql_migration(
    migration_id=ID,
    app_name="gateway",
    description=DESCRIPTION,
    up="""
CREATE VIEW sla_calls WITH (security_invoker = true) AS
SELECT module_key, tenant_key, minute, source, calls, errors, slow FROM sla_minute;
CREATE VIEW slo_target WITH (security_invoker = true) AS
SELECT module_key, availability_target, latency_threshold_ms, latency_target FROM slo;
""",
    down="DROP VIEW IF EXISTS sla_calls, slo_target;",
)
