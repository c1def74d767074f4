"""ESTAT-1: the portal's search by conditions and keywords (with the operator's synonym list), the
overview page of a government statistic with its agency's contact, and the synonym maintenance."""

import datetime as dt

import pytest

from tests.platform.subsystems.estat import portal_support as ps
from tests.support.factories import audit_events, outbox_mark


@pytest.fixture
async def public(app):
    async with ps.client_from(app) as c:
        yield c


async def test_keywords_and_conditions_find_published_tables_only(public, census):
    sid = census["stats_data_id"]
    tag = ps.uid()
    suikei = await ps.publish(f"人口推計 都道府県別人口 検索{tag}")
    hidden = await ps.announce(
        f"人口 未公表の表 検索{tag}", dt.datetime.now(dt.UTC) + dt.timedelta(days=2), stat="00200521"
    )

    # 人口 finds the census (男女別人口) and 人口推計, never the table that is only announced
    found = await ps.search_ids(public, q="人口")
    assert sid in found and suikei["stats_data_id"] in found and hidden["stats_data_id"] not in found
    assert hidden["stats_data_id"] not in await ps.search_ids(public, q=f"検索{tag}")
    assert await ps.search_ids(public, q=f"検索{tag}") == [suikei["stats_data_id"]]
    # words must all match; OR joins alternatives
    assert await ps.search_ids(public, q=f"人口推計 検索{tag}") == [suikei["stats_data_id"]]
    assert await ps.search_ids(public, q=f"人口推計 存在しない{tag}") == []
    either = await ps.search_ids(public, q=f"検索{tag} OR 男女別人口", stat="00200521")
    assert sid in either and suikei["stats_data_id"] not in either  # 人口推計 is not 00200521
    assert suikei["stats_data_id"] in await ps.search_ids(public, q=f"検索{tag} OR 男女別人口", stat="00200524")

    # conditions: statistic, field, agency, survey period, area level, kind
    census_only = await ps.search_ids(public, q="人口", stat="00200521")
    assert sid in census_only and suikei["stats_data_id"] not in census_only
    assert sid in await ps.search_ids(public, q="男女別人口", field="02", agency="00200", survey="2020", area="3")
    assert sid in await ps.search_ids(public, q="男女別人口", survey="2015-2020")
    for miss in ({"survey": "2015"}, {"area": "1"}, {"field": "04"}, {"agency": "00500"}, {"kind": "file"}):
        assert sid not in await ps.search_ids(public, q="男女別人口", **miss), miss
    assert suikei["stats_data_id"] in await ps.search_ids(
        public, q=f"検索{tag}", stat="00200524", survey="2023", area="1"
    )

    page = await public.get("/estat/search", params={"q": f"人口推計 検索{tag}"})
    assert "人口推計 都道府県別人口" in page.text and f'href="/estat/tables/{suikei["stats_data_id"]}"' in page.text
    bad = await public.get("/estat/search", params={"survey": "20x0"})
    assert bad.status_code == 422 and "surveyYears" in bad.text


async def test_operator_synonyms_make_a_word_find_what_its_synonym_finds(app, client, public, census):
    sid = census["stats_data_id"]
    word = f"センサス{ps.uid()}"
    assert await ps.search_ids(public, q=word) == []
    h = await ps.operator(client)
    mark = await outbox_mark()
    r = await client.post("/api/estat/synonyms", json={"word": "国勢調査", "synonym": word}, headers=h)
    assert r.status_code == 201, r.text
    synonym_id = r.json()["id"]
    assert (
        await client.post("/api/estat/synonyms", json={"word": word, "synonym": "国勢調査"}, headers=h)
    ).status_code == 409

    assert sid in await ps.search_ids(public, q=word)  # the synonym finds the word's tables
    page = await public.get("/estat/search", params={"q": word})
    assert "国勢調査" in page.text.split('id="expanded"')[1].split("</p>")[0]  # the expansion is shown
    assert word in (await client.get("/estat/admin/synonyms", headers=h)).text

    # only the operator maintains the list; every change is audited
    assert (await public.post("/api/estat/synonyms", json={"word": "a", "synonym": "b"})).status_code == 401
    async with ps.client_from(app) as other:
        user = await ps.registered_user(other)
        assert (
            await other.post("/api/estat/synonyms", json={"word": "a", "synonym": "b"}, headers=user["headers"])
        ).status_code == 403
    assert (await client.delete(f"/api/estat/synonyms/{synonym_id}", headers=h)).status_code == 204
    assert sid not in await ps.search_ids(public, q=word)
    actions = [(e.action, e.detail.get("synonym")) for e in await audit_events(mark, prefix="estat.synonym")]
    assert actions == [("estat.synonym.added", word), ("estat.synonym.removed", word)]


async def test_synonym_page_form_adds_and_refuses_nonsense(client):
    h = await ps.operator(client)
    word = f"世帯{ps.uid()}"
    r = await client.post("/estat/admin/synonyms", data={"word": word, "synonym": "所帯", "_csrf": h["x-csrf-token"]})
    assert r.status_code == 303
    assert f"<td>{word}</td><td>所帯</td>" in (await client.get("/estat/admin/synonyms")).text
    same = await client.post(
        "/estat/admin/synonyms", data={"word": "人口", "synonym": "人口", "_csrf": h["x-csrf-token"]}
    )
    assert same.status_code == 422 and "語と同じ" in same.text


async def test_statistic_overview_shows_the_agency_contact_and_its_tables(public, census):
    page = await public.get("/estat/statistics/00200521")
    assert page.status_code == 200
    assert "国勢調査" in page.text and "総務省" in page.text and "統計局" in page.text  # agency master, divisions
    contact = page.text.split('id="contact"')[1].split("</section>")[0]
    assert "mailto:" in contact and "@" in contact
    assert "統計 太郎" not in page.text and "03-0000" not in page.text  # never the person's name or phone
    assert f"/estat/tables/{census['stats_data_id']}" in page.text
    listing = await public.get("/estat/statistics", params={"field": "02"})
    assert "/estat/statistics/00200521" in listing.text and "/estat/statistics/00500209" not in listing.text
    assert (await public.get("/estat/statistics/99999999")).status_code == 404
    home = await public.get("/estat")
    assert home.status_code == 200 and 'action="/estat/search"' in home.text
