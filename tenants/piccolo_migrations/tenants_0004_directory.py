"""tenants: the directory views, tenants' read interface in SQL (docs/decisions/0010).

Other parts never name tenants' tables: they join these views (declared for Python callers in
govstat.platform.directory and govstat.tenants.directory). The views keep their columns when the
tables underneath change. `security_invoker`: the caller's rights and row-level security apply to
the tables underneath exactly as if the caller had named them, so a view shows no more than the
table does (the contacts and users of other tenants stay hidden to an agency)."""

from govstat.platform.db.migrations import sql_migration

ID = "2026-12-10T00:00:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenants: directory views (agencies, statistics, fields, divisions, tenants, contacts, users)"

UP = """
CREATE VIEW directory_agency WITH (security_invoker = true) AS
SELECT code, name_ja, name_en FROM agency;

CREATE VIEW directory_field WITH (security_invoker = true) AS
SELECT code, name_ja, name_en FROM stat_field;

CREATE VIEW directory_division WITH (security_invoker = true) AS
SELECT agency_code, code, name_ja FROM division;

-- a government statistic with the agency that owns it and its field (NULL: none)
CREATE VIEW directory_statistic WITH (security_invoker = true) AS
SELECT g.code, g.name_ja, g.cycle, g.agency_code, a.name_ja AS agency_name, a.name_en AS agency_name_en,
       g.field_code, f.name_ja AS field_name, f.name_en AS field_name_en
FROM gov_statistic g JOIN agency a ON a.code = g.agency_code LEFT JOIN stat_field f ON f.code = g.field_code;

CREATE VIEW directory_tenant WITH (security_invoker = true) AS
SELECT id, code, name_ja, name_en, kind, status, agency_code, plan, created_at, activated_at FROM tenant;

-- the current contacts (GOV-6); phone numbers and the history stay in contact_person
CREATE VIEW directory_contact WITH (security_invoker = true) AS
SELECT tenant_id, role, name, division, email FROM contact_person WHERE valid_to IS NULL;

CREATE VIEW directory_user WITH (security_invoker = true) AS
SELECT id, tenant_id, display_name, email, status FROM app_user;
"""

forwards = sql_migration(
    migration_id=ID,
    app_name="tenants",
    description=DESCRIPTION,
    up=UP,
    down="DROP VIEW IF EXISTS directory_agency, directory_field, directory_division, directory_statistic,"
    " directory_tenant, directory_contact, directory_user;",
)
