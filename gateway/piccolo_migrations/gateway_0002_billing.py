from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable

ID = "2026-11-26T00:00:07:000000"
VERSION = "1.38.0"
DESCRIPTION = "gateway billing: billable usage, constituent fees, extra charges, invoices (final ones immutable)"

TABLES = """
-- Billing's own read model of the usage topic: per tenant, JST day, module and operation (GOV-4).
-- No foreign key to tenant: a read model must never block its consumer on a stray event.
CREATE TABLE billable_usage (
  tenant_id uuid NOT NULL,
  day date NOT NULL,
  module_key varchar(32) NOT NULL,
  operation varchar(64) NOT NULL,
  calls bigint NOT NULL DEFAULT 0 CHECK (calls >= 0),
  units bigint NOT NULL DEFAULT 0 CHECK (units >= 0),
  PRIMARY KEY (tenant_id, day, module_key, operation)
);

-- Constituent ministries' annual fee, set by the council (GOV-4); one per tenant and fiscal year.
CREATE TABLE constituent_fee (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  fiscal_year integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
  annual_fee_yen bigint NOT NULL CHECK (annual_fee_yen >= 0),
  decision_id uuid NOT NULL REFERENCES council_decision(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, fiscal_year)
);

CREATE TABLE invoice (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  period varchar(7) NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  status varchar(8) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'final')),
  issued_at timestamptz NOT NULL,
  refreshed_at timestamptz NOT NULL,
  finalised_at timestamptz,
  total_yen bigint NOT NULL DEFAULT 0 CHECK (total_yen >= 0),
  UNIQUE (tenant_id, period),
  UNIQUE (id, tenant_id),            -- target of the (invoice, tenant) foreign keys below
  CHECK ((status = 'final') = (finalised_at IS NOT NULL))
);
CREATE INDEX invoice_period ON invoice (period);

-- Other charges: agency-specific changes (GOV-5), helpdesk outside hours (GOV-11), other.
-- source_ref makes recording idempotent; invoice_id is set once, when a final invoice bills it.
CREATE TABLE extra_charge (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  kind varchar(24) NOT NULL CHECK (kind IN ('agency_change', 'helpdesk_out_of_hours', 'other')),
  description text NOT NULL CHECK (description <> ''),
  amount_yen bigint NOT NULL CHECK (amount_yen > 0),
  occurred_on date NOT NULL,
  source_ref varchar(200) NOT NULL CHECK (source_ref <> ''),
  invoice_id uuid,
  recorded_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, source_ref),
  FOREIGN KEY (invoice_id, tenant_id) REFERENCES invoice (id, tenant_id)
);
CREATE INDEX extra_charge_open ON extra_charge (tenant_id, occurred_on) WHERE invoice_id IS NULL;

CREATE TABLE invoice_line (
  id uuid PRIMARY KEY,
  invoice_id uuid NOT NULL,
  tenant_id uuid NOT NULL,
  position integer NOT NULL CHECK (position > 0),
  kind varchar(16) NOT NULL CHECK (kind IN ('annual_fee', 'base_fee', 'usage', 'extra')),
  module_key varchar(32) NOT NULL DEFAULT '',
  operation varchar(64) NOT NULL DEFAULT '',
  description text NOT NULL,
  quantity bigint NOT NULL CHECK (quantity >= 0),
  unit_price_yen numeric(12, 4) NOT NULL CHECK (unit_price_yen >= 0),
  amount_yen bigint NOT NULL CHECK (amount_yen >= 0),
  extra_charge_id uuid REFERENCES extra_charge(id),
  UNIQUE (invoice_id, position),
  -- a line belongs to an invoice of its own tenant
  FOREIGN KEY (invoice_id, tenant_id) REFERENCES invoice (id, tenant_id) ON DELETE CASCADE
);
"""

