"""Notices on the agency portal about the incidents that affect each tenant."""

from __future__ import annotations

import uuid

from govstat.ops.incidents.rows import NoticeRow
from govstat.ops.incidents.schemas import NoticeList
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where

NOTICE_COLUMNS = "id, tenant_id, incident_id, step, title, body, created_at, read_at"


async def list_notices(
    uow: UnitOfWork, *, tenant_id: uuid.UUID | None, limit: int, unread_only: bool = False
) -> NoticeList:
    w = Where().eq("tenant_id", tenant_id)
    if unread_only:
        w.add("read_at IS NULL")
    items = await uow.rows(
        NoticeRow,
        f"SELECT {NOTICE_COLUMNS} FROM notice WHERE {w} ORDER BY created_at DESC, id LIMIT {int(limit)}",
        *w.args,
    )
    unread = await uow.fetchval(f"SELECT count(*) FROM notice WHERE {w} AND read_at IS NULL", *w.args)
    return NoticeList(unread=unread, items=items)


async def mark_notice_read(uow: UnitOfWork, notice_id: uuid.UUID, tenant_id: uuid.UUID | None) -> NoticeRow:
    w = Where().eq("id", notice_id).eq("tenant_id", tenant_id)
    return await uow.one(
        NoticeRow,
        f"UPDATE notice SET read_at = coalesce(read_at, now()) WHERE {w} RETURNING {NOTICE_COLUMNS}",
        *w.args,
        what=f"notice {notice_id} ",
    )
