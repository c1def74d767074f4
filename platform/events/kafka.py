"""aiokafka producers and consumers configured the one way govstat uses them."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from govstat.platform.settings import Settings


def make_producer(settings: Settings) -> AIOKafkaProducer:
    # Idempotent producer implies acks=all: a message is written once per send, even on retry.
    return AIOKafkaProducer(
        bootstrap_servers=settings.kafka_bootstrap,
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        request_timeout_ms=15_000,
    )


def make_consumer(settings: Settings, group: str, topics: list[str]) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=group,
        enable_auto_commit=False,  # offsets are committed after the database write
        auto_offset_reset="earliest",
        isolation_level="read_committed",
    )
