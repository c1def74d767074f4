from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable, shared

ID = "2026-12-01T00:00:13:000000"
VERSION = "1.38.0"
DESCRIPTION = "onsite: microdata datasets (encrypted), facilities and devices, grants, sessions, checked outputs"

# The researcher (an on-site user: no tenant, role 'onsite') reaches rows through these, never
# through the tenant policy: their own grants, sessions and outputs, the catalogue of loaded
# datasets, and a dataset's encrypted content only while a grant of theirs is live.
RESEARCHER = "current_setting('app.role', true) = 'onsite'"
OWN = f"{RESEARCHER} AND researcher_id::text = current_setting('app.actor', true)"
LIVE_GRANT = (
    "EXISTS (SELECT 1 FROM onsite_grant g WHERE g.status = 'approved' AND g.starts_on <= (now() AT TIME ZONE 'Asia/Tokyo')::date"
    " AND now() < g.expires_at AND g.researcher_id::text = current_setting('app.actor', true)"
    " AND onsite_dataset_blob.dataset_id::text = ANY (g.dataset_ids))"
)

UP = """
-- A dataset of microdata (調査票情報): one survey, one year, one unit kind, its declared variables
-- (jsonb list of {name, label, kind: category|number, codes?}) and the disclosure rules its outputs
-- are checked by. Its data key is kept only wrapped by the master key (settings), never in clear.
CREATE TABLE onsite_dataset (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  survey_name text NOT NULL CHECK (survey_name <> ''),
  gov_stat_code varchar(8) NOT NULL DEFAULT '',
  year integer NOT NULL CHECK (year BETWEEN 1900 AND 2100),
  unit_kind varchar(16) NOT NULL CHECK (unit_kind IN ('person', 'household', 'establishment')),
  title text NOT NULL CHECK (title <> ''),
  variables jsonb NOT NULL CHECK (jsonb_typeof(variables) = 'array' AND jsonb_array_length(variables) BETWEEN 1 AND 200),
  threshold integer NOT NULL DEFAULT 10 CHECK (threshold BETWEEN 3 AND 1000),
  dominance_k integer NOT NULL DEFAULT 2 CHECK (dominance_k BETWEEN 1 AND 5),
  dominance_p double precision NOT NULL DEFAULT 85 CHECK (dominance_p > 50 AND dominance_p <= 100),
  protection_pct double precision NOT NULL DEFAULT 20 CHECK (protection_pct > 0 AND protection_pct <= 100),
  retention_until date NOT NULL,
  status varchar(16) NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'loaded', 'purged')),
  row_count bigint NOT NULL DEFAULT 0,
  sha256 text NOT NULL DEFAULT '',
  wrapped_key bytea,
  key_nonce bytea,
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  loaded_at timestamptz,
  purged_at timestamptz,
  UNIQUE (id, tenant_id),
  UNIQUE (tenant_id, survey_name, year, unit_kind),
  CHECK ((status = 'loaded') = (wrapped_key IS NOT NULL))
);

-- The encrypted content (AES-256-GCM under the dataset's data key; the dataset id is the associated data).
CREATE TABLE onsite_dataset_blob (
  dataset_id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  nonce bytea NOT NULL,
  ciphertext bytea NOT NULL,
  FOREIGN KEY (dataset_id, tenant_id) REFERENCES onsite_dataset (id, tenant_id) ON DELETE CASCADE
);

-- Facilities (オンサイト施設) and their terminals' device keys: the operator's records.
CREATE TABLE onsite_facility (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (name <> ''),
  address text NOT NULL DEFAULT '',
  ranges text[] NOT NULL CHECK (cardinality(ranges) BETWEEN 1 AND 20),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE onsite_device (
  id uuid PRIMARY KEY,
  facility_id uuid NOT NULL REFERENCES onsite_facility(id) ON DELETE CASCADE,
  label text NOT NULL DEFAULT '',
  key_hash text NOT NULL,  -- HMAC-SHA256 of the key under the platform secret
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- A grant (利用承認): pending -> approved | refused; approved -> revoked. Live while approved,
-- started and not expired: access ends at expires_at by itself (every check compares the clock).
CREATE TABLE onsite_grant (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  researcher_id uuid NOT NULL REFERENCES app_user(id),
  researcher_name text NOT NULL DEFAULT '',
  purpose text NOT NULL CHECK (length(purpose) BETWEEN 10 AND 4000),
  dataset_ids text[] NOT NULL CHECK (cardinality(dataset_ids) BETWEEN 1 AND 10),
  variables text[] NOT NULL CHECK (cardinality(variables) BETWEEN 1 AND 200),
  facility_ids text[] NOT NULL CHECK (cardinality(facility_ids) BETWEEN 1 AND 10),
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused', 'revoked')),
  expires_at timestamptz,
  decided_by text,
  decided_at timestamptz,
  decision_note text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, tenant_id),
  CHECK (starts_on <= ends_on),
  CHECK (status <> 'approved' OR expires_at IS NOT NULL)
);
CREATE INDEX onsite_grant_researcher ON onsite_grant (researcher_id, created_at DESC);
CREATE INDEX onsite_grant_queue ON onsite_grant (tenant_id, status, created_at DESC);

-- An on-site session: one researcher, one grant, at one facility's terminal.
CREATE TABLE onsite_visit (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  grant_id uuid NOT NULL,
  researcher_id uuid NOT NULL,
  facility_id uuid NOT NULL REFERENCES onsite_facility(id),
  device_id uuid NOT NULL REFERENCES onsite_device(id),
  client_ip text NOT NULL,
  opened_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  close_reason text NOT NULL DEFAULT '',
  FOREIGN KEY (grant_id, tenant_id) REFERENCES onsite_grant (id, tenant_id)
);

-- Every query, its checked result and its verdict (the audit trail and the release log that the
-- differencing check reads). `evidence` holds what recomputes every cell's status; researchers
-- are shown only `cells`.
CREATE TABLE onsite_output (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL,
  visit_id uuid NOT NULL REFERENCES onsite_visit(id),
  grant_id uuid NOT NULL,
  researcher_id uuid NOT NULL,
  dataset_id uuid NOT NULL,
  spec jsonb NOT NULL,
  verdict varchar(20) NOT NULL CHECK (verdict IN ('released', 'refused', 'review_requested', 'review_released', 'review_refused')),
  reasons jsonb NOT NULL DEFAULT '[]',
  cells jsonb NOT NULL DEFAULT '[]',
  evidence jsonb NOT NULL DEFAULT '{}',
  elapsed_ms double precision NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  review_requested_at timestamptz,
  review_reason text NOT NULL DEFAULT '',
  reviewed_by text,
  reviewed_at timestamptz,
  review_note text NOT NULL DEFAULT '',
  FOREIGN KEY (dataset_id, tenant_id) REFERENCES onsite_dataset (id, tenant_id)
);
CREATE INDEX onsite_output_released ON onsite_output (researcher_id, dataset_id, created_at)
  WHERE verdict IN ('released', 'review_released');
CREATE INDEX onsite_output_queue ON onsite_output (tenant_id, verdict, created_at DESC);
"""

