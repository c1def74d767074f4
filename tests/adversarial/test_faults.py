"""Faults under load (adversarial): on a private PostgreSQL, Redis and Kafka, real app, worker, relay
and monitor processes serve a metered load while Kafka, Redis and PostgreSQL are killed (kill -9) and
restarted in turn, then the worker and an app process. Nothing answered is lost or doubled, the
invoice is what the answered calls cost, and the app that was never restarted recovers by itself.

Reproduce: GOVSTAT_TEST_DB=... GOVSTAT_TEST_REDIS_DB=... pytest -s tests/adversarial/test_faults.py
(figures printed with -s; docs/reliability.md "Faults under load")."""

import asyncio
import datetime as dt
import time

import httpx
import pytest

from govstat.platform.events.envelope import AuditPayload, decode, encode, new_event
from tests.adversarial.faults_support import Load, connect, db_ready, error_lines, metric, setup_tenant
from tests.support.private_stack import PrivateStack
from tests.support.server import AppProcess, free_port

pytestmark = pytest.mark.timeout(900)
JST = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    s = PrivateStack()
    try:
        s.up()
        yield s
    finally:
        s.keep_logs(tmp_path_factory.mktemp("stack-logs"))
        s.down()


def _process(stack: PrivateStack, command: str, log, **env: str) -> AppProcess:
    return AppProcess(command=command, env=stack.env(GOVSTAT_LOG_LEVEL="INFO", **env), log=log)


async def _record_audit(stack: PrivateStack, marker: str, n: int) -> None:
    conn = await connect(stack)
    try:
        for i in range(n):
            event = new_event(AuditPayload(action="test.outage", actor="test", target_id=f"{marker}-{i}"))
            await conn.execute(
                "INSERT INTO outbox (id, kind, topic_suffix, payload) VALUES ($1, 'audit', 'audit', $2)",
                event.id,
                encode(event),
            )
    finally:
        await conn.close()


async def _audit_count(stack: PrivateStack, marker: str) -> int:
    conn = await connect(stack)
    try:
        return await conn.fetchval(
            "SELECT count(DISTINCT event_id) FROM audit_log WHERE target_id LIKE $1", f"{marker}-%"
        )
    finally:
        await conn.close()


async def _until(check, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while True:
        last = await check()
        if last:
            return last
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} not reached in {timeout}s (last: {last!r})")
        await asyncio.sleep(0.5)


async def test_a_kafka_outage_is_logged_once_counted_and_waited_out(stack, tmp_path):
    """Kafka stopped for ~18 s under relay and monitor (eight consumers): a handful of log lines (it was
    hundreds of ERROR lines a minute from the reconnect loops), the outage counted at /metrics, and the
    events written meanwhile arrive after Kafka is back."""
    metrics_port = free_port()
    relay = _process(stack, "relay", tmp_path / "relay.log", GOVSTAT_METRICS_PORT=str(metrics_port)).start()
    monitor = _process(stack, "monitor", tmp_path / "monitor.log").start()
    marker = f"outage{time.monotonic_ns()}"
    try:
        await _record_audit(stack, marker + "a", 5)
        await _until(lambda: _is(_audit_count(stack, marker + "a"), 5), 120, "events before the outage")
        before = [len(error_lines(tmp_path / f)) for f in ("relay.log", "monitor.log")]
        began = time.monotonic()
        await asyncio.to_thread(stack._script, "kafka", "stop")
        await _record_audit(stack, marker + "b", 10)  # written while Kafka is away
        await asyncio.sleep(max(0.0, 18 - (time.monotonic() - began)))
        await asyncio.to_thread(stack.start, "kafka")
        outage = time.monotonic() - began
        await _until(lambda: _is(_audit_count(stack, marker + "b"), 10), 120, "events after the outage")
        assert relay.proc.poll() is None and monitor.proc.poll() is None

        async def outage_closed() -> str:
            # the outage ends when every loop that saw it has succeeded again (the relay, its Kafka probe):
            # on a loaded machine that can be a moment after the events arrived
            text = (await asyncio.to_thread(httpx.get, f"http://127.0.0.1:{metrics_port}/metrics", timeout=5)).text
            return text if metric(text, "govstat_backing_service_outage_seconds_total", service="kafka") > 0 else ""

        text = await _until(outage_closed, 60, "the outage's end counted at /metrics")
    finally:
        relay.stop()
        monitor.stop()
    assert metric(text, "govstat_backing_service_outages_total", service="kafka") >= 1
    assert metric(text, "govstat_backing_service_outage_seconds_total", service="kafka") > 5
    errors = {f: error_lines(tmp_path / f)[b:] for f, b in zip(("relay.log", "monitor.log"), before, strict=False)}
    lines = {f: len((tmp_path / f).read_text().splitlines()) for f in errors}
    print(
        f"\nKafka outage {outage:.0f} s: ERROR lines { ({f: len(e) for f, e in errors.items()}) },"
        f" all log lines {lines}"
    )
    assert len(errors["relay.log"]) <= 3, errors["relay.log"]
    assert len(errors["monitor.log"]) <= 8, errors["monitor.log"]
    assert sum(lines.values()) < 150, lines


