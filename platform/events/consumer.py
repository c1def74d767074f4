"""The consumer base: read a topic into a read model, exactly once in effect.

For each message the handler and the (consumer, event id) marker are written in
one transaction; offsets are committed to Kafka only after it commits. A
redelivered message finds its marker and is skipped. A message that cannot be
read, or whose handler fails MAX_ATTEMPTS times, goes to dead_letter with its
error; the partition flows on (events/poison.py). "Cannot be read" includes an event
whose tag is in no module's declared events and one whose fields do not fit its Struct.

Handlers dispatch on the payload's type (`match event.payload: case TablePublished(): ...`);
a consumer of the domain topic needs the composition root's decoder, which knows every
module's events (`run(..., decoder=...)`).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from opentelemetry import context as otel_context
from opentelemetry import propagate

from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import PLATFORM_DECODER, Envelope, EventDecoder, peek
from govstat.platform.events.markers import fresh_alone
from govstat.platform.events.poison import MAX_ATTEMPTS, FutureEvent, dead_letter_now, set_aside_future
from govstat.platform.resilience import Backoff, is_outage, outage_failed, outage_over, sleep_or_stop
from govstat.platform.security import Scope
from govstat.platform.settings import Settings
from govstat.platform.telemetry import meter, tracer

if TYPE_CHECKING:  # aiokafka is imported where a consumer starts (events/kafka.py): the app runs none
    from aiokafka import AIOKafkaConsumer, TopicPartition


class Offsets(Protocol):
    """What applying a partition's batch does to the Kafka consumer: commit what is done, rewind to
    what failed (an AIOKafkaConsumer, or a shared fetch's record of one read model's progress)."""

    async def commit(self, offsets: dict[TopicPartition, int]) -> None: ...

    def seek(self, partition: TopicPartition, offset: int) -> None: ...


log = logging.getLogger("govstat.consumer")
SYSTEMIC_STREAK = 3  # events set aside in a row with one error type: then the failure is not theirs
_consumed = meter().create_counter("govstat_events_consumed", description="events applied by consumers")
_duplicates = meter().create_counter("govstat_events_duplicate", description="duplicate events dropped")


class Consumer:
    name: ClassVar[str]
    topic_suffixes: ClassVar[tuple[str, ...]]
    # A poll's messages in one transaction (one commit instead of one per event): only for handlers
    # that write nothing outside their unit of work, since a failed batch is applied again one by one.
    batch_apply: ClassVar[bool] = False

    @property
    def _poll_size(self) -> int:
        """Messages per poll: a batched read model writes a poll in one transaction, so it takes more."""
        return 2000 if self.batch_apply else 500

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog  # the modules, for a handler that names them (handed in by `govstat monitor`)
        self._attempts: dict[tuple[TopicPartition, int], int] = {}  # failed applications per message
        self._backoff = Backoff(first=0.5, ceiling=5.0)  # while the database is away
        self._streak: tuple[type | None, int] = (None, 0)  # events set aside in a row, by error type
        self._decoder = PLATFORM_DECODER
        # after each poll, with the Kafka consumer (a detached read model's check that it caught up)
        self.on_poll: Callable[[AIOKafkaConsumer], Awaitable[None]] | None = None

    @property
    def group(self) -> str:
        """The Kafka consumer group: its committed offsets are this consumer's place in the topics."""
        return f"govstat.{self.name}"

    def counted(self, fresh: int, duplicates: int) -> None:
        """Count a batch's applied events and dropped duplicates (the /metrics counters)."""
        if duplicates:
            _duplicates.add(duplicates, {"consumer": self.name})
        _consumed.add(fresh, {"consumer": self.name})

    def _systemic(self, exc: BaseException) -> bool:
        return self._streak[0] is type(exc) and self._streak[1] >= SYSTEMIC_STREAK

    async def handle(self, uow: UnitOfWork, event: Envelope[Any]) -> None:
        raise NotImplementedError

    async def apply(self, event: Envelope[Any], headers: dict[str, str] | None = None) -> bool:
        """Apply one event in its own transaction; False if it was a duplicate.

        The trace context comes from the Kafka headers (or the envelope), so the
        consumer's span continues the request's trace."""
        async with UnitOfWork(Scope.system(self.name)) as uow:
            fresh = await self._apply_in(uow, event, headers)
        if fresh:
            _consumed.add(1, {"consumer": self.name})
        return fresh

    async def apply_in(self, uow: UnitOfWork, event: Envelope[Any]) -> bool:
        """Apply one event with its marker in the caller's transaction (a dead letter's replay,
        events/replay.py); False if it was applied before. FutureEvent: dated too far ahead."""
        return await self._apply_in(uow, event, None)

    async def _apply_in(self, uow: UnitOfWork, event: Envelope[Any], headers: dict[str, str] | None) -> bool:
        carrier = headers or event.trace
        ctx = propagate.extract(carrier) if carrier else None
        token = otel_context.attach(ctx) if ctx is not None else None
        try:
            with tracer().start_as_current_span(f"consume {self.name}"):
                if self.batch_apply:  # may belong to a shared group: its markers count too
                    marked = await fresh_alone(uow, self.name, {event.id: event.occurred_at})
                    if marked.future:  # set aside by the caller, with its message
                        raise FutureEvent(event.id, event.occurred_at)
                    fresh = bool(marked.fresh[self.name])
                else:
                    fresh = await uow.fetchval(
                        "INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2)"
                        " ON CONFLICT DO NOTHING RETURNING 1",
                        self.name,
                        event.id,
                    )
                if not fresh:
                    _duplicates.add(1, {"consumer": self.name})
                    return False
                await self.handle(uow, event)
                return True
        finally:
            if token is not None:
                otel_context.detach(token)

    async def handle_many(self, uow: UnitOfWork, events: list[Envelope[Any]]) -> None:
        """Apply a batch's fresh events (consumers with `batch_apply`); a read model may override it
        to write one row per key instead of one per event."""
        for event in events:
            await self.handle(uow, event)

    async def _apply_together(self, messages: list[Any]) -> bool:
        """A poll's messages in one transaction (consumers with `batch_apply`: read models whose
        handler only writes in its unit of work): the markers in one statement (less the events a
        shared group it belongs to applied: events/markers.py), then the fresh events through
        `handle_many`. Anything wrong, and nothing of it is kept: the caller then
        applies them one by one, with the usual retries, dead letters and per-event traces."""
        try:
            events, sources = {}, {}
            for message in messages:
                event = self._decoder.decode(message.value)
                events[event.id], sources[event.id] = event, message
            async with UnitOfWork(Scope.system(self.name)) as uow:
                with tracer().start_as_current_span(f"consume {self.name} batch"):
                    marked = await fresh_alone(uow, self.name, {i: e.occurred_at for i, e in events.items()})
                    fresh = marked.fresh[self.name]
                    await self.handle_many(uow, [e for i, e in events.items() if i in fresh])
                    for i, at in marked.future.items():
                        await set_aside_future(uow, [self.name], sources[i], i, at)
        except Exception as exc:
            log.info("%s: %d events failed together (%s); applying them one by one", self.name, len(messages), exc)
            return False
        self.counted(len(fresh), len(messages) - len(fresh) - len(marked.future))
        return True

    async def run(self, settings: Settings, stop: asyncio.Event, decoder: EventDecoder | None = None) -> None:
        """Consume until `stop` is set; a Kafka or PostgreSQL outage is waited out with backoff.

        `decoder` knows the domain events (the composition root's); without it only the
        platform's payloads are read, which a consumer of the domain topic refuses to start with
        (it would set every domain event aside)."""
        from govstat.platform.events.kafka import make_consumer
        from govstat.platform.events.topics import ensure_topics

        if "_attempts" not in self.__dict__:  # a subclass whose __init__ did not call ours
            Consumer.__init__(self)
        if decoder is not None:
            self._decoder = decoder
        elif "domain" in self.topic_suffixes:
            raise ValueError(f"{self.name}: a consumer of domain events needs the decoder of every module's events")
        topics = [settings.kafka_topic_prefix + s for s in self.topic_suffixes]
        backoff = Backoff()
        while not stop.is_set():
            consumer = make_consumer(settings, self.group, topics)
            try:
                await ensure_topics(settings)
                await self._before_start(settings, topics)
                if stop.is_set():  # stopped while it waited (events/upgrade_guard.py)
                    break
                await consumer.start()
                while not stop.is_set():
                    batches = await consumer.getmany(timeout_ms=500, max_records=self._poll_size)
                    await self._apply_poll(consumer, batches)
                    await self.record_lag(consumer)
                    if self.on_poll is not None:
                        await self.on_poll(consumer)
                    outage_over(self.name, "kafka")
                    backoff.reset()
            except Exception as exc:
                if is_outage(exc):
                    outage_failed(self.name, exc, "kafka")
                else:
                    log.exception("%s: unexpected error; restarting the consumer", self.name)
                await sleep_or_stop(stop, backoff.next())
            finally:
                try:
                    await consumer.stop()
                except Exception:
                    pass

    async def _before_start(self, settings: Settings, topics: list[str]) -> None:
        """Before the Kafka consumer starts (a new shared group's start offsets, events/shared.py)."""

    async def _apply_poll(self, consumer: AIOKafkaConsumer, batches: dict[TopicPartition, list[Any]]) -> None:
        """A poll's messages, partition by partition (events/shared.py applies them together)."""
        for tp, messages in batches.items():
            await self._apply_batch(consumer, tp, messages)

    async def _apply_batch(self, consumer: Offsets, tp: TopicPartition, messages: list[Any]) -> None:
        """Apply in order; commit what is done. On a failure, rewind to the failed message and retry later;
        a message whose handler fails MAX_ATTEMPTS times (the database answering) goes to dead_letter."""
        if "_attempts" not in self.__dict__:  # a subclass whose __init__ did not call ours
            Consumer.__init__(self)
        if self.batch_apply and len(messages) > 1 and await self._apply_together(messages):
            await consumer.commit({tp: messages[-1].offset + 1})
            return
        done = None
        for message in messages:
            try:
                event = self._decoder.decode(message.value)
            except Exception as exc:  # not JSON, an unknown event, or fields that do not fit it
                log.error("%s: unreadable message at %s/%s: %s", self.name, message.topic, message.offset, exc)
                await self._dead_letter(message, exc, event_id=peek(message.value)[0])
                done = message.offset
                continue
            try:
                await self.apply(event, _trace_headers(message))
            except FutureEvent as exc:  # retrying would not change the clock: aside at once
                async with UnitOfWork(Scope.system(self.name)) as uow:
                    await set_aside_future(uow, [self.name], message, exc.event_id, exc.occurred_at)
                done = message.offset
                continue
            except Exception as exc:
                if is_outage(exc):
                    outage_failed(self.name, exc, "postgres")
                    delay = self._backoff.next()
                else:
                    attempts = self._attempts.get((tp, message.offset), 0) + 1
                    self._attempts[(tp, message.offset)] = attempts
                    if attempts >= MAX_ATTEMPTS and self._systemic(exc):
                        # the last events set aside failed the same way: the handler or the database is
                        # broken for every event, not this one; wait instead of emptying the partition
                        log.error(
                            "%s: %d events in a row failed with %s; waiting instead of setting more aside",
                            self.name,
                            SYSTEMIC_STREAK,
                            type(exc).__name__,
                        )
                        delay = 5.0
                    elif attempts >= MAX_ATTEMPTS:
                        log.error("%s: event %s set aside after %d attempts: %s", self.name, event.id, attempts, exc)
                        await self._dead_letter(message, exc, event_id=event.id, attempts=attempts)
                        self._streak = (type(exc), self._streak[1] + 1 if self._streak[0] is type(exc) else 1)
                        self._attempts.pop((tp, message.offset), None)
                        done = message.offset
                        continue
                    log.warning(
                        "%s: event %s failed (attempt %d of %d): %s",
                        self.name,
                        event.id,
                        attempts,
                        MAX_ATTEMPTS,
                        exc,
                        exc_info=attempts == 1,
                    )
                    delay = min(0.2 * 2**attempts, 5.0)
                consumer.seek(tp, message.offset)
                await asyncio.sleep(delay)
                break
            self._attempts.pop((tp, message.offset), None)
            self._streak = (None, 0)
            outage_over(self.name, "postgres")
            self._backoff.reset()
            done = message.offset
        if done is not None:
            await consumer.commit({tp: done + 1})

    async def _dead_letter(
        self, message: Any, exc: Exception, event_id: uuid.UUID | None = None, attempts: int = 1
    ) -> None:
        await dead_letter_now(
            consumer=self.name,
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            payload=message.value,
            error=exc,
            event_id=event_id,
            attempts=attempts,
        )

    @property
    def _lag_names(self) -> tuple[str, ...]:
        """The names the lag is recorded under (a shared fetch's: each read model's)."""
        return (self.name,)

    async def record_lag(self, consumer: AIOKafkaConsumer) -> None:
        now = asyncio.get_running_loop().time()
        if now - getattr(self, "_lag_at", 0.0) < 5.0:  # measured every few seconds, not every poll
            return
        self._lag_at = now
        rows = []
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            if high is None:
                continue
            position = await consumer.position(tp)
            rows += [(name, tp.topic, tp.partition, max(high - position, 0)) for name in self._lag_names]
        if rows:
            async with UnitOfWork(Scope.system(self.name)) as uow:
                await uow.connection.executemany(
                    "INSERT INTO consumer_lag (consumer, topic, partition, lag, measured_at) VALUES ($1,$2,$3,$4,now())"
                    " ON CONFLICT (consumer, topic, partition) DO UPDATE SET lag = excluded.lag, measured_at = now()",
                    rows,
                )


def _trace_headers(message: Any) -> dict[str, str]:
    return {k: v.decode() for k, v in (message.headers or ()) if k.startswith("trace")}


__all__ = ["Consumer", "Offsets"]
