"""Poison events: an event that fails the same way every time is set aside, never retried forever.

The relay counts failed sends of an outbox row (outbox.attempts, last_error); a consumer counts
failed applications of a message. A failure counts only when the backing services answer (an
outage is waited out, see platform/resilience.py). After MAX_ATTEMPTS the event goes to
`dead_letter` with its error and the events behind it flow on. The operator sees dead letters on
/ops (count and the latest) and at GET /api/ops/dead-letters.

An event dated more than markers.SKEW ahead of the database's clock is set aside at once, by each
read model that gets it (events/markers.py says why: marked now, it could later be counted twice);
retrying would not change the clock. Its error starts "FutureEvent" and it is counted in
govstat_events_future.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.telemetry import meter

MAX_ATTEMPTS = 5  # tries before an event is set aside (relay and consumers)
RELAY = "relay"  # dead_letter.consumer of events the relay could not send

_dead = meter().create_counter("govstat_events_dead_letter", description="events set aside as poison")
_future = meter().create_counter(
    "govstat_events_future", description="events set aside as dated ahead of the database's clock"
)
log = logging.getLogger("govstat.consumer")


class FutureEvent(Exception):
    """An event dated too far ahead of the database's clock to be marked (events/markers.py)."""

    def __init__(self, event_id: uuid.UUID, occurred_at: dt.datetime) -> None:
        super().__init__(f"event {event_id} occurred_at {occurred_at.isoformat()} is ahead of the database's clock")
        self.event_id = event_id
        self.occurred_at = occurred_at


async def dead_letter(
    uow: UnitOfWork,
    *,
    consumer: str,
    topic: str,
    partition: int,
    offset: int,
    payload: bytes | None,
    error: BaseException | str,
    event_id: uuid.UUID | None = None,
    attempts: int = 1,
) -> None:
    """Keep the event and why it failed (inside the caller's transaction)."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    await uow.execute(
        "INSERT INTO dead_letter (consumer, topic, partition, kafka_offset, payload, error, event_id, attempts)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
        consumer,
        topic,
        partition,
        offset,
        payload,
        text[:2000],
        event_id,
        attempts,
    )
    _dead.add(1, {"consumer": consumer})


async def dead_letter_now(**kwargs: Any) -> None:
    async with UnitOfWork(Scope.system(kwargs["consumer"])) as uow:
        await dead_letter(uow, **kwargs)


async def set_aside_future(
    uow: UnitOfWork, consumers: Sequence[str], message: Any, event_id: uuid.UUID, occurred_at: dt.datetime
) -> None:
    """An event dated ahead of the clock, set aside for each of `consumers` (read models) in the
    caller's transaction: counted, logged, kept with its payload."""
    error = FutureEvent(event_id, occurred_at)
    log.warning("%s: %s; set aside (dead_letter)", "+".join(consumers), error)
    for consumer in consumers:
        await dead_letter(
            uow,
            consumer=consumer,
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            payload=message.value,
            error=error,
            event_id=event_id,
        )
        _future.add(1, {"consumer": consumer})
