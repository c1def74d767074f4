"""FRAME-5 register search by a part of the name: the bigram index (frame_name_gram) is used under
row-level security (text equality is leakproof, LIKE is not), a renamed unit is found by its new
name as of today and by its old name as of before, and LIKE still decides (no false candidates)."""

import datetime as dt

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.frame import queries
from govstat.platform.subsystems.frame.schemas import Population
from tests.support.factories import operator_client_csrf

OPERATOR = Scope(role="operator", actor="test")


def test_a_long_word_looks_up_four_bigrams_spread_over_it():
    assert queries.bigrams("山田") == ["山田"] and queries.bigrams("ククク") == ["クク"]
    assert queries.bigrams("山田商事株式会社") == ["山田", "商事", "株式", "会社"]


async def test_name_search_uses_the_bigram_index_under_row_level_security(client):
    h = {"x-csrf-token": await operator_client_csrf(client)}
    async with UnitOfWork(OPERATOR) as uow:
        uid = await uow.fetchval("SELECT id FROM frame_establishment WHERE valid_to IS NULL AND status = 'active'"
                                 " AND valid_from < '2023-01-01' ORDER BY id LIMIT 1 OFFSET 300")  # fmt: skip
        where = " AND ".join(queries.NAMED.replace("{}", f"${i}") for i in (1, 2))
        plan = "\n".join(r[0] for r in await uow.fetch(f"EXPLAIN SELECT e.id FROM frame_establishment e WHERE {where}"
                                                        " ORDER BY e.id LIMIT 50", "商事", "事株"))  # fmt: skip
    assert "frame_name_gram_pkey" in plan, plan
    new_name = f"株式会社ヰヱヰヰ{uid}"
    r = await client.post(f"/api/frame/register/{uid}/edits", headers=h,
                          json={"effective_on": "2024-05-01", "reason": "商号変更", "name": new_name})  # fmt: skip
    assert r.status_code == 200, r.text
    found = (await client.get("/api/frame/register", headers=h, params={"q": f"ヰヰ{uid}"})).json()
    assert [u["id"] for u in found["items"]] == [uid] and found["total"] == 1
    before = {"q": f"ヰヰ{uid}", "as_of": "2024-04-30"}
    assert (await client.get("/api/frame/register", headers=h, params=before)).json()["total"] == 0
    async with UnitOfWork(OPERATOR) as uow:  # both bigrams (ヰヱ, ヱヰ) in the name, the word not: LIKE says no
        total, _ = await queries.search(uow, Population(), day=dt.date.today(), q="ヰヱヰヱ")
        assert await uow.fetchval("SELECT count(*) FROM frame_name_gram WHERE establishment_id = $1"
                                  " AND gram IN ('ヰヱ', 'ヱヰ')", uid) == 2  # fmt: skip
    assert total == 0


async def test_a_search_counts_up_to_the_cap_and_says_more(client):
    await operator_client_csrf(client)
    body = (await client.get("/api/frame/register", params={"limit": 5})).json()
    assert body["total"] == queries.COUNT_CAP + 1 and len(body["items"]) == 5  # the test register has 2,000
    page = await client.get("/frame/register")
    assert page.status_code == 200 and "1,000</strong> 以上" in page.text
