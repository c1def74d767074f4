"""Pruning the duplicate markers (events/retention.py) on real PostgreSQL and Kafka: markers written
before the cutoff go (not those of an event the relay may still send), recent ones stay, and a
recent event delivered again is still dropped; the bound follows the topics' retention."""

import asyncio
import datetime as dt
import uuid
from collections import Counter

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events import retention
from govstat.platform.events.envelope import UsagePayload, encode, new_event
from govstat.platform.events.shared import SharedFetch
from govstat.platform.events.topics import ensure_topics
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support.eventually import eventually
from tests.support.kafka_topics import new_topic, recorder, send

DAY_MS = 86_400_000


async def _topic(configs: dict[str, str] | None = None) -> str:
    """A new topic of one partition; its full name."""
    return get_settings().kafka_topic_prefix + await new_topic("ret", configs=configs)


async def _sql(sql: str, *args):
    async with UnitOfWork(Scope.system("test")) as uow:
        return await uow.fetch(sql, *args)


async def test_old_markers_go_recent_ones_stay_and_a_recent_event_delivered_again_is_still_dropped():
    settings = get_settings()
    ((start,),) = [tuple(r) for r in await _sql("SELECT clock_timestamp()")]
    await retention.prune_markers(start)  # the earlier tests' markers, so that the batches of 2 below are few
    topic = await _topic()
    name = f"r{uuid.uuid4().hex[:6]}"
    seen_a: list[uuid.UUID] = []
    seen_b: list[uuid.UUID] = []
    shared = SharedFetch(
        [
            recorder(f"{name}-a", topic[len(settings.kafka_topic_prefix) :], seen_a),
            recorder(f"{name}-b", topic[len(settings.kafka_topic_prefix) :], seen_b),
        ]
    )
    stop = asyncio.Event()
    task = asyncio.create_task(shared.run(settings, stop))
    try:
        old = [new_event(UsagePayload(module="m", operation="o", principal_kind="public")) for _ in range(5)]
        await send(topic, [encode(e) for e in old])
        await eventually(lambda: _has(seen_b, 5), timeout=60, message="the old events applied")
        # a marker of an event the relay may still send (its outbox row unpublished), one of an
        # event it published, and a name that marked nothing since
        pending, published, quiet = uuid.uuid4(), uuid.uuid4(), f"{name}-quiet"
        await _sql(
            "INSERT INTO outbox (id, kind, topic_suffix, payload) VALUES ($1, 'usage', 'usage', '\\x00'),"
            " ($2, 'usage', 'usage', '\\x00')",
            pending,
            published,
        )
        await _sql("UPDATE outbox SET published_at = now() WHERE id = $1", published)
        await _sql(
            "INSERT INTO processed_event (consumer, event_id) VALUES ($1, $2), ($1, $3)", quiet, pending, published
        )
        await _sql("INSERT INTO marker_activity (name, last_at) VALUES ($1, now())", quiet)
        await asyncio.sleep(0.05)
        ((cutoff,),) = [tuple(r) for r in await _sql("SELECT clock_timestamp()")]
        await asyncio.sleep(0.05)

        recent = [new_event(UsagePayload(module="m", operation="o", principal_kind="public")) for _ in range(3)]
        await send(topic, [encode(e) for e in recent])
        await eventually(lambda: _has(seen_b, 8), timeout=60, message="the recent events applied")

        pruned = await retention.prune_markers(cutoff, batch=2)  # small batches, while the consumer runs
        assert pruned.finished and pruned.batches > 1 and pruned.markers >= 5 + 1
        left = {
            r["event_id"] for r in await _sql("SELECT event_id FROM processed_event WHERE consumer = $1", shared.marker)
        }
        assert left == {e.id for e in recent}  # the old events' markers are gone, the recent ones' kept
        kept = {r["event_id"] for r in await _sql("SELECT event_id FROM processed_event WHERE consumer = $1", quiet)}
        assert kept == {pending}  # the relay may send that one again
        names = {
            r["name"]
            for r in await _sql("SELECT name FROM marker_activity WHERE name = ANY($1)", [quiet, shared.marker])
        }
        assert names == {shared.marker}  # the quiet name's activity went, the group's stays

        # a recent event delivered again (the relay's resend), with a new one: only the new one counts
        later = new_event(UsagePayload(module="m", operation="o", principal_kind="public"))
        await send(topic, [encode(recent[0]), encode(later)])
        await eventually(lambda: _has(seen_b, 9), timeout=60, message="the new event applied")
        await asyncio.sleep(1.5)  # and nothing more arrives
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=30)
    everything = Counter(e.id for e in [*old, *recent, later])
    assert Counter(seen_a) == Counter(seen_b) == everything


async def test_the_bound_is_the_longest_a_topic_keeps_a_record_and_never_while_one_keeps_them_for_ever():
    settings = get_settings()
    await ensure_topics(settings)
    month = await _topic({"retention.ms": str(30 * DAY_MS), "segment.ms": str(DAY_MS)})
    week = await _topic({"retention.ms": str(7 * DAY_MS), "segment.ms": str(7 * DAY_MS)})
    assert await retention.kafka_lifetime(settings, [month, week]) == dt.timedelta(days=31)
    assert await retention.kafka_lifetime(settings, [week, f"{week}-missing"]) == dt.timedelta(days=14)
    for configs in ({"retention.ms": "-1"}, {"cleanup.policy": "compact"}):
        assert await retention.kafka_lifetime(settings, [week, await _topic(configs)]) is None

    # the platform's topics (the broker's defaults here): the setting, or their lifetime and a day
    lifetime = await retention.kafka_lifetime(settings, [f"{settings.kafka_topic_prefix}{s}" for s in ("usage",)])
    assert lifetime is not None
    keep = await retention.marker_keep(settings)
    assert keep == max(dt.timedelta(days=14), lifetime + dt.timedelta(days=1))
    longer = msgspec.structs.replace(settings, processed_event_keep_days=400)
    assert await retention.marker_keep(longer) == dt.timedelta(days=400)


async def test_nothing_is_pruned_when_kafka_cannot_say_how_long_it_keeps_records():
    away = msgspec.structs.replace(get_settings(), kafka_bootstrap="127.0.0.1:1")
    assert await asyncio.wait_for(retention.prune_expired_markers(away), timeout=60) is None


async def test_the_job_prunes_with_the_bound_and_keeps_what_is_recent():
    """The hourly job (ops.marker_cleanup): a marker just written stays."""
    from govstat.ops.jobs import MarkerCleanupArgs, marker_cleanup
    from govstat.platform.root.catalog import CATALOG
    from govstat.platform.root.processes import worker_settings

    crons = {c.name for c in worker_settings(get_settings(), CATALOG)["cron_jobs"]}
    assert "cron:ops.marker_cleanup" in crons  # the worker runs it every hour

    event = uuid.uuid4()
    await _sql("INSERT INTO processed_event (consumer, event_id) VALUES ('retention-job', $1)", event)
    deleted = await marker_cleanup(None, MarkerCleanupArgs(job_id="test"))  # type: ignore[arg-type]
    assert deleted >= 0
    assert await _sql("SELECT 1 FROM processed_event WHERE consumer = 'retention-job' AND event_id = $1", event)


async def _has(seen: list, n: int) -> bool:
    return len(seen) >= n
