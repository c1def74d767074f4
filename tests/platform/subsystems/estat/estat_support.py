"""A published census table for the e-Stat API and portal tests, made once per session through statdb."""

from __future__ import annotations

import asyncio
import datetime as dt

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import service
from tests.platform.subsystems.statdb.statdb_support import CENSUS_CSV, CENSUS_PARAMS, agency, run_publish_jobs

_census: dict | None = None


async def published_census() -> dict:
    global _census
    if _census is None:
        owner = await agency()
        async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
            table = await service.register(
                uow, service.Upload(CENSUS_PARAMS.read_bytes(), CENSUS_CSV.read_bytes(), CENSUS_CSV.name)
            )
        async with UnitOfWork(Scope.tenant(owner.id, actor="test")) as uow:
            await service.schedule(uow, table.stats_data_id, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
        await asyncio.sleep(1.2)
        await run_publish_jobs()
        _census = {**msgspec.structs.asdict(table), "owner": owner}
    return _census


async def app_id_for(client) -> str:
    """A registered general user with an appId (signs the client in)."""
    from tests.support.factories import register_public

    csrf = (await register_public(client, "api")).csrf
    r = await client.post("/api/account/app-ids", json={"name": "テスト"}, headers={"x-csrf-token": csrf})
    return r.json()["app_id"]


J = "/rest/3.0/app/json"  # the e-Stat API 3.0's JSON paths


def as_list(v):
    """A JSON answer's node that is one object or a list of them (or absent), as a list."""
    return v if isinstance(v, list) else ([] if v is None else [v])


async def api_get(client, fn: str, **params):
    """GET {J}/{fn}: answered 200; its JSON."""
    r = await client.get(f"{J}/{fn}", params=params)
    assert r.status_code == 200
    return r.json()
