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

A read model that holds the group back poll after poll is detached (events/detach.py): `run`
supervises the composition, the group of the others and the detached read model alone in its own
group, until it caught up and rejoins.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import asyncpg

from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.detach import Stuck, record_detached, record_rejoined
from govstat.platform.events.envelope import Envelope, EventDecoder
from govstat.platform.events.markers import MARKER_KEY, REGISTER, fresh_in_group
from govstat.platform.events.poison import set_aside_future
from govstat.platform.events.shared_start import seed_group
from govstat.platform.events.upgrade_guard import wait_for_old_consumers
from govstat.platform.resilience import Backoff, sleep_or_stop
from govstat.platform.security import Scope
from govstat.platform.settings import Settings, get_settings
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

    def __init__(
        self,
        members: Sequence[Consumer],
        catalog: Catalog | None = None,
        *,
        detach_after_polls: int | None = None,
        detach_after_seconds: float | None = None,
    ) -> None:
        super().__init__(catalog)
        self.members = list(members)
        self.topic_suffixes = members[0].topic_suffixes  # type: ignore[misc]  # the members' topics
        self.detached: set[str] = set()  # read models running alone (events/detach.py)
        self.together = list(members)  # the read models the group carries (fixed for a composition)
        settings = get_settings()
        self.stuck = Stuck(
            detach_after_polls or settings.shared_detach_after_polls,
            detach_after_seconds or settings.shared_detach_after_seconds,
        )
        self.changed = asyncio.Event()  # the composition changed: run() starts its consumers again
        self._positions: dict[str, dict[Any, int]] = {}  # a detached read model's, at its last poll
        self._registered = False  # the marker name in marker_group (once per composition)
        self._seeded = False  # the group's start offsets looked for (shared_start.py)
        self._stop = asyncio.Event()  # run()'s

    def compose(self) -> None:
        """The next composition: the group carries all read models but the detached (a new marker
        name and Kafka group when that changed)."""
        self.together = [m for m in self.members if m.name not in self.detached]
        self.changed.clear()
        self._registered = self._seeded = False

    @property
    def whole(self) -> str:
        """The Kafka group of all the read models (the one a monitor starts with)."""
        return "govstat.shared." + "+".join(m.name for m in self.members)

    async def run(self, settings: Settings, stop: asyncio.Event, decoder: EventDecoder | None = None) -> None:
        """The group, and each detached read model alone, until `stop`; started again on each
        detachment or rejoin (events/detach.py)."""
        if decoder is not None:  # the read models decode alone when the shared transaction fails
            for member in self.members:
                member._decoder = decoder
        await self._close_old_detachments(stop)
        while not stop.is_set():
            self.compose()
            inner = asyncio.Event()
            self._stop = inner  # ends a wait for an older monitor (events/upgrade_guard.py)
            together = self.together
            tasks = [asyncio.create_task(super().run(settings, inner, decoder))] if len(together) > 1 else []
            for member in self.members:
                if member not in together or len(together) == 1:
                    tasks.append(asyncio.create_task(self._run_alone(member, settings, inner, decoder)))
            ends = [asyncio.create_task(stop.wait()), asyncio.create_task(self.changed.wait())]
            try:
                await asyncio.wait(ends, return_when=asyncio.FIRST_COMPLETED)
            finally:  # also when cancelled: no consumer of this composition outlives it
                for end in ends:
                    end.cancel()
                inner.set()
                await asyncio.gather(*tasks, return_exceptions=True)

    async def _close_old_detachments(self, stop: asyncio.Event) -> None:
        """A monitor starts with the whole group: detachments left open by the last run are closed."""
        backoff = Backoff()
        while not stop.is_set():
            try:
                await record_rejoined(self.whole, [m.name for m in self.members], "monitor started")
                return
            except Exception as exc:
                log.info("%s: open detachments not closed yet (%s)", self.whole, exc)
                await sleep_or_stop(stop, backoff.next())

    async def _run_alone(self, member: Consumer, settings: Settings, stop: asyncio.Event, decoder: Any) -> None:
        """A read model in its own group, started where it had got to; a detached one rejoins once
        it caught up."""
        topics = [settings.kafka_topic_prefix + s for s in self.topic_suffixes]
        backoff = Backoff()
        while not stop.is_set():
            try:
                await seed_group(settings, member.group, [member.name], member.name, topics)
                break
            except Exception as exc:
                log.info("%s: its start not found yet (%s)", member.group, exc)
                await sleep_or_stop(stop, backoff.next())
        if member.name in self.detached:
            self._positions.pop(member.name, None)  # "moving" is judged from this run's polls only
            member.on_poll = lambda consumer: self._caught_up(member, consumer)
        try:
            await member.run(settings, stop, decoder)
        finally:
            member.on_poll = None

    async def _caught_up(self, member: Consumer, consumer: AIOKafkaConsumer) -> None:
        """After a detached read model's poll: at the end of every partition it holds, it rejoins."""
        assigned = consumer.assignment()
        if member.name not in self.detached or self.changed.is_set() or not assigned:
            return
        last, self._positions[member.name] = self._positions.get(member.name, {}), {}
        behind = False
        for tp in assigned:
            high, position = consumer.highwater(tp), await consumer.position(tp)
            self._positions[member.name][tp] = position
            # at the end, or moving within a poll of it (events keep coming); not when stopped on a failure
            if high is None or (position < high and (high - position > 2000 or position <= last.get(tp, high))):
                behind = True
        if behind:
            return
        await record_rejoined(self.whole, [member.name], "caught up")
        self.detached.discard(member.name)
        self.changed.set()

    @property
    def group(self) -> str:
        return "govstat.shared." + "+".join(m.name for m in self.together)

    @property
    def _poll_size(self) -> int:
        return 4000

    async def _before_start(self, settings: Settings, topics: list[str]) -> None:
        """Not while an older monitor's consumers of the read models run (events/upgrade_guard.py:
        each start waits until they are gone; not the read models detached from this group, whose
        own group `govstat.<name>` this monitor runs); a new group starts where its read models' old
        groups were (events/shared_start.py), once per composition (an error: the consumer's restart
        tries again)."""
        together = [m.name for m in self.together]
        if not await wait_for_old_consumers(settings, self.group, together, topics, self._stop):
            return  # stopping
        if not self._seeded:
            await seed_group(settings, self.group, [m.name for m in self.together], self.marker, topics)
            self._seeded = True

    @property
    def _lag_names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.together)

    async def _apply_poll(self, consumer: AIOKafkaConsumer, batches: dict[TopicPartition, list[Any]]) -> None:
        batches = {tp: messages for tp, messages in batches.items() if messages}
        if not batches or self.changed.is_set():  # a composition ending: its successor reads them
            return
        started = time.monotonic()
        if await self._apply_shared([m for messages in batches.values() for m in messages]):
            await consumer.commit({tp: messages[-1].offset + 1 for tp, messages in batches.items()})
            self.stuck.clear()
            return
        held: set[str] = set()
        for tp, messages in batches.items():
            held |= await self._apply_apart(consumer, tp, messages)
        detach = self.stuck.poll(started, held)
        if detach and not self.changed.is_set():
            await record_detached(self.whole, detach)
            self.detached |= set(detach)
            self.stuck.clear()
            self.changed.set()

    @property
    def marker(self) -> str:
        """The name the group marks its events under, once each for all its read models (events/markers.py)."""
        return "shared." + "+".join(m.name for m in self.together)

    async def _apply_shared(self, messages: list[Any], redelivered: bool = False) -> bool:
        """Every read model's fresh events of a poll in one transaction; False (nothing kept) if
        anything failed, an unreadable message included. Events dated ahead of the database's
        clock are set aside for every read model (events/markers.py)."""
        together = self.together
        names = [m.name for m in together]
        try:
            events: dict[Any, Envelope[Any]] = {}
            sources: dict[Any, Any] = {}
            occurred: dict[Any, Any] = {}
            for message in messages:
                event = self._decoder.decode(message.value)
                events[event.id], sources[event.id], occurred[event.id] = event, message, event.occurred_at
            async with UnitOfWork(Scope.system(self.name)) as uow:
                with tracer().start_as_current_span(f"consume {'+'.join(names)} batch"):
                    if not self._registered:  # before its first marker: read models alone can find them
                        await uow.execute(REGISTER, self.marker, names)
                    marked = await fresh_in_group(uow, self.marker, names, occurred, redelivered=redelivered)
                    for member in together:
                        new = marked.fresh[member.name]
                        if len(new) == len(events):
                            await member.handle_many(uow, list(events.values()))
                        elif new:
                            await member.handle_many(uow, [e for i, e in events.items() if i in new])
                    for i, at in marked.future.items():
                        await set_aside_future(uow, names, sources[i], i, at)
        except Exception as exc:
            if not redelivered and _duplicate_marker(exc):
                return await self._apply_shared(messages, redelivered=True)
            log.info("%s: %d events failed together (%s); each read model applies them", names, len(messages), exc)
            return False
        self._registered = True
        for member in together:
            applied = len(marked.fresh[member.name])
            member.counted(applied, len(messages) - applied - len(marked.future))
        return True

    async def _apply_apart(self, consumer: AIOKafkaConsumer, tp: TopicPartition, messages: list[Any]) -> set[str]:
        """Each read model applies the batch alone; the group commits as far as the slowest got and
        rewinds to it (the others skip what they hold by their markers). The read models that held
        the group back: not as far as another got."""
        first, end = messages[0].offset, messages[-1].offset + 1
        positions = {}
        for member in self.together:
            progress = _Progress(first)
            await member._apply_batch(progress, tp, messages)
            positions[member.name] = progress.position
        position, furthest = min(positions.values()), max(positions.values())
        if position > first:
            await consumer.commit({tp: position})
        if position < end:
            consumer.seek(tp, position)
        return {name for name, at in positions.items() if at < furthest}


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
