from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import enable, public_read

ID = "2026-12-01T20:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "items: definition units, code lists, survey items (versioned), questionnaires (versioned definitions)"

# A questionnaire version once published (or superseded after) is public and fixed; drafts are the owner's.
PUBLIC = "status IN ('published', 'superseded')"

UP = """
-- 定義単位: a unit of definition (a survey's concept group: 世帯, 事業所, 就業 ...), owned by a tenant.
CREATE TABLE items_definition_unit (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  code varchar(32) NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]+$'),
  name_ja text NOT NULL CHECK (name_ja <> ''),
  name_en text NOT NULL DEFAULT '',
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code)
);

-- 符号表: a code list, versioned; a version used by a published questionnaire is fixed (an edit makes
-- the next version). classification_version links it to the classification database (JSIC, JSOC).
CREATE TABLE items_code_list (
  id varchar(64) PRIMARY KEY CHECK (id ~ '^[A-Za-z][A-Za-z0-9_.:-]*$'),
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  current_version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, tenant_id)
);
CREATE TABLE items_code_list_version (
  code_list_id varchar(64) NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  tenant_id uuid NOT NULL,
  name_ja text NOT NULL CHECK (name_ja <> ''),
  name_en text NOT NULL DEFAULT '',
  classification_version varchar(32),
  options jsonb NOT NULL,
  fixed boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (code_list_id, version),
  FOREIGN KEY (code_list_id, tenant_id) REFERENCES items_code_list (id, tenant_id)
);

-- 調査項目 with its 回答項目 (answer type, unit, range, code list), versioned by stable item id.
CREATE TABLE items_item (
  id varchar(63) PRIMARY KEY CHECK (id ~ '^[A-Za-z][A-Za-z0-9_]*$'),
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  definition_unit_id uuid REFERENCES items_definition_unit(id),
  current_version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, tenant_id)
);
CREATE TABLE items_item_version (
  item_id varchar(63) NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  tenant_id uuid NOT NULL,
  label_ja text NOT NULL CHECK (label_ja <> ''),
  label_en text NOT NULL DEFAULT '',
  definition_ja text NOT NULL DEFAULT '',
  definition_en text NOT NULL DEFAULT '',
  answer_type varchar(16) NOT NULL CHECK (answer_type IN ('integer', 'decimal', 'text', 'code', 'date', 'boolean')),
  unit text NOT NULL DEFAULT '',
  minimum numeric,
  maximum numeric,
  max_length integer CHECK (max_length IS NULL OR max_length > 0),
  code_list_id varchar(64),
  code_list_version integer,
  fixed boolean NOT NULL DEFAULT false,
  search text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (item_id, version),
  FOREIGN KEY (item_id, tenant_id) REFERENCES items_item (id, tenant_id),
  FOREIGN KEY (code_list_id, code_list_version) REFERENCES items_code_list_version (code_list_id, version),
  CHECK ((answer_type = 'code') = (code_list_id IS NOT NULL)),
  CHECK (minimum IS NULL OR maximum IS NULL OR minimum <= maximum)
);

-- 調査票: per survey and cycle, its definition versioned; a published version never changes.
CREATE TABLE items_questionnaire (
  id uuid PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenant(id),
  survey varchar(32) NOT NULL CHECK (survey <> ''),
  cycle varchar(32) NOT NULL CHECK (cycle <> ''),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, tenant_id)
);
CREATE INDEX items_questionnaire_survey ON items_questionnaire (survey, cycle);
CREATE TABLE items_questionnaire_version (
  questionnaire_id uuid NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  tenant_id uuid NOT NULL,
  status varchar(16) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'superseded')),
  title_ja text NOT NULL CHECK (title_ja <> ''),
  respondent_unit varchar(16) NOT NULL CHECK (respondent_unit IN ('household', 'establishment', 'enterprise')),
  definition jsonb NOT NULL,
  search text NOT NULL DEFAULT '',
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (questionnaire_id, version),
  FOREIGN KEY (questionnaire_id, tenant_id) REFERENCES items_questionnaire (id, tenant_id),
  CHECK ((status = 'draft') = (published_at IS NULL))
);
CREATE UNIQUE INDEX items_questionnaire_one_draft ON items_questionnaire_version (questionnaire_id) WHERE status = 'draft';
CREATE UNIQUE INDEX items_questionnaire_one_published ON items_questionnaire_version (questionnaire_id) WHERE status = 'published';

-- Which item versions a questionnaire version uses, in order (item pages list every questionnaire).
CREATE TABLE items_questionnaire_item (
  questionnaire_id uuid NOT NULL,
  version integer NOT NULL,
  tenant_id uuid NOT NULL,
  position integer NOT NULL,
  item_id varchar(63) NOT NULL,
  item_version integer NOT NULL,
  PRIMARY KEY (questionnaire_id, version, position),
  FOREIGN KEY (questionnaire_id, version) REFERENCES items_questionnaire_version (questionnaire_id, version) ON DELETE CASCADE,
  FOREIGN KEY (item_id, item_version) REFERENCES items_item_version (item_id, version)
);
CREATE INDEX items_questionnaire_item_by_item ON items_questionnaire_item (item_id, item_version);

-- A published definition is fixed whatever the caller does: only its status may move on.
CREATE OR REPLACE FUNCTION items_questionnaire_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'draft' THEN
      RAISE EXCEPTION 'questionnaire % v% was published and is kept', OLD.questionnaire_id, OLD.version
        USING ERRCODE = 'check_violation', CONSTRAINT = 'items_questionnaire_fixed';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status <> 'draft' AND (NEW.definition IS DISTINCT FROM OLD.definition OR NEW.title_ja <> OLD.title_ja) THEN
    RAISE EXCEPTION 'questionnaire % v% is %: its definition is fixed', OLD.questionnaire_id, OLD.version, OLD.status
      USING ERRCODE = 'check_violation', CONSTRAINT = 'items_questionnaire_fixed';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER items_questionnaire_guard BEFORE UPDATE OR DELETE ON items_questionnaire_version
  FOR EACH ROW EXECUTE FUNCTION items_questionnaire_guard();

-- An item or code list version a published questionnaire uses is fixed.
CREATE OR REPLACE FUNCTION items_fixed_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.fixed AND (to_jsonb(NEW) - 'fixed') IS DISTINCT FROM (to_jsonb(OLD) - 'fixed') THEN
    RAISE EXCEPTION '% is used by a published questionnaire: edit makes a new version', TG_TABLE_NAME
      USING ERRCODE = 'check_violation', CONSTRAINT = 'items_version_fixed';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER items_item_version_guard BEFORE UPDATE ON items_item_version
  FOR EACH ROW EXECUTE FUNCTION items_fixed_guard();
CREATE TRIGGER items_code_list_version_guard BEFORE UPDATE ON items_code_list_version
  FOR EACH ROW EXECUTE FUNCTION items_fixed_guard();
"""

