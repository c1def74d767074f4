"""Issue 14 section 5: a keyword search at e-Stat's scale is counted and paged from statdb's search
table (api/hits.py, portal/keywords.py); it must find exactly what the general path (every hit read
through published_table) finds, in the same order, tables and files, on every page."""

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.estat.api import hits, stats_list
from govstat.platform.subsystems.estat.portal import search as portal
from tests.platform.subsystems.estat import portal_support as ps
from tests.platform.subsystems.estat.estat_catalog_support import published_tables

WORDS = ["人口", "世帯", "表ファイル OR 人口", "ｼﾞﾝｺｳ", "統計 人口", "存在しない語"]


async def _api(q: dict, monkeypatch, fast: bool) -> tuple[int, list[str]]:
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(hits, "applies", lambda q: False)
        async with UnitOfWork(Scope()) as uow:
            body = await stats_list.get_stats_list(uow, {"appId": "t", **q}, units=[])
    inf = body["GET_STATS_LIST"]["DATALIST_INF"]
    items = inf.get("TABLE_INF", [])
    return int(inf["NUMBER"]), [i["@id"] for i in (items if isinstance(items, list) else [items])]


async def _portal(c: portal.Conditions, offset: int, monkeypatch, fast: bool) -> tuple[int, list]:
    with monkeypatch.context() as m:
        if not fast:
            m.setattr(portal, "keywords_only", lambda c: False)
        async with UnitOfWork(Scope()) as uow:
            r = await portal.search(uow, c, limit=5, offset=offset)
    return r.total, [(i.kind, i.stats_data_id, i.file_id) for i in r.items]


@pytest.mark.parametrize("word", WORDS)
async def test_the_search_table_finds_what_published_table_finds(word, monkeypatch):
    if word == WORDS[2]:  # published and due: a table and a table file (表ファイル) of 人口
        await published_tables()
        await ps.publish(f"人口 経路比較 {ps.uid()}")
    api_found = portal_found = files_found = 0
    for extra in ({}, {"surveyYears": "2015-2020"}, {"searchKind": "2"}, {"startPosition": "3", "limit": "4"}):
        q = {"searchWord": word, **extra}
        fast, general = await _api(q, monkeypatch, True), await _api(q, monkeypatch, False)
        assert fast == general, q
        api_found += fast[0]
    for survey, kind, offset in (("", "", 0), ("", "", 5), ("2015-2020", "", 0), ("", "db", 0), ("", "file", 0)):
        c = portal.Conditions(q=word, survey=survey, kind=kind)
        assert portal.keywords_only(c)
        fast, general = await _portal(c, offset, monkeypatch, True), await _portal(c, offset, monkeypatch, False)
        assert fast == general, (survey, kind, offset)
        portal_found += fast[0]
        files_found += fast[0] if kind == "file" else 0
    if word == WORDS[2]:
        assert api_found and portal_found and files_found
