"""METADATA-1: draft -> finalised (確定, the agency's administrator) -> published (承認, the operator),
every transition audited in its own transaction, refusals answering 409; the operator's send-back
(差戻し); an update after publication opens a new draft while the published version stays public."""

import uuid

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict
from govstat.platform.security import Scope
from govstat.platform.subsystems.metadata.events import SurveyFinalised, SurveyPublished
from tests.platform.subsystems.metadata.metadata_support import (
    agency,
    as_operator,
    domain_events,
    publish,
    signed_in,
    survey,
)
from tests.support.factories import another_client, audit_events, outbox_mark


async def test_draft_is_finalised_by_the_agency_and_published_on_the_operators_approval(client, app):
    owner = await agency()
    mark = await outbox_mark()
    staff = await signed_in(client, owner.staff_login)
    r = await client.post("/api/metadata/records", json=survey(), headers=staff)
    assert r.status_code == 201, r.text
    rec = r.json()
    rid = rec["id"]
    assert rec["published"] is None and rec["open"]["status"] == "draft" and rec["open"]["version"] == 1
    assert [i["name"] for i in rec["open"]["items"]] == ["男女の別", "年齢", "産業"]
    jsic = rec["open"]["classifications"][0]
    assert jsic["classification_version"] == "jsic-13" and jsic["item_code"] == "E" and jsic["item_name"] == "製造業"
    assert jsic["url"] == "/classification/versions/jsic-13/items/E"

    async with another_client(app) as public:  # a draft is nobody else's business
        assert (await public.get(f"/api/metadata/surveys/{rid}")).status_code == 404
        assert rid not in [s["id"] for s in (await public.get("/api/metadata/surveys")).json()["items"]]

    # 確定 is the administrator's: staff may not
    assert (await client.post(f"/api/metadata/records/{rid}/finalise", headers=staff)).status_code == 403
    admin = await signed_in(client, owner.admin_login)
    assert (
        await client.post(f"/api/metadata/records/{rid}/approve", headers=admin)
    ).status_code == 403  # not the agency's
    r = await client.post(f"/api/metadata/records/{rid}/finalise", headers=admin)
    assert r.status_code == 200 and r.json()["open"]["status"] == "finalised" and r.json()["open"]["finalised_at"]
    # fixed now: no change, no second finalisation
    r = await client.patch(f"/api/metadata/records/{rid}", json={"purpose": "変更"}, headers=admin)
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    assert (await client.post(f"/api/metadata/records/{rid}/finalise", headers=admin)).status_code == 409

    async with another_client(app) as op:
        oh = await as_operator(op)
        queue = (await op.get("/api/metadata/records", params={"status": "finalised"})).json()
        assert rid in [q["id"] for q in queue["items"]]  # the operator sees the agency's finalised version
        r = await op.post(f"/api/metadata/records/{rid}/approve", headers=oh)
        assert r.status_code == 200, r.text
        assert r.json()["published"]["version"] == 1 and r.json()["open"] is None
        assert (await op.post(f"/api/metadata/records/{rid}/approve", headers=oh)).status_code == 409
        assert (
            await op.post(f"/api/metadata/records/{rid}/reject", json={"reason": "x"}, headers=oh)
        ).status_code == 409

    async with another_client(app) as public:
        doc = (await public.get(f"/api/metadata/surveys/{rid}")).json()
        assert (
            doc["status"] == "published" and doc["version"] == 1 and doc["survey"]["survey_name"] == "令和7年国勢調査"
        )
        assert doc["agency"]["code"] == "00200" and doc["statistic"]["name"] == "国勢調査"
        assert "approved_by" not in doc and "finalised_by" not in doc  # the public document names no people

    events = [(e.action, e.detail.get("version")) for e in await audit_events(mark, owner.id, "metadata.survey.")]
    assert events == [("metadata.survey.created", 1), ("metadata.survey.finalised", 1), ("metadata.survey.approved", 1)]
    published = [e for e in await domain_events(mark) if e.tenant_id == owner.id]
    assert [type(e.payload) for e in published] == [SurveyFinalised, SurveyPublished]
    assert str(published[1].payload.record_id) == rid and published[1].payload.gov_stat_code == "00200521"


