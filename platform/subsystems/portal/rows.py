"""Row types of the portal: what its queries answer and its API sends (docs/decisions/0007)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class NoticeRow(msgspec.Struct, kw_only=True):
    """お知らせ as its reader sees it (`unread` for the caller)."""

    id: uuid.UUID
    audience: str
    audience_tenant_id: uuid.UUID | None
    title: str
    body: str
    important: bool
    publish_at: dt.datetime
    withdrawn_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    unread: bool = False


class NoticeList(msgspec.Struct, kw_only=True):
    unread: int
    items: list[NoticeRow]


class MemberRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    member_tenant_id: uuid.UUID | None
    member_kind: str | None
    tenant_name: str | None = None


class BoardRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    name: str
    description: str
    edit_window_minutes: int
    created_at: dt.datetime
    threads: int = 0


class AttachmentRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    post_id: uuid.UUID | None
    page_id: uuid.UUID | None
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    created_at: dt.datetime


class PostRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    board_id: uuid.UUID
    parent_id: uuid.UUID | None
    author: str
    author_name: str
    title: str
    body: str
    hidden: bool
    moderation_note: str
    created_at: dt.datetime
    edited_at: dt.datetime | None
    replies: int = 0
    attachments: list[AttachmentRow] = msgspec.field(default_factory=list)


class Thread(msgspec.Struct, kw_only=True):
    board: BoardRow
    root: PostRow
    replies: list[PostRow]


class PageRow(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    slug: str
    title: str
    body_md: str
    body_html: str
    updated_by: str
    updated_at: dt.datetime
    attachments: list[AttachmentRow] = msgspec.field(default_factory=list)


class Hit(msgspec.Struct, kw_only=True):
    """A search result: what it is, where it is, and a snippet."""

    kind: str  # notice | post | page
    id: uuid.UUID
    title: str
    snippet: str
    url: str
    at: dt.datetime
    rank: float
