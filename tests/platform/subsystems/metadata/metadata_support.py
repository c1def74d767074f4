"""Helpers of the metadata registry tests: agencies that own statistics, a complete survey body,
signed-in clients for the agency and the operator, published statdb tables to link, row counts,
and the outbox's domain events."""

from __future__ import annotations

import datetime as dt

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.subsystems.statdb.statdb_support import multipart, run_publish_jobs, small_csv, small_params
from tests.support.factories import OPERATOR, api_key, make_tenant, sign_in

TABLES = ("metadata_record", "metadata_version", "metadata_item", "metadata_classification", "metadata_table_link")


async def agency(agency_code: str = "00200", modules: tuple[str, ...] = ("metadata", "tables", "statdb")):
    """An agency tenant (総務省 by default: it owns 00200521 国勢調査) subscribed to the registry."""
    t = await make_tenant(modules=modules)
    async with UnitOfWork(OPERATOR) as uow:
        await uow.execute("UPDATE tenant SET agency_code = $2 WHERE id = $1", t.id, agency_code)
    return t


def survey(**over) -> dict:
    """A complete survey body for 国勢調査 (finalisable as it is)."""
    body = {
        "gov_stat_code": "00200521",
        "survey_name": "令和7年国勢調査",
        "survey_name_en": "2025 Population Census",
        "purpose": "我が国の人口及び世帯の実態を明らかにし、各種行政施策その他の基礎資料を得ることを目的とする。",
        "legal_basis": "統計法（平成19年法律第53号）第5条第2項（基幹統計調査）",
        "population": "調査時において本邦に常住している者",
        "observation_unit": "世帯及び世帯員",
        "cycle": "5年",
        "method": "調査員による調査票の配布・回収及びインターネット回答",
        "reference_date": "2025-10-01",
        "period_from": "2025-09-20",
        "period_to": "2025-10-20",
        "contact": "総務省統計局国勢統計課",
        "items": [
            {"code": "A01", "name": "男女の別", "definition": "世帯員の性別", "value_type": "code"},
            {"code": "A02", "name": "年齢", "definition": "調査日現在の満年齢", "unit": "歳", "value_type": "integer"},
            {
                "code": "B01",
                "name": "産業",
                "definition": "就業者が仕事をしていた事業所の主な事業の種類",
                "value_type": "code",
            },
        ],
        "classifications": [
            {"version": "jsic-13", "item_code": "E", "applies_to": "産業", "note": "大分類で集計"},
            {"text": "国勢調査独自の世帯の家族類型区分"},
        ],
    }
    body.update(over)
    return body


async def signed_in(client, login: str) -> dict[str, str]:
    """Sign `client` in as `login`; the headers its changes need (the session's CSRF token)."""
    return {"x-csrf-token": await sign_in(client, login)}


async def as_operator(client) -> dict[str, str]:
    from govstat.platform.root.seed import demo_password

    return {"x-csrf-token": await sign_in(client, "operator", demo_password("operator"))}


async def counts() -> dict[str, int]:
    async with UnitOfWork(Scope.system("test")) as uow:
        return {t: await uow.fetchval(f"SELECT count(*) FROM {t}") for t in TABLES}


async def domain_events(since: int, name_prefix: str = "metadata.") -> list:
    from tests.support.outbox import decode, name_of

    async with UnitOfWork(Scope.system()) as uow:
        rows = await uow.fetch("SELECT kind, payload FROM outbox WHERE seq > $1 ORDER BY seq", since)
    events = [decode(bytes(r["payload"])) for r in rows if r["kind"] == "domain"]
    return [e for e in events if name_of(e.payload).startswith(name_prefix)]


async def statdb_table(client, tenant, n: int, *, publish: bool, stat: str = "00200521") -> str:
    """A database table registered by `tenant` (through the statdb API); published (due now) or not."""
    h = {"x-api-key": await api_key(tenant.id)}
    files, form = multipart([(small_params(n, stat=stat), small_csv(5), f"t{n}.csv")])
    r = await client.post("/api/statdb/tables", files=files, data=form, headers=h)
    assert r.status_code == 201, r.text
    sid = r.json()["stats_data_id"]
    if publish:
        soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
        assert (
            await client.post(f"/api/statdb/tables/{sid}/schedule", json={"publish_at": soon}, headers=h)
        ).status_code == 200
        async with UnitOfWork(Scope.system("test")) as uow:
            await uow.execute(
                "UPDATE stat_table SET publish_at = now() - interval '1 second' WHERE stats_data_id = $1", sid
            )
        await run_publish_jobs()
    return sid


async def publish(client, app, record_id: str, admin_headers: dict[str, str]) -> dict:
    """Finalise (the agency's admin signed in on `client`) and approve (the operator, on a client of its own)."""
    from tests.support.factories import another_client

    h = admin_headers
    r = await client.post(f"/api/metadata/records/{record_id}/finalise", headers=h)
    assert r.status_code == 200, r.text
    async with another_client(app) as op:
        r = await op.post(f"/api/metadata/records/{record_id}/approve", headers=await as_operator(op))
    assert r.status_code == 200, r.text
    return r.json()