async def test_the_operator_sends_a_finalised_version_back_with_the_reason(client, app):
    owner = await agency()
    admin = await signed_in(client, owner.admin_login)
    rid = (await client.post("/api/metadata/records", json=survey(), headers=admin)).json()["id"]
    mark = await outbox_mark()
    assert (await client.post(f"/api/metadata/records/{rid}/finalise", headers=admin)).status_code == 200
    async with another_client(app) as op:
        oh = await as_operator(op)
        r = await op.post(f"/api/metadata/records/{rid}/reject", json={"reason": ""}, headers=oh)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"
        r = await op.post(
            f"/api/metadata/records/{rid}/reject", json={"reason": "調査方法を具体的に記載してください"}, headers=oh
        )
        assert r.status_code == 200 and r.json()["open"]["status"] == "draft"
        assert r.json()["open"]["review_note"] == "調査方法を具体的に記載してください"
        assert (await op.post(f"/api/metadata/records/{rid}/approve", headers=oh)).status_code == 409  # a draft again
    r = await client.patch(
        f"/api/metadata/records/{rid}", json={"method": "調査員調査（調査票の配布・回収）"}, headers=admin
    )
    assert r.status_code == 200 and r.json()["open"]["version"] == 1
    assert (await client.post(f"/api/metadata/records/{rid}/finalise", headers=admin)).status_code == 200
    actions = [e.action for e in await audit_events(mark, owner.id, "metadata.survey.")]
    assert actions == [
        "metadata.survey.finalised",
        "metadata.survey.rejected",
        "metadata.survey.updated",
        "metadata.survey.finalised",
    ]
    rejected = next(iter(await audit_events(mark, owner.id, "metadata.survey.rejected")))
    assert rejected.detail["reason"] == "調査方法を具体的に記載してください" and rejected.actor_kind == "operator"


async def test_only_a_complete_draft_is_finalised(client):
    owner = await agency()
    admin = await signed_in(client, owner.admin_login)
    body = {"gov_stat_code": "00200521", "survey_name": "令和7年国勢調査（作成中）"}
    rid = (await client.post("/api/metadata/records", json=body, headers=admin)).json()["id"]
    r = await client.post(f"/api/metadata/records/{rid}/finalise", headers=admin)
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {
        "purpose",
        "legal_basis",
        "population",
        "cycle",
        "method",
        "items",
    }
    assert (await client.get(f"/api/metadata/records/{rid}")).json()["open"]["status"] == "draft"


