"""A survey's deadline day (issue 10 §7): respondents submitting at once through the real app, and
what a respondent's sign-in costs.

  (a) argon2id: the platform's parameters, and verifications per second on one core (one thread;
      sign-ins run in worker threads, so a process verifies about this many per core);
  (b) submissions: one uvicorn process serving the app (gateway, sessions, CSRF, validation from
      the questionnaire, encryption per answer, the unit's lock, the outbox event); --respondents
      signed in, each sending its unit's answers again and again (each an update: a new version) from
      --concurrency connections for --seconds. Prints submissions per second and p50/p99 latency.

Goal: 200 submissions per second with p99 under 1 s (a machine with more than the development
machine's two cores shared by client, server and PostgreSQL). Needs a migrated, seeded database (the
demo questionnaire of the online seed); creates its own tenant, survey and respondents.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import time

import httpx


def argon2_figures(n: int = 20) -> tuple[str, float]:
    from argon2 import PasswordHasher

    h = PasswordHasher()  # platform/passwords.py uses argon2-cffi's defaults: these parameters
    stored = h.hash("deadline-day-password")
    started = time.perf_counter()
    for _ in range(n):
        h.verify(stored, "deadline-day-password")
    per_second = n / (time.perf_counter() - started)
    params = f"argon2id t={h.time_cost} m={h.memory_cost} KiB p={h.parallelism}"
    return params, per_second


async def roomy(tenant_id: object) -> None:
    """The benchmark measures the app, not the tenant's rate limit: a plan without one (owner role)."""
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


async def setup(n: int) -> tuple[str, list[dict], dict[str, str]]:
    """A tenant, the demo questionnaire's survey open now, n respondents: (survey id, letters, answers)."""
    import datetime as dt
    import uuid

    from govstat.platform.db.engine import close_pool, start_pool
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.online import respondents, surveys
    from govstat.platform.subsystems.online.schemas import SurveyIn

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
            letters = await respondents.import_list(uow, s.id, roster)
            await uow.execute("UPDATE online_respondent SET must_change = false WHERE survey_id = $1", s.id)
    finally:
        await close_pool()
    answers = {"demo_hh_members": "3", "demo_hh_male": "1", "demo_hh_female": "2", "demo_head_sex": "1"}
    answers |= {"demo_head_works": "1", "demo_head_hours": "40"}
    return str(s.id), [{"login": c.login, "password": c.password, "name": c.units[0]} for c in letters], answers


async def respondent(
    base: str, letter: dict, answers: dict, stop: float, latencies: list[float], errors: list[int]
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        r = await c.post("/auth/login", json={"login": letter["login"], "password": letter["password"]})
        csrf = r.json()["csrf"]
        unit = re.search(r'href="/online/units/([0-9a-f-]{36})"', (await c.get("/online")).text)
        assert unit is not None
        version, url = 0, f"/online/units/{unit.group(1)}"
        while time.perf_counter() < stop:
            body = {**answers, "demo_hh_name": f"代表{letter['name'].removeprefix('世帯')}", "_csrf": csrf}
            started = time.perf_counter()
            r = await c.post(url, data={**body, "_action": "submit", "_base_version": str(version)})
            latencies.append(time.perf_counter() - started)
            if r.status_code == 200:
                version += 1
            else:
                errors.append(r.status_code)


async def main(n: int, concurrency: int, seconds: float, port: int) -> None:
    params, verifies = argon2_figures()
    print(f"(a) {params}: {verifies:.1f} sign-in verifications per second on one core")
    survey, letters, answers = await setup(n)
    server = subprocess.Popen(
        [sys.executable, "-m", "govstat.platform.root", "serve", "--port", str(port)],
        env={**os.environ, "GOVSTAT_LOG_LEVEL": "WARNING"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        latencies: list[float] = []
        errors: list[int] = []
        warm = time.perf_counter() + 1.0  # everyone signs in first (argon2), then the clock starts
        tasks = [
            respondent(base, letters[i % n], answers, warm + seconds + 30, latencies, errors)
            for i in range(concurrency)
        ]
        runner = asyncio.gather(*tasks)
        await asyncio.sleep(0)
        while len(latencies) < concurrency:  # every respondent signed in and submitting
            await asyncio.sleep(0.05)
        start, count = time.perf_counter(), len(latencies)
        await asyncio.sleep(seconds)
        done, elapsed = len(latencies) - count, time.perf_counter() - start
        window = sorted(latencies[count : count + done])
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        p50 = statistics.median(window) * 1000
        p99 = window[int(len(window) * 0.99) - 1] * 1000 if window else 0
        print(f"(b) survey {survey}: {done / elapsed:.1f} submissions/s over {elapsed:.0f} s from {concurrency} respondents,"
              f" p50 {p50:.0f} ms, p99 {p99:.0f} ms, refused {len(errors)} {sorted(set(errors))}")  # fmt: skip
        print(f"ratio to the goal of 200/s: {done / elapsed / 200:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--port", type=int, default=8765)
    a = parser.parse_args()
    asyncio.run(main(a.respondents, min(a.concurrency, a.respondents), a.seconds, a.port))
