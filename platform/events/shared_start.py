"""Where a new shared group starts (issue 15 §3): where its read models' old groups had got to.

A shared group is named after its read models (events/shared.py), so it is new the first time
they run together (an upgrade from one group per read model, or a read model added to a group).
Started at the beginning of the topic it would replay everything, harmless (the markers) but
slow. Instead, a partition the new group has no committed offset for starts at the lowest of its
read models' positions there; a read model's position is the highest offset committed by a group
it ran in (`govstat.<name>` alone, or an earlier shared group of marker_group: that group committed
only what all its read models had applied). A read model that no group of its ever committed for
the partition has applied nothing of it: the partition starts at the beginning, as before.

The start is committed for the new group before it first joins (seed_group), for the partitions it
has none for: from then on the group commits as it applies, as always. A group that exists is
moved forward the same way where its read models are all known to be further than its own offset:
a group that ran without one of them for a while (a read model detached and rejoined,
events/detach.py) starts where they all are, not where it stopped. Moving forward is always safe:
each read model's position is an offset a group it ran in committed, after applying what is below.
An older monitor's consumers of the read models' old groups must be stopped first: the shared group
waits until they are (events/upgrade_guard.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.settings import Settings

log = logging.getLogger("govstat.consumer")
GROUP_PREFIX = "govstat."


async def groups_of(members: Sequence[str], marker: str) -> dict[str, list[str]]:
    """For each read model, the Kafka groups it ran in before: its own, and other shared groups'."""
    async with UnitOfWork(Scope.system("shared-start")) as uow:
        rows = await uow.fetch(
            "SELECT name, members FROM marker_group WHERE members && $1::text[] AND name <> $2", list(members), marker
        )
    groups = {m: [GROUP_PREFIX + m] for m in members}
    for row in rows:
        for m in row["members"]:
            if m in groups:
                groups[m].append(GROUP_PREFIX + row["name"])
    return groups


async def start_offsets(
    settings: Settings, groups: dict[str, list[str]], partitions: Sequence[TopicPartition]
) -> dict[TopicPartition, int]:
    """The offset to start each partition at, where every read model has a position there."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    try:
        committed: dict[str, dict[TopicPartition, int]] = {}
        for group in {g for gs in groups.values() for g in gs}:
            offsets = await admin.list_consumer_group_offsets(group, partitions=list(partitions))
            committed[group] = {tp: o.offset for tp, o in offsets.items() if o.offset >= 0}
    finally:
        await admin.close()
    start: dict[TopicPartition, int] = {}
    for tp in partitions:
        positions = [max((committed[g].get(tp, -1) for g in gs), default=-1) for gs in groups.values()]
        if positions and min(positions) >= 0:
            start[tp] = min(positions)
    return start


async def seed_group(
    settings: Settings, group: str, members: Sequence[str], marker: str, topics: Sequence[str]
) -> dict[TopicPartition, int]:
    """Commit, for `group`, the start of each partition it has no committed offset for (or one behind
    where all its read models are), before it joins (a seek from the rebalance listener would race the consumer's own reset to the
    beginning); what was committed."""
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = []
        for topic in topics:
            await consumer._client.force_metadata_update()  # the topics' partitions (no subscription)
            partitions += [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(partitions)
        committed = {tp: await consumer.committed(tp) for tp in partitions}
        target = await start_offsets(settings, await groups_of(members, marker), partitions) if partitions else {}
        start = {tp: o for tp, o in target.items() if (c := committed[tp]) is None or c < o}
        if start:
            try:
                await consumer.commit(start)
            except Exception as exc:  # the group has members already (another monitor seeded and joined it)
                log.info("%s: start not committed (%s); the group's members have their offsets", group, exc)
                return {}
            log.info("%s: starting where its read models' groups were: %s", group, start)
        return start
    finally:
        await consumer.stop()


__all__ = ["groups_of", "seed_group", "start_offsets"]
