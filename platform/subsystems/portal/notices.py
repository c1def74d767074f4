"""お知らせ (PORTAL-1): the operator writes, edits, schedules and withdraws notices; each reader
lists what is addressed to them (row-level security by audience) with unread marks of their own."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.events.audit import emit
from govstat.platform.subsystems.portal.events import NoticeSaved, NoticeWithdrawn
from govstat.platform.subsystems.portal.rows import NoticeList, NoticeRow
from govstat.platform.subsystems.portal.schemas import NoticeIn
from govstat.platform.text.japanese import index_text

COLUMNS = "n.id, n.audience, n.audience_tenant_id, n.title, n.body, n.important, n.publish_at, n.withdrawn_at,"
COLUMNS += " n.created_at, n.updated_at"
UNREAD = "NOT EXISTS (SELECT 1 FROM portal_notice_read r WHERE r.notice_id = n.id AND r.reader = portal_reader())"
LIVE = "n.withdrawn_at IS NULL AND n.publish_at <= now()"


async def _check(uow: UnitOfWork, data: NoticeIn) -> None:
    if (data.audience == "tenant") != (data.audience_tenant_id is not None):
        raise InvalidInput.field(
            "audience_tenant_id", "宛先が特定の機関のときだけ指定します / required exactly when audience is 'tenant'"
        )
    if data.audience_tenant_id is not None:
        found = await uow.fetchval("SELECT 1 FROM directory_tenant WHERE id = $1", data.audience_tenant_id)
        if not found:
            raise InvalidInput.field("audience_tenant_id", "その利用機関はありません / no such tenant")


async def create(uow: UnitOfWork, data: NoticeIn) -> NoticeRow:
    await _check(uow, data)
    row = await uow.one(
        NoticeRow,
        "INSERT INTO portal_notice AS n (id, audience, audience_tenant_id, title, body, important, publish_at,"
        " search_text, created_by) VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, now()), $8, $9)"
        f" RETURNING {COLUMNS}",
        uuid.uuid4(),
        data.audience,
        data.audience_tenant_id,
        data.title,
        data.body,
        data.important,
        data.publish_at,
        index_text(data.title, data.body),
        uow.scope.actor,
    )
    await emit(uow, NoticeSaved(notice_id=row.id, audience=row.audience, important=row.important))
    return row


async def update(uow: UnitOfWork, notice_id: uuid.UUID, data: NoticeIn) -> NoticeRow:
    await _check(uow, data)
    row = await uow.one(
        NoticeRow,
        "UPDATE portal_notice AS n SET audience = $2, audience_tenant_id = $3, title = $4, body = $5, important = $6,"
        " publish_at = coalesce($7, n.publish_at), search_text = $8, updated_at = now()"
        f" WHERE n.id = $1 RETURNING {COLUMNS}",
        notice_id,
        data.audience,
        data.audience_tenant_id,
        data.title,
        data.body,
        data.important,
        data.publish_at,
        index_text(data.title, data.body),
        what=f"notice {notice_id} ",
    )
    await emit(uow, NoticeSaved(notice_id=row.id, audience=row.audience, important=row.important))
    return row


async def withdraw(uow: UnitOfWork, notice_id: uuid.UUID) -> NoticeRow:
    row = await uow.one(
        NoticeRow,
        "UPDATE portal_notice AS n SET withdrawn_at = coalesce(n.withdrawn_at, now()), updated_at = now()"
        f" WHERE n.id = $1 RETURNING {COLUMNS}",
        notice_id,
        what=f"notice {notice_id} ",
    )
    await emit(uow, NoticeWithdrawn(notice_id=row.id))
    return row


async def listing(uow: UnitOfWork, *, limit: int, unread_only: bool = False, manage: bool = False) -> NoticeList:
    """The caller's notices, newest first; `manage` (the operator): drafts, scheduled and withdrawn too."""
    where = "true" if manage else LIVE
    if unread_only:
        where += f" AND {UNREAD}"
    items = await uow.rows(
        NoticeRow,
        f"SELECT {COLUMNS}, {UNREAD} AS unread FROM portal_notice n WHERE {where}"
        f" ORDER BY n.publish_at DESC, n.id LIMIT {int(limit)}",
    )
    unread = await uow.fetchval(f"SELECT count(*) FROM portal_notice n WHERE {LIVE} AND {UNREAD}")
    return NoticeList(unread=unread, items=items)


async def public(uow: UnitOfWork, *, limit: int) -> list[NoticeRow]:
    return await uow.rows(
        NoticeRow,
        f"SELECT {COLUMNS} FROM portal_notice n WHERE {LIVE} AND n.audience = 'public'"
        f" ORDER BY n.publish_at DESC, n.id LIMIT {int(limit)}",
    )


async def get(uow: UnitOfWork, notice_id: uuid.UUID) -> NoticeRow:
    return await uow.one(
        NoticeRow,
        f"SELECT {COLUMNS}, {UNREAD} AS unread FROM portal_notice n WHERE n.id = $1",
        notice_id,
        what=f"notice {notice_id} ",
    )


async def mark_read(uow: UnitOfWork, notice_id: uuid.UUID) -> NoticeRow:
    """既読: only a notice the caller may see (another's answers 404), once per reader."""
    row = await get(uow, notice_id)
    if row.withdrawn_at is not None or row.publish_at > dt.datetime.now(dt.UTC):
        raise NotFound(f"notice {notice_id} は公開されていません / is not published")
    await uow.execute(
        "INSERT INTO portal_notice_read (notice_id, reader) VALUES ($1, portal_reader()) ON CONFLICT DO NOTHING",
        notice_id,
    )
    row.unread = False
    return row
