"""Kafka for the event tests: a topic of their own under the run's prefix, events sent to one of its
partitions, and a batched read model that records in this process the events it was given."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import ClassVar

from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from govstat.platform.events.consumer import Consumer
from govstat.platform.events.kafka import make_producer
from govstat.platform.settings import get_settings


async def new_topic(label: str, partitions: int = 1, configs: dict[str, str] | None = None) -> str:
    """A new topic `label` + 8 random hex digits under the run's prefix; its suffix."""
    settings = get_settings()
    suffix = f"{label}{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics(
            [NewTopic(settings.kafka_topic_prefix + suffix, partitions, 1, topic_configs=configs or {})]
        )
    finally:
        await admin.close()
    return suffix


async def send(topic: str, payloads: Iterable[bytes], partition: int = 0) -> None:
    """Each payload to `topic` (its full name), in order, each acknowledged before the next."""
    producer = make_producer(get_settings())
    await producer.start()
    try:
        for p in payloads:
            await producer.send_and_wait(topic, p, partition=partition)
    finally:
        await producer.stop()


def recorder(name: str, suffix: str, seen: list) -> Consumer:
    """Read model `name` of the topic `suffix`, adding the ids of the events it is given to `seen`."""

    class Recorder(Consumer):
        """A batched read model that keeps the events it was given, in this process."""

        topic_suffixes: ClassVar[tuple[str, ...]] = (suffix,)
        batch_apply = True

        async def handle(self, uow, event) -> None:
            seen.append(event.id)

        async def handle_many(self, uow, events) -> None:
            seen.extend(e.id for e in events)

    Recorder.name = name
    return Recorder()
