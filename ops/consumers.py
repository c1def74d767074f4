"""Consumers that turn the audit and usage topics into monitoring read models (PLAT-3)."""

from __future__ import annotations

from typing import Any

from govstat.ops import auditlog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import AuditPayload, Envelope, UsagePayload


class AuditLogConsumer(Consumer):
    name = "ops-audit-log"
    topic_suffixes = ("audit",)

    async def handle(self, uow: UnitOfWork, event: Envelope[Any]) -> None:
        if isinstance(event.payload, AuditPayload):
            await auditlog.append(uow, event)


class UsageRollupConsumer(Consumer):
    """Per-minute usage. Late events land in the minute they happened (explicit windows by occurred_at)."""

    name = "ops-usage-rollup"
    topic_suffixes = ("usage",)
    batch_apply = True  # writes only its read model, in the unit of work

    async def handle(self, uow: UnitOfWork, event: Envelope[Any]) -> None:
        p = event.payload
        if not isinstance(p, UsagePayload):
            return
        await uow.execute(
            """INSERT INTO usage_minute AS u (minute, tenant_id, module, operation, principal_kind, calls, errors,
                 client_errors, units, bytes, latency_ms_sum, latency_ms_max)
               VALUES (date_trunc('minute', $1::timestamptz), $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $10)
               ON CONFLICT (minute, tenant_key, module, operation, principal_kind) DO UPDATE SET
                 calls = u.calls + 1, errors = u.errors + excluded.errors,
                 client_errors = u.client_errors + excluded.client_errors, units = u.units + excluded.units,
                 bytes = u.bytes + excluded.bytes, latency_ms_sum = u.latency_ms_sum + excluded.latency_ms_sum,
                 latency_ms_max = greatest(u.latency_ms_max, excluded.latency_ms_max)""",
            event.occurred_at,
            event.tenant_id,
            p.module,
            p.operation,
            p.principal_kind,
            1 if p.status >= 500 else 0,
            1 if 400 <= p.status < 500 else 0,
            p.units,
            p.bytes,
            p.latency_ms,
        )

    async def handle_many(self, uow: UnitOfWork, events: list[Envelope[Any]]) -> None:
        """A batch in one row per minute and key (the same sums as one event at a time)."""
        rows: dict[tuple[Any, ...], list[Any]] = {}
        for event in events:
            p = event.payload
            if not isinstance(p, UsagePayload):
                continue
            key = (event.occurred_at.replace(second=0, microsecond=0), event.tenant_id, p.module, p.operation)
            row = rows.setdefault((*key, p.principal_kind), [0, 0, 0, 0, 0, 0.0, 0.0])
            row[0] += 1
            row[1] += p.status >= 500
            row[2] += 400 <= p.status < 500
            row[3] += p.units
            row[4] += p.bytes
            row[5] += p.latency_ms
            row[6] = max(row[6], p.latency_ms)
        await uow.connection.executemany(
            """INSERT INTO usage_minute AS u (minute, tenant_id, module, operation, principal_kind, calls, errors,
                 client_errors, units, bytes, latency_ms_sum, latency_ms_max)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
               ON CONFLICT (minute, tenant_key, module, operation, principal_kind) DO UPDATE SET
                 calls = u.calls + excluded.calls, errors = u.errors + excluded.errors,
                 client_errors = u.client_errors + excluded.client_errors, units = u.units + excluded.units,
                 bytes = u.bytes + excluded.bytes, latency_ms_sum = u.latency_ms_sum + excluded.latency_ms_sum,
                 latency_ms_max = greatest(u.latency_ms_max, excluded.latency_ms_max)""",
            [(*key, *sums) for key, sums in rows.items()],
        )


CONSUMERS: tuple[type[Consumer], ...] = (AuditLogConsumer, UsageRollupConsumer)
