"""PLAT-1 for METADATA-1: an agency registers metadata only for its own agency's statistics;
another tenant's record answers 404 (draft or published) on the work API; row-level security
shows drafts to their owner and the operator only and published versions to everyone."""

import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.subsystems.metadata.metadata_support import agency, as_operator, counts, publish, signed_in, survey
from tests.support.factories import another_client, api_key, make_tenant


async def test_an_agency_cannot_register_metadata_for_another_agencys_statistic(client):
    mic = await agency()
    h = {"x-api-key": await api_key(mic.id, roles=("agency_admin", "agency_staff"))}
    before = await counts()
    r = await client.post("/api/metadata/records", json=survey(gov_stat_code="00500209"), headers=h)  # 農林業センサス
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["field"] == "gov_stat_code" and "00500" in r.json()["errors"][0]["message"]
    r = await client.post("/api/metadata/records", json=survey(gov_stat_code="99999999"), headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "gov_stat_code"
    # a tenant that is no agency of a statistic at all
    stranger = await make_tenant(modules=("metadata",))
    r = await client.post("/api/metadata/records", json=survey(), headers={"x-api-key": await api_key(stranger.id)})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "gov_stat_code"
    assert await counts() == before


async def test_another_tenants_record_answers_404_draft_or_published(client, app):
    owner, other = await agency(), await agency()  # both 総務省 tenants: same agency, still separate tenants
    admin = await signed_in(client, owner.admin_login)
    draft = (await client.post("/api/metadata/records", json=survey(survey_name="下書きの調査"), headers=admin)).json()[
        "id"
    ]
    public = (await client.post("/api/metadata/records", json=survey(), headers=admin)).json()["id"]
    await publish(client, app, public, admin)
    async with another_client(app) as c2:
        h2 = await signed_in(c2, other.admin_login)
        for rid in (draft, public):
            assert (await c2.get(f"/api/metadata/records/{rid}")).status_code == 404
            assert (
                await c2.patch(f"/api/metadata/records/{rid}", json={"purpose": "乗っ取り"}, headers=h2)
            ).status_code == 404
            assert (await c2.post(f"/api/metadata/records/{rid}/finalise", headers=h2)).status_code == 404
            assert (await c2.get(f"/metadata/manage/{rid}")).status_code == 404
        assert (await c2.get("/api/metadata/records")).json()["total"] == 0
        # the published one is public like anyone's: on the public side
        assert (await c2.get(f"/api/metadata/surveys/{public}")).status_code == 200
        assert (await c2.get(f"/api/metadata/surveys/{draft}")).status_code == 404
    # nothing of the other tenant's attempts reached the owner's record
    body = (await client.get(f"/api/metadata/records/{public}")).json()
    assert body["open"] is None and body["published"]["survey"]["purpose"] == survey()["purpose"]
    async with another_client(app) as op:  # the operator sees every tenant's drafts
        await as_operator(op)
        assert (await op.get(f"/api/metadata/records/{draft}")).json()["open"]["survey"][
            "survey_name"
        ] == "下書きの調査"


async def test_row_level_security_shows_drafts_to_the_owner_and_published_versions_to_all(client, app):
    owner, other = await agency(), await agency()
    admin = await signed_in(client, owner.admin_login)
    rid = (await client.post("/api/metadata/records", json=survey(), headers=admin)).json()["id"]
    await publish(client, app, rid, admin)
    assert (
        await client.patch(f"/api/metadata/records/{rid}", json={"survey_name": "第2版の下書き"}, headers=admin)
    ).status_code == 200
    record = uuid.UUID(rid)
    sql = (
        "SELECT v.version_no, v.status, (SELECT count(*) FROM metadata_item i WHERE i.version_id = v.id) AS items"
        " FROM metadata_version v WHERE v.record_id = $1 ORDER BY v.version_no"
    )
    for scope, seen in (
        (Scope(), [(1, "published", 3)]),  # anonymous
        (Scope.tenant(other.id), [(1, "published", 3)]),  # another tenant
        (Scope.tenant(owner.id), [(1, "published", 3), (2, "draft", 3)]),  # the owner
        (Scope(role="operator", actor="t"), [(1, "published", 3), (2, "draft", 3)]),
    ):
        async with UnitOfWork(scope) as uow:
            assert [tuple(r) for r in await uow.fetch(sql, record)] == seen, scope
            # even a direct write to another tenant's draft finds nothing to change
            if scope.tenant_id == other.id:
                assert (
                    await uow.execute("UPDATE metadata_version SET survey_name = 'x' WHERE record_id = $1", record)
                    == "UPDATE 0"
                )
    async with another_client(app) as public:
        doc = (await public.get(f"/api/metadata/surveys/{rid}")).json()
        assert doc["version"] == 1 and doc["survey"]["survey_name"] == "令和7年国勢調査"
        names = [
            s["survey_name"]
            for s in (await public.get("/api/metadata/surveys", params={"q": "下書き"})).json()["items"]
        ]
        assert "第2版の下書き" not in names
        assert (await public.get("/api/metadata/records")).status_code == 401  # the work API needs a sign-in


async def test_a_tenant_without_the_subscription_is_refused(client):
    t = await agency(modules=("tables",))
    r = await client.get("/api/metadata/records", headers={"x-api-key": await api_key(t.id)})
    assert r.status_code == 403 and "metadata" in r.json()["detail"]
