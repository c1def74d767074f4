"""Incident tests start from a known state: whatever earlier tests of the session raised (SLA
alerts for the same modules, still in the outbox or on the incident topic) is out of the way."""

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope


async def _skip_old_incident_events() -> None:
    from aiokafka import AIOKafkaConsumer, TopicPartition

    from govstat.platform.settings import get_settings

    async with UnitOfWork(Scope.system("test-setup")) as uow:
        # earlier tests' alerts that were never relayed: treat as delivered
        await uow.execute("UPDATE outbox SET published_at = now() WHERE kind = 'incident' AND published_at IS NULL")
        # open incidents of earlier tests: closed, so a new alert opens its own
        await uow.execute(
            "UPDATE incident SET state = 'closed', mitigated_at = coalesce(mitigated_at, now()),"
            " recovered_at = coalesce(recovered_at, now()), closed_at = coalesce(closed_at, now())"
            " WHERE state <> 'closed'"
        )
    settings = get_settings()
    topic = settings.kafka_topic_prefix + "incident"
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap, group_id="govstat.ops-incidents", enable_auto_commit=False
    )
    await consumer.start()
    try:
        # the platform creates its topics with kafka_partitions partitions (ensure_topics)
        partitions = [TopicPartition(topic, p) for p in range(settings.kafka_partitions)]
        if topic in await consumer.topics():
            consumer.assign(partitions)
            await consumer.seek_to_end(*partitions)
            await consumer.commit({tp: await consumer.position(tp) for tp in partitions})
    finally:
        await consumer.stop()


@pytest.fixture(autouse=True)
async def _known_incident_state(request):
    if "incidents" in request.module.__name__:
        await _skip_old_incident_events()
    yield
