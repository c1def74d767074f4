"""The crowd (issue 8): every public page and GET API at once, from 200 anonymous clients, against a
real server whose pool is small enough to run out.

What must hold: every answer is what the same URL answers when the server is idle (2xx/3xx, or 404
where the seed has no such object), or 429/503 with Retry-After; none takes longer than the
configured waits plus a margin; and right afterwards the server answers at once. The second test is
the finding itself: 25 readers of one statistic's page deadlocked the server for good.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections import Counter

import httpx
import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.routes import handlers
from tests.support.server import AppProcess

POOL_MAX = 4
ACQUIRE_TIMEOUT = 2.0
STATEMENT_TIMEOUT_MS = 5000
CLIENTS = 200
ROUNDS = 4  # requests each client sends, one after another
# the longest honest wait: the gateway's and the handler's acquires and one statement, plus a margin
# for queueing on the CPU (200 requests in flight on one process, on a shared 2-core machine the
# server answers ~25 a second, so the last of a burst waits ~8-17 s); a hang is unbounded
LATENCY_LIMIT = 2 * ACQUIRE_TIMEOUT + STATEMENT_TIMEOUT_MS / 1000 + 20
STAT, TABLE, AREA = "00200521", "8000000001", "01236"
CROWD_ENV = {
    "GOVSTAT_DB_POOL_MIN": "1",
    "GOVSTAT_DB_POOL_MAX": str(POOL_MAX),
    "GOVSTAT_DB_ACQUIRE_TIMEOUT_SECONDS": str(ACQUIRE_TIMEOUT),
    "GOVSTAT_DB_STATEMENT_TIMEOUT_MS": str(STATEMENT_TIMEOUT_MS),
}
SUMMARY: dict = {}


def public_get_paths(app) -> list[str]:
    """Every route the app declares public and answers to GET (as the module contract test walks them)."""
    return sorted({h.path for h in handlers(app) if h.access is not None and h.access.public and "GET" in h.methods})


async def seeded_ids() -> dict[str, str]:
    """Real ids and codes from the demo seed (a fresh id where the seed has none: that route's 404)."""
    async with UnitOfWork(Scope.system("crowd-test")) as uow:

        async def one(sql: str) -> str:
            value = await uow.fetchval(sql)
            return str(value) if value is not None else str(uuid.uuid4())

        return {
            "code": AREA,
            "stats_data_id": TABLE,
            "pref": "29",
            "indicator": "A1101",
            "topic": "search",
            "change_id": await one("SELECT id FROM area_change ORDER BY id LIMIT 1"),
            "version": await one("SELECT key FROM classification_version ORDER BY ordinal DESC LIMIT 1"),
            "item_code": await one(
                "SELECT code FROM classification_item WHERE version_key ="
                " (SELECT key FROM classification_version ORDER BY ordinal DESC LIMIT 1)"
                " ORDER BY seq LIMIT 1"
            ),
            "file_id": await one("SELECT id FROM table_file WHERE status = 'published' LIMIT 1"),
            "qid": await one("SELECT id FROM estat_questionnaire WHERE status <> 'draft' LIMIT 1"),
            "record_id": await one("SELECT id FROM metadata_record LIMIT 1"),
            "item_id": await one("SELECT item_id FROM items_questionnaire_item LIMIT 1"),
            "questionnaire_id": await one(
                "SELECT questionnaire_id FROM items_questionnaire_version WHERE status = 'published' LIMIT 1"
            ),
            **{"level": "municipality", "z": "5", "x": "28", "y": "12.mvt"},  # a GIS tile over Kanto
        }


def url_for(path: str, ids: dict[str, str], app_id: str) -> str:
    def value(m: re.Match) -> str:
        name = m.group(1)
        if path.startswith("/classification") or path.startswith("/api/classification"):
            name = {"code": "item_code"}.get(name, name)
        if path.startswith(("/region", "/api/region")):
            name = {"code": "indicator"}.get(name, name)
        if path.startswith("/estat/statistics"):
            return STAT
        if path.startswith("/sdmx/"):  # SDMX names a published table by agency, flow id and version
            prefix = {"datastructure": "DSD_", "codelist": "CL_", "conceptscheme": "CS_"}  # structure ids
            kind = next((k for k in prefix if f"/{k}/" in path), "")
            rid = prefix.get(kind, "") + TABLE + ("_AREA" if kind == "codelist" else "")
            sdmx = {"agency": "GOVSTAT", "resource_id": rid, "flow": TABLE, "version": "latest"}
            return sdmx.get(name) or {"key": "all", "provider": "all", "kind": "categoryscheme"}[name]
        return ids[name]  # a new public route with an unknown parameter: add it to seeded_ids()

    url = re.sub(r"\{(\w+):\w+\}", value, path)
    if url.startswith("/rest/"):
        url += f"?appId={app_id}&statsDataId={TABLE}&limit=50&searchWord=人口"
    elif path in QUERIES:
        url += "?" + QUERIES[path]
    return url


QUERIES = {
    "/api/area/codes": "q=北斗",
    "/api/classification/search": "q=農業",
    "/estat/search": "q=人口",
    "/api/estat/regional": f"table={TABLE}",
    "/estat/regional": f"table={TABLE}",
    "/api/region/series": "indicator=A1101&areas=01202,13000",
    "/api/region/ranking": "indicator=A1101",
    "/api/items/questionnaires/{questionnaire_id:uuid}/diff": "old=1&new=1",
    "/items/questionnaires/{questionnaire_id:uuid}/diff": "old=1&new=1",
    "/items": "q=せたい",
    "/api/gis/choropleth": f"table={TABLE}",
    "/api/gis/tiles/{level:str}/{z:int}/{x:int}/{y:str}": f"table={TABLE}",
    "/lod/sparql": "query=SELECT%20*%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%201",
}


async def issue_app_id(c: httpx.AsyncClient) -> str:
    """The e-Stat API answers data only to an appId; the crowd sends one (and no cookie)."""
    login = f"crowd{uuid.uuid4().hex[:8]}"
    r = await c.post(
        "/api/account/register",
        json={"login": login, "display_name": "群衆", "password": "long-enough-pass", "email": f"{login}@example.com"},
    )
    assert r.status_code in (200, 201), r.text[:300]
    r = await c.post("/auth/login", json={"login": login, "password": "long-enough-pass"})
    assert r.status_code == 200, r.text[:300]
    csrf = r.json()["csrf"]
    r = await c.post("/api/account/app-ids", json={"name": "crowd"}, headers={"x-csrf-token": csrf})
    assert r.status_code in (200, 201), r.text[:300]
    return r.json()["app_id"]


@pytest.fixture(scope="module")
def crowd_server(tmp_path_factory):
    server = AppProcess(env=CROWD_ENV, log=tmp_path_factory.mktemp("crowd") / "server.log").start()
    yield server
    server.stop()


async def test_200_anonymous_clients_on_every_public_page_and_get_api(app, crowd_server):
    ids = await seeded_ids()
    async with httpx.AsyncClient(base_url=crowd_server.url, timeout=30) as setup:
        app_id = await issue_app_id(setup)
    urls = [url_for(p, ids, app_id) for p in public_get_paths(app)]
    assert len(urls) >= 80, urls
    # what each URL answers to one caller on an idle server
    expected: dict[str, int] = {}
    async with httpx.AsyncClient(base_url=crowd_server.url, timeout=30) as idle:
        for url in urls:
            expected[url] = (await idle.get(url)).status_code
    # 501: an SDMX structure type govstat does not offer answers so, as the SDMX-REST standard asks;
    # 410: the password link's page without a live one-time token (it is mailed, never seeded)
    wrong = {
        u: s
        for u, s in expected.items()
        if not (
            200 <= s < 400
            or (s == 404 and _fresh_id(u, ids))
            or (s == 501 and u.startswith("/sdmx/"))
            or (s == 410 and u == "/online/recover")
        )
    }
    assert not wrong, wrong

    # no keep-alive: each request is a new caller (and no race with the server closing idle connections)
    transport = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=0))
    answers: list[tuple[str, int, str | None, float]] = []

    async def client(n: int) -> None:
        c = httpx.AsyncClient(transport=transport, base_url=crowd_server.url, timeout=LATENCY_LIMIT + 30)
        for k in range(ROUNDS):
            url = urls[(n + k * CLIENTS) % len(urls)]
            started = time.monotonic()
            try:
                r = await c.get(url)
                answers.append((url, r.status_code, r.headers.get("retry-after"), time.monotonic() - started))
            except httpx.TimeoutException:
                answers.append((url, 0, None, time.monotonic() - started))
            except httpx.TransportError as exc:  # the connection broke: no answer at all
                answers.append((url, -1, type(exc).__name__, time.monotonic() - started))

    started = time.monotonic()
    await asyncio.gather(*(client(n) for n in range(CLIENTS)))
    elapsed = time.monotonic() - started
    await transport.aclose()

    by_status = Counter(status for _, status, _, _ in answers)
    worst = max(latency for *_, latency in answers)
    SUMMARY.update(
        requests=len(answers),
        by_status=dict(sorted(by_status.items())),
        max_latency_s=round(worst, 2),
        wall_s=round(elapsed, 1),
        routes=len(urls),
        slowest=[(u, s, round(t, 1)) for u, s, _, t in sorted(answers, key=lambda a: -a[3])[:8]],
    )
    print("\ncrowd:", SUMMARY)
    bad = [(u, s, e) for u, s, ra, _ in answers for e in [expected[u]] if s != e and not (s in (429, 503) and ra)]
    assert not bad, (bad[:20], _errors(crowd_server))
    assert worst < LATENCY_LIMIT, sorted(answers, key=lambda a: -a[3])[:5]
    # and at once afterwards, the server is itself again
    async with httpx.AsyncClient(base_url=crowd_server.url, timeout=10) as after:
        for path in ("/readyz", f"/estat/statistics/{STAT}"):
            t0 = time.monotonic()
            r = await after.get(path)
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
            assert time.monotonic() - t0 < 5, (
                path
            )  # "at once": well under any timeout, with room for a loaded CI machine


