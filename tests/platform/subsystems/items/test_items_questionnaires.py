"""ITEMS-2 and issue 10 §2, §7: a questionnaire is built of registered items (uploaded as YAML),
published, and read by other parts through published.py; editing an item a published questionnaire
uses makes a new item version, the published definition never changes, and the next questionnaire
version's diff report and answer migration map go by stable item id."""

import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.items import published
from govstat.platform.subsystems.items.diff import migrate
from tests.platform.subsystems.items.items_support import prefixed_yaml, register
from tests.platform.subsystems.metadata.metadata_support import domain_events
from tests.support.factories import another_client, api_key, make_tenant, outbox_mark


async def test_build_publish_version_and_diff(client, app):
    owner = await make_tenant(modules=("items",))
    h = {"x-api-key": await api_key(owner.id)}
    p = "t" + uuid.uuid4().hex[:6] + "_"
    yaml_text = prefixed_yaml(p)
    # unregistered items are refused, naming them
    r = await client.post(
        "/api/items/questionnaires", content=yaml_text.encode(), headers={**h, "content-type": "application/yaml"}
    )
    assert r.status_code == 422 and f"{p}hh_members" in r.text
    await register(client, h, p)
    r = await client.post(
        "/api/items/questionnaires", content=yaml_text.encode(), headers={**h, "content-type": "application/yaml"}
    )
    assert r.status_code == 201, r.text
    qid = r.json()["questionnaire_id"]
    async with another_client(app) as anon:
        assert (await anon.get(f"/api/items/questionnaires/{qid}")).status_code == 404  # a draft is private
    mark = await outbox_mark()
    r = await client.post(f"/api/items/questionnaires/{qid}/publish", headers=h)
    assert r.status_code == 200, r.text
    events = [e.payload for e in await domain_events(mark, "items.")]
    assert [(type(e).__name__, str(e.questionnaire_id), e.version) for e in events] == [
        ("QuestionnairePublished", qid, 1)
    ]
    async with UnitOfWork(Scope.system("test")) as uow:
        v1 = await published.questionnaire(uow, qid)
    assert v1 is not None and v1.version == 1 and v1.definition.code_lists[0].id == f"{p}sex"
    assert [q.item_id for q in v1.definition.sections[0].questions][:2] == [f"{p}hh_name", f"{p}hh_members"]

    # the item's edit makes version 2; the published definition keeps version 1's range
    r = await client.post(
        "/api/items/items",
        json={
            "id": f"{p}hh_members",
            "label_ja": "世帯員数",
            "answer_type": "integer",
            "unit": "人",
            "minimum": "1",
            "maximum": "20",
        },
        headers=h,
    )
    assert r.status_code == 201 and r.json() == {"id": f"{p}hh_members", "version": 2, "new_version": True}
    async with another_client(app) as anon:
        doc = (await anon.get(f"/api/items/questionnaires/{qid}")).json()
        assert doc["sections"][0]["questions"][1]["maximum"] == "30"
        item = (await anon.get(f"/api/items/items/{p}hh_members")).json()
        assert [v["version"] for v in item["versions"]] == [2, 1] and item["versions"][1]["fixed"]
        assert [(u["questionnaire_id"], u["item_version"]) for u in item["used_in"]] == [(qid, 1)]
        hits = (await anon.get("/api/items/search/items", params={"q": "セタイインスウ"})).json()["items"]
        assert f"{p}hh_members" in [i["id"] for i in hits]  # kana finds the kanji label by its reading
    # the database refuses to change a fixed version whatever the caller does
    async with UnitOfWork(Scope.system("test")) as uow:
        try:
            await uow.execute(
                "UPDATE items_item_version SET unit = 'x' WHERE item_id = $1 AND version = 1", f"{p}hh_members"
            )
            raise AssertionError("a fixed item version changed")
        except Exception as exc:
            assert "items_version_fixed" in str(exc) or "published questionnaire" in str(exc)

    # version 2 of the questionnaire: drop the name, picks up the item's version 2
    v2_yaml = yaml_text.replace(
        f"      - {{item_id: {p}hh_name, label_ja: 世帯主の氏名, answer_type: text, max_length: 40, preprint: true, locked: true}}\n",
        "",
    )
    r = await client.post(
        f"/api/items/questionnaires/{qid}/draft",
        content=v2_yaml.encode(),
        headers={**h, "content-type": "application/yaml"},
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    assert (await client.post(f"/api/items/questionnaires/{qid}/publish", headers=h)).status_code == 200
    d = (await client.get(f"/api/items/questionnaires/{qid}/diff", params={"old": 1, "new": 2})).json()
    kinds = {c["item_id"]: c for c in d["changes"]}
    assert kinds[f"{p}hh_name"]["kind"] == "removed"
    assert kinds[f"{p}hh_members"]["kind"] == "changed" and kinds[f"{p}hh_members"]["new"]["maximum"] == "20"
    actions = {m["item_id"]: m["action"] for m in d["migration"]}
    assert (
        actions[f"{p}hh_members"] == "carry-check"
        and actions[f"{p}hh_male"] == "carry"
        and actions[f"{p}hh_name"] == "drop"
    )
    from govstat.platform.subsystems.items.diff import Migration

    assert migrate(
        {f"{p}hh_name": "x", f"{p}hh_male": "1"}, [Migration(item_id=k, action=v) for k, v in actions.items()]
    ) == {f"{p}hh_male": "1"}
    report = await client.get(f"/items/questionnaires/{qid}/diff", params={"old": 1, "new": 2})
    assert report.status_code == 200 and "引き継がない / drop" in report.text and "maximum: 30 → 20" in report.text
    async with UnitOfWork(Scope.system("test")) as uow:
        old = await published.questionnaire(uow, qid, 1)
        assert old is not None and old.status == "superseded" and old.definition == v1.definition

    # another tenant cannot touch it
    other = await make_tenant(modules=("items",))
    oh = {"x-api-key": await api_key(other.id)}
    assert (
        await client.post(
            f"/api/items/questionnaires/{qid}/draft",
            content=v2_yaml.encode(),
            headers={**oh, "content-type": "application/yaml"},
        )
    ).status_code == 404
    r = await client.post(
        "/api/items/items", json={"id": f"{p}hh_male", "label_ja": "乗っ取り", "answer_type": "text"}, headers=oh
    )
    assert r.status_code == 404


async def test_the_operator_maintains_every_agencys_items(client):
    from tests.platform.subsystems.metadata.metadata_support import as_operator

    owner = await make_tenant(modules=("items",))
    p = "op" + uuid.uuid4().hex[:6] + "_"
    body = {"id": f"{p}employees", "label_ja": "従業者数", "answer_type": "integer", "unit": "人"}
    assert (
        await client.post("/api/items/items", json=body, headers={"x-api-key": await api_key(owner.id)})
    ).status_code == 201
    op = await as_operator(client)
    r = await client.post("/api/items/items", json={**body, "definition_ja": "事業所で働いている全ての人"}, headers=op)
    assert r.status_code == 201 and r.json() == {"id": f"{p}employees", "version": 1, "new_version": False}
    item = (await client.get(f"/api/items/items/{p}employees")).json()
    assert item["versions"][0]["definition_ja"] == "事業所で働いている全ての人"
