"""REGION-1: time series on today's boundaries. Earlier values of merged municipalities are the sums
of their predecessors (and name them); a split without data is flagged; the 2020 census read on its
2000 boundaries recombines to the published 2020 values; Okinawa 1945 stays missing."""

from __future__ import annotations

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.region import service
from tests.platform.subsystems.region.region_support import (
    census_rows,
    earlier_table,
    parts_listed_after,
    pref_value,
)

HAKODATE = "01202"  # 2004-12-01: 戸井町, 恵山町, 椴法華村, 南茅部町 absorbed into 函館市
HAKODATE_2000 = {"01202": 287_637, "01339": 3_011, "01340": 4_132, "01341": 1_299, "01342": 7_858}
KOFU, FUJIKAWAGUCHIKO = "19201", "19430"  # 2006-03-01: 上九一色村 (19341) divided between them
# (富士河口湖町 itself is 河口湖町 19426, 勝山村 19427 and 足和田村 19428, merged 2003-11-15)


async def test_merged_municipality_earlier_value_is_the_sum_of_its_predecessors(client):
    values = {**HAKODATE_2000, "19201": 200_000, "19326": 5_000, "19341": 1_800, "19426": 9_000, "19427": 4_000}
    await earlier_table(values, "T_EARLY")
    async with UnitOfWork(Scope.system("test")) as uow:
        out = await service.series_of(uow, "T_EARLY", [HAKODATE, KOFU, FUJIKAWAGUCHIKO])
    hakodate, kofu, fuji = out.series
    p2000 = next(p for p in hakodate.points if p.year == 2000)
    assert p2000.recombined and p2000.value == sum(HAKODATE_2000.values())
    assert {x.code for x in p2000.parts} == set(HAKODATE_2000)
    assert {"戸井町", "恵山町", "椴法華村", "南茅部町"} <= {x.name for x in p2000.parts}
    assert next(p for p in hakodate.points if p.year == 2020).recombined is False
    # 甲府市 took 中道町 whole and part of 上九一色村: flagged, no value guessed
    for s in (kofu, fuji):
        p = next(p for p in s.points if p.year == 2000)
        assert p.value is None and any("19341" in f and "split" in f for f in p.flags), p
    # 足和田村 (19428) has no value in the table: named, not taken as zero
    assert any("19428" in f for f in next(p for p in fuji.points if p.year == 2000).flags)
    # the API answers the same, and the CSV names the old codes
    r = await client.get("/api/region/series", params={"indicator": "T_EARLY", "areas": HAKODATE})
    assert r.status_code == 200
    point = next(p for p in r.json()["series"][0]["points"] if p["year"] == 2000)
    assert point["value"] == p2000.value and len(point["parts"]) == 5
    csv_text = (
        await client.get("/api/region/series", params={"indicator": "T_EARLY", "areas": HAKODATE, "format": "csv"})
    ).text
    assert "01339 戸井町" in csv_text and "○" in csv_text


async def test_census_2000_boundaries_recombine_to_the_published_2020_values(client):
    r = await client.get("/api/region/series", params={"indicator": "A1101", "areas": f"{HAKODATE},{KOFU}"})
    assert r.status_code == 200, r.text
    hakodate, kofu = r.json()["series"]
    published = next(p for p in hakodate["points"] if p["year"] == 2020)
    check = next(p for p in hakodate["check"] if p["year"] == 2020)
    listed = parts_listed_after(HAKODATE)  # 0120B （旧：函館市）, 01339 （旧：戸井町）, ...
    assert check["value"] == published["value"] == sum(v for _, _, v in listed)
    assert {x["code"] for x in check["parts"]} == {"01202", "01339", "01340", "01341", "01342"}
    # 上九一色村's two parts are given by e-Stat's rows: the split is resolved from data, not guessed
    kofu_check = next(p for p in kofu["check"] if p["year"] == 2020)
    assert (
        kofu_check["flags"] == []
        and kofu_check["value"] == next(p for p in kofu["points"] if p["year"] == 2020)["value"]
    )
    assert any("一部" in x["name"] and x["code"] == "19341" for x in kofu_check["parts"])


async def test_prefecture_series_by_code_with_okinawa_1945_missing(client):
    r = await client.get("/api/region/series", params={"indicator": "A1101", "areas": "13000,47000"})
    tokyo, okinawa = r.json()["series"]
    assert [p["year"] for p in tokyo["points"]] == list(range(1920, 2021, 5))
    assert next(p for p in tokyo["points"] if p["year"] == 1920)["value"] == int(pref_value("東京都", 1920))
    o1945 = next(p for p in okinawa["points"] if p["year"] == 1945)
    assert o1945["value"] is None and o1945["raw"] == "NA"
    rates = (await client.get("/api/region/series", params={"indicator": "A1101_R", "areas": "47000"})).json()
    years = {p["year"]: p["value"] for p in rates["series"][0]["points"]}
    assert years[1945] is None and years[1950] is None and years[1925] is not None


async def test_ranking_and_split_codes_bounded(client):
    r = await client.get("/api/region/ranking", params={"indicator": "A1101", "year": 2020})
    rows = r.json()["rows"]
    assert len(rows) == 47 and rows[0]["name"] == "東京都" and rows[0]["rank"] == 1
    assert rows[0]["value"] == int(pref_value("東京都", 2020))
    muni = (
        await client.get("/api/region/ranking", params={"indicator": "A1101", "level": "muni", "pref": "29"})
    ).json()
    assert muni["year"] == 2020 and len(muni["rows"]) == 39 and muni["rows"][0]["name"] == "奈良市"
    bad = await client.get("/api/region/series", params={"indicator": "A1101", "areas": "1,2"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "areas"
    assert (await client.get("/api/region/series", params={"indicator": "NOPE", "areas": "13000"})).status_code == 404


async def test_density_divides_by_the_gis_land_area(client):
    from govstat.platform.subsystems.gis import published as gis

    async with UnitOfWork(Scope.system("test")) as uow:
        km2 = await gis.land_area_km2(uow, ["13000", HAKODATE])
    r = await client.get("/api/region/series", params={"indicator": "A1103", "areas": f"13000,{HAKODATE},01101"})
    tokyo, hakodate, chuo = r.json()["series"]
    t1920 = next(p for p in tokyo["points"] if p["year"] == 1920)
    assert t1920["value"] == pytest.approx(int(pref_value("東京都", 1920)) / km2["13000"])
    h2020 = next(p for p in hakodate["points"] if p["year"] == 2020)
    published = next(v for c, _, v in census_rows() if c == HAKODATE)
    assert h2020["value"] == pytest.approx(float(published) / km2[HAKODATE])
    assert chuo["points"][0]["value"] is None and "面積" in chuo["points"][0]["flags"][0]  # a ward: no boundary
