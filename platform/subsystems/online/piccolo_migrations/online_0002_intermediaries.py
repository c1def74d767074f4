from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable

ID = "2026-12-20T00:10:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "online: intermediaries (経由機関) as tenants granted a survey by its agency, units assigned to them, and the policies that show them exactly those"

# docs/decisions/0011-intermediaries-as-granted-tenants.md: an intermediary is a tenant of its own
# (a prefecture is already an approved body) whose users hold the role `intermediary`. The agency
# grants it a survey; the intermediary's scope (app.tenant_id = its own tenant, app.role =
# 'intermediary') then sees, through PERMISSIVE policies added to the agency's rows, exactly the
# granted survey and the units assigned to it, and may add paper submissions for those units.
ME = "govstat_scope_tenant()"
AS_INTERMEDIARY = "coalesce(current_setting('app.role', true), '') = 'intermediary'"
GRANTED = f"SELECT survey_id FROM online_grant WHERE intermediary_tenant_id = {ME}"
MY_UNITS = f"SELECT id FROM online_unit WHERE intermediary_tenant_id = {ME}"


def policy(table: str, name: str, command: str, condition: str) -> str:
    check = f"WITH CHECK ({AS_INTERMEDIARY} AND {condition})" if command in ("INSERT", "UPDATE") else ""
    using = "" if command == "INSERT" else f"USING ({AS_INTERMEDIARY} AND {condition})"
    return f'DROP POLICY IF EXISTS {name} ON "{table}";\nCREATE POLICY {name} ON "{table}" FOR {command} {using} {check};\n'


UP = """
-- The agency's grant of one survey to an intermediary tenant, and the intermediary's completion
-- report (完了報告) on it.
CREATE TABLE online_grant (
  survey_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  intermediary_tenant_id uuid NOT NULL REFERENCES tenant(id),
  granted_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  completion_note text NOT NULL DEFAULT '' CHECK (length(completion_note) <= 2000),
  PRIMARY KEY (survey_id, intermediary_tenant_id),
  FOREIGN KEY (survey_id, tenant_id) REFERENCES online_survey (id, tenant_id) ON DELETE CASCADE,
  CHECK (intermediary_tenant_id <> tenant_id)
);
CREATE INDEX online_grant_intermediary ON online_grant (intermediary_tenant_id);

-- The units an intermediary serves (NULL: the agency's own).
ALTER TABLE online_unit ADD COLUMN intermediary_tenant_id uuid;
ALTER TABLE online_unit ADD FOREIGN KEY (survey_id, intermediary_tenant_id)
  REFERENCES online_grant (survey_id, intermediary_tenant_id);
CREATE INDEX online_unit_intermediary ON online_unit (intermediary_tenant_id, survey_id) WHERE intermediary_tenant_id IS NOT NULL;
"""

RLS = (
    enable("online_grant")
    + policy("online_grant", "intermediary_read", "SELECT", f"intermediary_tenant_id = {ME}")
    + policy("online_grant", "intermediary_report", "UPDATE", f"intermediary_tenant_id = {ME}")
    + policy("online_survey", "intermediary_read", "SELECT", f"id IN ({GRANTED})")
    + policy("online_survey_key", "intermediary_read", "SELECT", f"survey_id IN ({GRANTED})")
    + policy("online_unit", "intermediary_read", "SELECT", f"intermediary_tenant_id = {ME}")
    + policy(
        "online_respondent",
        "intermediary_read",
        "SELECT",
        f"id IN (SELECT respondent_id FROM online_unit WHERE intermediary_tenant_id = {ME})",
    )
    + policy("online_submission", "intermediary_read", "SELECT", f"unit_id IN ({MY_UNITS})")
    + policy("online_submission", "intermediary_paper", "INSERT", f"unit_id IN ({MY_UNITS}) AND channel = 'paper'")
    + policy(
        "online_answer",
        "intermediary_read",
        "SELECT",
        f"submission_id IN (SELECT id FROM online_submission WHERE unit_id IN ({MY_UNITS}))",
    )
    + policy(
        "online_answer",
        "intermediary_paper",
        "INSERT",
        f"submission_id IN (SELECT id FROM online_submission WHERE unit_id IN ({MY_UNITS}))",
    )
)

forwards = sql_migration(
    migration_id=ID,
    app_name="online",
    description=DESCRIPTION,
    up=UP + RLS,
    down="ALTER TABLE online_unit DROP COLUMN intermediary_tenant_id; DROP TABLE online_grant;",
)
