"""Rows of the SLA queries over sla_minute and sla_alert (msgspec Structs; issue 9: never dicts)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec


class Sums(msgspec.Struct, kw_only=True):
    """Calls, errors and slow calls summed over minutes, with their latency histogram."""

    calls: int = 0
    errors: int = 0
    slow: int = 0
    buckets: list[int] = []


class SourceSums(Sums, kw_only=True):
    module_key: str
    source: str  # request | probe


class DaySums(Sums, kw_only=True):
    module_key: str
    day: dt.date  # in Japan


class TenantSums(Sums, kw_only=True):
    module_key: str
    tenant_key: uuid.UUID  # the nil uuid: no tenant (public callers, probes)
    name_ja: str | None  # None: a tenant the reader may not see, or none


class WindowCounts(msgspec.Struct, kw_only=True):
    """Calls and errors of one module over each burn-rate window, in the order of burn.WINDOWS."""

    module_key: str
    calls: list[int]
    errors: list[int]


class WindowTotal(msgspec.Struct, kw_only=True):
    """Calls and errors of one module over its SLO window."""

    module_key: str
    calls: int
    errors: int


class AlertRow(msgspec.Struct, kw_only=True):
    """A burn-rate alert; resolved_at is None while it is active."""

    id: uuid.UUID
    module_key: str
    rule: str
    severity: str
    started_at: dt.datetime
    resolved_at: dt.datetime | None
    burn_5m: float
    burn_30m: float
    burn_1h: float
    burn_6h: float
    last_burn: dict[str, float]
    evaluated_at: dt.datetime
