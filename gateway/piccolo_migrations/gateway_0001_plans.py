from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import shared

ID = "2026-11-26T00:00:06:000000"
VERSION = "1.38.0"
DESCRIPTION = "gateway: fee plans (rate limits and fees) and metered unit prices"

forwards = sql_migration(
    migration_id=ID,
    app_name="gateway",
    description=DESCRIPTION,
    up="""
-- A plan sets a tenant's rate limits and, for approved bodies, the fees the operator set after
-- hearing the council (GOV-4). Constituent ministries' annual fees are per tenant (see billing).
CREATE TABLE fee_plan (
  code varchar(32) PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9-]{1,31}$'),
  name_ja text NOT NULL,
  rate_quota integer NOT NULL CHECK (rate_quota > 0),
  rate_window_seconds integer NOT NULL CHECK (rate_window_seconds > 0),
  rate_burst integer NOT NULL DEFAULT 0 CHECK (rate_burst >= 0),
  monthly_base_fee_yen bigint NOT NULL DEFAULT 0 CHECK (monthly_base_fee_yen >= 0),
  decision_ref text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE fee_rate (
  plan_code varchar(32) NOT NULL REFERENCES fee_plan(code) ON DELETE CASCADE,
  module_key varchar(32) NOT NULL,
  operation varchar(64) NOT NULL,
  unit_price_yen numeric(12, 4) NOT NULL CHECK (unit_price_yen >= 0),
  included_units bigint NOT NULL DEFAULT 0 CHECK (included_units >= 0),
  PRIMARY KEY (plan_code, module_key, operation)
);
INSERT INTO fee_plan (code, name_ja, rate_quota, rate_window_seconds, rate_burst, monthly_base_fee_yen) VALUES
  ('operator', '運用管理機関', 6000, 60, 600, 0),
  ('constituent', '構成府省（一括契約）', 1200, 60, 120, 0),
  ('standard', '承認機関 標準', 600, 60, 60, 50000),
  ('large', '承認機関 大規模', 3000, 60, 300, 150000),
  ('public', '登録利用者（appId）', 300, 60, 30, 0),
  ('anonymous', '未登録の利用者（IPアドレス単位）', 120, 60, 20, 0);
ALTER TABLE tenant ADD CONSTRAINT tenant_plan_fk FOREIGN KEY (plan) REFERENCES fee_plan(code);
"""
    + shared("fee_plan")
    + shared("fee_rate"),
    down="ALTER TABLE tenant DROP CONSTRAINT tenant_plan_fk; DROP TABLE fee_rate; DROP TABLE fee_plan;",
)
