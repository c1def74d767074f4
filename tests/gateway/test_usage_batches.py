"""Issue 15 §3: the usage read models take a poll's messages in one transaction (batch_apply) and
count them as one event at a time would, exactly once."""

from types import SimpleNamespace

from govstat.gateway.billing.usage import BillableUsageConsumer
from govstat.gateway.sla.consumers import SlaConsumer
from govstat.ops.consumers import UsageRollupConsumer
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import UsagePayload, encode, new_event
from govstat.platform.security import Scope
from tests.support.factories import make_tenant


async def _figures(tenant_id) -> tuple:
    async with UnitOfWork(Scope.system()) as uow:
        billed = await uow.fetchrow(
            "SELECT sum(calls) AS calls, sum(units) AS units FROM billable_usage WHERE tenant_id = $1", tenant_id
        )
        sla = await uow.fetchrow(
            "SELECT sum(calls) AS calls, sum(errors) AS errors FROM sla_minute WHERE tenant_key = $1", tenant_id
        )
        rolled = await uow.fetchrow(
            "SELECT sum(calls) AS calls, sum(errors) AS errors, sum(client_errors) AS client, sum(units) AS units"
            " FROM usage_minute WHERE tenant_id = $1",
            tenant_id,
        )
    return tuple(billed.values()), tuple(sla.values()), tuple(rolled.values())


async def test_a_batch_counts_as_its_events_one_at_a_time_would_and_only_once():
    t = await make_tenant()
    events = [
        new_event(
            UsagePayload(module="area", operation="area.search", principal_kind="agency", status=s, units=u), t.id
        )
        for s, u in ((200, 10), (200, 5), (404, 1), (503, 1))
    ]
    messages = [SimpleNamespace(value=encode(e), headers=None) for e in events]
    for consumer in (BillableUsageConsumer(), SlaConsumer(), UsageRollupConsumer()):
        assert consumer.batch_apply
        assert await consumer._apply_together(messages)
        assert await consumer._apply_together(messages)  # redelivered: the markers drop it
    billed, sla, rolled = await _figures(t.id)
    assert billed == (2, 15)  # answered calls only
    assert sla == (4, 1)  # 5xx are errors, 4xx the caller's
    assert rolled == (4, 1, 1, 17)


async def _sla_rows(uow, tenant_id) -> list[tuple]:
    rows = await uow.fetch(
        "SELECT module_key, minute, source, calls, errors, slow, latency_buckets FROM sla_minute"
        " WHERE tenant_key = $1 ORDER BY module_key, minute, source",
        tenant_id,
    )
    return [tuple(r.values()) for r in rows]


async def test_summed_batches_write_the_rows_one_event_at_a_time_writes():
    """SLA and billing sum a batch per row key before writing: slow calls (against the module's own
    threshold), histograms, minutes and JST days come out as applying each event alone gives."""
    import datetime as dt
    import uuid

    import msgspec

    one, many = await make_tenant(), await make_tenant()
    module = f"b{uuid.uuid4().hex[:8]}"
    async with UnitOfWork(Scope.system()) as uow:
        await uow.execute("INSERT INTO slo (module_key, latency_threshold_ms) VALUES ($1, 100)", module)
    at = dt.datetime(2026, 12, 1, 14, 59, 30, tzinfo=dt.UTC)  # 23:59 JST: the next minute is another day
    calls = [  # (status, latency ms, units, seconds later, source)
        (200, 40.0, 3, 0, "request"),
        (200, 150.0, 1, 5, "request"),  # slow for this module (100 ms), not for the default 1 s
        (200, 4000.0, 2, 10, "request"),
        (503, 2500.0, 1, 15, "request"),  # an error: counted, never slow, not in the histogram
        (404, 10.0, 1, 40, "request"),  # the next minute, the next JST day; not billed
        (200, 20.0, 5, 45, "request"),
        (200, 500.0, 0, 50, "probe"),
    ]

    def events(tenant):
        return [
            msgspec.structs.replace(
                new_event(
                    UsagePayload(
                        module=module,
                        operation="x.read",
                        principal_kind="agency",
                        status=s,
                        latency_ms=ms,
                        units=u,
                        source=src,
                    ),
                    tenant.id,
                ),
                occurred_at=at + dt.timedelta(seconds=later),
            )
            for s, ms, u, later, src in calls
        ]

    for consumer in (SlaConsumer(), BillableUsageConsumer()):
        for event in events(one):
            assert await consumer.apply(event)
        assert await consumer._apply_together([SimpleNamespace(value=encode(e), headers=None) for e in events(many)])
    async with UnitOfWork(Scope.system()) as uow:
        sla_one, sla_many = await _sla_rows(uow, one.id), await _sla_rows(uow, many.id)
        billed = [
            [
                tuple(r.values())
                for r in await uow.fetch(
                    "SELECT day, module_key, operation, calls, units FROM billable_usage WHERE tenant_id = $1 ORDER BY day",
                    t.id,
                )
            ]
            for t in (one, many)
        ]
    assert sla_many == sla_one
    assert [(r[3], r[4], r[5]) for r in sla_one] == [(4, 1, 2), (1, 0, 1), (2, 0, 0)]  # calls, errors, slow
    assert billed[1] == billed[0] and [(r[3], r[4]) for r in billed[0]] == [(3, 6), (1, 5)]
