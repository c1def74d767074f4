"""PLAT-3 end to end: the SLA's alert leaves through the outbox, the relay puts it on Kafka, and the
incident consumer (Consumer.run, as in `govstat monitor`) opens the incident; the clear follows the same
way. The incident's own events travel the same topic and are consumed without opening anything.

Other test sessions may stop and restart Kafka for a few seconds: every wait here is generous.
"""

import asyncio
import datetime as dt
import uuid

import pytest

from govstat.ops.incidents import service
from govstat.ops.incidents.consumers import IncidentConsumer
from govstat.ops.incidents.schemas import TransitionIn
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import IncidentPayload, decode, new_event
from govstat.platform.events.relay import run_relay
from govstat.platform.events.topics import ensure_topics
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.support.eventually import eventually

SYSTEM = Scope.system("test-incidents-kafka")


@pytest.fixture
async def pipeline():
    settings = get_settings()
    for _attempt in range(30):  # Kafka may be restarting under another session's test
        try:
            await ensure_topics(settings)
            break
        except Exception:
            await asyncio.sleep(2)
    stop = asyncio.Event()
    tasks = [
        asyncio.create_task(run_relay(settings, stop)),
        asyncio.create_task(IncidentConsumer(CATALOG).run(settings, stop)),
    ]
    yield
    stop.set()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=60)


async def raise_alert(ref: str, state: str) -> uuid.UUID:
    """What gateway/sla/alerts.py does: the IncidentPayload into the outbox, in its transaction."""
    event = new_event(
        IncidentPayload(
            incident_id=ref,
            module="area",
            state=state,
            severity="major",
            title="標準地域コード管理システム：エラー予算を消費中（6h/30m）/ Standard area codes: error budget burning (6h/30m)",
            detail={"rule": "6h/30m", "factor": 6.0, "started_at": dt.datetime.now(dt.UTC).isoformat()},
        ),
        None,
    )
    async with UnitOfWork(SYSTEM) as uow:
        await uow.record(event)
    return event.id


async def incident_of(ref: str):
    async with UnitOfWork(SYSTEM) as uow:
        row = await uow.fetchrow(
            "SELECT i.id, i.state FROM incident_alert a JOIN incident i ON i.id = a.incident_id"
            " WHERE a.external_ref = $1",
            ref,
        )
    return dict(row) if row else None


async def processed(event_ids: list[uuid.UUID]) -> bool:
    async with UnitOfWork(SYSTEM) as uow:
        n = await uow.fetchval(
            "SELECT count(*) FROM processed_event WHERE consumer = $1 AND event_id = ANY($2::uuid[])",
            IncidentConsumer.name,
            event_ids,
        )
    return n == len(event_ids)


async def test_an_alert_through_kafka_opens_the_incident_and_its_clear_moves_it_on(pipeline):
    ref = str(uuid.uuid4())
    detected = await raise_alert(ref, "detected")
    incident = await eventually(lambda: incident_of(ref), timeout=120, message="incident opened from Kafka")
    assert incident["state"] == "detected"
    assert await processed([detected])

    # the incident's own 'detected' event came back on the same topic: consumed, nothing opened
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch("SELECT id, payload FROM outbox WHERE kind = 'incident'")
    own = [r["id"] for r in rows if decode(bytes(r["payload"])).payload.incident_id == str(incident["id"])]
    assert own
    await eventually(lambda: processed(own), timeout=120, message="own events consumed")

    cleared = await raise_alert(ref, "monitoring")
    await eventually(lambda: _state_is(ref, "monitoring"), timeout=120, message="incident moved to monitoring")
    assert await processed([cleared])
    again = await raise_alert(ref, "detected")  # the alert's id again: still one incident
    await eventually(lambda: processed([again]), timeout=120, message="the repeated alert consumed")
    async with UnitOfWork(SYSTEM) as uow:
        assert await uow.fetchval("SELECT count(*) FROM incident_alert WHERE external_ref = $1", ref) == 1
        assert await uow.fetchval("SELECT count(*) FROM incident WHERE detail->>'alert' = $1", ref) == 1

    async with UnitOfWork(Scope(role="operator", actor="test")) as uow:  # area operational for later tests
        await service.transition(uow, CATALOG, incident["id"], TransitionIn(to="recovered"))


async def _state_is(ref: str, state: str) -> bool:
    incident = await incident_of(ref)
    return bool(incident and incident["state"] == state)
