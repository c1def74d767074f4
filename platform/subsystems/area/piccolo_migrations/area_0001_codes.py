from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import shared

ID = "2026-11-26T00:00:10:000000"
VERSION = "1.38.0"
DESCRIPTION = "area: standard area code versions, changes (廃置分合等) and succession links"

forwards = sql_migration(
    migration_id=ID,
    app_name="area",
    description=DESCRIPTION,
    up="""
CREATE TABLE area_change (
  id uuid PRIMARY KEY,
  code char(5) NOT NULL CHECK (code ~ '^[0-9]{5}$'),
  pref_name text NOT NULL,
  desig_name text NOT NULL DEFAULT '',
  name text NOT NULL DEFAULT '',
  name_kana text NOT NULL DEFAULT '',
  effective_on date NOT NULL,
  reason text NOT NULL,
  kind varchar(24) NOT NULL,
  source varchar(16) NOT NULL CHECK (source IN ('e-stat', 'gazette')),
  gazette_ref text NOT NULL DEFAULT '',
  effects jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX area_change_date ON area_change (effective_on);
CREATE INDEX area_change_code ON area_change (code);

CREATE TABLE area_version (
  id bigserial PRIMARY KEY,
  code char(5) NOT NULL CHECK (code ~ '^[0-9]{5}$'),
  code6 char(6) NOT NULL CHECK (code6 ~ '^[0-9]{6}$' AND left(code6, 5) = code),
  pref_code char(2) NOT NULL,
  pref_name text NOT NULL,
  desig_name text NOT NULL DEFAULT '',
  desig_kana text NOT NULL DEFAULT '',
  name text NOT NULL,
  name_kana text NOT NULL DEFAULT '',
  level varchar(16) NOT NULL CHECK (level IN ('prefecture','designated_city','ward','city','town','village','district')),
  valid_from date,
  valid_to date,
  source varchar(16) NOT NULL CHECK (source IN ('e-stat', 'gazette')),
  change_id uuid REFERENCES area_change(id) ON DELETE CASCADE,
  CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from)
);
CREATE INDEX area_version_code ON area_version (code);
CREATE INDEX area_version_valid ON area_version (valid_from, valid_to);
CREATE INDEX area_version_pref ON area_version (pref_code);

CREATE TABLE area_link (
  id bigserial PRIMARY KEY,
  change_id uuid NOT NULL REFERENCES area_change(id) ON DELETE CASCADE,
  old_code char(5) NOT NULL,
  old_name text NOT NULL DEFAULT '',
  new_code char(5) NOT NULL,
  new_name text NOT NULL DEFAULT '',
  effective_on date NOT NULL
);
CREATE INDEX area_link_old ON area_link (old_code, effective_on);
CREATE INDEX area_link_new ON area_link (new_code, effective_on);
"""
    + shared("area_change")
    + shared("area_version")
    + shared("area_link"),
    down="DROP TABLE area_link; DROP TABLE area_version; DROP TABLE area_change;",
)
