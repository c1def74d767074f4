"""Pruning the duplicate markers (`processed_event`, events/markers.py), which nothing else deletes.

A marker only has to outlive every possible redelivery of its event. Its event reaches a consumer
again only (1) from Kafka: a rewind, a group reset or a new group reads the record while the topic
still holds it; (2) from the relay, which sends an outbox row again until it is marked published;
(3) from the drainer (events/direct.py), which sends a stream batch again until its outbox write
commits, seconds later while `govstat relay` runs. So a marker is deleted only when

- it was written more than KEEP ago, KEEP the longer of `processed_event_keep_days` and the
  longest a record of the platform's topics can stay in Kafka plus a day: the topic's retention.ms
  plus its segment.ms (Kafka deletes whole segments, and the newest may stay open that long before
  it rolls). The record was sent before the marker was written, so it is gone by then;
- and its event has no unpublished outbox row (2).

A topic that keeps records for ever (retention.ms -1, or compaction) keeps the markers for ever;
when Kafka cannot say, nothing is deleted that run. What is left out is a relay process stopped for
longer than KEEP with a batch sent to Kafka and not yet in the outbox (3): keep the setting well
above any outage you would let pass without a restart (the default: 14 days, Kafka's 7-day
retention plus a 7-day segment).

The rows are walked in the order of their id (assigned when written, as processed_at is: the two
differ by one transaction's length), in batches of BATCH, each its own short transaction with a
statement and lock timeout, until a batch holds no marker old enough: no index on processed_at
(markers are half a consumer's writes) and no lock held beyond a batch's rows. No advisory lock is
taken: the markers' locks (events/markers.py) order the writers of one read model's markers, and a
marker old enough to go is one no writer will look for again. `marker_activity` rows of marker
names quiet since before the cutoff go too (their markers have gone; a name that marks again makes
its row again).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence

import msgspec
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from aiokafka.errors import UnknownTopicOrPartitionError, for_code

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.topics import all_topics
from govstat.platform.security import Scope
from govstat.platform.settings import Settings

log = logging.getLogger("govstat.retention")
MARGIN = dt.timedelta(days=1)  # clocks of the relay, Kafka and the database; Kafka's 5-minute checks
BATCH = 5000
STATEMENT_TIMEOUT_MS = 5000
LOCK_TIMEOUT = "SELECT set_config('lock_timeout', '1000', true)"  # a marker row held by another: wait 1 s at most
RUN_SECONDS = 300.0  # a run stops after this long (under the job's 600 s); the next one goes on
LOG_EVERY_S = 10.0
_CONFIGS = ("retention.ms", "segment.ms", "cleanup.policy")

PRUNE = """
WITH batch AS (SELECT id, event_id, processed_at FROM processed_event WHERE id > $1 ORDER BY id LIMIT $2),
gone AS (
  DELETE FROM processed_event p USING batch b
  WHERE p.id = b.id AND b.processed_at < $3
    AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = b.event_id AND o.published_at IS NULL)
  RETURNING 1
)
SELECT (SELECT max(id) FROM batch) AS last, (SELECT count(*) FROM gone) AS deleted,
       (SELECT count(*) FROM batch WHERE processed_at < $3) AS old
"""


class Pruned(msgspec.Struct, kw_only=True):
    markers: int = 0
    activity: int = 0
    batches: int = 0
    finished: bool = True  # False: the run stopped at RUN_SECONDS with old markers left


def _unit_of_work() -> UnitOfWork:
    return UnitOfWork(Scope.system("marker-retention"), statement_timeout_ms=STATEMENT_TIMEOUT_MS)


async def kafka_lifetime(settings: Settings, topics: Sequence[str]) -> dt.timedelta | None:
    """The longest a record of `topics` can stay in Kafka (retention.ms + segment.ms); None: for
    ever. Raises when Kafka does not answer (request timeout 10 s)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        (response,) = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, t, dict.fromkeys(_CONFIGS)) for t in topics]
        )
    finally:
        await admin.close()
    longest = dt.timedelta(0)
    for error_code, _message, _type, name, entries, *_ in response.resources:
        if for_code(error_code) is UnknownTopicOrPartitionError:
            continue  # no such topic: it holds nothing to deliver again
        if error_code:
            raise for_code(error_code)(f"describing topic {name}")
        config = {e[0]: e[1] for e in entries}
        retention, segment = int(config["retention.ms"]), int(config["segment.ms"])
        if retention < 0 or "compact" in config["cleanup.policy"]:
            return None
        longest = max(longest, dt.timedelta(milliseconds=retention + segment))
    return longest


async def marker_keep(settings: Settings) -> dt.timedelta | None:
    """How long markers are kept: the setting, or Kafka's longest record life and a day if longer;
    None: for ever."""
    lifetime = await kafka_lifetime(settings, all_topics(settings))
    if lifetime is None:
        return None
    return max(dt.timedelta(days=settings.processed_event_keep_days), lifetime + MARGIN)


async def prune_markers(before: dt.datetime, *, batch: int = BATCH, run_seconds: float = RUN_SECONDS) -> Pruned:
    """Delete the markers written before `before` whose events have no unpublished outbox row, and
    the activity of names quiet since then; logged as it goes."""
    done, last, started, logged = Pruned(), 0, time.monotonic(), time.monotonic()
    while True:
        if time.monotonic() - started > run_seconds:
            done.finished = False
            break
        async with _unit_of_work() as uow:
            await uow.fetchval(LOCK_TIMEOUT)
            row = await uow.fetchrow(PRUNE, last, batch, before)
        assert row is not None  # an aggregate's one row
        done.batches += 1
        done.markers += row["deleted"]
        if row["last"] is None or row["old"] == 0:
            break
        last = row["last"]
        if time.monotonic() - logged >= LOG_EVERY_S:
            logged = time.monotonic()
            log.info("markers: %d deleted so far in %d batches (up to row %d)", done.markers, done.batches, last)
    async with _unit_of_work() as uow:
        await uow.fetchval(LOCK_TIMEOUT)
        status = await uow.execute("DELETE FROM marker_activity WHERE last_at < $1", before)
    done.activity = int(status.split()[-1])
    log.info(
        "markers written before %s: %d deleted in %d batches, %d idle names' activity%s",
        before.isoformat(timespec="seconds"),
        done.markers,
        done.batches,
        done.activity,
        "" if done.finished else f"; stopped after {run_seconds:.0f} s, the next run goes on",
    )
    return done


async def prune_expired_markers(settings: Settings) -> Pruned | None:
    """The retention job's work: markers older than marker_keep(); None when none may go (Kafka
    keeps records for ever) or Kafka cannot say how long it keeps them."""
    try:
        keep = await marker_keep(settings)
    except Exception as exc:
        log.warning("markers: not pruned this time, Kafka's retention is unknown (%s: %s)", type(exc).__name__, exc)
        return None
    if keep is None:
        log.info("markers: kept, a topic keeps its records for ever (retention.ms -1 or compaction)")
        return None
    async with _unit_of_work() as uow:
        before = await uow.fetchval("SELECT now() - $1::interval", keep)
    return await prune_markers(before)


__all__ = ["Pruned", "kafka_lifetime", "marker_keep", "prune_expired_markers", "prune_markers"]
