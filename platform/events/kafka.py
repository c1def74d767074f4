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
        # aiokafka sends one request per broker at a time, with one record batch per partition in
        # it: 16 KB batches made a relay claim of 2,000 usage events some 40 round trips; 512 KB
        # (under the broker's 1 MB message.max.bytes) make it one or two. Relaying 20,000 events:
        # 1.38 s in sends before, 0.63 s after (claims of 500).
        max_batch_size=512 * 1024,
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
