"""Kafka topic names and their creation at start-up."""

from __future__ import annotations

import logging

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from govstat.platform.events.envelope import TOPIC_BY_KIND
from govstat.platform.settings import Settings

log = logging.getLogger("govstat.topics")


def topic(settings: Settings, suffix: str) -> str:
    return settings.kafka_topic_prefix + suffix


def all_topics(settings: Settings) -> list[str]:
    return [topic(settings, s) for s in sorted(set(TOPIC_BY_KIND.values()))]


async def ensure_topics(settings: Settings) -> None:
    """Create the platform's topics if missing (idempotent; brokers do not auto-create)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in all_topics(settings) if t not in existing]
        if missing:
            try:
                await admin.create_topics([NewTopic(t, settings.kafka_partitions, 1) for t in missing])
                log.info("created topics %s", missing)
            except TopicAlreadyExistsError:
                pass
    finally:
        await admin.close()
