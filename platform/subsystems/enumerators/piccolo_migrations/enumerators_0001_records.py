"""enumerators: enumerator records (personal data: the owning tenant only, not even the operator),
their survey area assignments and the record of each move that followed a municipal merger."""

from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable

ID = "2026-12-20T00:00:14:000000"
VERSION = "1.38.0"
DESCRIPTION = "enumerators: records, assignments, assignment changes"

UP = """
CREATE TABLE enum_enumerator (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  name text NOT NULL CHECK (name <> ''),
  name_kana text NOT NULL DEFAULT '',
  phone varchar(32) NOT NULL DEFAULT '',
  email text NOT NULL DEFAULT '',
  appointed_from date NOT NULL,
  appointed_to date NOT NULL,
  status varchar(16) NOT NULL DEFAULT 'appointed'
    CHECK (status IN ('candidate', 'appointed', 'suspended', 'dismissed')),
  note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (appointed_from <= appointed_to)
);
CREATE INDEX enum_enumerator_tenant ON enum_enumerator (tenant_id, name_kana);
-- Personal data: only the owning tenant's scope sees or changes it; of the cross-tenant scopes only
-- the platform's own processes ('system': jobs, integrity checks), never a person (the operator).
ALTER TABLE enum_enumerator ENABLE ROW LEVEL SECURITY;
ALTER TABLE enum_enumerator FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON enum_enumerator
  USING (tenant_id = govstat_scope_tenant() OR current_setting('app.role', true) = 'system')
  WITH CHECK (tenant_id = govstat_scope_tenant() OR current_setting('app.role', true) = 'system');

CREATE TABLE enum_assignment (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  enumerator_id uuid NOT NULL REFERENCES enum_enumerator(id) ON DELETE CASCADE,
  survey_name text NOT NULL CHECK (survey_name <> ''),
  survey_date date NOT NULL,
  area_code varchar(5) NOT NULL CHECK (area_code ~ '^[0-9]{5}$'),
  area_name text NOT NULL DEFAULT '',
  status varchar(8) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'review')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX enum_assignment_enumerator ON enum_assignment (enumerator_id);
CREATE INDEX enum_assignment_area ON enum_assignment (area_code);

-- 廃置分合等 followed: the assignment moved from old_code to new_code on effective_on.
CREATE TABLE enum_assignment_change (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  assignment_id uuid NOT NULL REFERENCES enum_assignment(id) ON DELETE CASCADE,
  old_code varchar(5) NOT NULL,
  new_code varchar(5) NOT NULL,
  effective_on date NOT NULL,
  reason text NOT NULL DEFAULT '',
  changed_by text NOT NULL DEFAULT '',
  changed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (assignment_id, old_code, new_code, effective_on)
);
"""

forwards = sql_migration(
    migration_id=ID,
    app_name="enumerators",
    description=DESCRIPTION,
    up=UP + enable("enum_assignment") + enable("enum_assignment_change"),
    down="DROP TABLE enum_assignment_change, enum_assignment, enum_enumerator;",
)
