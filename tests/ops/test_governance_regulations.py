"""GOV-8: versioned regulations; a version binding agencies is put in force only with its council decision
(the use case answers 409, the database refuses too); tenants acknowledge; who has not is listed."""

import secrets

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict
from govstat.platform.security import Scope
from tests.support.factories import (
    another_client,
    audit_events,
    csrf_headers,
    make_tenant,
    operator_client_csrf,
    outbox_mark,
    sign_in,
)

API = "/api/ops/governance"


async def _regulation(op, h, binds: bool) -> dict:
    r = await op.post(
        f"{API}/regulations",
        headers=h,
        json={
            "code": f"usage-{secrets.token_hex(3)}",
            "kind": "usage_rules",
            "title_ja": "政府統計共同利用システム利用要領",
            "title_en": "Usage rules",
            "binds_agencies": binds,
        },
    )
    assert r.status_code == 201, r.text
    return r.json()


async def _version(op, h, reg, version, **extra) -> dict:
    r = await op.post(
        f"{API}/regulations/{reg['id']}/versions",
        headers=h,
        json={"version": version, "body": f"第1条 この要領は… ({version})", "effective_on": "2027-04-01", **extra},
    )
    assert r.status_code == 201, r.text
    return r.json()


async def _decision(op, h, subject="regulation", outcome="approved") -> dict:
    r = await op.post(
        f"{API}/council-decisions",
        headers=h,
        json={
            "subject": subject,
            "outcome": outcome,
            "decided_on": "2027-03-10",
            "reference": f"協議会 {secrets.token_hex(2)}",
        },
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_a_binding_version_needs_its_council_decision(client):
    h = csrf_headers(await operator_client_csrf(client))
    reg = await _regulation(client, h, binds=True)
    v1 = await _version(client, h, reg, "1.0")
    mark = await outbox_mark()
    refused = await client.post(f"{API}/regulations/versions/{v1['id']}/in-force", headers=h)
    assert refused.status_code == 409 and refused.json()["type"].endswith("/invalid-transition")
    assert "GOV-8" in refused.json()["detail"]
    # the database holds the rule too, whoever writes
    with pytest.raises(Conflict):
        async with UnitOfWork(Scope(role="operator", actor="test")) as uow:
            await uow.execute(
                "UPDATE regulation_version SET state = 'in_force', in_force_at = now() WHERE id = $1", v1["id"]
            )
    other = await _decision(client, h, subject="change_request")
    rejected = await _decision(client, h, outcome="rejected")
    for d in (other, rejected):
        r = await client.post(
            f"{API}/regulations/versions/{v1['id']}/council-decision", headers=h, json={"council_decision_id": d["id"]}
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "council_decision_id"
    assert await audit_events(mark, prefix="regulation.") == []

    approved = await _decision(client, h)
    r = await client.post(
        f"{API}/regulations/versions/{v1['id']}/council-decision",
        headers=h,
        json={"council_decision_id": approved["id"]},
    )
    assert r.status_code == 200 and r.json()["council_decision_id"] == approved["id"]
    live = await client.post(f"{API}/regulations/versions/{v1['id']}/in-force", headers=h)
    assert live.status_code == 200 and live.json()["state"] == "in_force"
    assert (await client.post(f"{API}/regulations/versions/{v1['id']}/in-force", headers=h)).status_code == 409

    v2 = await _version(client, h, reg, "2.0", council_decision_id=(await _decision(client, h))["id"])
    assert (await client.post(f"{API}/regulations/versions/{v2['id']}/in-force", headers=h)).status_code == 200
    mine = next(r for r in (await client.get(f"{API}/regulations")).json() if r["id"] == reg["id"])
    assert [(v["version"], v["state"]) for v in mine["versions"]] == [("2.0", "in_force"), ("1.0", "superseded")]
    assert mine["in_force"]["version"] == "2.0"
    assert [e.action for e in await audit_events(mark, prefix="regulation.")] == [
        "regulation.decision_attached",
        "regulation.version_in_force",
        "regulation.version_drafted",
        "regulation.version_in_force",
    ]


async def test_a_version_not_binding_agencies_needs_no_decision(client):
    h = csrf_headers(await operator_client_csrf(client))
    reg = await _regulation(client, h, binds=False)
    v = await _version(client, h, reg, "1.0")
    assert (await client.post(f"{API}/regulations/versions/{v['id']}/in-force", headers=h)).status_code == 200


async def test_tenants_acknowledge_the_version_in_force_and_the_rest_are_listed(client, app):
    a, b = await make_tenant(), await make_tenant()
    async with another_client(app) as op:
        h = csrf_headers(await operator_client_csrf(op))
        reg = await _regulation(op, h, binds=True)
        draft = await _version(op, h, reg, "1.0", council_decision_id=(await _decision(op, h))["id"])
        ha = csrf_headers(await sign_in(client, a.admin_login))
        early = await client.post(f"{API}/regulations/versions/{draft['id']}/acknowledgements", headers=ha)
        assert early.status_code == 409  # a draft is not acknowledged
        await op.post(f"{API}/regulations/versions/{draft['id']}/in-force", headers=h)

        ack = await client.post(f"{API}/regulations/versions/{draft['id']}/acknowledgements", headers=ha)
        assert ack.status_code == 201 and ack.json()["tenant_id"] == str(a.id)
        assert (
            await client.post(f"{API}/regulations/versions/{draft['id']}/acknowledgements", headers=ha)
        ).status_code == 409
        pending = [
            (u["tenant_id"], u["version_id"]) for u in (await op.get(f"{API}/regulations/unacknowledged")).json()
        ]
        assert (str(b.id), draft["id"]) in pending and (str(a.id), draft["id"]) not in pending
        assert not [p for p in pending if p[0] == str(await _operator_tenant())]  # the operator is not asked
        own = (await client.get(f"{API}/regulations/unacknowledged")).json()  # an agency sees its own list
        assert {u["tenant_id"] for u in own} <= {str(a.id)} and draft["id"] not in {u["version_id"] for u in own}
        mine = next(r for r in (await client.get(f"{API}/regulations")).json() if r["id"] == reg["id"])
        assert mine["in_force"]["acknowledged"] is True

        # a new version in force must be acknowledged again
        v2 = await _version(op, h, reg, "1.1", council_decision_id=(await _decision(op, h))["id"])
        await op.post(f"{API}/regulations/versions/{v2['id']}/in-force", headers=h)
        pending = [
            (u["tenant_id"], u["version_id"]) for u in (await op.get(f"{API}/regulations/unacknowledged")).json()
        ]
        assert (str(a.id), v2["id"]) in pending and (str(a.id), draft["id"]) not in pending
        page = await op.get("/ops/governance")
        assert page.status_code == 200 and 'id="unacknowledged"' in page.text


async def _operator_tenant():
    async with UnitOfWork(Scope.system("test")) as uow:
        return await uow.fetchval("SELECT id FROM tenant WHERE kind = 'operator'")
