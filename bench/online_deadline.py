"""A survey's deadline day (issue 10 §7): respondents submitting at once through the real app, an app
process killed -9 mid-load, page turns with 300 respondents at once, and what a sign-in costs.

  (a) sign-in: the platform's argon2id parameters (read from a hash it makes), verifications per
      second on one thread and on every core at once (per core), and sign-ins per second through
      the app (`POST /auth/login`, 4 at a time);
  (b) submissions: `govstat serve --workers W` (gateway, session and CSRF, validation from the
      questionnaire, AES-GCM sealing of every answer, the unit's lock, the outbox event) loaded by
      --clients processes of bench/online_clients.py, each respondent re-submitting its unit (each
      a new version) for --seconds, first back to back (what the app can take: the latency is then
      mostly queueing), then an open loop offering --rate submissions/s (arrivals on a fixed schedule,
      each taken by a free one of --open-respondents respondents, latency from the scheduled time, so
      queueing shows; think-time pacing could not offer 200/s from 100 respondents): submissions/s and
      p50/p99 of the answered ones;
  (c) the same again, and half-way through one app process is killed -9 (uvicorn starts another):
      then every receipt number a client got with its 200 is looked up in the database; prints
      lost=N (answers acknowledged but not stored; must be 0);
  (d) page turns: --page-respondents at once, each GETting its form page and POSTing a draft of
      the first section, --page-think seconds of reading and typing between turns: p50/p95 of each.

Goals: (b) 200 submissions/s with p99 under 1 s; (c) lost=0; (d) p95 under 300 ms. Needs a migrated
database with the demo seed (its household questionnaire); makes its own tenant survey and
respondents. Respondents' sessions are minted in Redis as the sign-in route would (the sign-in
itself is measured in (a)); their password hashes are one argon2id hash of a known password,
made once, so that the set-up does not hash hundreds of passwords.

    python bench/online_deadline.py [--workers 2] [--clients 3] [--respondents 100] [--seconds 20]
        [--rate 200] [--open-respondents 300] [--page-respondents 300] [--page-seconds 30] [--page-think 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too
from bench.scaling import _cpu_seconds, _tree_cpu
from bench.summary import figure

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "deadline-day-password"


def argon2_figures(n: int = 12) -> tuple[str, float, float]:
    """(parameters, verifications/s on one thread, verifications/s per core with every core busy)."""
    from argon2 import PasswordHasher

    from govstat.platform import passwords

    stored = asyncio.run(passwords.hash_password(PASSWORD))
    params = stored.split("$")[3]  # m=19456,t=2,p=1 (was m=65536,t=3,p=4): the platform's own hash says
    check = PasswordHasher()

    def run(count: int) -> None:
        for _ in range(count):
            check.verify(stored, PASSWORD)

    started = time.perf_counter()
    run(n)
    one = n / (time.perf_counter() - started)
    cores = os.cpu_count() or 1
    threads = [threading.Thread(target=run, args=(n,)) for _ in range(cores)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return f"argon2id {params}", one, n * cores / (time.perf_counter() - started) / cores


async def roomy(tenant_id: object) -> None:
    """The benchmark measures the app, not the tenant's rate limit: a plan without one."""
    import asyncpg

    from govstat.platform.settings import get_settings

    conn = await asyncpg.connect(get_settings().migration_database_url)
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.role', 'system', true)")
            await conn.execute(
                "INSERT INTO fee_plan (code, name_ja, rate_quota, rate_window_seconds, rate_burst, monthly_base_fee_yen)"
                " VALUES ('bench-roomy', 'ベンチマーク', 10000000, 60, 1000000, 0) ON CONFLICT (code) DO NOTHING"
            )
            await conn.execute("UPDATE tenant SET plan = 'bench-roomy' WHERE id = $1", tenant_id)
    finally:
        await conn.close()


