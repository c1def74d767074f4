from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import append_only, enable, system_only

ID = "2026-12-20T00:00:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "frame: the business register with versions and PRNs, survey history, planned surveys, applications"

UP = """
-- FRAME-5: enterprises (企業). Every change is a new version [valid_from, valid_to): the register
-- as of any day is the versions valid on it. The operator's data: agencies see extracts only.
CREATE TABLE frame_enterprise (
  id bigint NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  corporate_number char(13) CHECK (corporate_number ~ '^[1-9][0-9]{12}$'),
  name text NOT NULL CHECK (name <> ''),
  name_kana text NOT NULL DEFAULT '',
  legal_form varchar(16) NOT NULL,
  status varchar(8) NOT NULL CHECK (status IN ('active', 'dormant', 'closed')),
  change_kind varchar(16) NOT NULL DEFAULT 'birth',
  change_reason text NOT NULL DEFAULT '',
  changed_by text NOT NULL DEFAULT 'system',
  PRIMARY KEY (id, valid_from),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX frame_enterprise_current ON frame_enterprise (id) WHERE valid_to IS NULL;
CREATE INDEX frame_enterprise_corp ON frame_enterprise (corporate_number) WHERE corporate_number IS NOT NULL;

-- establishments (事業所): the sampling units, linked to their enterprise (head office or branch).
CREATE TABLE frame_establishment (
  id bigint NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  enterprise_id bigint NOT NULL,
  role varchar(8) NOT NULL CHECK (role IN ('single', 'head', 'branch')),
  name text NOT NULL CHECK (name <> ''),
  name_kana text NOT NULL DEFAULT '',
  area_code char(5) NOT NULL CHECK (area_code ~ '^[0-9]{5}$'),
  postal_code char(7) NOT NULL CHECK (postal_code ~ '^[0-9]{7}$'),
  address text NOT NULL DEFAULT '',
  jsic14 varchar(4) NOT NULL CHECK (jsic14 ~ '^[0-9]{4}$'),
  jsic13 varchar(4),
  employees integer NOT NULL CHECK (employees >= 0),
  sales_class smallint NOT NULL DEFAULT 0 CHECK (sales_class BETWEEN 0 AND 9),
  status varchar(8) NOT NULL CHECK (status IN ('active', 'dormant', 'closed')),
  change_kind varchar(16) NOT NULL DEFAULT 'birth',
  change_reason text NOT NULL DEFAULT '',
  changed_by text NOT NULL DEFAULT 'system',
  PRIMARY KEY (id, valid_from),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX frame_establishment_area ON frame_establishment (area_code, valid_from);
CREATE INDEX frame_establishment_jsic ON frame_establishment (jsic14, valid_from);
CREATE INDEX frame_establishment_size ON frame_establishment (employees) WHERE valid_to IS NULL;
CREATE INDEX frame_establishment_asof ON frame_establishment (valid_from, valid_to);
CREATE INDEX frame_establishment_enterprise ON frame_establishment (enterprise_id);

-- A permanent random number, given once at the unit's birth and never changed (docs/frame.md).
CREATE TABLE frame_prn (
  establishment_id bigint PRIMARY KEY,
  prn double precision NOT NULL CHECK (prn > 0 AND prn < 1),
  assigned_on date NOT NULL,
  origin text NOT NULL DEFAULT 'birth'
);

-- FRAME-1: a planned survey (統計調査実施予定) of an agency.
CREATE TABLE frame_survey (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  name text NOT NULL CHECK (name <> ''),
  period_from date NOT NULL,
  period_to date NOT NULL,
  population jsonb NOT NULL,
  sample_size integer NOT NULL CHECK (sample_size > 0),
  start_point double precision NOT NULL CHECK (start_point >= 0 AND start_point < 1),
  direction smallint NOT NULL CHECK (direction IN (-1, 1)),
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (period_to >= period_from)
);
CREATE INDEX frame_survey_tenant ON frame_survey (tenant_id, created_at DESC);

-- FRAME-2/3: an application to use the frame and its current state; every step in frame_step.
CREATE TABLE frame_application (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  survey_id uuid NOT NULL REFERENCES frame_survey(id),
  purpose text NOT NULL CHECK (purpose <> ''),
  reference_date date NOT NULL,
  draw_sample boolean NOT NULL DEFAULT true,
  design varchar(24) NOT NULL CHECK (design IN ('srs', 'poisson', 'sequential_poisson', 'pareto')),
  status varchar(12) NOT NULL CHECK (status IN
    ('applied', 'returned', 'approved', 'rejected', 'extracted', 'sampled', 'delivered')),
  population_count integer,
  draw_id uuid,
  comment text NOT NULL DEFAULT '',
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX frame_application_status ON frame_application (status, updated_at);
CREATE INDEX frame_application_tenant ON frame_application (tenant_id, updated_at DESC);

CREATE TABLE frame_step (
  id bigserial PRIMARY KEY,
  application_id uuid NOT NULL REFERENCES frame_application(id),
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  status varchar(12) NOT NULL,
  actor text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  note text NOT NULL DEFAULT ''
);
CREATE INDEX frame_step_application ON frame_step (application_id, id);

-- A stored draw specification: with the PRNs and the versioned register it redraws the same list.
CREATE TABLE frame_draw (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  survey_id uuid REFERENCES frame_survey(id),
  application_id uuid REFERENCES frame_application(id),
  spec jsonb NOT NULL,
  test boolean NOT NULL DEFAULT false,
  population_count integer NOT NULL,
  sample_count integer NOT NULL,
  skipped_count integer NOT NULL DEFAULT 0,
  units_sha256 char(64) NOT NULL,
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The sample of a draw (unit, PRN, inclusion probability) and the units the burden rule skipped.
CREATE TABLE frame_selection (
  draw_id uuid NOT NULL REFERENCES frame_draw(id) ON DELETE CASCADE,
  establishment_id bigint NOT NULL,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  selected boolean NOT NULL,
  rank integer NOT NULL,
  prn double precision NOT NULL,
  key double precision NOT NULL,
  pi double precision NOT NULL,
  reason text NOT NULL DEFAULT '',
  PRIMARY KEY (draw_id, establishment_id)
);

-- FRAME-4: survey history (調査履歴), the burden ledger: one row per unit and real draw (never a test draw).
CREATE TABLE frame_burden (
  id bigserial PRIMARY KEY,
  establishment_id bigint NOT NULL,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  survey_id uuid NOT NULL REFERENCES frame_survey(id),
  draw_id uuid NOT NULL REFERENCES frame_draw(id),
  cycle text NOT NULL DEFAULT '',
  selected_on date NOT NULL,
  responded boolean
);
CREATE INDEX frame_burden_unit ON frame_burden (establishment_id, selected_on);

-- A delivered file, downloadable until it expires.
CREATE TABLE frame_delivery (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  application_id uuid NOT NULL REFERENCES frame_application(id),
  format varchar(8) NOT NULL CHECK (format IN ('csv', 'xlsx')),
  filename text NOT NULL,
  sha256 char(64) NOT NULL,
  content bytea NOT NULL,
  rows integer NOT NULL,
  expires_at timestamptz NOT NULL,
  downloads integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- FRAME-5: a maintenance run (a job): its progress, what it changed and its line-and-field errors.
CREATE TABLE frame_run (
  id uuid PRIMARY KEY,
  kind varchar(16) NOT NULL CHECK (kind IN ('census', 'corporate', 'manual', 'areas', 'generate')),
  status varchar(8) NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  filename text NOT NULL DEFAULT '',
  source bytea,
  effective_on date NOT NULL,
  total integer NOT NULL DEFAULT 0,
  done integer NOT NULL DEFAULT 0,
  report jsonb NOT NULL DEFAULT '{}',
  errors jsonb NOT NULL DEFAULT '[]',
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
"""

RLS = (
    "".join(
        system_only(t) for t in ("frame_enterprise", "frame_establishment", "frame_prn", "frame_burden", "frame_run")
    )
    + "".join(
        enable(t)
        for t in ("frame_survey", "frame_application", "frame_step", "frame_draw", "frame_selection", "frame_delivery")
    )
    + append_only("frame_step")
)

forwards = sql_migration(
    migration_id=ID,
    app_name="frame",
    description=DESCRIPTION,
    up=UP + RLS,
    down="DROP TABLE frame_run, frame_delivery, frame_burden, frame_selection, frame_draw, frame_step,"
    " frame_application, frame_survey, frame_prn, frame_establishment, frame_enterprise;",
)
