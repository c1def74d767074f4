"""GOV-9: synthetic probes against a real running app, a closed port and a server that never answers;
their results are usage events in the outbox (source "probe") that the SLA consumer counts."""

import asyncio
import socket
import uuid

from govstat.gateway.sla.consumers import SlaConsumer
from govstat.gateway.sla.jobs import BURN_RATE_JOB, PROBE_JOB, ProbeArgs
from govstat.gateway.sla.probe import NO_ANSWER, probe_once
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import decode
from govstat.platform.events.relay import run_relay
from govstat.platform.events.topics import ensure_topics
from govstat.platform.jobs.spec import JobContext
from govstat.platform.module import Module
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support.eventually import eventually
from tests.support.server import AppProcess, free_port

SYSTEM = Scope.system("test-sla")


async def _outbox_event(event_id):
    async with UnitOfWork(SYSTEM) as uow:
        row = await uow.fetchrow("SELECT kind, tenant_id, payload FROM outbox WHERE id = $1", event_id)
    assert row is not None and row["kind"] == "usage" and row["tenant_id"] is None
    return decode(bytes(row["payload"]))


async def _probe_counts() -> tuple[int, int]:
    async with UnitOfWork(SYSTEM) as uow:
        row = await uow.fetchrow(
            "SELECT coalesce(sum(calls), 0) AS calls, coalesce(sum(errors), 0) AS errors"
            " FROM sla_minute WHERE module_key = 'area' AND source = 'probe'"
        )
    return int(row["calls"]), int(row["errors"])


def _area(results):
    [area] = [r for r in results if r.module == "area"]
    return area


async def test_probe_of_a_running_app_succeeds_and_of_a_closed_port_fails():
    app = AppProcess().start()
    try:
        # The job as the worker runs it, with GOVSTAT_BASE_URL's value handed over as base_url:
        # every module of the registry that declares a probe path answers.
        statuses = await PROBE_JOB.fn(JobContext({}, catalog=CATALOG), ProbeArgs(job_id="test-probe", base_url=app.url))
        assert statuses == {m.key: 200 for m in CATALOG.subsystems if m.probe} and statuses["area"] == 200
        ok = _area(await probe_once(CATALOG.subsystems, base_url=app.url))
    finally:
        app.stop()
    assert ok.status == 200 and ok.ok and ok.url == f"{app.url}/api/area/codes?limit=1"

    results = await probe_once(CATALOG.subsystems, base_url=f"http://127.0.0.1:{free_port()}", timeout=2)
    assert results and all(r.status == NO_ANSWER and not r.ok and r.error for r in results)
    refused = _area(results)

    good, bad = await _outbox_event(ok.event_id), await _outbox_event(refused.event_id)
    assert (good.payload.source, good.payload.status, good.payload.module) == ("probe", 200, "area")
    assert (bad.payload.source, bad.payload.status, bad.payload.units) == ("probe", NO_ANSWER, 0)

    before = await _probe_counts()
    consumer = SlaConsumer()
    assert await consumer.apply(good) and await consumer.apply(bad)
    assert not await consumer.apply(bad)  # a redelivery counts once
    after = await _probe_counts()
    assert (after[0] - before[0], after[1] - before[1]) == (2, 1)


async def test_a_probe_that_gets_no_answer_in_time_is_an_error():
    silent = socket.socket()  # accepts connections (backlog) but never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        started = asyncio.get_running_loop().time()
        r = _area(
            await probe_once(CATALOG.subsystems, base_url=f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=1)
        )
        assert asyncio.get_running_loop().time() - started < 5
    finally:
        silent.close()
    assert r.status == NO_ANSWER and "timeout" in r.error and r.latency_ms >= 900


def test_the_worker_runs_probe_and_burn_rate_every_minute_and_the_monitor_consumes_usage():
    from govstat.gateway.module import module
    from govstat.platform.root.processes import worker_settings

    crons = {c.name: c for c in worker_settings(get_settings(), CATALOG)["cron_jobs"]}
    assert crons["cron:gateway.probe"].minute == set(range(60))
    assert crons["cron:gateway.burn_rate"].minute == set(range(60))
    assert PROBE_JOB.cron_args().job_id and BURN_RATE_JOB.cron_args().job_id
    [sla] = [c for c in module.consumers if c.name == "gateway-sla"]
    assert sla.topic_suffixes == ("usage",)


async def test_probe_results_travel_through_the_outbox_relay_and_kafka_into_the_sla_read_model():
    """PLAT-3: the same path as request usage: outbox -> relay -> Kafka -> the monitor's gateway-sla consumer."""
    settings = get_settings()
    await ensure_topics(settings)
    key = f"e2e{uuid.uuid4().hex[:8]}"
    target = Module(key=key, name_ja="試験", name_en="test", users="operator", probe="/healthz")
    stop = asyncio.Event()
    tasks = [asyncio.create_task(run_relay(settings, stop)), asyncio.create_task(SlaConsumer().run(settings, stop))]
    try:
        [r] = await probe_once([target], base_url=f"http://127.0.0.1:{free_port()}", timeout=1)
        assert r.status == NO_ANSWER

        async def arrived():
            async with UnitOfWork(SYSTEM) as uow:
                return await uow.fetchrow("SELECT calls, errors, source FROM sla_minute WHERE module_key = $1", key)

        row = await eventually(arrived, timeout=90, message="probe row via Kafka")
        assert (row["calls"], row["errors"], row["source"]) == (1, 1, "probe")
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=30)