async def setup(n: int) -> tuple[str, list[dict]]:
    """A tenant survey of the demo questionnaire, open now, n respondents with one unit each and a
    signed-in session each: (survey id, [{login, sid, csrf, unit, name}])."""
    import datetime as dt
    import uuid

    from redis.asyncio import Redis

    from govstat.gateway.sessions import SessionData, SessionStore
    from govstat.platform import passwords
    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.settings import get_settings
    from govstat.platform.subsystems.online import respondents, surveys
    from govstat.platform.subsystems.online.schemas import SurveyIn

    known = await passwords.hash_password(PASSWORD)

    async def one_hash(_: str) -> str:
        return known

    respondents.hash_password = one_hash  # type: ignore[assignment]  # the set-up only: see the docstring
    await start_pool()
    try:
        async with UnitOfWork(Scope.system("bench")) as uow:
            mic = await uow.fetchval("SELECT id FROM directory_tenant WHERE code = 'mic'")
            qid = await uow.fetchval("SELECT questionnaire_id FROM online_survey WHERE code = 'hh-2026' LIMIT 1")
        await roomy(mic)
        now = dt.datetime.now(dt.UTC)
        async with UnitOfWork(Scope.tenant(mic, actor="bench")) as uow:
            s = await surveys.create(
                uow,
                SurveyIn(
                    code=f"bench-{uuid.uuid4().hex[:8]}", name_ja="締切日ベンチマーク", opens_at=now - dt.timedelta(hours=1),
                    deadline_at=now + dt.timedelta(hours=2), retention_until=(now + dt.timedelta(days=1)).date(),
                    questionnaire_id=qid, questionnaire_version=1,
                ),
            )  # fmt: skip
            rows = "\n".join(f"B{i:05d},世帯{i},奈良市,29201,,代表{i}" for i in range(n))
            roster = f"respondent_id,unit_name,address,area_code,email,pre:demo_hh_name\n{rows}\n".encode()
            await respondents.import_list(uow, s.id, roster)
            await uow.execute("UPDATE online_respondent SET must_change = false WHERE survey_id = $1", s.id)
            people = await uow.fetch(
                "SELECT r.id, r.login, u.id AS unit, u.unit_name FROM online_respondent r"
                " JOIN online_unit u ON u.respondent_id = r.id WHERE r.survey_id = $1 ORDER BY u.unit_code",
                s.id,
            )
    finally:
        await close_pool()
    settings = get_settings()
    redis = Redis.from_url(settings.redis_url)
    store = SessionStore(redis, settings.session_ttl_seconds)
    out = []
    for p in people:  # what POST /auth/login stores for a respondent (gateway/routes.py)
        data = SessionData(user_id=p["id"], login=p["login"], name=p["login"], roles=["respondent"], tenant_id=mic)
        sid = await store.create(data)
        name = f"代表{p['unit_name'].removeprefix('世帯')}"
        out.append({"login": p["login"], "sid": sid, "csrf": data.csrf, "unit": str(p["unit"]), "name": name})
    await redis.aclose()
    return str(s.id), out


def sign_ins(base: str, people: list[dict], n: int = 16, at_once: int = 4) -> float:
    """Sign-ins per second through the app (argon2id verification included)."""

    async def go() -> float:
        gate = asyncio.Semaphore(at_once)

        async def one(login: str) -> None:
            async with gate, httpx.AsyncClient(base_url=base, timeout=60) as c:
                r = await c.post("/auth/login", json={"login": login, "password": PASSWORD})
                assert r.status_code == 200, r.text

        started = time.perf_counter()
        await asyncio.gather(*(one(p["login"]) for p in people[:n]))
        return min(n, len(people)) / (time.perf_counter() - started)

    return asyncio.run(go())


def serve(workers: int, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "govstat.platform.root", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT,
        env={**os.environ, "GOVSTAT_LOG_LEVEL": "WARNING"},
    )
    for _ in range(300):
        try:
            if (
                httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
                and len(children(server.pid)) >= workers
            ):
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the app did not start")