async def _is(awaitable, expected):
    value = await awaitable
    return value if value == expected else None


async def test_faults_under_load_lose_and_double_nothing(stack, tmp_path):
    tenant = setup_tenant(stack)
    app1, app2 = (AppProcess(port=free_port()) for _ in range(2))
    env = stack.env(GOVSTAT_BASE_URL=app1.url)
    for app, name in ((app1, "app1"), (app2, "app2")):
        app.env, app.log = env, tmp_path / f"{name}.log"
    worker, relay, monitor = (
        AppProcess(command=c, env=env, log=tmp_path / f"{c}.log") for c in ("worker", "relay", "monitor")
    )
    processes = [app1, app2, worker, relay, monitor]
    for p in processes:
        p.start()
    app1_pid = app1.proc.pid
    load = Load([app1.url, app2.url], tenant)
    phases: list[dict] = []
    began = time.monotonic()

    async def phase(name: str, fault, recover, hold: float = 3.0) -> None:
        at = load.snapshot()
        t0 = time.monotonic()
        print(f"{time.strftime('%H:%M:%S')} {name}", flush=True)
        await asyncio.to_thread(fault)
        await asyncio.sleep(hold)
        await asyncio.to_thread(recover)
        await asyncio.sleep(3)
        after = load.snapshot()
        phases.append(
            {
                "fault": name,
                "seconds": round(time.monotonic() - t0, 1),
                **{k: after.get(k, 0) - at.get(k, 0) for k in after},
            }
        )

    def restart(p: AppProcess):
        return lambda: p.start(timeout=60)

    load.start()
    try:
        try:
            await asyncio.sleep(3)
            await phase("kafka kill -9", lambda: stack.kill9("kafka"), lambda: stack.start("kafka"))
            await phase("redis kill -9", lambda: stack.kill9("redis"), lambda: stack.start("redis"))
            await phase("postgres kill -9", lambda: stack.kill9("postgres"), lambda: stack.start("postgres"))
            await _until(lambda: _answers(app1.url, tenant, load), 60, "app1 answering after PostgreSQL came back")
            await phase("worker kill -9", worker.kill, restart(worker), hold=1.0)
            await phase("app kill -9", app2.kill, restart(app2), hold=2.0)
            await asyncio.sleep(2)
        finally:
            await load.stop()
            print(load.snapshot(), phases, flush=True)
        # The app that was never restarted answers normally; the long-running processes never exited.
        assert app1.proc.pid == app1_pid and app1.proc.poll() is None
        assert await _answers(app1.url, tenant, load)
        assert [p.proc.poll() for p in (relay, monitor)] == [None, None]
        assert worker.proc.poll() is None
        await db_ready(stack)
        # calls app2 answered just before its kill -9 may have left only their open records (a completion
        # waits up to wire.LAZY_S to ride with a write): the relay's sweep bills them once app2's
        # heartbeat has expired (~12 s), well inside the wait below
        state: dict = {}
        try:
            usage = await _until(lambda: _drained(stack, tenant, load, state), 150, "every answered call billed")
        except AssertionError as exc:
            raise AssertionError(f"{exc}: {state}") from None
        duplicates = usage["events"] - len(set(usage["keys"]))
        lost = set(load.answered) - set(usage["keys"])
        assert duplicates == 0 and lost == set(), (duplicates, len(lost))
        assert set(usage["keys"]) - set(load.answered) <= set(load.unsure)  # served, answer cut off by a kill
        assert usage["billable_units"] == len(set(usage["keys"]))  # applied once each
        audit = await _audit_of_writes(stack, load.written)
        assert audit == {"rows": len(load.written), "events": len(load.written)}  # no write's event lost or doubled
        assert usage["dead_letters"] == 0
    finally:
        for p in processes:
            p.stop()
    # The invoice, computed afterwards, is what the answered calls cost.
    period = dt.datetime.now(JST).strftime("%Y-%m")
    stack.govstat("billing", "run", "--period", period, "--tenant", tenant["code"])
    invoice = await _invoice(stack, tenant, period)
    units = usage["billable_units"]
    assert invoice["usage"] == [("area.search", units, 3 * units)]
    assert invoice["total"] == 10_000 + 3 * units
    total = time.monotonic() - began
    answered = len(load.answered) + len(load.written)
    print(
        f"\nfaults under load: {load.sent} calls, {answered} answered ({len(load.answered)} metered reads,"
        f" {len(load.written)} writes), {len(load.unsure)} cut off; lost 0, doubled 0; {total:.0f} s"
    )
    for p in phases:
        print("  ", p)
    print(f"   invoice {invoice['total']} yen = 10000 + 3 x {units}")


