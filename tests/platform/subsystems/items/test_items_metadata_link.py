"""ITEMS-1: the metadata registry's survey record and the items database's questionnaires of the
same statistic link to each other (each read through the other's published.py)."""

import uuid

from tests.platform.subsystems.items.items_support import prefixed_yaml, register
from tests.platform.subsystems.metadata.metadata_support import agency, publish, signed_in, survey
from tests.support.factories import another_client, api_key


async def test_survey_record_and_questionnaire_link_both_ways(client, app):
    owner = await agency(modules=("metadata", "items"))
    admin = await signed_in(client, owner.admin_login)
    r = await client.post("/api/metadata/records", json=survey(survey_name="リンク確認の国勢調査"), headers=admin)
    record_id = r.json()["id"]
    await publish(client, app, record_id, admin)
    h = {"x-api-key": await api_key(owner.id)}
    p = "m" + uuid.uuid4().hex[:6] + "_"
    await register(client, h, p)
    text = prefixed_yaml(p).replace('survey: "00200999"', 'survey: "00200521"')
    r = await client.post(
        "/api/items/questionnaires", content=text.encode(), headers={**h, "content-type": "application/yaml"}
    )
    qid = r.json()["questionnaire_id"]
    assert (await client.post(f"/api/items/questionnaires/{qid}/publish", headers=h)).status_code == 200
    async with another_client(app) as anon:
        paper = await anon.get(f"/items/questionnaires/{qid}")
        assert f'href="/metadata/{record_id}"' in paper.text and "リンク確認の国勢調査" in paper.text
        record = await anon.get(f"/metadata/{record_id}")
        assert f'href="/items/questionnaires/{qid}"' in record.text
