"""The portal's domain events: notices published or withdrawn, posts written or moderated."""

from __future__ import annotations

import uuid

from govstat.platform.events.domain import DomainEvent


class NoticeSaved(DomainEvent, tag="portal.notice_saved"):
    notice_id: uuid.UUID
    audience: str
    important: bool


class NoticeWithdrawn(DomainEvent, tag="portal.notice_withdrawn"):
    notice_id: uuid.UUID


class PostWritten(DomainEvent, tag="portal.post_written"):
    post_id: uuid.UUID
    board_id: uuid.UUID
    reply: bool


class PostModerated(DomainEvent, tag="portal.post_moderated"):
    post_id: uuid.UUID
    hidden: bool


EVENTS = (NoticeSaved, NoticeWithdrawn, PostWritten, PostModerated)
