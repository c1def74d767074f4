"""Tables of the business portal (業務ポータル): notices, boards, posts, pages and attachments, each
under row-level security by audience or membership (the migration holds the policies)."""

from piccolo.columns import UUID, Boolean, Bytea, Char, Integer, Text, Timestamptz, Varchar
from piccolo.table import Table

import govstat.platform.db  # noqa: F401


class PortalNotice(Table, tablename="portal_notice"):
    # お知らせ: addressed to every agency, one tenant, the intermediaries or the public
    id = UUID(primary_key=True)
    audience = Varchar(length=16)
    audience_tenant_id = UUID(null=True, default=None)
    title = Text()
    body = Text()
    important = Boolean()
    publish_at = Timestamptz()
    withdrawn_at = Timestamptz(null=True, default=None)
    mailed_at = Timestamptz(null=True, default=None)
    search_text = Text()
    created_by = Text()
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PortalNoticeRead(Table, tablename="portal_notice_read"):
    notice_id = UUID(primary_key=True)  # key: (notice_id, reader)
    reader = Text()
    read_at = Timestamptz()


class PortalNoticeMail(Table, tablename="portal_notice_mail"):
    id = UUID(primary_key=True)
    notice_id = UUID()
    email = Text()
    status = Varchar(length=8)
    attempts = Integer()
    last_error = Text()
    sent_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz()


class PortalBoard(Table, tablename="portal_board"):
    id = UUID(primary_key=True)
    name = Text()
    description = Text()
    edit_window_minutes = Integer()
    created_by = Text()
    created_at = Timestamptz()


class PortalBoardMember(Table, tablename="portal_board_member"):
    id = UUID(primary_key=True)
    board_id = UUID()
    member_tenant_id = UUID(null=True, default=None)
    member_kind = Varchar(length=16, null=True, default=None)


class PortalPost(Table, tablename="portal_post"):
    id = UUID(primary_key=True)
    board_id = UUID()
    parent_id = UUID(null=True, default=None)
    author = Text()
    author_name = Text()
    author_tenant_id = UUID(null=True, default=None)
    title = Text()
    body = Text()
    hidden = Boolean()
    moderation_note = Text()
    search_text = Text()
    created_at = Timestamptz()
    edited_at = Timestamptz(null=True, default=None)


class PortalPage(Table, tablename="portal_page"):
    id = UUID(primary_key=True)
    slug = Varchar(length=64)
    title = Text()
    body_md = Text()
    body_html = Text()
    search_text = Text()
    updated_by = Text()
    created_at = Timestamptz()
    updated_at = Timestamptz()


class PortalAttachment(Table, tablename="portal_attachment"):
    id = UUID(primary_key=True)
    post_id = UUID(null=True, default=None)
    page_id = UUID(null=True, default=None)
    filename = Text()
    content_type = Varchar(length=128)
    size_bytes = Integer()
    sha256 = Char(length=64)
    content = Bytea()
    uploaded_by = Text()
    created_at = Timestamptz()


ALL = [
    PortalNotice,
    PortalNoticeRead,
    PortalNoticeMail,
    PortalBoard,
    PortalBoardMember,
    PortalPost,
    PortalPage,
    PortalAttachment,
]
