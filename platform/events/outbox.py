"""The transactional outbox: events are rows written with the change they describe."""

from __future__ import annotations

from typing import Any

import asyncpg
from opentelemetry import propagate

from govstat.platform.events.envelope import Envelope, encode


async def write_outbox(connection: asyncpg.Connection, event: Envelope[Any], *, dedupe: bool = False) -> None:
    """Insert the event. `dedupe` (platform processes only: it needs to see other rows)
    skips an event id that is already there, for retried hand-offs."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)  # the current trace travels with the event
    if carrier:
        event.trace = {**carrier, **event.trace}
    await connection.execute(
        "INSERT INTO outbox (id, tenant_id, kind, topic_suffix, payload) VALUES ($1, $2, $3, $4, $5)"
        + (" ON CONFLICT (id) DO NOTHING" if dedupe else ""),
        event.id,
        event.tenant_id,
        event.kind,
        event.topic_suffix,
        encode(event),
    )


async def write_outbox_many(connection: asyncpg.Connection, events: list[Envelope[Any]]) -> None:
    """Hand-offs of many events at once (the usage drainer): one pipelined statement, each event
    skipped if its id is already there (a retried hand-off)."""
    await connection.executemany(
        "INSERT INTO outbox (id, tenant_id, kind, topic_suffix, payload) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (id) DO NOTHING",
        [(e.id, e.tenant_id, e.kind, e.topic_suffix, encode(e)) for e in events],
    )
