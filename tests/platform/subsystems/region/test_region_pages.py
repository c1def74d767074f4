"""REGION-1 pages and the operator's 項目定義: the catalogue, a series page naming the old codes,
a ranking with downloads (XLSX through the spreadsheet helpers), and the definition maintained by the
operator only (audited, an event in the outbox)."""

from __future__ import annotations

import io

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import operator_client_csrf
from tests.support.outbox import decode, name_of


async def test_pages_show_catalogue_series_and_ranking(client):
    home = await client.get("/region")
    assert home.status_code == 200 and "A1101" in home.text and "人口増減率" in home.text
    s = await client.get("/region/series", params={"indicator": "A1101", "areas": "01202"})
    assert s.status_code == 200 and "検算" in s.text and "01339 戸井町" in s.text
    r = await client.get("/region/ranking", params={"indicator": "A1101", "level": "muni", "pref": "29"})
    assert r.status_code == 200 and "奈良市" in r.text and 'id="region-gl"' in r.text and "/api/gis/tiles/" in r.text
    bad = await client.get("/region/series", params={"indicator": "A1101", "areas": "x"})
    assert bad.status_code == 422 and "areas" in bad.text


async def test_ranking_xlsx_download(client):
    from openpyxl import load_workbook

    r = await client.get("/api/region/ranking", params={"indicator": "A110102_S", "format": "xlsx"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("項目コード", "項目", "年", "順位") and len(rows) == 1 + 47 + 1
    shares = [row[6] for row in rows[1:48]]
    assert shares == sorted(shares, reverse=True) and all(45 < v < 56 for v in shares)


async def test_operator_maintains_the_definition(client):
    anon = await client.patch("/api/region/indicators/A1101_R", json={"definition": "x"})
    assert anon.status_code in (401, 403)
    csrf = await operator_client_csrf(client)
    async with UnitOfWork(Scope.system("test")) as uow:
        mark = await uow.fetchval("SELECT coalesce(max(seq), 0) FROM outbox")
    r = await client.patch(
        "/api/region/indicators/A1101_R",
        json={"definition": "前回調査からの増減率（%）。", "name_en": "Rate of population change"},
        headers={"x-csrf-token": csrf},
    )
    assert r.status_code == 200 and r.json()["definition"] == "前回調査からの増減率（%）。"
    assert r.json()["updated_by"] != "seed"
    form = await client.post(
        "/region/indicators/A1101_R", data={"_csrf": csrf, "name_ja": "人口増減率", "definition": "定義の改訂"}
    )
    assert form.status_code == 303
    assert "定義の改訂" in (await client.get("/region/indicators/A1101_R")).text
    empty = await client.post("/region/indicators/A1101_R", data={"_csrf": csrf, "name_ja": ""})
    assert empty.status_code == 422
    async with UnitOfWork(Scope.system("test")) as uow:
        rows = await uow.fetch("SELECT payload FROM outbox WHERE seq > $1 ORDER BY seq", mark)
    names = [name_of(decode(x["payload"]).payload) for x in rows]
    assert names.count("region.indicator_defined") == 2


async def test_unknown_indicator_pages_answer_404(client):
    assert (await client.get("/region/series", params={"indicator": "NOPE", "areas": "13000"})).status_code == 404
    assert (await client.get("/region/ranking", params={"indicator": "NOPE"})).status_code == 404
    assert (await client.get("/region/indicators/NOPE")).status_code == 404
