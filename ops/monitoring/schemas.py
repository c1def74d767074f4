"""Answers of the monitoring API (msgspec Structs), built from the rows in rows.py."""

from __future__ import annotations

import msgspec

from govstat.ops.monitoring.rows import (
    AuditRecord,
    ConsumerLag,
    DeadLetterCount,
    DeadLetterRow,
    DetachedReadModel,
    HourCount,
    SecurityEventRow,
)
from govstat.platform.events.replay import Replayed


class UsageTotals(msgspec.Struct, kw_only=True):
    calls: int = 0
    errors: int = 0
    units: int = 0


class UsageSeries(msgspec.Struct, kw_only=True):
    """Calls per minute (labels: the minutes, ISO 8601), one series per module or tenant."""

    labels: list[str]
    series: dict[str, list[int]]
    totals: UsageTotals
    group: str


class PipelineHealth(msgspec.Struct, kw_only=True):
    consumers: list[ConsumerLag]
    outbox_pending: int
    outbox_oldest_seconds: float
    dead_letters: int
    usage_stream: int | None = None  # the usage stream's length in Redis; None when Redis does not answer
    detached: list[DetachedReadModel] = []  # read models running apart from their shared group


class DeadLetters(msgspec.Struct, kw_only=True):
    total: int
    per_consumer: list[DeadLetterCount]
    latest: list[DeadLetterRow]


class ReplayedMany(msgspec.Struct, kw_only=True):
    consumer: str
    items: list[Replayed]  # outcome failed: still open, with the new error; refused: unchanged (why: error)


class SecurityEvents(msgspec.Struct, kw_only=True):
    per_hour: list[HourCount]
    latest: list[SecurityEventRow]


class AuditPage(msgspec.Struct, kw_only=True):
    total: int
    items: list[AuditRecord]
