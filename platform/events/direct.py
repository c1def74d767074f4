"""Hand-offs that are published on the way into the outbox (issue 15 §3): the usage drainer.

The drainer holds a batch of usage events that exist nowhere in the database yet (they wait in the
Redis stream until the outbox has them). Written to the outbox pending, each then cost the relay a
claim (a row lock), a send and an UPDATE (a second row version and index entries): half the
database's work per event on the path. Here the batch is sent to Kafka first, as the relay sends
(record batches per partition, the idempotent producer, acks=all: events/relay_batch.py), and the
rows go into the outbox in one statement, those Kafka acknowledged already marked published, the
rest pending for the relay (Kafka away, or an event it refused: the relay retries and sets aside,
events/poison.py).

Nothing is lost: the stream entries are acknowledged only after the outbox commits, as before. A
crash after Kafka acknowledged and before the commit sends the events again on the next drain;
the consumers drop the duplicates by event id, as for a relay that crashed between send and mark.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer

from govstat.platform.events.envelope import Envelope
from govstat.platform.events.relay_batch import send_batches
from govstat.platform.events.wake import CHANNEL
from govstat.platform.settings import Settings

log = logging.getLogger("govstat.relay")
AWAY_S = 5.0  # after Kafka failed, batches go to the outbox pending (the relay's) for this long
TIMEOUT_S = 10.0  # for starting the producer, and for one batch's sends
KEEP_MAX = 100_000  # acknowledged ids remembered at most (a few batches)

INSERT = f"""
WITH added AS (
  INSERT INTO outbox (id, tenant_id, kind, topic_suffix, payload, published_at)
  SELECT i, t, k, s, p, CASE WHEN sent THEN now() END
  FROM unnest($1::uuid[], $2::uuid[], $3::varchar[], $4::varchar[], $5::bytea[], $6::bool[]) AS x(i, t, k, s, p, sent)
  ON CONFLICT (id) DO NOTHING
)
SELECT CASE WHEN $7::bool THEN pg_notify('{CHANNEL}', '') END
"""


class Publisher:
    """The drainer's producer: started on first use; after Kafka failed, left alone for AWAY_S
    (the drain then writes pending rows without waiting on Kafka, as it did before)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.producer: AIOKafkaProducer | None = None
        self.away_until = 0.0
        # Ids Kafka acknowledged whose outbox rows have not committed yet: while PostgreSQL is away
        # the drainer retries the same batch, and these are not sent again on each retry.
        self.acknowledged: set[uuid.UUID] = set()

    def committed(self, events: list[Envelope[Any]]) -> None:
        """The events' outbox rows committed: nothing to remember for them."""
        if len(self.acknowledged) > KEEP_MAX:
            self.acknowledged.clear()  # another drainer's entries, say: sent again at worst
        else:
            self.acknowledged.difference_update(e.id for e in events)

    async def send(self, events: list[Envelope[Any]], payloads: list[bytes]) -> set[uuid.UUID]:
        """Send the events (encoded as `payloads`) Kafka does not have from an earlier try; the ids
        Kafka acknowledged, now or then."""
        before = {e.id for e in events} & self.acknowledged
        todo = [(e, p) for e, p in zip(events, payloads, strict=True) if e.id not in before]
        producer = await self._usable() if todo else None
        if producer is None:
            return before
        rows = [
            {"id": e.id, "seq": n, "tenant_id": e.tenant_id, "topic_suffix": e.topic_suffix, "payload": p}
            for n, (e, p) in enumerate(todo)
        ]
        try:
            sent, _, stopped = await asyncio.wait_for(send_batches(producer, self.settings, rows), TIMEOUT_S)  # type: ignore[arg-type]
        except Exception as exc:
            sent, stopped = [], exc
        if stopped is not None:
            log.info(
                "usage drain: %d of %d sent to Kafka (%s); the relay sends the rest", len(sent), len(rows), stopped
            )
            if not sent:
                self.away_until = time.monotonic() + AWAY_S
        self.acknowledged.update(sent)
        return before | set(sent)

    async def _usable(self) -> AIOKafkaProducer | None:
        from govstat.platform.events.kafka import make_producer

        if time.monotonic() < self.away_until:
            return None
        if self.producer is None:
            producer = make_producer(self.settings)
            try:
                await asyncio.wait_for(producer.start(), TIMEOUT_S)
            except Exception as exc:
                log.info("usage drain: no Kafka producer (%s); the relay sends", exc)
                self.away_until = time.monotonic() + AWAY_S
                await _stop(producer)
                return None
            self.producer = producer
        return self.producer

    async def close(self) -> None:
        if self.producer is not None:
            await _stop(self.producer)
            self.producer = None


async def _stop(producer: AIOKafkaProducer) -> None:
    try:
        await producer.stop()
    except Exception:
        pass


async def write_outbox_sent(
    connection: asyncpg.Connection, events: list[Envelope[Any]], payloads: list[bytes], sent: set[uuid.UUID]
) -> None:
    """The events into the outbox in one statement, those in `sent` as published, each skipped if
    its id is already there (a retried hand-off); the relay is woken only for rows left pending."""
    if not events:
        return
    await connection.execute(
        INSERT,
        [e.id for e in events],
        [e.tenant_id for e in events],
        [e.kind for e in events],
        [e.topic_suffix for e in events],
        payloads,
        [e.id in sent for e in events],
        len(sent) < len(events),
    )


__all__ = ["Publisher", "write_outbox_sent"]
