"""portal: notices with audiences and read marks, e-mail deliveries, boards with members, posts,
pages for statisticians and their attachments. Who sees what is row-level security, not filters:
a notice by its audience, a board by its members, a post and an attachment by their board."""

from govstat.platform.db.migrations import sql_migration
from govstat.platform.db.rls import system_only

ID = "2026-12-20T00:00:13:000000"
VERSION = "1.38.0"
DESCRIPTION = "portal: notices, boards, posts, pages, attachments"

UP = """
-- Who the reader is, in the scope the unit of work set (app.role is the principal's kind).
CREATE OR REPLACE FUNCTION portal_reader() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('app.actor', true), '')
$$;
CREATE OR REPLACE FUNCTION portal_kind() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('app.role', true), '')
$$;
-- A notice's audience: every agency (MIC with them), one tenant, the intermediaries, the public.
CREATE OR REPLACE FUNCTION portal_addressed(audience text, audience_tenant uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT CASE audience
    WHEN 'public' THEN true
    WHEN 'agencies' THEN portal_kind() IN ('agency', 'mic')
    WHEN 'intermediaries' THEN portal_kind() = 'intermediary'
    WHEN 'tenant' THEN audience_tenant IS NOT NULL AND audience_tenant = govstat_scope_tenant()
    ELSE false END
$$;

CREATE TABLE portal_notice (
  id uuid PRIMARY KEY,
  audience varchar(16) NOT NULL CHECK (audience IN ('agencies', 'tenant', 'intermediaries', 'public')),
  audience_tenant_id uuid REFERENCES tenant(id),
  title text NOT NULL CHECK (title <> ''),
  body text NOT NULL DEFAULT '',
  important boolean NOT NULL DEFAULT false,
  publish_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz,
  mailed_at timestamptz,
  search_text text NOT NULL DEFAULT '',
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((audience = 'tenant') = (audience_tenant_id IS NOT NULL))
);
CREATE INDEX portal_notice_live ON portal_notice (publish_at DESC) WHERE withdrawn_at IS NULL;
CREATE INDEX portal_notice_search ON portal_notice USING gin (to_tsvector('simple', search_text));
ALTER TABLE portal_notice ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_notice FORCE ROW LEVEL SECURITY;
CREATE POLICY operator_all ON portal_notice USING (govstat_cross_tenant()) WITH CHECK (govstat_cross_tenant());
CREATE POLICY addressed ON portal_notice FOR SELECT
  USING (withdrawn_at IS NULL AND publish_at <= now() AND portal_addressed(audience, audience_tenant_id));

-- 既読: one row per notice and reader (the principal's subject).
CREATE TABLE portal_notice_read (
  notice_id uuid NOT NULL REFERENCES portal_notice(id) ON DELETE CASCADE,
  reader text NOT NULL CHECK (reader <> ''),
  read_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notice_id, reader)
);
ALTER TABLE portal_notice_read ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_notice_read FORCE ROW LEVEL SECURITY;
CREATE POLICY own_marks ON portal_notice_read
  USING (govstat_cross_tenant() OR reader = portal_reader())
  WITH CHECK (govstat_cross_tenant() OR (reader = portal_reader() AND notice_id IN (SELECT id FROM portal_notice)));

-- E-mail of an important notice: one row per recipient, fixed when the worker first sends it.
CREATE TABLE portal_notice_mail (
  id uuid PRIMARY KEY,
  notice_id uuid NOT NULL REFERENCES portal_notice(id) ON DELETE CASCADE,
  email text NOT NULL,
  status varchar(8) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text NOT NULL DEFAULT '',
  sent_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (notice_id, email)
);

-- 掲示板 and its members: a tenant, or a kind of user (agency, mic, intermediary, public).
CREATE TABLE portal_board (
  id uuid PRIMARY KEY,
  name text NOT NULL CHECK (name <> ''),
  description text NOT NULL DEFAULT '',
  edit_window_minutes integer NOT NULL DEFAULT 30 CHECK (edit_window_minutes BETWEEN 0 AND 10080),
  created_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE portal_board_member (
  id uuid PRIMARY KEY,
  board_id uuid NOT NULL REFERENCES portal_board(id) ON DELETE CASCADE,
  member_tenant_id uuid REFERENCES tenant(id),
  member_kind varchar(16) CHECK (member_kind IN ('agency', 'mic', 'intermediary', 'public')),
  CHECK ((member_tenant_id IS NULL) <> (member_kind IS NULL))
);
CREATE UNIQUE INDEX portal_board_member_once ON portal_board_member
  (board_id, coalesce(member_tenant_id::text, member_kind));
ALTER TABLE portal_board_member ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_board_member FORCE ROW LEVEL SECURITY;
CREATE POLICY operator_all ON portal_board_member USING (govstat_cross_tenant()) WITH CHECK (govstat_cross_tenant());
CREATE POLICY own_membership ON portal_board_member FOR SELECT
  USING (member_tenant_id = govstat_scope_tenant() OR member_kind = portal_kind());
ALTER TABLE portal_board ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_board FORCE ROW LEVEL SECURITY;
CREATE POLICY operator_all ON portal_board USING (govstat_cross_tenant()) WITH CHECK (govstat_cross_tenant());
CREATE POLICY members ON portal_board FOR SELECT USING (id IN (SELECT board_id FROM portal_board_member));

-- A post (thread root when parent_id is null) and its replies; hidden by moderation.
CREATE TABLE portal_post (
  id uuid PRIMARY KEY,
  board_id uuid NOT NULL REFERENCES portal_board(id) ON DELETE CASCADE,
  parent_id uuid REFERENCES portal_post(id) ON DELETE CASCADE,
  author text NOT NULL,
  author_name text NOT NULL DEFAULT '',
  author_tenant_id uuid REFERENCES tenant(id),
  title text NOT NULL DEFAULT '',
  body text NOT NULL CHECK (body <> ''),
  hidden boolean NOT NULL DEFAULT false,
  moderation_note text NOT NULL DEFAULT '',
  search_text text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  edited_at timestamptz
);
CREATE INDEX portal_post_board ON portal_post (board_id, created_at DESC) WHERE parent_id IS NULL;
CREATE INDEX portal_post_thread ON portal_post (parent_id, created_at);
CREATE INDEX portal_post_search ON portal_post USING gin (to_tsvector('simple', search_text));
ALTER TABLE portal_post ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_post FORCE ROW LEVEL SECURITY;
CREATE POLICY operator_all ON portal_post USING (govstat_cross_tenant()) WITH CHECK (govstat_cross_tenant());
CREATE POLICY members_read ON portal_post FOR SELECT
  USING (NOT hidden AND board_id IN (SELECT id FROM portal_board));
CREATE POLICY members_write ON portal_post FOR INSERT
  WITH CHECK (author = portal_reader() AND NOT hidden AND board_id IN (SELECT id FROM portal_board));
CREATE POLICY author_edit ON portal_post FOR UPDATE
  USING (author = portal_reader() AND NOT hidden AND board_id IN (SELECT id FROM portal_board))
  WITH CHECK (author = portal_reader() AND NOT hidden);

-- 統計専門職員向けページ: Markdown kept as written and as sanitised HTML.
CREATE TABLE portal_page (
  id uuid PRIMARY KEY,
  slug varchar(64) NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  title text NOT NULL CHECK (title <> ''),
  body_md text NOT NULL DEFAULT '',
  body_html text NOT NULL DEFAULT '',
  search_text text NOT NULL DEFAULT '',
  updated_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX portal_page_search ON portal_page USING gin (to_tsvector('simple', search_text));
ALTER TABLE portal_page ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_page FORCE ROW LEVEL SECURITY;
CREATE POLICY operator_all ON portal_page USING (govstat_cross_tenant()) WITH CHECK (govstat_cross_tenant());
CREATE POLICY statisticians ON portal_page FOR SELECT USING (portal_kind() IN ('agency', 'mic'));

-- Files attached to a post or a page; readable where the post or page is.
CREATE TABLE portal_attachment (
  id uuid PRIMARY KEY,
  post_id uuid REFERENCES portal_post(id) ON DELETE CASCADE,
  page_id uuid REFERENCES portal_page(id) ON DELETE CASCADE,
  filename text NOT NULL CHECK (filename <> ''),
  content_type varchar(128) NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 char(64) NOT NULL,
  content bytea NOT NULL,
  uploaded_by text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((post_id IS NULL) <> (page_id IS NULL))
);
CREATE INDEX portal_attachment_post ON portal_attachment (post_id);
CREATE INDEX portal_attachment_page ON portal_attachment (page_id);
ALTER TABLE portal_attachment ENABLE ROW LEVEL SECURITY;
ALTER TABLE portal_attachment FORCE ROW LEVEL SECURITY;
CREATE POLICY operator_all ON portal_attachment USING (govstat_cross_tenant()) WITH CHECK (govstat_cross_tenant());
CREATE POLICY where_visible ON portal_attachment FOR SELECT
  USING (post_id IN (SELECT id FROM portal_post) OR page_id IN (SELECT id FROM portal_page));
CREATE POLICY author_attach ON portal_attachment FOR INSERT
  WITH CHECK (uploaded_by = portal_reader() AND post_id IN (SELECT id FROM portal_post WHERE author = portal_reader()));
"""

forwards = sql_migration(
    migration_id=ID,
    app_name="portal",
    description=DESCRIPTION,
    up=UP + system_only("portal_notice_mail"),
    down="DROP TABLE portal_attachment, portal_page, portal_post, portal_board_member, portal_board,"
    " portal_notice_mail, portal_notice_read, portal_notice;"
    " DROP FUNCTION portal_addressed(text, uuid), portal_kind(), portal_reader();",
)