RLS = (
    enable("onsite_dataset")
    + f"CREATE POLICY onsite_catalogue ON onsite_dataset FOR SELECT USING ({RESEARCHER} AND status = 'loaded');\n"
    + enable("onsite_dataset_blob")
    + f"CREATE POLICY onsite_live_grant ON onsite_dataset_blob FOR SELECT USING ({RESEARCHER} AND {LIVE_GRANT});\n"
    + shared("onsite_facility")
    + shared("onsite_device")
    + enable("onsite_grant")
    + f"CREATE POLICY onsite_own_read ON onsite_grant FOR SELECT USING ({OWN});\n"
    + f"CREATE POLICY onsite_apply ON onsite_grant FOR INSERT WITH CHECK ({OWN} AND status = 'pending' AND decided_at IS NULL);\n"
    + enable("onsite_visit")
    + f"CREATE POLICY onsite_own ON onsite_visit USING ({OWN}) WITH CHECK ({OWN});\n"
    + enable("onsite_output")
    + f"CREATE POLICY onsite_own_read ON onsite_output FOR SELECT USING ({OWN});\n"
    + f"CREATE POLICY onsite_own_write ON onsite_output FOR INSERT WITH CHECK ({OWN} AND verdict IN ('released', 'refused'));\n"
    + f"CREATE POLICY onsite_review_request ON onsite_output FOR UPDATE USING ({OWN} AND verdict = 'refused')"
    + f" WITH CHECK ({OWN} AND verdict = 'review_requested');\n"
)

forwards = sql_migration(
    migration_id=ID,
    app_name="onsite",
    description=DESCRIPTION,
    up=UP + RLS,
    down="DROP TABLE onsite_output, onsite_visit, onsite_grant, onsite_device, onsite_facility,"
    " onsite_dataset_blob, onsite_dataset;",
)