def children(pid: int) -> list[int]:
    """The app processes uvicorn's supervisor runs (its children other than multiprocessing's helper)."""
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes():
                out.append(int(child))
    return out


def load(
    mode: str,
    base: str,
    people: list[dict],
    clients: int,
    seconds: float,
    kill_from: int = 0,
    think: float = 0,
    rate: float = 0,
) -> list[list]:
    """Run the clients; with kill_from (the server's pid), one app process is killed -9 half-way; with
    rate, submissions arrive on a fixed schedule (mode "open"), the clients' arrivals interleaved."""
    # every client up and every respondent's form read first (an open loop reads them all at once)
    start = time.time() + 3 + len(people) / (10 if rate else 100)
    end = start + seconds
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as tmp:
        procs = []
        for i in range(clients):
            part = Path(tmp, f"in{i}.json")
            part.write_text(json.dumps(people[i::clients]))
            cmd = [sys.executable, str(ROOT / "bench/online_clients.py"), mode, base, str(part), f"{tmp}/out{i}.json"]
            if rate:  # process i's arrivals at start + i/rate + k*clients/rate
                procs.append(subprocess.Popen([*cmd, str(start + i / rate), str(end), str(clients / rate)]))
            else:
                procs.append(subprocess.Popen([*cmd, str(start), str(end), str(think)]))
        if kill_from:
            time.sleep(max(0.0, start + seconds / 2 - time.time()))
            victim = children(kill_from)[0]
            os.kill(victim, signal.SIGKILL)
            print(f"    killed app process {victim} (-9) at {time.time() - start:.1f} s", flush=True)
        for p in procs:
            p.wait()
        if kill_from:
            print(f"    app processes running at the end: {len(children(kill_from))} (uvicorn replaced the killed one)")
        results = []
        for i in range(clients):
            results += json.loads(Path(tmp, f"out{i}.json").read_text())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the client processes, reaped above
    CLIENT_CPU[0] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return [r for r in results if start <= r[1] < end] + [r for r in results if r[1] < start and r[4]]


CLIENT_CPU = [0.0]  # CPU seconds of the last load()'s client processes (set-up and reading forms included)


def db_backends() -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend serving this database (same machine: /proc)."""
    import asyncpg

    from govstat.platform.settings import get_settings

    async def pids() -> list[int]:
        conn = await asyncpg.connect(get_settings().migration_database_url)
        try:
            rows = await conn.fetch("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        finally:
            await conn.close()
        return [r["pid"] for r in rows]

    out = {}
    for pid in asyncio.run(pids()):
        try:
            out[pid] = _cpu_seconds(pid)
        except OSError:
            pass
    return out


class CpuMeter:
    """CPU the app's processes and the database's backends spent on a phase: on a shared machine the
    throughput says what the other sessions left, CPU per request says what a request costs."""

    def __init__(self, server: int) -> None:
        self.server, self.app, self.db = server, _tree_cpu(server), db_backends()

    def per_request(self, n: int) -> tuple[float, float]:
        app = _tree_cpu(self.server) - self.app
        db = sum(v - self.db.get(pid, 0.0) for pid, v in db_backends().items())
        return app * 1000 / max(n, 1), db * 1000 / max(n, 1)


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[max(0, int(len(s) * q + 0.5) - 1)] * 1000 if s else float("nan")


def report_submissions(label: str, results: list[list], seconds: float, cpu: CpuMeter | None = None) -> None:
    timed = [r for r in results if r[0] == "submit"]
    ok = [r for r in timed if r[3] == 200]
    refused = _refused(timed, (200,))
    rate, p99 = len(ok) / seconds, pct([r[2] for r in ok], 0.99)
    print(
        f"(b) {label}: {rate:.1f} submissions/s over {seconds:.0f} s, p50 {pct([r[2] for r in ok], 0.5):.0f} ms,"
        f" p99 {p99:.0f} ms; not 200: {refused or 'none'} (0: no connection)"
    )
    _against_goals(label, rate, p99, cpu, len(ok))


def _refused(timed: list[list], answered: tuple[int, ...]) -> dict[int, int]:
    """How many submissions each other status got, in the order they were first seen (0: no connection)."""
    return dict(Counter(r[3] for r in timed if r[3] not in answered))


def _against_goals(label: str, rate: float, p99: float, cpu: CpuMeter | None, answered: int) -> None:
    """A phase's closing lines: rate and p99 against 200/s within 1 s, its CPU, its summary figures."""
    print(f"    ratio to 200/s: {rate / 200:.2f}; p99 to 1 s: {p99 / 1000:.2f} (under 1 is within)")
    if cpu is not None:
        cpu_figures(label, cpu, answered)
    figure("online_deadline", f"{label}: submissions/s", rate, "/s", ">= 200")
    figure("online_deadline", f"{label}: p99", p99, "ms", "< 1000")