async def test_an_update_after_publication_opens_a_new_draft_and_the_published_version_stays(client, app):
    owner = await agency()
    admin = await signed_in(client, owner.admin_login)
    rid = (await client.post("/api/metadata/records", json=survey(), headers=admin)).json()["id"]
    await publish(client, app, rid, admin)
    mark = await outbox_mark()
    items = survey()["items"] + [
        {"code": "C01", "name": "配偶関係", "definition": "届出の有無にかかわらない実際の状態", "value_type": "code"}
    ]
    r = await client.patch(
        f"/api/metadata/records/{rid}", json={"survey_name": "令和7年国勢調査（改訂）", "items": items}, headers=admin
    )
    assert r.status_code == 200, r.text
    rec = r.json()
    assert rec["published"]["version"] == 1 and rec["published"]["survey"]["survey_name"] == "令和7年国勢調査"
    assert rec["open"]["version"] == 2 and rec["open"]["status"] == "draft"
    assert rec["open"]["survey"]["survey_name"] == "令和7年国勢調査（改訂）" and len(rec["open"]["items"]) == 4
    # what the patch did not name is carried over from version 1
    assert rec["open"]["survey"]["purpose"] == survey()["purpose"]
    assert [c["free_text"] or c["classification_version"] for c in rec["open"]["classifications"]] == [
        "jsic-13",
        "国勢調査独自の世帯の家族類型区分",
    ]
    # a second change edits the same draft, it does not open a third version
    r = await client.patch(f"/api/metadata/records/{rid}", json={"cycle": "5年（西暦の末尾が0と5の年）"}, headers=admin)
    assert r.json()["open"]["version"] == 2 and [v["version"] for v in r.json()["versions"]] == [1, 2]

    async with another_client(app) as public:
        doc = (await public.get(f"/api/metadata/surveys/{rid}")).json()
        assert doc["version"] == 1 and doc["survey"]["survey_name"] == "令和7年国勢調査" and len(doc["items"]) == 3
        found = (await public.get("/api/metadata/surveys", params={"q": "改訂"})).json()
        assert rid not in [s["id"] for s in found["items"]]
        assert (await public.get(f"/api/metadata/surveys/{rid}", params={"version": 2})).status_code == 404

    await publish(client, app, rid, admin)
    async with another_client(app) as public:
        doc = (await public.get(f"/api/metadata/surveys/{rid}")).json()
        assert (
            doc["version"] == 2 and doc["survey"]["survey_name"] == "令和7年国勢調査（改訂）" and len(doc["items"]) == 4
        )
        assert [(h["version"], h["status"]) for h in doc["history"]] == [(1, "superseded"), (2, "published")]
        old = (await public.get(f"/api/metadata/surveys/{rid}", params={"version": 1})).json()
        assert old["status"] == "superseded" and old["survey"]["survey_name"] == "令和7年国勢調査"
        listed = [
            s
            for s in (await public.get("/api/metadata/surveys", params={"q": "令和7年国勢調査"})).json()["items"]
            if s["id"] == rid
        ]
        assert [s["version"] for s in listed] == [2]  # one entry per survey: its current version
    events = [
        (e.action, e.detail.get("version"), e.detail.get("new_version"), e.detail.get("superseded_version"))
        for e in await audit_events(mark, owner.id, "metadata.survey.")
    ]
    assert events == [
        ("metadata.survey.updated", 2, True, None),
        ("metadata.survey.updated", 2, False, None),
        ("metadata.survey.finalised", 2, None, None),
        ("metadata.survey.approved", 2, None, 1),
    ]


async def test_the_database_keeps_published_content_fixed_even_for_the_operator(client, app):
    owner = await agency()
    admin = await signed_in(client, owner.admin_login)
    rid = uuid.UUID((await client.post("/api/metadata/records", json=survey(), headers=admin)).json()["id"])
    await publish(client, app, str(rid), admin)
    operator = Scope(role="operator", actor="test")
    of_record = "version_id IN (SELECT id FROM metadata_version WHERE record_id = $1)"
    for sql, constraint in (
        ("UPDATE metadata_version SET survey_name = '改ざん' WHERE record_id = $1", "metadata_version_fixed"),
        (
            "UPDATE metadata_version SET status = 'draft', finalised_at = now() WHERE record_id = $1",
            "metadata_version_transition",
        ),
        ("DELETE FROM metadata_version WHERE record_id = $1", "metadata_version_fixed"),
        (f"UPDATE metadata_item SET definition = '改ざん' WHERE {of_record}", "metadata_version_fixed"),
        (f"DELETE FROM metadata_classification WHERE {of_record}", "metadata_version_fixed"),
        (
            "INSERT INTO metadata_item (version_id, tenant_id, position, name, value_type) SELECT id, tenant_id, 99,"
            " '追加', 'text' FROM metadata_version WHERE record_id = $1",
            "metadata_version_fixed",
        ),
    ):
        with pytest.raises(Conflict) as refused:
            async with UnitOfWork(operator) as uow:
                await uow.execute(sql, rid)
        assert refused.value.extra["constraint"] == constraint, sql
    async with UnitOfWork(operator) as uow:
        assert (
            await uow.fetchval("SELECT survey_name FROM metadata_version WHERE record_id = $1", rid)
            == "令和7年国勢調査"
        )
        assert await uow.fetchval(f"SELECT count(*) FROM metadata_item WHERE {of_record}", rid) == 3
