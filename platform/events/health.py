"""The event pipeline's state as the operator's dashboards read it: consumer lag, the outbox
backlog, the dead letters and the read models detached from their shared group (events/detach.py). The platform's read interface for operations (docs/decisions/0010):
ops never names consumer_lag, outbox or dead_letter."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

import msgspec

from govstat.platform.db.uow import UnitOfWork

READS_FOR_OTHERS = True


class ConsumerLag(msgspec.Struct, kw_only=True):
    consumer: str
    lag: decimal.Decimal  # summed over the partitions; sum(bigint) is numeric: the API answers it as a string
    measured_at: dt.datetime


class Backlog(msgspec.Struct, kw_only=True):
    pending: int  # events not yet published to Kafka
    oldest_seconds: float  # age of the oldest of them (0: none)
    total: int


class _Backlog(msgspec.Struct):
    pending: int
    total: int
    oldest_s: float | None


class DeadLetterCount(msgspec.Struct, kw_only=True):
    consumer: str
    n: int
    latest: dt.datetime


class DeadLetter(msgspec.Struct, kw_only=True):
    id: int
    created_at: dt.datetime
    consumer: str
    topic: str
    partition: int
    kafka_offset: int
    event_id: uuid.UUID | None = None
    attempts: int
    error: str  # its first 300 characters
    replayed_at: dt.datetime | None = None  # put back by the operator (events/replay.py)
    replayed_by: str | None = None
    outcome: str | None = None  # of the last replay: requeued, applied, duplicate, failed


class DetachedReadModel(msgspec.Struct, kw_only=True):
    read_model: str
    shared_group: str
    reason: str
    detached_at: dt.datetime


async def detached_read_models(uow: UnitOfWork) -> list[DetachedReadModel]:
    """Read models running apart from their shared group now (events/detach.py)."""
    return await uow.rows(
        DetachedReadModel,
        "SELECT read_model, shared_group, reason, detached_at FROM read_model_detached"
        " WHERE rejoined_at IS NULL ORDER BY detached_at",
    )


async def consumer_lag(uow: UnitOfWork) -> list[ConsumerLag]:
    return await uow.rows(
        ConsumerLag,
        "SELECT consumer, sum(lag) AS lag, max(measured_at) AS measured_at FROM consumer_lag"
        " GROUP BY consumer ORDER BY consumer",
    )


async def outbox_backlog(uow: UnitOfWork) -> Backlog:
    row = await uow.one(
        _Backlog,
        "SELECT count(*) FILTER (WHERE published_at IS NULL) AS pending, count(*) AS total,"
        " extract(epoch FROM now() - min(created_at) FILTER (WHERE published_at IS NULL)) AS oldest_s"
        " FROM outbox",
    )
    return Backlog(pending=row.pending, oldest_seconds=float(row.oldest_s or 0), total=row.total)


async def purge_outbox(uow: UnitOfWork, keep_days: int) -> int:
    """Delete relayed events older than keep_days (Kafka and the read models hold them); how many."""
    status = await uow.execute("DELETE FROM outbox WHERE published_at < now() - make_interval(days => $1)", keep_days)
    return int(status.split()[-1])


async def dead_letter_counts(uow: UnitOfWork) -> list[DeadLetterCount]:
    """The open dead letters (not replayed) per consumer."""
    return await uow.rows(
        DeadLetterCount,
        "SELECT consumer, count(*) AS n, max(created_at) AS latest FROM dead_letter WHERE replayed_at IS NULL"
        " GROUP BY consumer ORDER BY consumer",
    )


async def latest_dead_letters(
    uow: UnitOfWork, limit: int, *, consumer: str | None = None, replayed: bool = True
) -> list[DeadLetter]:
    """The latest dead letters (of one consumer; without the replayed ones unless `replayed`)."""
    return await uow.rows(
        DeadLetter,
        "SELECT id, created_at, consumer, topic, partition, kafka_offset, event_id, attempts,"
        " left(error, 300) AS error, replayed_at, replayed_by, outcome FROM dead_letter"
        " WHERE ($2::text IS NULL OR consumer = $2) AND ($3 OR replayed_at IS NULL)"
        " ORDER BY created_at DESC, id DESC LIMIT $1",
        limit,
        consumer,
        replayed,
    )
