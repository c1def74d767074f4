"""The upgrade order, enforced (docs/decisions/0014): a shared group does not start while an old
monitor's consumers of its read models still run.

The old monitor ran each read model in a group of its own (`govstat.<name>`) and took no marker
locks (events/markers.py): next to a shared group of the same read models it could count an event
twice. So before the shared consumer starts (each start, restarts included) the monitor asks Kafka
(DescribeGroups, one request per coordinator, bounded by CHECK_TIMEOUT_S) whether one of those
groups has a member subscribed to the group's topics; while one has, it waits and asks again every
RECHECK_S, logging which groups hold it back and showing it in `govstat_consumer_held_back`
(/metrics of the monitor). When they are gone it starts, at their last commits (events/shared_start.py).

When Kafka cannot answer (an error, a timeout, a group the broker will not describe) the monitor
cannot tell, and waits as if the old consumers ran: a wait only delays the read models (the events
stay in Kafka), a double count would be wrong on the bills. A member whose subscription cannot be
read counts as one of the old consumers for the same reason; a member of such a group that reads
other topics (another deployment's prefix sharing the cluster) does not hold this one back.

Only the read models' own groups are looked at: another shared group with some of the same read
models (a newer or older member set) takes the marker locks and reads this group's markers, so
both may run.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberMetadata
from aiokafka.errors import for_code
from aiokafka.protocol.admin import (
    DescribeGroupsRequest_v1,
    DescribeGroupsRequest_v2,
    DescribeGroupsRequest_v3,
    DescribeGroupsResponse_v3,
)
from aiokafka.protocol.api import Request

from govstat.platform.resilience import sleep_or_stop
from govstat.platform.settings import Settings

log = logging.getLogger("govstat.consumer")
CHECK_TIMEOUT_S = 10.0  # the whole check: connect, find the coordinators, describe the groups
RECHECK_S = 5.0
LOG_EVERY_S = 60.0  # while held back, the warning again after this long
_held: dict[str, int] = {}  # shared group -> old consumers holding it back (read by /metrics)


def old_groups(members: Sequence[str]) -> list[str]:
    """The groups an old monitor ran the read models in: one each, named after it (Consumer.group)."""
    return [f"govstat.{m}" for m in members]


class _DescribeGroupsV3(DescribeGroupsRequest_v3):  # type: ignore[misc]  # aiokafka is untyped here
    # aiokafka 0.14 reads a v3 answer with v2's layout (no authorized_operations), which fails to
    # decode ("Buffer underrun"); AIOKafkaAdminClient.describe_consumer_groups is unusable with a
    # broker that speaks v3 (Kafka 2.3 and later)
    RESPONSE_TYPE = DescribeGroupsResponse_v3


class _DescribeGroups(Request[DescribeGroupsRequest_v1 | DescribeGroupsRequest_v2 | _DescribeGroupsV3]):  # type: ignore[misc]
    API_KEY = 15

    def __init__(self, groups: list[str]) -> None:
        self.groups = groups

    def build(self, request_struct_class: type[Any]) -> Any:
        if request_struct_class.API_VERSION < 3:
            return request_struct_class(self.groups)
        return request_struct_class(self.groups, False)


def _subscribed(metadata: bytes, topics: set[str]) -> bool:
    """Whether a member's subscription names one of `topics` (unreadable: assume so)."""
    try:
        subscription = ConsumerProtocolMemberMetadata.decode(metadata).subscription
    except Exception:
        return True
    return bool(topics.intersection(subscription))


async def old_consumers(settings: Settings, groups: Sequence[str], topics: Sequence[str]) -> dict[str, int]:
    """For each of `groups` with members subscribed to one of `topics`, how many; {}: none. Raises
    when Kafka does not answer within CHECK_TIMEOUT_S or refuses to describe a group."""
    admin = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=int(CHECK_TIMEOUT_S * 1000)
    )
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            await admin.start()
            by_node: dict[int, list[str]] = {}
            for group in groups:
                by_node.setdefault(await admin.find_coordinator(group), []).append(group)
            responses = await asyncio.gather(
                *(admin._send_request(_DescribeGroups(gs), node) for node, gs in by_node.items())
            )
    finally:
        await admin.close()
    wanted, found = set(topics), {}
    for response in responses:
        for error_code, group, _state, _ptype, _protocol, members, *_ in response.groups:
            if error_code:
                raise for_code(error_code)(f"describing consumer group {group}")
            n = sum(1 for m in members if _subscribed(m[3], wanted))
            if n:
                found[group] = n
    return found


async def wait_for_old_consumers(
    settings: Settings, group: str, members: Sequence[str], topics: Sequence[str], stop: asyncio.Event
) -> bool:
    """Return once no old consumer of the read models runs (True), or when `stop` is set (False)."""
    groups, logged = old_groups(members), -LOG_EVERY_S
    try:
        while not stop.is_set():
            try:
                found: dict[str, int] | None = await old_consumers(settings, groups, topics)
                why = f"an older monitor's consumers are still running: {found}"
            except Exception as exc:  # Kafka away, slow or refusing: cannot tell, so do not start
                found, why = None, f"cannot tell whether an older monitor still runs ({type(exc).__name__}: {exc})"
            if found == {}:
                if group in _held:
                    log.warning("%s: the older monitor's consumers are gone; starting the shared consumer", group)
                return True
            _held[group] = sum(found.values()) if found else 1
            if time.monotonic() - logged >= LOG_EVERY_S:
                logged = time.monotonic()
                log.warning(
                    "%s: not starting: %s; running both could count an event twice (docs/decisions/0014:"
                    " stop the old monitor first); asking again every %.0f s",
                    group,
                    why,
                    RECHECK_S,
                )
            await sleep_or_stop(stop, RECHECK_S)
        return False
    finally:
        _held.pop(group, None)


def _observe() -> None:
    from opentelemetry.metrics import CallbackOptions, Observation

    from govstat.platform.telemetry import meter

    def held(_: CallbackOptions) -> list[Observation]:
        return [Observation(n, {"group": g}) for g, n in list(_held.items())]

    meter().create_observable_gauge(
        "govstat_consumer_held_back", [held], description="old consumers keeping a shared group from starting"
    )


_observe()


def held_back() -> dict[str, int]:
    """The shared groups waiting now, with the old consumers they wait for (1: cannot tell)."""
    return dict(_held)


__all__ = ["held_back", "old_consumers", "old_groups", "wait_for_old_consumers"]