# A final invoice is a document sent to an agency: the database itself refuses to change it,
# whoever asks (operator scope, owner role, a forgotten script), not only the application.
IMMUTABILITY = """
CREATE FUNCTION billing_invoice_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status = 'final' THEN  -- finalising is a step of a draft whose lines are already written
      RAISE EXCEPTION 'an invoice starts as a draft / 請求書は下書きから確定します'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_starts_as_draft';
    END IF;
    RETURN NEW;
  END IF;
  IF OLD.status = 'final' THEN
    RAISE EXCEPTION 'invoice % (%) is final and cannot be changed / 確定済みの請求書は変更できません', OLD.id, OLD.period
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_final_immutable';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  IF NEW.status = 'final' AND NEW.total_yen <>
      (SELECT coalesce(sum(l.amount_yen), 0) FROM invoice_line l WHERE l.invoice_id = NEW.id) THEN
    RAISE EXCEPTION 'invoice % total % does not equal the sum of its lines / 合計が明細と一致しません', NEW.id, NEW.total_yen
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_total_matches_lines';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoice_guard BEFORE INSERT OR UPDATE OR DELETE ON invoice
  FOR EACH ROW EXECUTE FUNCTION billing_invoice_guard();

CREATE FUNCTION billing_invoice_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE target uuid;
BEGIN
  IF TG_OP = 'INSERT' THEN
    target := NEW.invoice_id;
  ELSE
    target := OLD.invoice_id;
  END IF;
  IF EXISTS (SELECT 1 FROM invoice i WHERE i.id = target AND i.status = 'final')
     OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM invoice i WHERE i.id = NEW.invoice_id AND i.status = 'final')) THEN
    RAISE EXCEPTION 'lines of final invoice % cannot be changed / 確定済みの請求書の明細は変更できません', target
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_final_immutable';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoice_line_guard BEFORE INSERT OR UPDATE OR DELETE ON invoice_line
  FOR EACH ROW EXECUTE FUNCTION billing_invoice_line_guard();

-- A charge that a final invoice billed stays as billed: never billed twice, never edited after.
CREATE FUNCTION billing_extra_charge_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.invoice_id IS NOT NULL THEN
    RAISE EXCEPTION 'extra charge % is billed on invoice % and cannot be changed / 請求済みの費用は変更できません',
      OLD.id, OLD.invoice_id USING ERRCODE = 'check_violation', CONSTRAINT = 'extra_charge_billed_immutable';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER extra_charge_guard BEFORE UPDATE OR DELETE ON extra_charge
  FOR EACH ROW EXECUTE FUNCTION billing_extra_charge_guard();

CREATE FUNCTION billing_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM invoice WHERE status = 'final') THEN
    RAISE EXCEPTION '% holds final invoices and cannot be truncated / 確定済みの請求書があります', TG_TABLE_NAME
      USING ERRCODE = 'check_violation', CONSTRAINT = 'invoice_final_immutable';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER invoice_no_truncate BEFORE TRUNCATE ON invoice FOR EACH STATEMENT EXECUTE FUNCTION billing_no_truncate();
CREATE TRIGGER invoice_line_no_truncate BEFORE TRUNCATE ON invoice_line
  FOR EACH STATEMENT EXECUTE FUNCTION billing_no_truncate();
CREATE TRIGGER extra_charge_no_truncate BEFORE TRUNCATE ON extra_charge
  FOR EACH STATEMENT EXECUTE FUNCTION billing_no_truncate();
"""


def written_by_platform(table: str) -> str:
    """Agencies read their own billing rows; only the operator and platform processes write them.

    Restrictive policies narrow the tenant policy for writes and leave reads to it."""
    return "".join(
        f"""
DROP POLICY IF EXISTS platform_{verb} ON "{table}";
CREATE POLICY platform_{verb} ON "{table}" AS RESTRICTIVE FOR {verb.upper()} {clause};
"""
        for verb, clause in (
            ("insert", "WITH CHECK (govstat_cross_tenant())"),
            ("update", "USING (govstat_cross_tenant())"),
            ("delete", "USING (govstat_cross_tenant())"),
        )
    )


BILLING_TABLES = ("billable_usage", "constituent_fee", "invoice", "extra_charge", "invoice_line")
RLS = "".join(enable(t) + written_by_platform(t) for t in BILLING_TABLES)

forwards = sql_migration(
    migration_id=ID,
    app_name="gateway",
    description=DESCRIPTION,
    up=TABLES + IMMUTABILITY + RLS,
    down="DROP TABLE invoice_line, extra_charge, invoice, constituent_fee, billable_usage CASCADE;"
    " DROP FUNCTION billing_invoice_guard(), billing_invoice_line_guard(), billing_extra_charge_guard(),"
    " billing_no_truncate();",
)