# Items, code lists and definition units are public metadata (ITEMS-1); questionnaires are public
# once published. Every table is written only by its tenant (and the operator).
REGISTRY = ("items_definition_unit", "items_code_list", "items_code_list_version", "items_item", "items_item_version")
RLS = (
    "".join(enable(t) + public_read(t, "true") for t in REGISTRY)
    + enable("items_questionnaire")
    + public_read(
        "items_questionnaire", f"id IN (SELECT questionnaire_id FROM items_questionnaire_version WHERE {PUBLIC})"
    )
    + enable("items_questionnaire_version")
    + public_read("items_questionnaire_version", PUBLIC)
    + enable("items_questionnaire_item")
    + public_read(
        "items_questionnaire_item",
        f"(questionnaire_id, version) IN (SELECT questionnaire_id, version FROM items_questionnaire_version WHERE {PUBLIC})",
    )
)

forwards = sql_migration(
    migration_id=ID,
    app_name="items",
    description=DESCRIPTION,
    up=UP + RLS,
    down="DROP TABLE items_questionnaire_item, items_questionnaire_version, items_questionnaire, items_item_version,"
    " items_item, items_code_list_version, items_code_list, items_definition_unit;"
    " DROP FUNCTION items_questionnaire_guard(); DROP FUNCTION items_fixed_guard();",
)
