"""CLASSIFICATION-1 through the HTTP API and pages, on the data the seed loaded into PostgreSQL."""

from __future__ import annotations

import csv
import io
import secrets

import httpx
import pytest
import pytest_asyncio

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope

PROBLEM = "application/problem+json"


@pytest_asyncio.fixture
async def client(app):
    """As the shared fixture, but from an address of its own per test: anonymous callers are
    rate-limited per address, and these tests call a lot."""
    address = "10.77." + ".".join(str(b) for b in secrets.token_bytes(2))
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as c:
        yield c


async def test_counts_per_level_per_version(client):
    r = await client.get("/api/classification/versions")
    assert r.status_code == 200
    versions = {v["key"]: v for v in r.json()["versions"]}
    assert versions["jsic-13"]["counts"] == [20, 99, 530, 1460]
    assert versions["jsic-14"]["counts"] == [20, 99, 536, 1473]
    assert versions["jsoc-2009"]["counts"] == [12, 74, 329]
    assert versions["jsic-14"]["level_names_ja"] == ["大分類", "中分類", "小分類", "細分類"]
    assert versions["jsic-14"]["effective_from"] == "2024-04-01" and versions["jsic-14"]["revised"] == "2023-07"
    assert versions["jsic-13"]["revision_ja"] == "第13回改定"
    async with UnitOfWork(Scope.system()) as uow:
        rows = await uow.fetch("SELECT version_key, level, count(*) AS n FROM classification_item GROUP BY 1, 2")
    assert {(r["version_key"], r["level"]): r["n"] for r in rows} == {
        ("jsic-13", 1): 20,
        ("jsic-13", 2): 99,
        ("jsic-13", 3): 530,
        ("jsic-13", 4): 1460,
        ("jsic-14", 1): 20,
        ("jsic-14", 2): 99,
        ("jsic-14", 3): 536,
        ("jsic-14", 4): 1473,
        ("jsoc-2009", 1): 12,
        ("jsoc-2009", 2): 74,
        ("jsoc-2009", 3): 329,
    }


async def test_words_find_items_at_several_levels_in_both_versions(client):
    r = await client.get("/api/classification/search", params={"q": "情報", "classification": "jsic", "limit": 1000})
    assert r.status_code == 200
    found = {(i["version_key"], i["code"], i["level"]) for i in r.json()["items"]}
    for version in ("jsic-13", "jsic-14"):
        assert {(version, "G", 1), (version, "39", 2), (version, "392", 3)} <= found
    assert {i["level"] for i in r.json()["items"]} >= {1, 2, 3, 4}
    assert r.json()["total"] == len(found)

    r = await client.get("/api/classification/search", params={"q": "ソフトウェア", "limit": 1000})
    items = r.json()["items"]
    assert {i["version_key"] for i in items} == {"jsic-13", "jsic-14", "jsoc-2009"}
    hit = next(i for i in items if i["version_key"] == "jsic-14" and i["code"] == "3911")
    assert hit["path"] == "G 情報通信業 > 39 情報サービス業 > 391 ソフトウェア業 > 3911 受託開発ソフトウェア業"
    assert hit["level_name"] == "細分類" and hit["name_en"] == "Custom software services"


async def test_english_words_and_several_words(client):
    r = await client.get("/api/classification/search", params={"q": "game software"})
    assert [(i["version_key"], i["code"]) for i in r.json()["items"]] == [("jsic-14", "3914")]
    r = await client.get("/api/classification/search", params={"q": "software", "version": "jsic-13"})
    assert r.json()["total"] == 0  # Rev.13 has no English names
    # 「、」 typed finds Rev.13's 「，」 too; full-width letters find half-width ones
    r = await client.get("/api/classification/search", params={"q": "農業、林業", "level": 1})
    assert {i["version_key"] for i in r.json()["items"]} == {"jsic-13", "jsic-14"}
    r = await client.get("/api/classification/search", params={"q": "PHS"})
    assert {i["version_key"] for i in r.json()["items"]} == {"jsic-13", "jsic-14"}


async def test_search_by_code_prefix(client):
    r = await client.get("/api/classification/search", params={"code": "391", "version": "jsic-14"})
    assert [(i["code"], i["level"]) for i in r.json()["items"]] == [
        ("391", 3),
        ("3911", 4),
        ("3912", 4),
        ("3913", 4),
        ("3914", 4),
    ]
    r = await client.get("/api/classification/search", params={"code": "01", "classification": "jsoc"})
    assert [i["code"] for i in r.json()["items"]] == ["01", "011", "012", "013"]
    r = await client.get("/api/classification/search", params={"code": "g", "level": 1})
    assert [(i["version_key"], i["name_ja"]) for i in r.json()["items"]] == [
        ("jsic-13", "情報通信業"),
        ("jsic-14", "情報通信業"),
        ("jsoc-2009", "農林漁業従事者"),
    ]


