"""Read models of one topic fed by one Kafka consumer (issue 15 §3).

The usage topic has three read models (ops' per-minute rollup, the SLA minutes, billing's usage),
each a batched consumer (`batch_apply`: it writes only its read model, in its unit of work). Run
apart, each fetched, unpacked and decoded every event and wrote a poll's events in transactions of
its own, one per partition: the monitor did the topic's work three times over. `SharedFetch` runs
them as one consumer: one fetch and one decode per event, and a poll's events of every partition
applied in one transaction: one duplicate marker per event for the whole group (its marker name,
events/markers.py: a third of the rows of one per read model, which were half the consumer's
time), then each read model's `handle_many` with the events it had not seen.

What each read model keeps: its own dead letters and retries, its own lag row, and no event counted
twice: a read model that runs alone later (or in another group) finds the group's markers, and the
group finds a read model's own markers (events/markers.py). If the shared transaction fails,
nothing of it is kept and each read model applies the partition's batch alone
(`Consumer._apply_batch`: together, then one by one, retried, set aside after MAX_ATTEMPTS, under
its own markers), recording how far it got; the group's offset moves only as far as the slowest
read model, and the consumer rewinds to where that one stopped: the others find their markers there.

The group is named after its read models, so it is new when they first run together or one is
added. A new group starts each partition where its read models' earlier groups had got to (the
lowest of them; events/shared_start.py), not at the beginning of the topic.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import asyncpg

from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import Envelope, EventDecoder
from govstat.platform.events.markers import MARKER_KEY, REGISTER, fresh_in_group
from govstat.platform.events.shared_start import seed_group
from govstat.platform.events.upgrade_guard import wait_for_old_consumers
from govstat.platform.security import Scope
from govstat.platform.settings import Settings
from govstat.platform.telemetry import tracer

if TYPE_CHECKING:
    from aiokafka import AIOKafkaConsumer, TopicPartition

log = logging.getLogger("govstat.consumer")


def _duplicate_marker(exc: BaseException | None) -> bool:
    """Whether a failure is a marker that already existed (the unit of work translates it to Conflict)."""
    while exc is not None:
        if isinstance(exc, asyncpg.UniqueViolationError) and exc.constraint_name == MARKER_KEY:
            return True
        exc = exc.__cause__
    return False


class _Progress:
    """One read model's progress through a partition's batch, recorded instead of committed."""

    def __init__(self, first: int) -> None:
        self.committed = first
        self.rewound: int | None = None

    @property
    def position(self) -> int:
        """The first offset this read model has not applied (nor set aside)."""
        return self.committed if self.rewound is None else min(self.rewound, self.committed)

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        (self.committed,) = offsets.values()

    def seek(self, partition: TopicPartition, offset: int) -> None:
        self.rewound = offset


class SharedFetch(Consumer):
    name: ClassVar[str] = "shared-fetch"
    batch_apply = True

    def __init__(self, members: Sequence[Consumer], catalog: Catalog | None = None) -> None:
        super().__init__(catalog)
        self.members = list(members)
        self.topic_suffixes = members[0].topic_suffixes  # type: ignore[misc]  # the members' topics
        self._registered = False  # the marker name in marker_group (once per process)
        self._seeded = False  # the group's start offsets looked for (shared_start.py)
        self._stop = asyncio.Event()  # run()'s

    async def run(self, settings: Settings, stop: asyncio.Event, decoder: EventDecoder | None = None) -> None:
        if decoder is not None:  # the read models decode alone when the shared transaction fails
            for member in self.members:
                member._decoder = decoder
        self._stop = stop  # ends a wait for an older monitor (events/upgrade_guard.py)
        await super().run(settings, stop, decoder)

    @property
    def group(self) -> str:
        return "govstat.shared." + "+".join(m.name for m in self.members)

    @property
    def _poll_size(self) -> int:
        return 4000

    async def _before_start(self, settings: Settings, topics: list[str]) -> None:
        """Not while an older monitor's consumers of the read models run (events/upgrade_guard.py:
        each start waits until they are gone); a new group starts where its read models' old groups
        were (events/shared_start.py), once per process (an error: the consumer's restart tries again)."""
        if not await wait_for_old_consumers(settings, self.group, [m.name for m in self.members], topics, self._stop):
            return  # stopping
        if not self._seeded:
            await seed_group(settings, self.group, [m.name for m in self.members], self.marker, topics)
            self._seeded = True

    @property
    def _lag_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.members)

    async def _apply_poll(self, consumer: AIOKafkaConsumer, batches: dict[TopicPartition, list[Any]]) -> None:
        batches = {tp: messages for tp, messages in batches.items() if messages}
        if not batches:
            return
        if await self._apply_shared([m for messages in batches.values() for m in messages]):
            await consumer.commit({tp: messages[-1].offset + 1 for tp, messages in batches.items()})
            return
        for tp, messages in batches.items():
            await self._apply_apart(consumer, tp, messages)

    @property
    def marker(self) -> str:
        """The name the group marks its events under, once each for all its read models (events/markers.py)."""
        return "shared." + "+".join(m.name for m in self.members)

    async def _apply_shared(self, messages: list[Any], redelivered: bool = False) -> bool:
        """Every read model's fresh events of a poll in one transaction; False (nothing kept) if
        anything failed, an unreadable message included."""
        names = [m.name for m in self.members]
        try:
            events: dict[Any, Envelope[Any]] = {}
            for message in messages:
                event = self._decoder.decode(message.value)
                events[event.id] = event
            async with UnitOfWork(Scope.system(self.name)) as uow:
                with tracer().start_as_current_span(f"consume {'+'.join(names)} batch"):
                    if not self._registered:  # before its first marker: read models alone can find them
                        await uow.execute(REGISTER, self.marker, names)
                    oldest = min(e.occurred_at for e in events.values())
                    fresh = await fresh_in_group(uow, self.marker, names, list(events), oldest, redelivered=redelivered)
                    for member in self.members:
                        new = fresh[member.name]
                        if len(new) == len(events):
                            await member.handle_many(uow, list(events.values()))
                        elif new:
                            await member.handle_many(uow, [e for i, e in events.items() if i in new])
        except Exception as exc:
            if not redelivered and _duplicate_marker(exc):
                return await self._apply_shared(messages, redelivered=True)
            log.info("%s: %d events failed together (%s); each read model applies them", names, len(messages), exc)
            return False
        self._registered = True
        for member in self.members:
            applied = len(fresh[member.name])
            member.counted(applied, len(messages) - applied)
        return True

    async def _apply_apart(self, consumer: AIOKafkaConsumer, tp: TopicPartition, messages: list[Any]) -> None:
        """Each read model applies the batch alone; the group commits as far as the slowest got and
        rewinds to it (the others skip what they hold by their markers)."""
        first, end = messages[0].offset, messages[-1].offset + 1
        positions = []
        for member in self.members:
            progress = _Progress(first)
            await member._apply_batch(progress, tp, messages)
            positions.append(progress.position)
        position = min(positions)
        if position > first:
            await consumer.commit({tp: position})
        if position < end:
            consumer.seek(tp, position)


def share_fetches(consumers: Iterable[Consumer]) -> list[Consumer]:
    """The batched read models of the same topics joined into one SharedFetch each; the others as
    they are."""
    alone: list[Consumer] = []
    batched: dict[tuple[str, ...], list[Consumer]] = {}
    for consumer in consumers:
        if consumer.batch_apply:
            batched.setdefault(tuple(sorted(consumer.topic_suffixes)), []).append(consumer)
        else:
            alone.append(consumer)
    shared = [SharedFetch(members) if len(members) > 1 else members[0] for members in batched.values()]
    return alone + shared


__all__ = ["SharedFetch", "share_fetches"]