def _errors(server: AppProcess) -> list[str]:
    lines = server.log.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line[:600] for line in lines if '"level":"ERROR"' in line or "Error" in line][:20]


def _fresh_id(url: str, ids: dict[str, str]) -> bool:
    """The URL names an object the seed does not have (its id was made up): 404 is the right answer."""
    return any(len(v) == 36 and v in url for k, v in ids.items() if k in ("file_id", "qid", "record_id", "change_id"))


async def test_25_concurrent_readers_of_a_statistic_page_never_deadlock_the_pool():
    """The finding: each request held a connection while the contact lookup waited for a second one."""
    server = AppProcess(env={"GOVSTAT_DB_POOL_MIN": "1", "GOVSTAT_DB_POOL_MAX": "4"}).start()
    page = f"/estat/statistics/{STAT}"
    try:
        limits = httpx.Limits(max_connections=50, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=server.url, timeout=20, limits=limits) as c:

            async def one() -> tuple[int, str | None]:
                try:
                    r = await c.get(page)
                except httpx.TimeoutException:
                    return 0, None  # hung: the deadlock
                return r.status_code, r.headers.get("retry-after")

            answers = await asyncio.gather(*(one() for _ in range(25)))
            hung = sum(1 for status, _ in answers if status == 0)
            assert hung == 0, f"{hung} of 25 requests hung"
            assert all(s == 200 or (s == 503 and ra) for s, ra in answers), answers
            assert sum(1 for s, _ in answers if s == 200) >= 3
            for path in ("/readyz", page):  # and the server is not left stuck
                started = time.monotonic()
                r = await c.get(path, timeout=5)
                assert r.status_code == 200, (path, r.status_code, r.text[:300])
                assert time.monotonic() - started < 5, path
    finally:
        server.stop()