async def _answers(url: str, tenant: dict, load: Load):
    """One metered read (counted with the load's, so that billing must match it too)."""
    key = f"{load.tag}-check-{time.monotonic_ns()}"
    try:
        async with httpx.AsyncClient(timeout=5) as c:
            r = await c.get(
                f"{url}/api/area/codes",
                params={"limit": 1},
                headers={"x-api-key": tenant["token"], "idempotency-key": key},
            )
        if r.status_code < 300:
            load.answered.append(key)
        else:
            print("app1:", r.status_code, r.text[:300], flush=True)
        return r.status_code == 200
    except httpx.HTTPError as exc:
        load.unsure.append(key)
        print("app1:", repr(exc), flush=True)
        return False


async def _drained(stack: PrivateStack, tenant: dict, load: Load, state: dict):
    """Consistent once the Redis stream and the outbox are empty and billing has every usage event."""
    conn = await connect(stack)
    try:
        pending = await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        rows = await conn.fetch(
            "SELECT payload FROM outbox WHERE kind = 'usage' AND tenant_id = $1", _uuid(tenant["tenant_id"])
        )
        units = await conn.fetchval(
            "SELECT coalesce(sum(units), 0) FROM billable_usage WHERE tenant_id = $1"
            " AND module_key = 'area' AND operation = 'area.search'",
            _uuid(tenant["tenant_id"]),
        )
        dead = await conn.fetchval("SELECT count(*) FROM dead_letter")
    finally:
        await conn.close()
    keys = []
    for r in rows:
        p = decode(r["payload"]).payload
        if p.idempotency_key.startswith(load.tag) and p.status < 400 and p.operation == "area.search":
            keys.append(p.idempotency_key)
    missing = set(load.answered) - set(keys)
    state.update(
        pending=pending,
        events=len(keys),
        distinct=len(set(keys)),
        billable_units=units,
        answered=len(load.answered),
        missing=len(missing),
        missing_sample=sorted(missing)[:5],
        dead=dead,
    )
    if pending or missing or units != len(set(keys)):
        return None
    return {"keys": keys, "events": len(keys), "billable_units": units, "dead_letters": dead}


async def _audit_of_writes(stack: PrivateStack, key_ids: list[str]) -> dict:
    conn = await connect(stack)
    try:
        row = await conn.fetchrow(
            "SELECT count(*) AS rows, count(DISTINCT event_id) AS events FROM audit_log"
            " WHERE action = 'api_key.created' AND target_id = ANY($1)",
            key_ids,
        )
    finally:
        await conn.close()
    return dict(row)


async def _invoice(stack: PrivateStack, tenant: dict, period: str) -> dict:
    conn = await connect(stack)
    try:
        inv = await conn.fetchrow(
            "SELECT * FROM invoice WHERE tenant_id = $1 AND period = $2", _uuid(tenant["tenant_id"]), period
        )
        lines = await conn.fetch("SELECT * FROM invoice_line WHERE invoice_id = $1 ORDER BY position", inv["id"])
    finally:
        await conn.close()
    return {
        "total": inv["total_yen"],
        "usage": [(r["operation"], r["quantity"], r["amount_yen"]) for r in lines if r["kind"] == "usage"],
    }


def _uuid(value: str):
    import uuid

    return uuid.UUID(value)
