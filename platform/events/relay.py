"""The outbox relay: moves committed events from PostgreSQL to Kafka (PLAT-3).

Rows are claimed with FOR UPDATE SKIP LOCKED (several relays may run), sent
with the idempotent producer keyed by tenant, and marked published in the same
transaction only after their send is acknowledged. If Kafka is down the
transaction rolls back and the rows wait: events are delayed, never lost. A
crash between send and commit re-sends; consumers drop the duplicate by id. A
row Kafka keeps refusing is set aside after MAX_ATTEMPTS (events/poison.py).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiokafka import AIOKafkaProducer

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.claim import ClaimCursor
from govstat.platform.events.poison import MAX_ATTEMPTS, RELAY, dead_letter
from govstat.platform.events.relay_batch import message_parts, send_batches
from govstat.platform.events.wake import OutboxWake
from govstat.platform.resilience import Backoff, is_outage, outage_failed, outage_over, sleep_or_stop
from govstat.platform.security import Scope
from govstat.platform.settings import Settings
from govstat.platform.telemetry import meter

if TYPE_CHECKING:
    from asyncpg import Record

log = logging.getLogger("govstat.relay")

_published = meter().create_counter("govstat_outbox_published", description="events relayed to Kafka")
_failures = meter().create_counter("govstat_outbox_relay_failures", description="relay batches that failed")

CLAIM = """
SELECT id, seq, tenant_id, topic_suffix, payload, attempts FROM outbox
WHERE published_at IS NULL AND seq > $2 ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED
"""


async def relay_once(
    producer: AIOKafkaProducer, settings: Settings, batch_size: int | None = None, cursor: ClaimCursor | None = None
) -> int:
    """Publish one batch; returns how many events left the outbox (published or set aside).

    The batch goes as one record batch per partition (events/relay_batch.py); the rows of a record
    batch that failed are then sent on their own: a row Kafka refuses (too large, say) counts an
    attempt and, after MAX_ATTEMPTS, goes to dead_letter, while the rows behind it are published.
    When every send fails for a reason that means "Kafka is away", nothing is counted: the batch
    rolls back and waits (raised to run_relay). The rows sent are marked in one UPDATE, in the
    claiming transaction: a row leaves the outbox only once Kafka has it and that commits.
    With a `cursor` (events/claim.py) the claim starts past the rows claimed last."""
    size = batch_size or settings.relay_batch_size
    async with UnitOfWork(Scope.system("relay")) as uow:
        after = cursor.start() if cursor is not None else 0
        rows = await uow.fetch(CLAIM, size, after)
        if not rows and after and cursor is not None:
            cursor.reset()  # nothing past it: from the beginning (a row committed late)
            rows = await uow.fetch(CLAIM, size, 0)
            if not rows:
                cursor.after = after  # nothing pending anywhere: the next claim starts where this one did
        if not rows:
            return 0
        sent, retry, stopped = await send_batches(producer, settings, rows)
        failed: list[tuple[Record, BaseException]] = []
        if stopped is not None and not sent and is_outage(stopped):
            failed = [(row, stopped) for row in retry]  # Kafka away: no row-by-row waits; all of it waits
        elif retry:
            more, failed = await _send_each(producer, settings, retry)
            sent += more
        away = failed[0][1] if failed and not sent and _systemic(failed) else None
        dead = 0
        if away is None:
            if sent:
                await uow.execute("UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])", sent)
            # A send that timed out or lost the broker is retried as is; only Kafka's refusals count.
            dead = await _count_failures(uow, settings, [(r, e) for r, e in failed if not is_outage(e)])
    if away is not None:
        raise away  # after the (unchanged) transaction: untranslated, for run_relay
    if cursor is not None:
        if failed:
            cursor.reset()  # the rows left behind are tried again by the next claim, as before
        else:
            cursor.claimed(rows)
    _published.add(len(sent))
    if failed:
        _failures.add(1)
    return len(sent) + dead


async def _send_each(
    producer: AIOKafkaProducer, settings: Settings, rows: list[Record]
) -> tuple[list[uuid.UUID], list[tuple[Record, BaseException]]]:
    """Each row sent on its own; the ids sent and the rows that failed, with their errors."""
    pending: list[tuple[Record, Awaitable[Any]]] = []
    failed: list[tuple[Record, BaseException]] = []
    for row in rows:
        key, payload, headers = message_parts(row)
        topic = settings.kafka_topic_prefix + row["topic_suffix"]
        try:
            pending.append((row, await producer.send(topic, value=payload, key=key, headers=headers)))
        except Exception as exc:
            failed.append((row, exc))
    results = await asyncio.gather(*(f for _, f in pending), return_exceptions=True)
    sent = [row["id"] for (row, _), r in zip(pending, results, strict=True) if not isinstance(r, BaseException)]
    failed += [(row, r) for (row, _), r in zip(pending, results, strict=True) if isinstance(r, BaseException)]
    return sent, failed


def _systemic(failed: list[tuple[Record, BaseException]]) -> bool:
    """Nothing went out: Kafka is away, or refuses every event alike (no write permission on the topic,
    a lowered message.max.bytes, a bad prefix). Counting that against each row would move the whole
    outbox into dead_letter; one event of its own kind that fails alone is poison and is counted."""
    if all(is_outage(exc) for _, exc in failed):
        return True
    return len(failed) > 1 and len({type(exc) for _, exc in failed}) == 1


async def _count_failures(uow: UnitOfWork, settings: Settings, failed: list[tuple[Record, BaseException]]) -> int:
    """One more attempt for each row Kafka refused; rows out of attempts move to dead_letter."""
    dead = 0
    for row, exc in failed:
        attempts = row["attempts"] + 1
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if attempts < MAX_ATTEMPTS:
            log.warning("relay: event %s failed (attempt %d of %d): %s", row["id"], attempts, MAX_ATTEMPTS, error)
            await uow.execute(
                "UPDATE outbox SET attempts = $2, last_error = $3 WHERE id = $1", row["id"], attempts, error
            )
            continue
        log.error("relay: event %s set aside after %d attempts: %s", row["id"], attempts, error)
        await dead_letter(
            uow,
            consumer=RELAY,
            topic=settings.kafka_topic_prefix + row["topic_suffix"],
            partition=-1,
            offset=row["seq"],
            payload=bytes(row["payload"]),
            error=error,
            event_id=row["id"],
            attempts=attempts,
        )
        await uow.execute("DELETE FROM outbox WHERE id = $1", row["id"])
        dead += 1
    return dead


async def run_relay(settings: Settings, stop: asyncio.Event) -> None:
    """Relay until `stop` is set, waiting out Kafka and PostgreSQL outages with backoff (never exits for one).

    Idle, it waits for an outbox write to commit (LISTEN, events/wake.py) or for the poll interval,
    whichever comes first."""
    from govstat.platform.db.engine import DB
    from govstat.platform.events.kafka import make_producer
    from govstat.platform.events.topics import ensure_topics

    backoff = Backoff()
    wake = OutboxWake(str(DB.config["dsn"]))
    try:
        while not stop.is_set():
            await _relay_until_error(settings, stop, wake, backoff, make_producer(settings), ensure_topics)
    finally:
        await wake.close()


async def _relay_until_error(
    settings: Settings,
    stop: asyncio.Event,
    wake: OutboxWake,
    backoff: Backoff,
    producer: AIOKafkaProducer,
    ensure_topics: Callable[[Settings], Awaitable[object]],
) -> None:
    try:
        await ensure_topics(settings)
        await producer.start()
        cursor = ClaimCursor()
        while not stop.is_set():
            wake.clear()  # before claiming: a commit from now on ends the next wait at once
            sent = await relay_once(producer, settings, cursor=cursor)
            outage_over("relay")
            backoff.reset()
            if sent == 0:
                await wake.wait(stop, settings.relay_interval_seconds)
    except Exception as exc:
        _failures.add(1)
        if is_outage(exc):
            outage_failed("relay", exc, "kafka")
        else:
            log.exception("relay: unexpected error; retrying")
        await _wait(stop, backoff.next())
    finally:
        try:
            await producer.stop()
        except Exception:
            pass


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    await sleep_or_stop(stop, seconds)
