"""Helpers of the e-Stat portal tests: small tables published (or only announced) through statdb's
use cases, the domain events fed to the releases consumer, registered users, and clients that
each come from their own address (the gateway rate-limits anonymous callers per address)."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import secrets

import httpx
import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import service
from tests.platform.subsystems.statdb.statdb_support import agency, run_publish_jobs
from tests.support.outbox import decode

SYSTEM = Scope.system("test-portal")
_owner = None


def uid() -> str:
    return secrets.token_hex(4)


def params(title: str, *, stat: str = "00200524", survey: str = "2023") -> bytes:
    return f"""format: 1
table:
  gov_stat_code: "{stat}"
  title: "{title}"
  table_no: "T-{uid()}"
  statistics_name: 人口推計 各年10月1日現在人口
  survey_date: "{survey}"
data:
  format: csv
  skip_rows: 1
  columns:
    area: {{code: 1, name: 2}}
    time: {{code: 3}}
  values:
    - {{column: 4, cat01: "001"}}
    - {{column: 5, cat01: "002"}}
dimensions:
  cat01:
    name: 男女
    items:
      - {{code: "001", name: 男, unit: 千人}}
      - {{code: "002", name: 女, unit: 千人}}
  area:
    name: 全国・都道府県
    items: data
  time:
    name: 時間軸（年）
    items: data
""".encode()


CSV = (
    "地域コード,地域名,年,男,女\n00000,全国,2023,60492,63860\n13000,東京都,2023,6897,7189\n29000,奈良県,2023,614,684\n"
).encode()


async def owner():
    global _owner
    if _owner is None:
        _owner = await agency("00200")
    return _owner


async def register(title: str, *, stat: str = "00200524") -> dict:
    o = await owner()
    async with UnitOfWork(Scope.tenant(o.id, actor="test")) as uow:
        row = await service.register(uow, service.Upload(params(title, stat=stat), CSV, "suikei.csv"))
    return msgspec.structs.asdict(row)


async def announce(title: str, publish_at: dt.datetime | None = None, *, stat: str = "00200524") -> dict:
    """A table registered and scheduled (公表予約) for publish_at: announced, its data still hidden.
    Without publish_at: one second after registration."""
    table = await register(title, stat=stat)
    o = await owner()
    async with UnitOfWork(Scope.tenant(o.id, actor="test")) as uow:
        when = publish_at or dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
        return msgspec.structs.asdict(await service.schedule(uow, table["stats_data_id"], when))


async def publish(title: str, *, stat: str = "00200524") -> dict:
    """A table scheduled a second ahead and published by the publish jobs, as the worker would."""
    table = await announce(title, stat=stat)
    await asyncio.sleep(max((table["publish_at"] - dt.datetime.now(dt.UTC)).total_seconds(), 0) + 0.2)
    await run_publish_jobs()
    return table


async def outbox_mark() -> int:
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetchval("SELECT coalesce(max(seq), 0) FROM outbox")


async def domain_events(since: int) -> list:
    async with UnitOfWork(SYSTEM) as uow:
        rows = await uow.fetch("SELECT payload FROM outbox WHERE seq > $1 AND kind = 'domain' ORDER BY seq", since)
    return [decode(bytes(r["payload"])) for r in rows]


async def feed(consumer, since: int) -> int:
    """Apply the domain events written since the mark, as Kafka would deliver them; returns how many were new."""
    applied = 0
    for event in await domain_events(since):
        applied += await consumer.apply(event)
    return applied


def client_from(app, ip: str | None = None) -> httpx.AsyncClient:
    ip = ip or f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(ip, 40100)), base_url="http://testserver.local"
    )


async def registered_user(client) -> dict:
    """A registered general user (一般利用者), signed in on `client`."""
    from tests.support.factories import register_public

    login, csrf, user_id = await register_public(client, "u")
    return {
        "id": user_id,
        "login": login,
        "email": f"{login}@example.com",
        "csrf": csrf,
        "headers": {"x-csrf-token": csrf},
    }


async def operator(client) -> dict:
    from tests.support.factories import operator_client_csrf

    return {"x-csrf-token": await operator_client_csrf(client)}


def result_ids(html: str) -> list[str]:
    return re.findall(r'<li data-kind="(?:db|file)" data-id="([^"]+)"', html)


async def search_ids(client, **params) -> list[str]:
    """Every result id of a portal search, all pages."""
    ids, page = [], 1
    while True:
        r = await client.get("/estat/search", params={**params, "page": page})
        assert r.status_code == 200, r.text[:500]
        found = result_ids(r.text)
        ids += found
        if 'rel="next"' not in r.text or not found:
            return ids
        page += 1
