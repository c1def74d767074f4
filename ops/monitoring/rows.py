"""Rows of the monitoring read models' queries (msgspec Structs; issue 9: never dicts)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from govstat.platform.events import health


class UsageMinuteSum(msgspec.Struct, kw_only=True):
    """Calls of one series (a module or a tenant's code) in one minute."""

    minute: dt.datetime
    series: str
    calls: int
    errors: int
    units: int


# the event pipeline's rows, as the platform's read interface answers them
ConsumerLag = health.ConsumerLag
DeadLetterCount = health.DeadLetterCount
DeadLetterRow = health.DeadLetter
DetachedReadModel = health.DetachedReadModel


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
