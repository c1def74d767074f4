"""The outbox relay: moves committed events from PostgreSQL to Kafka (PLAT-3).

Rows are claimed with FOR UPDATE SKIP LOCKED (several relays may run), sent
with the idempotent producer keyed by tenant, and marked published in the same
transaction only after every send is acknowledged. If Kafka is down the
transaction rolls back and the rows wait: events are delayed, never lost. A
crash between send and commit re-sends; consumers drop the duplicate by id.
"""
from __future__ import annotations

import asyncio
import logging

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import decode
from govstat.platform.security import Scope
from govstat.platform.settings import Settings
from govstat.platform.telemetry import meter

log = logging.getLogger("govstat.relay")

_published = meter().create_counter("govstat_outbox_published", description="events relayed to Kafka")
_failures = meter().create_counter("govstat_outbox_relay_failures", description="relay batches that failed")

CLAIM = """
SELECT id, tenant_id, topic_suffix, payload FROM outbox
WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
"""


async def relay_once(producer: AIOKafkaProducer, settings: Settings, batch_size: int | None = None) -> int:
    """Publish one batch; returns how many events left the outbox."""
    async with UnitOfWork(Scope.system("relay")) as uow:
        rows = await uow.fetch(CLAIM, batch_size or settings.relay_batch_size)
        if not rows:
            return 0
        futures = []
        for row in rows:
            payload = bytes(row["payload"])
            key = str(row["tenant_id"] or "platform").encode()
            futures.append(await producer.send(
                settings.kafka_topic_prefix + row["topic_suffix"], value=payload, key=key,
                headers=[("event_id", str(row["id"]).encode()), *_trace_headers(payload)],
            ))
        await asyncio.gather(*futures)
        await uow.execute("UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])", [r["id"] for r in rows])
    _published.add(len(rows))
    return len(rows)


def _trace_headers(payload: bytes) -> list[tuple[str, bytes]]:
    """The W3C trace context recorded with the event, as Kafka headers (one trace from request to dashboard)."""
    try:
        trace = decode(payload).trace
    except Exception:  # noqa: BLE001 - an unreadable event still travels; the consumer sets it aside
        return []
    return [(k, v.encode()) for k, v in trace.items() if k in ("traceparent", "tracestate")]


async def backlog() -> int:
    async with UnitOfWork(Scope.system("relay")) as uow:
        return await uow.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")


async def run_relay(settings: Settings, stop: asyncio.Event) -> None:
    """Relay until `stop` is set, reconnecting to Kafka with backoff."""
    from govstat.platform.events.kafka import make_producer
    from govstat.platform.events.topics import ensure_topics

    delay = 0.5
    while not stop.is_set():
        producer = make_producer(settings)
        try:
            await ensure_topics(settings)
            await producer.start()
            delay = 0.5
            while not stop.is_set():
                sent = await relay_once(producer, settings)
                if sent == 0:
                    await _wait(stop, settings.relay_interval_seconds)
        except (KafkaError, OSError, asyncio.TimeoutError) as exc:
            _failures.add(1)
            log.warning("relay: Kafka unavailable (%s); events wait in the outbox, retry in %.1fs", exc, delay)
            await _wait(stop, delay)
            delay = min(delay * 2, 10.0)
        finally:
            try:
                await producer.stop()
            except Exception:  # noqa: BLE001 - a dead broker may fail the close too
                pass


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except asyncio.TimeoutError:
        pass