def cpu_figures(label: str, cpu: CpuMeter, n: int) -> None:
    app, db = cpu.per_request(n)
    client = CLIENT_CPU[0] * 1000 / max(n, 1)
    cores = os.cpu_count() or 1
    print(
        f"    CPU per submission: app {app:.1f} ms, PostgreSQL {db:.1f} ms (load generator {client:.1f} ms):"
        f" on {cores} idle cores about {cores * 1000 / (app + db):.0f} submissions/s (app and database sharing"
        f" them), {cores * 1000 / (app + db + client):.0f}/s with the load generator on them too"
    )
    figure("online_deadline", f"{label}: app CPU per submission", app, "ms")
    figure("online_deadline", f"{label}: PostgreSQL CPU per submission", db, "ms")
    figure("online_deadline", f"{label}: load generator CPU per submission", client, "ms")


def report_open(label: str, results: list[list], seconds: float, cpu: CpuMeter | None = None) -> None:
    """An open loop's figures: answered within the phase per second, and latency from the scheduled
    time of every answered arrival (those answered after the phase's end included: a backlog shows)."""
    timed = [r for r in results if r[0] == "submit"]
    start = min((r[1] for r in timed), default=0.0)
    ok = [r for r in timed if r[3] == 200]
    within = [r for r in ok if r[1] + r[2] <= start + seconds]
    unsent = len([r for r in timed if r[3] == -1])
    refused = _refused(timed, (200, -1))
    rate, p99 = len(within) / seconds, pct([r[2] for r in ok], 0.99)
    print(
        f"(b) {label}: {rate:.1f} submissions/s answered within the {seconds:.0f} s, p50 {pct([r[2] for r in ok], 0.5):.0f} ms,"
        f" p99 {p99:.0f} ms from the scheduled time; {unsent} never sent (no respondent free by the end),"
        f" not 200: {refused or 'none'} (0: no connection)"
    )
    _against_goals(label, rate, p99, cpu, len(ok))


async def lost(survey: str, receipts: set[str]) -> tuple[int, int]:
    """(acknowledged but not stored, stored but never acknowledged)."""
    import uuid

    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope

    await start_pool()
    try:
        async with UnitOfWork(Scope.system("bench")) as uow:
            rows = await uow.fetch("SELECT receipt_no FROM online_submission WHERE survey_id = $1", uuid.UUID(survey))
    finally:
        await close_pool()
    stored = {r["receipt_no"] for r in rows}
    return len(receipts - stored), len(stored - receipts)


