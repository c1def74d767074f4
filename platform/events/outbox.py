"""The transactional outbox: events are rows written with the change they describe.

Each write also notifies the relay (events/wake.py), in the same statement: PostgreSQL delivers
the notification when the transaction commits, so the relay claims the rows as soon as they
can be seen, and never for a transaction rolled back.
"""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
from opentelemetry import propagate

from govstat.platform.events.envelope import Envelope, encode
from govstat.platform.events.wake import CHANNEL

_NOTIFY = f"SELECT pg_notify('{CHANNEL}', '')"


async def write_outbox(connection: asyncpg.Connection, event: Envelope[Any], *, dedupe: bool = False) -> None:
    """Insert the event. `dedupe` (platform processes only: it needs to see other rows)
    skips an event id that is already there, for retried hand-offs."""
    _traced(event)
    await connection.execute(
        "WITH added AS (INSERT INTO outbox (id, tenant_id, kind, topic_suffix, payload) VALUES ($1, $2, $3, $4, $5)"
        + (" ON CONFLICT (id) DO NOTHING" if dedupe else "")
        + ") "
        + _NOTIFY,
        event.id,
        event.tenant_id,
        event.kind,
        event.topic_suffix,
        encode(event),
    )


async def ids_in_outbox(connection: asyncpg.Connection, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Those of `ids` the outbox holds (platform processes only: it needs to see every tenant's rows)."""
    rows = await connection.fetch("SELECT id FROM outbox WHERE id = ANY($1::uuid[])", ids)
    return {r["id"] for r in rows}


def _traced(event: Envelope[Any]) -> None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)  # the current trace travels with the event
    if carrier:
        event.trace = {**carrier, **event.trace}


async def write_outbox_all(connection: asyncpg.Connection, events: list[Envelope[Any]]) -> None:
    """Several events of one transaction in one statement (a use case's domain event and its call's
    audit event: platform/db/uow.py `record(hold=True)`); the same rows and notification as writing
    each with `write_outbox`."""
    if len(events) <= 1:
        for event in events:
            await write_outbox(connection, event)
        return
    for event in events:
        _traced(event)
    # not write_outbox_many: ON CONFLICT needs the SELECT policy, which a tenant's scope lacks on the outbox
    await connection.execute(
        "WITH added AS (INSERT INTO outbox (id, tenant_id, kind, topic_suffix, payload)"
        " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::varchar[], $5::bytea[])) " + _NOTIFY,
        [e.id for e in events],
        [e.tenant_id for e in events],
        [e.kind for e in events],
        [e.topic_suffix for e in events],
        [encode(e) for e in events],
    )


async def write_outbox_many(
    connection: asyncpg.Connection, events: list[Envelope[Any]], payloads: list[bytes] | None = None
) -> None:
    """Hand-offs of many events at once (the usage drainer): one statement for the batch, each
    event skipped if its id is already there (a retried hand-off). `payloads`, when given, are the
    events already encoded (the bytes they were read from), in the same order: not encoded again."""
    if not events:
        return
    await connection.execute(
        "WITH added AS (INSERT INTO outbox (id, tenant_id, kind, topic_suffix, payload)"
        " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::varchar[], $5::bytea[])"
        " ON CONFLICT (id) DO NOTHING) " + _NOTIFY,
        [e.id for e in events],
        [e.tenant_id for e in events],
        [e.kind for e in events],
        [e.topic_suffix for e in events],
        payloads if payloads is not None else [encode(e) for e in events],
    )
