"""Issue 15 §5: the operators' replication check on the real primary and its streaming replica.

The replica (ops/services/postgres-replica.sh, as tests/platform/test_replicas.py starts it) holds an
active slot: healthy, no incident. A slot of the test's own, created reserved and left inactive (a
replica that died), keeps WAL from its restart_lsn: past a tiny threshold it raises the incident;
once dropped, the next check clears it. The replica's own slot is never touched.
"""

from __future__ import annotations

import os
import uuid

import asyncpg
import msgspec
import pytest

from govstat.ops.monitoring import replication
from govstat.ops.monitoring.replication import Thresholds
from govstat.platform.db.replication_health import replication_health
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.root.catalog import CATALOG
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from tests.platform.test_replicas import PG_PORT
from tests.support import factories as f
from tests.support.services import SERVICES, run

SYSTEM = Scope.system("test-replication-check")
PRIMARY_SUPER = f"postgresql://postgres:postgres@127.0.0.1:{PG_PORT}/postgres"
REPLICA_SLOT = f"govstat_replica_{int(os.environ.get('GOVSTAT_PG_REPLICA_PORT', PG_PORT + 1))}"
# any WAL an inactive slot keeps fires; the active slot's limits stay the settings' own
TINY = msgspec.structs.replace(Thresholds.of(get_settings()), inactive_max_retained_bytes=1)


@pytest.fixture(scope="module")
async def admin():
    run([str(SERVICES / "postgres-replica.sh"), "start"], timeout=600)
    conn = await asyncpg.connect(PRIMARY_SUPER)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
async def dead_slot(admin):
    """An inactive physical slot of this test's own, reserving WAL from now on."""
    name = f"govstat_test_dead_{uuid.uuid4().hex[:12]}"
    await admin.execute("SELECT pg_create_physical_replication_slot($1, true)", name)
    try:
        yield name
    finally:
        await admin.execute(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1", name
        )


@pytest.fixture
async def incidents():
    """The check's incidents and alerts, closed afterwards so later tests start with none open."""
    yield
    async with UnitOfWork(SYSTEM) as uow:
        await uow.execute(
            "UPDATE incident_alert SET cleared_at = coalesce(cleared_at, now())"
            " WHERE module_key = $1 AND starts_with(external_ref, $2)",
            replication.MODULE_KEY,
            replication.REF_PREFIX,
        )
        await uow.execute(
            "UPDATE incident SET state = 'closed', mitigated_at = coalesce(mitigated_at, now()),"
            " recovered_at = coalesce(recovered_at, now()), closed_at = coalesce(closed_at, now())"
            " WHERE module_key = $1 AND state <> 'closed'",
            replication.MODULE_KEY,
        )


async def run_check(thresholds: Thresholds = TINY) -> replication.Outcome:
    async with UnitOfWork(SYSTEM) as uow:
        return await replication.check(uow, CATALOG, thresholds=thresholds)


async def open_incidents() -> list[dict]:
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch(
            "SELECT id, state, source, title, detail FROM incident WHERE module_key = $1 AND state <> 'closed'",
            replication.MODULE_KEY,
        )
    return [dict(r) for r in rows]


async def write_wal(admin) -> None:
    await admin.execute("SELECT pg_logical_emit_message(false, 'govstat-test', repeat('x', 200))")


async def test_the_replicas_active_slot_and_standby_are_healthy(admin, incidents):
    outcome = await run_check()
    replica_slot = next(s for s in outcome.health.slots if s.slot_name == REPLICA_SLOT)
    assert replica_slot.active and replica_slot.slot_type == "physical"
    # hot_standby_feedback: the standby's xmin (age 0 on an idle cluster: it is the next transaction)
    assert 0 <= replica_slot.xmin_age < TINY.max_xmin_age
    assert outcome.health.standbys_known and outcome.health.standbys, "pg_stat_replication's figures"
    assert any(s.state == "streaming" for s in outcome.health.standbys)
    assert not [f for f in outcome.findings if f.subject == f"slot:{REPLICA_SLOT}"]
    if not outcome.findings:  # (another helper's inactive slot would be a finding of its own)
        assert outcome.action == "none"
        assert await open_incidents() == []


