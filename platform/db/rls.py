"""Row-level security statements used by migrations (PLAT-1).

A tenant table has `tenant_id uuid` and the `tenant_isolation` policy. Roles
that act across tenants (the operator and platform processes) are named in
govstat_cross_tenant(); everyone else sees exactly their own tenant's rows, and a
connection with no scope set sees none (fail closed).
"""

from __future__ import annotations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION govstat_scope_tenant() RETURNS uuid
LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid
$$;

CREATE OR REPLACE FUNCTION govstat_cross_tenant() RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('app.role', true), '') IN ('operator', 'system')
$$;

CREATE OR REPLACE FUNCTION govstat_tenant_visible(row_tenant uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT govstat_cross_tenant() OR (row_tenant IS NOT NULL AND row_tenant = govstat_scope_tenant())
$$;
"""


def enable(table: str, column: str = "tenant_id") -> str:
    """Enable and force RLS with the standard tenant policy on one table."""
    return f"""
ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS tenant_isolation ON "{table}";
CREATE POLICY tenant_isolation ON "{table}"
  USING (govstat_tenant_visible("{column}"))
  WITH CHECK (govstat_tenant_visible("{column}"));
"""


def public_read(table: str, condition: str) -> str:
    """An extra permissive SELECT policy for rows that are public by policy (e.g. published tables)."""
    return f"""
DROP POLICY IF EXISTS public_read ON "{table}";
CREATE POLICY public_read ON "{table}" FOR SELECT USING ({condition});
"""


APPEND_ONLY_MARK = "govstat:append-only"


def append_only(table: str) -> str:
    """The app may insert and read, never change or remove (audit trails). The comment marks
    the table so that `govstat migrate`'s grants keep it that way."""
    return (
        f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM govstat_app;'
        f" COMMENT ON TABLE \"{table}\" IS '{APPEND_ONLY_MARK}';"
    )


def shared(table: str) -> str:
    """Reference data everyone reads and only the operator (or platform processes) changes."""
    return f"""
ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS read_all ON "{table}";
CREATE POLICY read_all ON "{table}" FOR SELECT USING (true);
DROP POLICY IF EXISTS operator_write ON "{table}";
CREATE POLICY operator_write ON "{table}" FOR ALL USING (govstat_cross_tenant()) WITH CHECK (govstat_cross_tenant());
"""


def system_only(table: str) -> str:
    """Platform bookkeeping that only platform processes (and the operator) touch."""
    return f"""
ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS system_only ON "{table}";
CREATE POLICY system_only ON "{table}" USING (govstat_cross_tenant()) WITH CHECK (govstat_cross_tenant());
"""
