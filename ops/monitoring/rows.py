"""Rows of the monitoring read models' queries (msgspec Structs; issue 9: never dicts)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

import msgspec


class UsageMinuteSum(msgspec.Struct, kw_only=True):
    """Calls of one series (a module or a tenant's code) in one minute."""

    minute: dt.datetime
    series: str
    calls: int
    errors: int
    units: int


class ConsumerLag(msgspec.Struct, kw_only=True):
    consumer: str
    lag: decimal.Decimal  # sum(bigint) is numeric: the API has always answered it as a string
    measured_at: dt.datetime


class OutboxBacklog(msgspec.Struct, kw_only=True):
    pending: int
    oldest_s: float | None


class DeadLetterCount(msgspec.Struct, kw_only=True):
    consumer: str
    n: int
    latest: dt.datetime


class DeadLetterRow(msgspec.Struct, kw_only=True):
    id: int
    created_at: dt.datetime
    consumer: str
    topic: str
    partition: int
    kafka_offset: int
    event_id: uuid.UUID | None
    attempts: int
    error: str  # the first 300 characters


class HourCount(msgspec.Struct, kw_only=True):
    hour: dt.datetime
    action: str
    n: int


class SecurityEventRow(msgspec.Struct, kw_only=True):
    occurred_at: dt.datetime
    action: str
    actor: str
    target_id: str
    detail: dict[str, Any]


class AuditRecord(msgspec.Struct, kw_only=True):
    """One record of the audit log as searches show it (without the chain's previous hash)."""

    seq: int
    occurred_at: dt.datetime
    tenant_id: uuid.UUID | None
    action: str
    actor: str
    actor_kind: str
    target_type: str
    target_id: str
    module: str
    outcome: str
    detail: dict[str, Any]
    hash: str