async def test_an_inactive_slot_past_the_threshold_raises_the_incident_and_clearing_resolves_it(
    admin, dead_slot, incidents
):
    await write_wal(admin)
    first = await run_check()
    mine = [f for f in first.findings if f.subject == f"slot:{dead_slot}"]
    assert [f.measure for f in mine] == ["retained_bytes"] and mine[0].value > 1
    assert "非アクティブ" in mine[0].text and "WAL" in mine[0].text
    assert first.action == "started" and first.alert
    [opened] = await open_incidents()
    assert opened["source"] == "check" and opened["state"] == "detected"
    assert dead_slot in opened["detail"]

    again = await run_check()  # still there: the same alert, no second incident
    assert again.action == "active" and again.alert == first.alert
    assert len(await open_incidents()) == 1

    # (immediately_reserve keeps WAL from the last checkpoint's redo on: held bytes well past 0 at once)
    roomy = msgspec.structs.replace(TINY, inactive_max_retained_bytes=int(mine[0].value) * 100)
    async with UnitOfWork(SYSTEM) as uow:
        below = replication.findings(await replication_health(uow, 2000), roomy)
    assert not [f for f in below if f.subject == f"slot:{dead_slot}"]

    await admin.execute("SELECT pg_drop_replication_slot($1)", dead_slot)
    cleared = await run_check()
    if cleared.findings:  # another helper's inactive slot at the same moment: nothing to clear yet
        pytest.skip(f"other findings on the shared cluster: {[f.subject for f in cleared.findings]}")
    assert cleared.action == "resolved"
    [after] = await open_incidents()
    assert after["id"] == opened["id"] and after["state"] == "monitoring"
    async with UnitOfWork(SYSTEM) as uow:
        assert await uow.fetchval(
            "SELECT cleared_at IS NOT NULL FROM incident_alert WHERE external_ref = $1", first.alert
        )


async def test_a_read_past_its_statement_timeout_changes_nothing_and_leaves_the_transaction_usable(admin):
    lock = await asyncpg.connect(PRIMARY_SUPER.rsplit("/", 1)[0] + "/" + get_settings().database_url.rsplit("/", 1)[1])
    try:
        async with lock.transaction():
            # pg_replication_slots is a view: reading it takes its AccessShareLock, which this waits behind
            await lock.execute("LOCK TABLE pg_catalog.pg_replication_slots IN ACCESS EXCLUSIVE MODE")
            async with UnitOfWork(SYSTEM) as uow:
                before = await uow.fetchval("SELECT current_setting('statement_timeout')")
                health = await replication_health(uow, 100)
                assert "QueryCanceled" in health.error and not health.slots
                assert await uow.fetchval("SELECT current_setting('statement_timeout')") == before
                assert await uow.fetchval("SELECT 1") == 1
    finally:
        await lock.close()


async def test_the_operator_reads_the_figures_and_an_agency_may_not(admin, dead_slot, client):
    await f.operator_client_csrf(client)
    r = await client.get("/api/ops/replication")
    assert r.status_code == 200, r.text
    body = r.json()
    slots = {s["slot_name"]: s for s in body["health"]["slots"]}
    assert slots[REPLICA_SLOT]["active"] is True and slots[dead_slot]["active"] is False
    assert (
        slots[dead_slot]["retained_bytes"] > 0
        and body["thresholds"]["timeout_ms"] == get_settings().replication_check_timeout_ms
    )
    assert body["action"] == "none"  # reading the figures raises nothing
    tenant = await f.make_tenant()
    await f.sign_in(client, tenant.admin_login)
    assert (await client.get("/api/ops/replication")).status_code == 403
