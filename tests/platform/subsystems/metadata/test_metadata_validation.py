"""METADATA-1 input: malformed bodies and content that does not hold together answer 422 problem
details naming every field concerned; nothing is half written, also when the last thing checked
is the one that fails, and also for a change after publication."""

from tests.platform.subsystems.metadata.metadata_support import agency, counts, publish, signed_in, statdb_table, survey
from tests.support.factories import api_key


async def test_malformed_bodies_answer_422_naming_the_field(client):
    owner = await agency()
    h = {"x-api-key": await api_key(owner.id)}
    before = await counts()
    cases = [
        ({k: v for k, v in survey().items() if k != "survey_name"}, "survey_name"),
        (survey(gov_stat_code="002005"), "gov_stat_code"),
        (survey(reference_date="2025-13-01"), "reference_date"),
        (survey(items=[{"name": "年齢", "value_type": "number"}]), "items[0].value_type"),
        (survey(tables=[{"stats_data_id": "12345"}]), "tables[0].stats_data_id"),
        (survey(colour="blue"), "colour"),
    ]
    for body, field in cases:
        r = await client.post("/api/metadata/records", json=body, headers=h)
        assert r.status_code == 422, (field, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        # the field itself, or (missing and unknown fields, named by the platform's handler) in the message
        assert problem["status"] == 422 and any(
            e["field"] == field or f"`{field}`" in e["message"] for e in problem["errors"]
        ), (field, problem)
    r = await client.post(
        "/api/metadata/records", content=b"{not json", headers={**h, "content-type": "application/json"}
    )
    assert 400 <= r.status_code < 500 and r.headers["content-type"].startswith("application/problem+json")
    assert await counts() == before


async def test_content_errors_are_all_named_and_nothing_is_written(client):
    owner, other = await agency(), await agency()
    foreign = await statdb_table(client, other, 1, publish=True)  # another tenant's, published
    hidden = await statdb_table(client, other, 4, publish=False)  # another tenant's, unpublished
    wrong_stat = await statdb_table(client, owner, 2, publish=False, stat="00200524")  # the owner's, of 人口推計
    h = {"x-api-key": await api_key(owner.id)}
    before = await counts()
    body = survey(
        period_from="2025-10-20",
        period_to="2025-09-20",
        items=[{"name": "年齢", "value_type": "integer"}, {"name": "年齢", "value_type": "integer"}],
        classifications=[
            {"version": "jsic-99"},
            {"version": "jsic-13", "item_code": "ZZ"},
            {"version": "jsic-13", "text": "両方"},
            {"text": "自由記述", "applies_to": "存在しない項目"},
        ],
        tables=[{"stats_data_id": foreign}, {"stats_data_id": wrong_stat}, {"stats_data_id": hidden}, {}],
    )
    r = await client.post("/api/metadata/records", json=body, headers=h)
    assert r.status_code == 422, r.text
    fields = [e["field"] for e in r.json()["errors"]]
    assert fields == [
        "period_to",
        "items[1].name",
        "classifications[0].version",
        "classifications[1].item_code",
        "classifications[2]",
        "classifications[3].applies_to",
        "tables[0].stats_data_id",
        "tables[1].stats_data_id",
        "tables[2].stats_data_id",
        "tables[3]",
    ], fields
    messages = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert "他の利用機関" in messages["tables[0].stats_data_id"] and "00200524" in messages["tables[1].stats_data_id"]
    assert "見つかりません" in messages["tables[2].stats_data_id"]  # row-level security: not even its existence
    # only the very last link is wrong: still nothing of the rest is kept
    good = await statdb_table(client, owner, 3, publish=False)
    r = await client.post(
        "/api/metadata/records", headers=h, json=survey(tables=[{"stats_data_id": good}, {"stats_data_id": foreign}])
    )
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["tables[1].stats_data_id"]
    assert await counts() == before


async def test_a_bad_change_after_publication_opens_no_new_version(client, app):
    owner = await agency()
    admin = await signed_in(client, owner.admin_login)
    rid = (await client.post("/api/metadata/records", json=survey(), headers=admin)).json()["id"]
    await publish(client, app, rid, admin)
    before = await counts()
    r = await client.patch(
        f"/api/metadata/records/{rid}",
        headers=admin,
        json={"survey_name": "改訂", "classifications": [{"version": "jsic-13", "item_code": "QQ"}]},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "classifications[0].item_code"
    # dropping the item a kept classification applies to is caught as well
    r = await client.patch(
        f"/api/metadata/records/{rid}", headers=admin, json={"items": [{"name": "年齢", "value_type": "integer"}]}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "classifications[0].applies_to"
    r = await client.patch(f"/api/metadata/records/{rid}", json={"cycle": 5}, headers=admin)
    assert r.status_code == 422 and "cycle" in r.json()["detail"]
    r = await client.patch(f"/api/metadata/records/{rid}", json={}, headers=admin)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body"
    assert await counts() == before
    assert [v["version"] for v in (await client.get(f"/api/metadata/records/{rid}")).json()["versions"]] == [1]
