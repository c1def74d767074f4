"""PLAT-4: metrics in Prometheus text; one trace from the request that made an event to its consumer."""

import asyncio
import uuid

from opentelemetry import trace

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.audit import audit
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.relay import run_relay
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from govstat.platform.telemetry import setup_telemetry, tracer
from tests.support.eventually import eventually


async def test_metrics_endpoint_speaks_prometheus(client):
    await client.get("/api/area/codes", params={"limit": 1})
    r = await client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    assert "# TYPE" in r.text and "python_gc_objects_collected_total" in r.text


class TraceCatcher(Consumer):
    name = "test-trace"
    topic_suffixes = ("audit",)

    def __init__(self, marker: str) -> None:
        super().__init__()
        self.marker, self.seen = marker, {}

    async def handle(self, uow, event) -> None:
        if event.payload.target_id == self.marker:
            self.seen["trace_id"] = trace.get_current_span().get_span_context().trace_id


async def test_trace_context_travels_through_kafka():
    setup_telemetry("test")
    marker = uuid.uuid4().hex
    with tracer().start_as_current_span("request") as span:
        trace_id = span.get_span_context().trace_id
        async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
            await audit(uow, "test.trace", tenant_id=None, target_id=marker)
    settings = get_settings()
    stop = asyncio.Event()
    catcher = TraceCatcher(marker)
    tasks = [asyncio.create_task(run_relay(settings, stop)), asyncio.create_task(catcher.run(settings, stop))]
    try:
        await eventually(lambda: _seen(catcher), timeout=60, message="the traced event")
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert catcher.seen["trace_id"] == trace_id


async def _seen(catcher):
    return catcher.seen or None
