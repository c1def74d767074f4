"""Billing's own read model of usage (GOV-4): billable calls and units per tenant, JST day and operation.

Billing keeps its own model rather than reading ops' per-minute rollup, so that what is
billed depends only on events and on billing's rules. Windows are explicit: an event lands
on the Japanese day it happened (occurred_at), however late it arrives; the consumer base
drops a redelivered event by its id.
"""

from __future__ import annotations

import uuid
from typing import Any

from govstat.gateway.billing.periods import Period, jst_day
from govstat.gateway.billing.rows import UsageRow
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import Envelope, UsagePayload

UPSERT = """
INSERT INTO billable_usage AS u (tenant_id, day, module_key, operation, calls, units)
VALUES ($1, $2, $3, $4, 1, $5)
ON CONFLICT (tenant_id, day, module_key, operation)
DO UPDATE SET calls = u.calls + 1, units = u.units + excluded.units
"""

UPSERT_SUMS = """
INSERT INTO billable_usage AS u (tenant_id, day, module_key, operation, calls, units)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (tenant_id, day, module_key, operation)
DO UPDATE SET calls = u.calls + excluded.calls, units = u.units + excluded.units
"""


def billable(event: Envelope) -> bool:
    """Only a tenant's answered calls are billed: no errors (status >= 400), no synthetic probes."""
    p = event.payload
    return isinstance(p, UsagePayload) and event.tenant_id is not None and p.status < 400 and p.source != "probe"


class BillableUsageConsumer(Consumer):
    name = "gateway-billing-usage"
    topic_suffixes = ("usage",)
    batch_apply = True  # writes only its read model, in the unit of work

    async def handle(self, uow: UnitOfWork, event: Envelope) -> None:
        if not billable(event):
            return
        p = event.payload
        assert isinstance(p, UsagePayload)
        await uow.execute(UPSERT, event.tenant_id, jst_day(event.occurred_at), p.module, p.operation, max(p.units, 0))

    async def handle_many(self, uow: UnitOfWork, events: list[Envelope[Any]]) -> None:
        """A batch's billable calls summed per tenant, JST day and operation first: one row each."""
        sums: dict[tuple[Any, ...], list[int]] = {}
        for e in events:
            if billable(e) and isinstance(e.payload, UsagePayload):
                row = sums.setdefault(
                    (e.tenant_id, jst_day(e.occurred_at), e.payload.module, e.payload.operation), [0, 0]
                )
                row[0] += 1
                row[1] += max(e.payload.units, 0)
        if sums:
            await uow.connection.executemany(UPSERT_SUMS, [(*key, *row) for key, row in sums.items()])


async def usage_in(uow: UnitOfWork, tenant_id: uuid.UUID, period: Period) -> list[UsageRow]:
    """Calls and units per module and operation in a period, for one tenant."""
    return await uow.rows(
        UsageRow,
        "SELECT module_key, operation, sum(calls)::bigint AS calls, sum(units)::bigint AS units"
        " FROM billable_usage WHERE tenant_id = $1 AND day BETWEEN $2 AND $3"
        " GROUP BY module_key, operation ORDER BY module_key, operation",
        tenant_id,
        period.first_day,
        period.last_day,
    )
