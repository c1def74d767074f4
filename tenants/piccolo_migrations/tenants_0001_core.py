from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import append_only, enable, shared

ID = "2026-11-26T00:00:02:000000"
VERSION = "1.38.0"
DESCRIPTION = "tenants: kinds, admission, contracts, contacts, subscriptions, users, API keys, masters"

UP = """
-- Masters of the authentication subsystem (AUTH-2); owned by the operator, readable by all.
CREATE TABLE agency (
  code varchar(16) PRIMARY KEY,
  name_ja text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE division (
  id uuid PRIMARY KEY,
  agency_code varchar(16) NOT NULL REFERENCES agency(code) ON DELETE RESTRICT,
  code varchar(32) NOT NULL,
  name_ja text NOT NULL,
  UNIQUE (agency_code, code)
);
CREATE TABLE system_master (
  code varchar(32) PRIMARY KEY,
  name_ja text NOT NULL,
  name_en text NOT NULL DEFAULT ''
);
CREATE TABLE stat_field (
  code varchar(8) PRIMARY KEY,
  name_ja text NOT NULL,
  name_en text NOT NULL DEFAULT ''
);
CREATE TABLE gov_statistic (
  code varchar(8) PRIMARY KEY CHECK (code ~ '^[0-9]{8}$'),
  name_ja text NOT NULL,
  agency_code varchar(16) NOT NULL REFERENCES agency(code) ON DELETE RESTRICT,
  field_code varchar(8) REFERENCES stat_field(code),
  cycle text NOT NULL DEFAULT ''
);

-- GOV-3: one bulk contract made by MIC with the operator covers all constituent ministries.
CREATE TABLE bulk_contract (
  id uuid PRIMARY KEY,
  reference text NOT NULL UNIQUE,
  fiscal_year integer NOT NULL,
  signed_on date NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  CHECK (ends_on >= starts_on)
);

CREATE TABLE tenant (
  id uuid PRIMARY KEY,
  code varchar(32) NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9-]{1,31}$'),
  name_ja text NOT NULL,
  name_en text NOT NULL DEFAULT '',
  kind varchar(24) NOT NULL CHECK (kind IN ('operator', 'constituent', 'approved_body')),
  status varchar(24) NOT NULL CHECK (status IN (
    'applied', 'approved', 'rejected', 'contracted', 'active',
    'withdrawal_applied', 'withdrawal_approved', 'withdrawn')),
  agency_code varchar(16) REFERENCES agency(code),
  bulk_contract_id uuid REFERENCES bulk_contract(id),
  plan varchar(32) NOT NULL DEFAULT 'standard',
  created_at timestamptz NOT NULL DEFAULT now(),
  activated_at timestamptz,
  -- GOV-3: a constituent ministry is served only under the bulk contract
  CHECK (kind <> 'constituent' OR bulk_contract_id IS NOT NULL)
);

-- Council decisions (協議会): admissions, withdrawals, fees, agency-specific changes.
CREATE TABLE council_decision (
  id uuid PRIMARY KEY,
  tenant_id uuid REFERENCES tenant(id),
  subject varchar(32) NOT NULL,
  outcome varchar(16) NOT NULL CHECK (outcome IN ('approved', 'rejected')),
  decided_on date NOT NULL,
  reference text NOT NULL,
  summary text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- GOV-2: written applications to join or leave, each decided by the council.
CREATE TABLE tenant_application (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  kind varchar(16) NOT NULL CHECK (kind IN ('admission', 'withdrawal')),
  submitted_on date NOT NULL,
  document_ref text NOT NULL,
  reason text NOT NULL DEFAULT '',
  decision_id uuid REFERENCES council_decision(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenant_contract (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  reference text NOT NULL UNIQUE,
  signed_on date NOT NULL,
  starts_on date NOT NULL,
  ends_on date,
  ended_reason text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX tenant_contract_one_open ON tenant_contract (tenant_id) WHERE ends_on IS NULL;

-- GOV-6: exactly one primary and one deputy contact per active tenant; history kept.
CREATE TABLE contact_person (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  role varchar(8) NOT NULL CHECK (role IN ('primary', 'deputy')),
  name text NOT NULL,
  name_kana text NOT NULL DEFAULT '',
  division text NOT NULL DEFAULT '',
  email text NOT NULL CHECK (email ~ '^[^@\\s]+@[^@\\s]+$'),
  phone text NOT NULL DEFAULT '',
  valid_from timestamptz NOT NULL DEFAULT now(),
  valid_to timestamptz,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX contact_person_one_current ON contact_person (tenant_id, role) WHERE valid_to IS NULL;

CREATE FUNCTION tenant_contacts_complete(t uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT (SELECT count(*) FROM contact_person c WHERE c.tenant_id = t AND c.valid_to IS NULL AND c.role = 'primary') = 1
     AND (SELECT count(*) FROM contact_person c WHERE c.tenant_id = t AND c.valid_to IS NULL AND c.role = 'deputy') = 1
$$;

-- Checked at commit, so a change of contact (end one, add one) is one transaction.
CREATE FUNCTION check_tenant_contacts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE t uuid;
BEGIN
  IF TG_TABLE_NAME = 'tenant' THEN t := NEW.id; ELSE t := coalesce(NEW.tenant_id, OLD.tenant_id); END IF;
  IF EXISTS (SELECT 1 FROM tenant WHERE id = t AND status = 'active') AND NOT tenant_contacts_complete(t) THEN
    RAISE EXCEPTION 'an active tenant needs exactly one primary and one deputy contact (GOV-6)'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'tenant_contacts_complete';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER tenant_contacts_on_tenant AFTER INSERT OR UPDATE OF status ON tenant
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_tenant_contacts();
CREATE CONSTRAINT TRIGGER tenant_contacts_on_contact AFTER INSERT OR UPDATE OR DELETE ON contact_person
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_tenant_contacts();

-- GOV-1: subscriptions of tenants to subsystems (module keys).
CREATE TABLE subscription (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  module_key varchar(32) NOT NULL,
  starts_on date NOT NULL DEFAULT current_date,
  ends_on date,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX subscription_one_open ON subscription (tenant_id, module_key) WHERE ends_on IS NULL;

-- People. Agency staff belong to a tenant; registered general and on-site users do not.
CREATE TABLE app_user (
  id uuid PRIMARY KEY,
  tenant_id uuid REFERENCES tenant(id),
  login varchar(64) NOT NULL UNIQUE CHECK (login ~ '^[A-Za-z0-9._@-]{3,64}$'),
  display_name text NOT NULL,
  email text NOT NULL DEFAULT '',
  password_hash text NOT NULL,
  roles text[] NOT NULL CHECK (roles <@ ARRAY['operator','mic','agency_admin','agency_staff','intermediary','public','onsite']::text[] AND cardinality(roles) > 0),
  status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- staff roles need a tenant; public and on-site users stand alone
  CHECK (tenant_id IS NOT NULL OR roles <@ ARRAY['public','onsite']::text[])
);

-- API keys for agencies' own systems: shown once, stored as a hash, revocable.
CREATE TABLE api_key (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  name text NOT NULL,
  prefix varchar(16) NOT NULL UNIQUE,
  key_hash text NOT NULL,
  roles text[] NOT NULL CHECK (roles <@ ARRAY['agency_admin','agency_staff','intermediary']::text[] AND cardinality(roles) > 0),
  created_by uuid REFERENCES app_user(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);
"""

TENANT_TABLES = [
    "council_decision",
    "tenant_application",
    "tenant_contract",
    "contact_person",
    "subscription",
    "api_key",
]

RLS = (
    "".join(enable(t) for t in TENANT_TABLES)
    + enable("tenant", column="id")
    + """
-- app_user: staff rows are their tenant's; public/on-site users are visible to platform processes only.
ALTER TABLE app_user ENABLE ROW LEVEL SECURITY;
ALTER TABLE app_user FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON app_user
  USING (govstat_tenant_visible(tenant_id) OR (tenant_id IS NULL AND id::text = current_setting('app.actor', true)))
  WITH CHECK (govstat_tenant_visible(tenant_id) OR tenant_id IS NULL);
"""
    + append_only("council_decision")
    + "".join(
        shared(t) for t in ("agency", "division", "system_master", "stat_field", "gov_statistic", "bulk_contract")
    )
)

forwards = sql_migration(
    migration_id=ID,
    app_name="tenants",
    description=DESCRIPTION,
    up=UP + RLS,
    down="DROP TABLE api_key, app_user, subscription, contact_person, tenant_contract,"
    " tenant_application, council_decision, tenant, bulk_contract, gov_statistic,"
    " stat_field, system_master, division, agency CASCADE;",
)
