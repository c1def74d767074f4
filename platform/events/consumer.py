"""The consumer base: read a topic into a read model, exactly once in effect.

For each message the handler and the (consumer, event id) marker are written in
one transaction; offsets are committed to Kafka only after it commits. A
redelivered message finds its marker and is skipped.
"""
from __future__ import annotations

import asyncio
import logging
from typing import ClassVar

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError
from opentelemetry import context as otel_context
from opentelemetry import propagate

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import Envelope, decode
from govstat.platform.security import Scope
from govstat.platform.settings import Settings
from govstat.platform.telemetry import meter, tracer

log = logging.getLogger("govstat.consumer")
_consumed = meter().create_counter("govstat_events_consumed", description="events applied by consumers")
_duplicates = meter().create_counter("govstat_events_duplicate", description="duplicate events dropped")


class Consumer:
    name: ClassVar[str]
    topic_suffixes: ClassVar[tuple[str, ...]]

    async def handle(self, uow: UnitOfWork, event: Envelope) -> None:
        raise NotImplementedError

    async def apply(self, event: Envelope, headers: dict[str, str] | None = None) -> bool:
        """Apply one event in its own transaction; False if it was a duplicate.

        The trace context comes from the Kafka headers (or the envelope), so the
        consumer's span continues the request's trace."""
        carrier = headers or event.trace
        ctx = propagate.extract(carrier) if carrier else None
        token = otel_context.attach(ctx) if ctx is not None else None
        try:
            with tracer().start_as_current_span(f"consume {self.name}"):
                async with UnitOfWork(Scope.system(self.name)) as uow:
                    fresh = await uow.fetchval(
                        "INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2)"
                        " ON CONFLICT DO NOTHING RETURNING 1", self.name, event.id)
                    if not fresh:
                        _duplicates.add(1, {"consumer": self.name})
                        return False
                    await self.handle(uow, event)
            _consumed.add(1, {"consumer": self.name})
            return True
        finally:
            if token is not None:
                otel_context.detach(token)

    async def run(self, settings: Settings, stop: asyncio.Event) -> None:
        from govstat.platform.events.kafka import make_consumer
        from govstat.platform.events.topics import ensure_topics

        topics = [settings.kafka_topic_prefix + s for s in self.topic_suffixes]
        delay = 0.5
        while not stop.is_set():
            consumer = make_consumer(settings, f"govstat.{self.name}", topics)
            try:
                await ensure_topics(settings)
                await consumer.start()
                delay = 0.5
                while not stop.is_set():
                    batches = await consumer.getmany(timeout_ms=500, max_records=500)
                    for tp, messages in batches.items():
                        await self._apply_batch(consumer, tp, messages)
                    await self.record_lag(consumer)
            except (KafkaError, OSError, asyncio.TimeoutError) as exc:
                log.warning("%s: Kafka unavailable (%s); retry in %.1fs", self.name, exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
            finally:
                try:
                    await consumer.stop()
                except Exception:  # noqa: BLE001
                    pass

    async def _apply_batch(self, consumer: AIOKafkaConsumer, tp: TopicPartition, messages) -> None:
        """Apply in order; commit what is done. On a failure, rewind to the failed message and retry later."""
        done = None
        for message in messages:
            try:
                event = decode(message.value)
            except Exception as exc:  # noqa: BLE001 - unreadable: set aside, never block the partition
                await self._dead_letter(message, exc)
                done = message.offset
                continue
            try:
                await self.apply(event, {k: v.decode() for k, v in (message.headers or ()) if k.startswith("trace")})
            except Exception:  # noqa: BLE001 - database away or a bug: retry from this message
                log.exception("%s: could not apply event %s; retrying", self.name, event.id)
                consumer.seek(tp, message.offset)
                await asyncio.sleep(1.0)
                break
            done = message.offset
        if done is not None:
            await consumer.commit({tp: done + 1})

    async def _dead_letter(self, message, exc: Exception) -> None:
        log.error("%s: unreadable message at %s/%s: %s", self.name, message.topic, message.offset, exc)
        async with UnitOfWork(Scope.system(self.name)) as uow:
            await uow.execute(
                "INSERT INTO dead_letter (consumer, topic, partition, kafka_offset, payload, error)"
                " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING", self.name, message.topic, message.partition, message.offset,
                message.value, str(exc)[:1000])

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
            rows.append((self.name, tp.topic, tp.partition, max(high - position, 0)))
        if rows:
            async with UnitOfWork(Scope.system(self.name)) as uow:
                await uow.connection.executemany(
                    "INSERT INTO consumer_lag (consumer, topic, partition, lag, measured_at) VALUES ($1,$2,$3,$4,now())"
                    " ON CONFLICT (consumer, topic, partition) DO UPDATE SET lag = excluded.lag, measured_at = now()",
                    rows)


__all__ = ["Consumer", "TopicPartition"]
