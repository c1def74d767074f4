"""GOV-15: the yearly security audit, its findings with severity, follow-up actions; the open findings."""

import datetime as dt

from tests.support.factories import another_client, csrf_headers, make_tenant, operator_client_csrf, sign_in

API = "/api/ops/governance/security"


async def test_audit_findings_actions_and_the_open_list(client, app):
    h = csrf_headers(await operator_client_csrf(client))
    year = 2026  # the session's database is fresh
    created = await client.post(
        f"{API}/audits",
        headers=h,
        json={
            "fiscal_year": year,
            "auditor": "監査法人 例",
            "scope": "政府統計共同利用センター",
            "started_on": "2026-09-01",
        },
    )
    assert created.status_code == 201, created.text
    audit = next(a for a in (await client.get(f"{API}/audits", headers=h)).json() if a["fiscal_year"] == year)
    twice = await client.post(
        f"{API}/audits", headers=h, json={"fiscal_year": year, "auditor": "x", "started_on": "2026-09-01"}
    )
    assert twice.status_code == 409  # once a year

    high = (
        await client.post(
            f"{API}/audits/{audit['id']}/findings",
            headers=h,
            json={"title": "管理端末のパッチ適用遅延", "severity": "high", "module_key": "portal"},
        )
    ).json()
    low = (
        await client.post(
            f"{API}/audits/{audit['id']}/findings", headers=h, json={"title": "手順書の版管理", "severity": "low"}
        )
    ).json()
    bad = await client.post(f"{API}/audits/{audit['id']}/findings", headers=h, json={"title": "x", "severity": "huge"})
    assert bad.status_code in (400, 422) and "severity" in bad.json()["detail"]
    overdue = (
        await client.post(
            f"{API}/findings/{high['id']}/actions",
            headers=h,
            json={"description": "パッチ適用手順の見直し", "owner": "基盤運用課", "due_on": "2026-01-31"},
        )
    ).json()
    assert (await client.post(f"{API}/findings/{low['id']}/close", headers=h)).status_code == 409  # no action yet
    assert (await client.post(f"{API}/findings/{high['id']}/close", headers=h)).status_code == 409  # action open

    open_ = [f for f in (await client.get(f"{API}/findings", headers=h)).json() if f["audit_id"] == audit["id"]]
    assert [f["severity"] for f in open_] == ["high", "low"]
    assert open_[0]["overdue"] is True and open_[0]["actions"][0]["owner"] == "基盤運用課"
    assert open_[0]["fiscal_year"] == year

    done = await client.post(f"{API}/actions/{overdue['id']}/status", headers=h, json={"status": "done"})
    assert done.status_code == 200 and done.json()["done_at"]
    assert (await client.post(f"{API}/findings/{high['id']}/close", headers=h)).status_code == 200
    open_ = [f["id"] for f in (await client.get(f"{API}/findings", headers=h)).json()]
    assert high["id"] not in open_ and low["id"] in open_
    finished = await client.post(
        f"{API}/audits/{audit['id']}/complete", headers=h, json={"completed_on": str(dt.date(2026, 8, 1))}
    )
    assert finished.status_code == 422 and finished.json()["errors"][0]["field"] == "completed_on"
    page = await client.get("/ops/governance")
    assert 'id="open-findings"' in page.text and "手順書の版管理" in page.text

    tenant = await make_tenant()
    async with another_client(app) as agency:
        await sign_in(agency, tenant.admin_login)
        assert (await agency.get(f"{API}/findings")).status_code == 403
        page = await agency.get("/ops/governance")
        assert page.status_code == 200 and 'id="security"' not in page.text and "説明会" in page.text
