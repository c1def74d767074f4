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