def page_turns(base: str, people: list[dict], clients: int, seconds: float, think: float) -> None:
    results = load("page", base, people, clients, seconds, think=think)
    turns = [r for r in results if r[0] == "page GET"]
    print(
        f"    {len(turns)} page turns in {seconds:.0f} s, first at +{min(r[1] for r in turns) - min(r[1] for r in results):.1f} s"
        if turns
        else "    no page turns"
    )
    for kind in ("page GET", "draft POST"):
        rs = [r for r in results if r[0] == kind]
        ok = [r[2] for r in rs if r[3] in (200, 303)]
        p95 = pct(ok, 0.95)
        print(
            f"(d) {kind}, {len(people)} respondents at once (think {think:.0f} s): {len(ok) / seconds:.1f}/s, p50 {pct(ok, 0.5):.0f} ms,"
            f" p95 {p95:.0f} ms, failed {len(rs) - len(ok)}; p95 to 300 ms: {p95 / 300:.2f}"
        )
        figure("online_deadline", f"page turn ({kind}, {len(people)} at once): p95", p95, "ms", "< 300")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="app processes")
    parser.add_argument("--clients", type=int, default=3, help="load generator processes")
    parser.add_argument("--respondents", type=int, default=100, help="respondents submitting at once")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--page-respondents", type=int, default=300)
    parser.add_argument("--page-seconds", type=float, default=30)
    parser.add_argument("--page-think", type=float, default=10, help="seconds a respondent reads and types per page")
    parser.add_argument("--rate", type=float, default=200, help="submissions/s offered in the open-loop run")
    parser.add_argument(
        "--open-respondents", type=int, default=300, help="respondents the open-loop run's arrivals are spread over"
    )
    parser.add_argument("--port", type=int, default=8765)
    a = parser.parse_args()
    print(f"load average at the start: {os.getloadavg()}, {os.cpu_count()} cores")
    params, one, per_core = argon2_figures()
    print(f"(a) {params}: {one:.1f} verifications/s on one thread, {per_core:.1f}/s per core with all cores busy")
    figure("online_deadline", "argon2id verifications/s per core", per_core, "/s")
    survey, people = asyncio.run(setup(max(a.respondents, a.page_respondents, a.open_respondents)))
    base = f"http://127.0.0.1:{a.port}"
    server = serve(a.workers, a.port)
    try:
        rate = sign_ins(base, people)
        print(f"(a) sign-ins through the app ({a.workers} processes, 4 at a time): {rate:.1f}/s")
        figure("online_deadline", "sign-ins/s through the app", rate, "/s")
        submitters = people[: a.respondents]
        cpu = CpuMeter(server.pid)
        steady = load("submit", base, submitters, a.clients, a.seconds)
        label = f"{a.workers} app processes, {a.respondents} respondents back to back"
        report_submissions(label, steady, a.seconds, cpu)
        print(f"    load average now: {os.getloadavg()}")
        # open loop: arrivals on a fixed schedule, taken by whichever respondent is free (enough of them
        # that a free one is there while the app keeps up), latency from the scheduled time
        pool = people[: max(a.respondents, a.open_respondents)]
        cpu = CpuMeter(server.pid)
        paced = load("open", base, pool, a.clients, a.seconds, rate=a.rate)
        offered = len([r for r in paced if r[0] == "submit"]) / a.seconds
        print(
            f"    offered {offered:.1f}/s on a fixed schedule ({len(pool)} respondents, {a.clients} client processes)"
        )
        report_open(f"{a.rate:.0f}/s offered (open loop, {len(pool)} respondents)", paced, a.seconds, cpu)
        killed = load("submit", base, submitters, a.clients, a.seconds, kill_from=server.pid)
        report_submissions(f"{a.workers} app processes, one killed -9 half-way", killed, a.seconds)
        receipts = {r[4] for r in steady + paced + killed if r[4]}
        missing, unacknowledged = asyncio.run(lost(survey, receipts))
        print(
            f"(c) lost={missing} of {len(receipts)} acknowledged submissions"
            f" ({unacknowledged} stored whose reply never arrived: in flight at the kill, or timed out)"
        )
        figure("online_deadline", "acknowledged submissions lost after kill -9", missing, "", "0")
        if a.page_respondents:
            page_turns(base, people[: a.page_respondents], a.clients, a.page_seconds, a.page_think)
        print(f"load average at the end: {os.getloadavg()}")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
