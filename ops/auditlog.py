"""The audit log read model: append-only and tamper-evident (a SHA-256 hash chain).

Each record's hash covers its content and the previous record's hash, so
changing or removing any record breaks every hash after it. Writers take one
advisory lock so the chain stays a line even with several consumers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from govstat.ops.rows import AuditLogRow
from govstat.platform.db.rows import decode
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import AuditPayload, Envelope

GENESIS = "0" * 64
CHAIN_LOCK = 0x67_6F_76_61  # "gova"


def record_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """`fields` is the hashed document: a dict on purpose, written out as canonical JSON."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def _chained_fields(
    event_id: uuid.UUID, tenant_id: uuid.UUID | None, occurred_at: dt.datetime, p: AuditPayload
) -> dict[str, Any]:
    return {
        "event_id": str(event_id),
        "tenant_id": str(tenant_id) if tenant_id else None,
        "occurred_at": occurred_at.isoformat(),
        "action": p.action,
        "actor": p.actor,
        "actor_kind": p.actor_kind,
        "target_type": p.target_type,
        "target_id": p.target_id,
        "module": p.module,
        "outcome": p.outcome,
        "detail": p.detail,
    }


async def append(uow: UnitOfWork, event: Envelope) -> None:
    payload = event.payload
    assert isinstance(payload, AuditPayload)
    await uow.execute("SELECT pg_advisory_xact_lock($1)", CHAIN_LOCK)
    prev = await uow.fetchval("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1") or GENESIS
    fields = _chained_fields(event.id, event.tenant_id, event.occurred_at, payload)
    await uow.execute(
        "INSERT INTO audit_log (event_id, tenant_id, occurred_at, action, actor, actor_kind, target_type, target_id,"
        " module, outcome, detail, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11::jsonb,$12,$13)",
        event.id,
        event.tenant_id,
        event.occurred_at,
        payload.action,
        payload.actor,
        payload.actor_kind,
        payload.target_type,
        payload.target_id,
        payload.module,
        payload.outcome,
        json.dumps(payload.detail, ensure_ascii=False),
        prev,
        record_hash(prev, fields),
    )


async def verify_chain(uow: UnitOfWork, progress: Callable[[], object] | None = None) -> int | None:
    """The seq of the first broken record, or None when the whole chain holds."""
    prev = GENESIS
    async with uow.connection.transaction():
        cursor = uow.connection.cursor(
            "SELECT seq, event_id, tenant_id, occurred_at, action, actor, actor_kind, target_type, target_id, module,"
            " outcome, detail, prev_hash, hash FROM audit_log ORDER BY seq"
        )
        async for record in cursor:
            row = decode(AuditLogRow, record)
            payload = AuditPayload(
                action=row.action,
                actor=row.actor,
                actor_kind=row.actor_kind,
                target_type=row.target_type,
                target_id=row.target_id,
                module=row.module,
                outcome=row.outcome,
                detail=row.detail,
            )
            fields = _chained_fields(row.event_id, row.tenant_id, row.occurred_at, payload)
            if row.prev_hash != prev or record_hash(prev, fields) != row.hash:
                return row.seq
            prev = row.hash
            if progress:
                progress()
    return None
