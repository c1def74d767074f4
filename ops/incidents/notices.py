"""Notices on the agency portal about the incidents that affect each tenant."""

from __future__ import annotations

import uuid
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound


async def list_notices(
    uow: UnitOfWork, *, tenant_id: uuid.UUID | None, limit: int, unread_only: bool = False
) -> dict[str, Any]:
    where, args = ["true"], []
    if tenant_id is not None:
        args.append(tenant_id)
        where.append(f"tenant_id = ${len(args)}")
    if unread_only:
        where.append("read_at IS NULL")
    cond = " AND ".join(where)
    rows = await uow.fetch(
        f"SELECT id, tenant_id, incident_id, step, title, body, created_at, read_at FROM notice"
        f" WHERE {cond} ORDER BY created_at DESC, id LIMIT {int(limit)}",
        *args,
    )
    unread = await uow.fetchval(f"SELECT count(*) FROM notice WHERE {cond} AND read_at IS NULL", *args)
    return {"unread": unread, "items": [dict(r) for r in rows]}


async def mark_notice_read(uow: UnitOfWork, notice_id: uuid.UUID, tenant_id: uuid.UUID | None) -> dict[str, Any]:
    args: list[Any] = [notice_id]
    cond = "id = $1"
    if tenant_id is not None:
        args.append(tenant_id)
        cond += " AND tenant_id = $2"
    row = await uow.fetchrow(
        f"UPDATE notice SET read_at = coalesce(read_at, now()) WHERE {cond}"
        " RETURNING id, tenant_id, incident_id, step, title, body, created_at, read_at",
        *args,
    )
    if row is None:
        raise NotFound(f"notice {notice_id} が見つかりません / not found")
    return dict(row)
