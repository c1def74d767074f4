"""GIS-1: boundaries loaded with their vintage, linked to the standard area codes, with equal-area areas."""

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.gis import published


async def test_every_prefecture_and_municipality_has_a_boundary_and_an_area():
    async with UnitOfWork(Scope.system()) as uow:
        prefs = await published.boundaries(uow, "prefecture")
        towns = await published.boundaries(uow, "municipality")
        areas = await published.land_area_km2(uow, ["13", "13000", "131016", "04100", "04101", "29201", "99999"])
    assert len(prefs) == 47 and len(towns) >= 1740
    assert {t.code for t in towns if t.pref_code == "29"} >= {"29201", "29209"}
    assert len([t for t in towns if t.pref_code == "29"]) == 39
    # equal-area areas close to GSI's official figures (simplified boundaries)
    assert abs(areas["04100"] - 786.35) / 786.35 < 0.02  # 仙台市 (designated city dissolved)
    assert abs(areas["29201"] - 276.94) / 276.94 < 0.02  # 奈良市 (detailed file)
    assert 10 < areas["131016"] < 12.5 and areas["13"] == areas["13000"]
    assert "04101" not in areas and "99999" not in areas  # wards and unknown codes have no boundary
    # the municipalities partition the country: their areas add up to the prefectures' within 0.1 %
    assert abs(sum(t.area_km2 for t in towns) - sum(p.area_km2 for p in prefs)) / sum(p.area_km2 for p in prefs) < 1e-3


async def test_boundaries_api_names_the_vintage_and_the_credit(client):
    r = await client.get("/api/gis/boundaries", params={"level": "municipality", "pref": "29"})
    assert r.status_code == 200
    body = r.json()
    assert body["vintage"] == "2021-01-01" and "国土数値情報" in body["credit"]
    assert {i["code"]: i["name"] for i in body["items"]}["29201"] == "奈良市"
    assert (await client.get("/api/gis/boundaries", params={"level": "ward"})).status_code == 422
