"""ITEMS-1 and issue 10 §7: a published definition exported as DDI-Lifecycle 3.3 XML (every
reference resolves), as JSON, and as XLSForm that pyxform turns into an XForm, with a report of
what the profile cannot carry; an XLSForm imported back makes a draft of registered items."""

import uuid

from lxml import etree

from govstat.platform.subsystems.items import ddi, xlsform
from tests.platform.subsystems.items.items_support import household, prefixed_yaml, register
from tests.support.factories import another_client, api_key, make_tenant

D = "{ddi:datacollection:3_3}"


def test_ddi_and_xlsform_of_a_definition():
    doc = ddi.export(household())
    assert ddi.check(doc) == []
    root = etree.fromstring(doc)
    names = [e.findtext("{ddi:reusable:3_3}String") for e in root.iter(f"{D}QuestionItemName")]
    assert names[:2] == ["hh_name", "hh_members"]
    rng = next(e for e in root.iter("{ddi:reusable:3_3}NumberRange"))
    assert rng.findtext("{ddi:reusable:3_3}High") == "30"
    assert (
        next(c.findtext("{ddi:reusable:3_3}CommandContent") for c in root.iter("{ddi:reusable:3_3}Command"))
        == "head_works = true"
    )
    broken = doc.replace(
        b"urn:ddi:jp.go.govstat:codelist-sex:1</r:URN>\n", b"urn:ddi:jp.go.govstat:codelist-gone:1</r:URN>\n", 1
    )
    assert ddi.check(broken) != []

    workbook, report = xlsform.export(household())
    xform, warnings = xlsform.to_xform(workbook)
    assert warnings == [] and "relevant=\"( /data/head/head_works  = '1')\"" in xform
    assert any("hh_name" in r and "プレプリント" in r for r in report.not_carried)
    assert any("members_sum" in n for n in report.notes)
    back, back_report = xlsform.read(workbook, survey="00200999", cycle="2026", respondent_unit="household")
    assert [q.item_id for s in back.sections for q in s.questions] == [
        q.item_id for s in household().sections for q in s.questions
    ]
    assert any("hh_female" in r for r in back_report.not_carried)  # the edit check came back as a constraint only


async def test_export_and_import_routes(client, app):
    owner = await make_tenant(modules=("items",))
    h = {"x-api-key": await api_key(owner.id)}
    p = "x" + uuid.uuid4().hex[:6] + "_"
    await register(client, h, p)
    r = await client.post(
        "/api/items/questionnaires",
        content=prefixed_yaml(p).encode(),
        headers={**h, "content-type": "application/yaml"},
    )
    qid = r.json()["questionnaire_id"]
    assert (await client.post(f"/api/items/questionnaires/{qid}/publish", headers=h)).status_code == 200
    async with another_client(app) as anon:
        x = await anon.get(f"/api/items/questionnaires/{qid}/export", params={"format": "ddi"})
        assert (
            x.status_code == 200
            and x.headers["content-type"].startswith("application/xml")
            and ddi.check(x.content) == []
        )
        j = await anon.get(f"/api/items/questionnaires/{qid}/export")
        assert j.json()["questionnaire_id"] == qid
        w = await anon.get(f"/api/items/questionnaires/{qid}/export", params={"format": "xlsform"})
        assert int(w.headers["x-govstat-not-carried"]) >= 1
        rep = (await anon.get(f"/api/items/questionnaires/{qid}/xlsform-report")).json()
        assert len(rep["not_carried"]) == int(w.headers["x-govstat-not-carried"])
    r = await client.post(
        "/api/items/questionnaires/xlsform",
        params={"survey": "00200999", "cycle": "2027", "respondent_unit": "household"},
        content=w.content,
        headers=h,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["definition"]["cycle"] == "2027" and body["definition"]["version"] == 1
    assert (
        body["definition"]["sections"][0]["questions"][1]["maximum"] == "30"
    )  # the range came from the registered item
    r = await client.post(
        "/api/items/questionnaires/xlsform",
        params={"survey": "s", "cycle": "c", "respondent_unit": "household"},
        content=b"not a workbook",
        headers=h,
    )
    assert r.status_code == 422
