"""METADATA-1 publication: the public API (search by words, agency and field), and the exports of
published metadata as JSON and as DDI Codebook 2.5 XML."""

import json
from xml.etree import ElementTree as ET

from tests.platform.subsystems.metadata.metadata_support import agency, publish, signed_in, statdb_table, survey
from tests.support.factories import another_client

NS = {"d": "ddi:codebook:2_5"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


async def test_search_by_words_agency_and_field(client, app):
    mic, maff = await agency(), await agency("00500")
    h_mic = await signed_in(client, mic.admin_login)
    census = (
        await client.post("/api/metadata/records", json=survey(survey_name="国勢調査（検索用ｱ）"), headers=h_mic)
    ).json()["id"]
    await publish(client, app, census, h_mic)
    async with another_client(app) as c2:
        h_maff = await signed_in(c2, maff.admin_login)
        body = survey(
            gov_stat_code="00500209",
            survey_name="2025年農林業センサス（検索用ｲ）",
            classifications=[],
            items=[
                {
                    "name": "経営耕地面積",
                    "definition": "調査期日現在で経営している耕地",
                    "unit": "a",
                    "value_type": "decimal",
                }
            ],
        )
        farm = (await c2.post("/api/metadata/records", json=body, headers=h_maff)).json()["id"]
        await publish(c2, app, farm, h_maff)
    async with another_client(app) as public:

        def ids(r):
            return {s["id"] for s in r.json()["items"]}

        assert {census, farm} <= ids(await public.get("/api/metadata/surveys", params={"q": "検索用"}))
        assert ids(await public.get("/api/metadata/surveys", params={"q": "検索用 耕地"})) == {
            farm
        }  # item definitions too
        assert ids(await public.get("/api/metadata/surveys", params={"q": "検索用", "agency": "00500"})) == {farm}
        assert ids(await public.get("/api/metadata/surveys", params={"q": "検索用", "field": "02"})) == {census}
        assert ids(await public.get("/api/metadata/surveys", params={"q": "100%"})) == set()  # % is a character
        hit = next(iter((await public.get("/api/metadata/surveys", params={"q": "検索用ｱ"})).json()["items"]))
        assert hit["statistic"] == {
            "code": "00200521",
            "name": "国勢調査",
            "field_code": "02",
            "field_name": "人口・世帯",
        }
        assert hit["agency"] == {"code": "00200", "name": "総務省"}
        assert (await public.get("/api/metadata/surveys", params={"agency": "00;drop"})).status_code == 422


async def test_exports_json_and_ddi_codebook(client, app):
    owner = await agency()
    sid = await statdb_table(client, owner, 31, publish=True)
    admin = await signed_in(client, owner.admin_login)
    rid = (
        await client.post("/api/metadata/records", json=survey(tables=[{"stats_data_id": sid}]), headers=admin)
    ).json()["id"]
    async with another_client(app) as public:
        assert (await public.get(f"/api/metadata/surveys/{rid}/export", params={"format": "ddi"})).status_code == 404
    await publish(client, app, rid, admin)
    async with another_client(app) as public:
        r = await public.get(f"/api/metadata/surveys/{rid}/export", params={"format": "json"})
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
        doc = json.loads(r.content)
        assert doc["format"] == "govstat-metadata/1" and doc["id"] == rid and doc["version"] == 1
        assert [i["name"] for i in doc["items"]] == ["男女の別", "年齢", "産業"] and doc["tables"][0][
            "stats_data_id"
        ] == sid

        r = await public.get(f"/api/metadata/surveys/{rid}/export", params={"format": "ddi"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
        assert r.headers["content-disposition"].endswith('.ddi.xml"')
        root = ET.fromstring(r.content)
        assert root.tag == "{ddi:codebook:2_5}codeBook" and root.get("version") == "2.5" and root.get(XML_LANG) == "ja"
        study = root.find("d:stdyDscr", NS)
        # the schema's sequence: citation, studyAuthorization, stdyInfo, method, othrStdyMat, notes
        order = [c.tag.split("}")[1] for c in study]
        assert order == ["citation", "studyAuthorization", "stdyInfo", "method", "othrStdyMat", "notes"], order
        titl = study.find("d:citation/d:titlStmt", NS)
        assert titl.find("d:titl", NS).text == "令和7年国勢調査"
        assert titl.find("d:parTitl", NS).text == "2025 Population Census"
        assert {i.get("agency"): i.text for i in titl.findall("d:IDNo", NS)} == {
            "政府統計コード": "00200521",
            "govstat": rid,
        }
        assert study.find("d:citation/d:rspStmt/d:AuthEnty", NS).text == "総務省"
        assert study.find("d:studyAuthorization/d:authorizationStatement", NS).text.startswith("統計法")
        assert study.find("d:stdyInfo/d:abstract", NS).get("contentType") == "purpose"
        summary = study.find("d:stdyInfo/d:sumDscr", NS)
        assert [
            (e.tag.split("}")[1], e.get("event"), e.get("date"))
            for e in summary
            if e.tag.endswith(("timePrd", "collDate"))
        ] == [
            ("timePrd", "start", "2025-09-20"),
            ("timePrd", "end", "2025-10-20"),
            ("collDate", "single", "2025-10-01"),
        ]
        assert summary.find("d:universe", NS).text == "調査時において本邦に常住している者"
        assert study.find("d:method/d:dataColl/d:frequenc", NS).text == "5年"
        rel = study.find("d:othrStdyMat/d:relMat/d:citation", NS)
        assert rel.find("d:titlStmt/d:IDNo", NS).text == sid
        assert rel.find("d:holdings", NS).get("URI").endswith(f"/estat/tables/{sid}")
        assert study.find("d:notes", NS).text == "国勢調査独自の世帯の家族類型区分"  # not tied to an item
        variables = root.findall("d:dataDscr/d:var", NS)
        assert [(v.get("name"), v.get("representationType"), v.find("d:labl", NS).text) for v in variables] == [
            ("A01", "code", "男女の別"),
            ("A02", "numeric", "年齢"),
            ("B01", "code", "産業"),
        ]
        age, industry = variables[1], variables[2]
        assert [c.tag.split("}")[1] for c in age] == ["labl", "txt", "varFormat", "notes"]
        assert age.find("d:notes", NS).text == "歳" and age.find("d:varFormat", NS).get("type") == "numeric"
        std = industry.find("d:stdCatgry", NS)
        assert "製造業" in std.text and std.get("URI").endswith("/classification/versions/jsic-13/items/E")
        assert (await public.get(f"/api/metadata/surveys/{rid}/export", params={"format": "csv"})).status_code in (
            400,
            422,
        )