async def test_item_detail_with_children_and_its_change(client):
    r = await client.get("/api/classification/versions/jsic-13/items/0796")
    assert r.status_code == 200
    body = r.json()
    assert body["name_ja"] == "はつり・解体工事業"
    assert [(c["kind"], c["new_code"], c["new_name"]) for c in body["changes"]] == [
        ("renamed", "0796", "解体・はつり工事業")
    ]
    r = await client.get("/api/classification/versions/jsic-14/items/391")
    assert [c["code"] for c in r.json()["children"]] == ["3911", "3912", "3913", "3914"]
    r = await client.get("/api/classification/versions/jsic-14/items/9999x")
    assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)


async def test_changes_13_to_14(client):
    r = await client.get("/api/classification/changes", params={"from": "jsic-13", "to": "jsic-14", "limit": 1000})
    assert r.status_code == 200
    body = r.json()
    assert body["totals"] == {"unchanged": 2049, "renamed": 35, "moved": 22, "removed": 3, "added": 22}
    assert body["counts"]["renamed"] == {"1": 0, "2": 0, "3": 9, "4": 26}
    assert body["counts"]["added"] == {"1": 0, "2": 0, "3": 6, "4": 16}
    assert body["counts"]["unchanged"] == {"1": 20, "2": 99, "3": 521, "4": 1409}
    rows = body["items"]
    assert body["total"] == 2131 and len(rows) == 1000

    async def rows_of(kind: str) -> list[dict]:
        r = await client.get("/api/classification/changes", params={"kind": kind, "limit": 1000})
        return r.json()["items"]

    renamed = {r["old_code"]: r for r in await rows_of("renamed")}
    assert renamed["0796"]["old_name"] == "はつり・解体工事業" and renamed["0796"]["new_name"] == "解体・はつり工事業"
    added = {r["new_code"]: r for r in await rows_of("added")}
    assert added["8132"]["new_name"] == "義務教育学校" and added["8132"]["level"] == 4
    assert added["562"]["new_name"] == "総合スーパーマーケット" and added["562"]["level"] == 3
    removed = {r["old_code"]: r for r in await rows_of("removed")}
    assert removed["8493"]["old_name"] == "消毒業" and removed["8493"]["new_code"] is None
    moved = {r["old_code"]: r for r in await rows_of("moved")}
    assert (moved["6091"]["new_code"], moved["6091"]["new_name"]) == ("5651", "ホームセンター")
    assert moved["5891"]["new_code"] == "5631" and moved["5891"]["rule"] == "similar_name"


