"""FRAME-5: the generated register (deterministic, valid corporate numbers, real codes), versions
that reproduce the register as of any day, and the operator's search."""

import datetime as dt

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.frame import corpnum, postal
from tests.support.factories import api_key, make_tenant, operator_client_csrf

SYSTEM = Scope.system("test")


def test_corporate_number_check_digit():
    assert corpnum.is_valid("7000012050002")  # 国税庁
    assert corpnum.problem("8000012050002") and corpnum.problem("700001205000")
    assert corpnum.with_check_digit("000012050002") == "7000012050002"


async def test_seeded_register_uses_real_codes_and_valid_numbers():
    async with UnitOfWork(SYSTEM) as uow:
        units = await uow.fetch("SELECT area_code, postal_code, jsic14 FROM frame_establishment WHERE valid_to IS NULL")
        numbers = [
            r[0]
            for r in await uow.fetch(
                "SELECT corporate_number FROM frame_enterprise WHERE corporate_number IS NOT NULL AND valid_to IS NULL"
            )
        ]
        jsic = {
            r[0]
            for r in await uow.fetch("SELECT code FROM classification_item WHERE version_key = 'jsic-14' AND level = 4")
        }
        areas = {
            r[0]
            for r in await uow.fetch(
                "SELECT code FROM area_version WHERE valid_from IS NULL OR valid_from <= '2024-01-01'"
            )
        }
    assert len(units) >= 2000
    assert all(corpnum.is_valid(n) for n in numbers) and len(set(numbers)) == len(numbers) > 100
    assert {u["jsic14"] for u in units} <= jsic and {u["area_code"] for u in units} <= areas
    mismatched = [u for u in units if postal.mismatch(u["postal_code"], u["area_code"])]
    assert 0 < len(mismatched) < len(units) * 0.02  # a few keying slips, on purpose
    sizes = sorted(r[0] for r in await _employees())
    assert sizes[len(sizes) // 2] <= 6 and sizes[-1] >= 100  # skewed: small median, a long tail


async def _employees():
    async with UnitOfWork(SYSTEM) as uow:
        return await uow.fetch("SELECT employees FROM frame_establishment WHERE valid_to IS NULL")


async def test_generator_is_deterministic():
    from govstat.platform.subsystems.frame import generator, loader

    async with UnitOfWork(SYSTEM) as uow:
        places = await loader.places(uow)
        codes, rev13 = await loader.jsic(uow)
    a = generator.generate(5, 300, places, codes, rev13)
    b = generator.generate(5, 300, places, codes, rev13)
    c = generator.generate(6, 300, places, codes, rev13)
    assert a.establishments == b.establishments and a.prns == b.prns
    assert a.establishments != c.establishments
    assert len(places) > 1700  # the municipalities and wards of 2024


async def test_search_as_of_a_day_and_history(client):
    csrf = await operator_client_csrf(client)
    h = {"x-csrf-token": csrf}
    async with UnitOfWork(SYSTEM) as uow:
        closed = await uow.fetchrow(
            "SELECT id, valid_from FROM frame_establishment WHERE status = 'closed' AND valid_to IS NULL ORDER BY id LIMIT 1"
        )
    day_before = closed["valid_from"] - dt.timedelta(days=1)
    r = await client.get(
        "/api/frame/register", headers=h, params={"q": str(closed["id"]), "as_of": day_before.isoformat()}
    )
    assert r.status_code == 200, r.text
    assert r.json()["items"][0]["status"] == "active"
    r = await client.get("/api/frame/register", headers=h, params={"q": str(closed["id"])})
    assert r.json()["items"][0]["status"] == "closed"
    history = (await client.get(f"/api/frame/register/{closed['id']}", headers=h)).json()
    assert [v["status"] for v in history] == ["active", "closed"]
    async with UnitOfWork(SYSTEM) as uow:
        some = await uow.fetchrow(
            "SELECT jsic14, area_code FROM frame_establishment WHERE employees >= 5 AND status = 'active'"
            " AND valid_from <= current_date AND (valid_to IS NULL OR valid_to > current_date) LIMIT 1"
        )
    ind, pref = some["jsic14"][:2], some["area_code"][:2]
    r = await client.get("/api/frame/register", headers=h, params={"industry": ind, "area": pref, "min_employees": 5})
    body = r.json()
    assert body["total"] > 0 and all(
        u["jsic14"].startswith(ind) and u["area_code"].startswith(pref) and u["employees"] >= 5 for u in body["items"]
    )
    # agencies never read the register itself
    agency = await make_tenant(("frame",))
    r = await client.get("/api/frame/register", headers={"x-api-key": await api_key(agency.id)})
    assert r.status_code == 403