async def test_csv_download_has_bom_header_and_every_row(client):
    r = await client.get("/api/classification/versions/jsic-14/download", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.content[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["版", "階層", "階層名", "コード", "項目名", "項目名（英語）", "説明", "上位コード", "パス"]
    assert len(rows) == 1 + 2128
    assert [
        "jsic-14",
        "4",
        "細分類",
        "3911",
        "受託開発ソフトウェア業",
        "Custom software services",
        "",
        "391",
        "G 情報通信業 > 39 情報サービス業 > 391 ソフトウェア業 > 3911 受託開発ソフトウェア業",
    ] in rows
    r = await client.get("/api/classification/versions/jsoc-2009/download")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == 1 + 415 and any("\n" in row[6] for row in rows[1:])  # multi-line explanations survive


async def test_json_download(client):
    r = await client.get("/api/classification/versions/jsic-13/download", params={"format": "json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["version"]["key"] == "jsic-13" and len(body["items"]) == 2109
    assert body["items"][0] == {
        "code": "A",
        "level": 1,
        "level_name": "大分類",
        "name_ja": "農業，林業",
        "name_en": "",
        "description": "",
        "parent_code": None,
        "path_codes": ["A"],
        "path_names": ["農業，林業"],
    }


async def test_correspondence_csv(client):
    r = await client.get("/api/classification/changes/download", params={"from": "jsic-13", "to": "jsic-14"})
    assert r.status_code == 200 and r.content[:3] == b"\xef\xbb\xbf"
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["階層", "変更区分", "kind", "旧コード", "旧項目名", "新コード", "新項目名", "判定規則", "備考"]
    assert len(rows) == 1 + 2131
    assert ["4", "名称変更", "renamed", "0796", "はつり・解体工事業", "0796", "解体・はつり工事業", "code", ""] in rows


@pytest.mark.parametrize(
    "path, params, name",
    [
        ("/api/classification/search", {"level": "9"}, "level"),
        ("/api/classification/search", {"level": "two"}, "level"),
        ("/api/classification/search", {"code": "39!"}, "code"),
        ("/api/classification/search", {"version": "JSIC 14"}, "version"),
        ("/api/classification/search", {"limit": "0"}, "limit"),
        ("/api/classification/search", {"descriptions": "maybe"}, "descriptions"),
        ("/api/classification/versions/jsic-14/download", {"format": "xml"}, "format"),
        ("/api/classification/changes", {"from": "13"}, "from"),
        ("/api/classification/changes/download", {"to": "jsic 14"}, "to"),
        ("/api/classification/changes", {"kind": "vanished"}, "kind"),
    ],
)
async def test_malformed_parameters_are_problems_naming_them(client, path, params, name):
    r = await client.get(path, params=params)
    assert r.status_code in (400, 422), r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert name in [e["field"] for e in r.json()["errors"]]


async def test_unknown_versions_are_named(client):
    r = await client.get("/api/classification/search", params={"version": "jsic-99"})
    assert r.status_code == 422 and r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["errors"][0]["field"] == "version"
    r = await client.get("/api/classification/changes", params={"from": "jsic-14", "to": "jsic-13"})
    assert r.status_code == 404 and "jsic-13..jsic-14" in r.json()["available"]
    r = await client.get("/api/classification/versions/jsic-99/download")
    assert r.status_code == 404 and r.headers["content-type"].startswith(PROBLEM)


async def _usage_units(path: str) -> list[tuple[str, int]]:
    """(operation, units) of the newest usage events the gateway metered for `path`."""
    from govstat.gateway.completions import settle_all
    from govstat.gateway.metering import STREAM
    from govstat.platform.cache import redis_client
    from govstat.platform.events.envelope import decode

    await settle_all()  # the full event is written just after the answer
    entries = await redis_client().xrevrange(STREAM, count=50)
    events = [decode(fields[b"e"] if b"e" in fields else fields["e"]).payload for _, fields in entries]
    return [(e.operation, e.units) for e in events if getattr(e, "path", None) == path]


async def test_searches_and_downloads_are_metered_in_rows(client):
    r = await client.get("/api/classification/search", params={"code": "39", "version": "jsic-14", "limit": 7})
    assert r.json()["total"] > 7 and len(r.json()["items"]) == 7
    assert (await _usage_units("/api/classification/search"))[0] == ("classification.search", 7)
    await client.get("/api/classification/versions/jsoc-2009/download")
    assert (await _usage_units("/api/classification/versions/jsoc-2009/download"))[0] == (
        "classification.download",
        415,
    )
    await client.get("/api/classification/changes", params={"kind": "removed"})
    assert (await _usage_units("/api/classification/changes"))[0] == ("classification.changes", 3)


async def test_pages_render_in_japanese(client):
    r = await client.get("/classification", params={"q": "情報", "level": "2"})
    assert r.status_code == 200 and "統計分類データベース" in r.text and "情報サービス業" in r.text
    assert r.headers["content-type"].startswith("text/html")
    assert "第14回改定" in r.text and "分類 / Classifications" in r.text
    r = await client.get("/classification/versions/jsic-14/items/3911")
    assert r.status_code == 200 and "受託開発ソフトウェア業" in r.text and "ソフトウェア業" in r.text
    assert "Custom software services" in r.text
    r = await client.get("/classification/versions/jsoc-2009/items/104")
    assert r.status_code == 200 and "ソフトウェア作成者" in r.text and 'id="description"' in r.text
    r = await client.get("/classification/changes")
    assert r.status_code == 200 and "改定による変更" in r.text and "<svg" in r.text
    assert "解体・はつり工事業" in r.text and "義務教育学校" in r.text and "消毒業" in r.text
    r = await client.get("/classification/versions/jsic-13")
    assert r.status_code == 200 and "日本標準産業分類" in r.text and "1460" in r.text
    r = await client.get("/classification", params={"level": "9"})
    assert r.status_code == 200 and "階層は1〜4" in r.text
    r = await client.get("/classification/versions/jsic-14/items/0000")
    assert r.status_code == 404 and "見つかりません" in r.text


async def test_only_the_operator_reloads(client):
    r = await client.post("/api/classification/reload")
    assert r.status_code in (401, 403) and r.headers["content-type"].startswith(PROBLEM)
