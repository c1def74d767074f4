"""Invoices for agency administrators (their own only) and the operator (all): JSON, CSV, HTML; fee settings."""

import csv
import io

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.billing_factories import (
    apply_usage,
    invoice_of,
    jst,
    make_approved_body,
    make_constituent,
    make_plan,
    run,
    sign_in_as,
    usage,
)
from tests.support.factories import csrf_headers, operator_client_csrf


async def _two_invoiced_tenants():
    plan = await make_plan(30_000, {("area", "area.search"): ("1.5", 10)})
    body = await make_approved_body(plan)
    await apply_usage(usage(body.id, "area.search", 1_010, jst(2026, 9, 14)))
    other = await make_constituent(annual_fee_yen=2_400_000)
    await run("2026-09", jst(2026, 10, 4, 2), body, other)
    return body, other, await invoice_of(body, "2026-09"), await invoice_of(other, "2026-09")


async def test_agency_admin_sees_only_its_own_invoices(client):
    body, other, mine, theirs = await _two_invoiced_tenants()
    await sign_in_as(client, body.admin_login)
    listed = (await client.get("/api/billing/invoices", params={"period": "2026-09"})).json()
    assert [(i["tenant_code"], i["total_yen"], i["status"]) for i in listed] == [(body.code, 31_500, "final")]
    got = await client.get(f"/api/billing/invoices/{mine['id']}")
    assert got.status_code == 200
    assert [
        (li["kind"], li["operation"], li["quantity"], li["unit_price_yen"], li["amount_yen"])
        for li in got.json()["lines"]
    ] == [("base_fee", "", 1, "30000", 30_000), ("usage", "area.search", 1_000, "1.5", 1_500)]
    for path in (
        f"/api/billing/invoices/{theirs['id']}",
        f"/billing/invoices/{theirs['id']}",
        f"/billing/invoices/{theirs['id']}.csv",
    ):
        assert (await client.get(path)).status_code == 404, path
    fees = await client.get(f"/api/billing/tenants/{other.id}/constituent-fees")
    assert fees.status_code == 404
    staff = await sign_in_as(client, body.staff_login)
    assert staff and (await client.get("/api/billing/invoices")).status_code == 403  # admins only


async def test_operator_sees_every_tenant(client):
    body, other, _mine, theirs = await _two_invoiced_tenants()
    await operator_client_csrf(client)
    listed = (await client.get("/api/billing/invoices", params={"period": "2026-09"})).json()
    assert {(i["tenant_code"], i["total_yen"]) for i in listed} >= {(body.code, 31_500), (other.code, 200_000)}
    r = await client.get(f"/api/billing/invoices/{theirs['id']}")
    assert r.status_code == 200 and r.json()["lines"][0]["amount_yen"] == 200_000
    assert (await client.get("/api/billing/invoices", params={"period": "2026-9"})).status_code == 422


async def test_csv_has_a_bom_japanese_headers_and_the_figures(client):
    body, _, mine, _ = await _two_invoiced_tenants()
    await sign_in_as(client, body.admin_login)
    r = await client.get(f"/billing/invoices/{mine['id']}.csv")
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.content.startswith(b"\xef\xbb\xbf")
    assert f"invoice-{body.code}-2026-09.csv" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["請求書番号", "機関コード", "機関名", "対象月"] and rows[0][-1] == "金額（円）"
    assert [(row[6], row[8], row[10], row[11], row[12]) for row in rows[1:3]] == [
        ("基本料金 / Base fee", "", "1", "30000", "30000"),
        ("従量料金 / Metered", "area.search", "1000", "1.5", "1500"),
    ]
    assert rows[-1][6] == "合計 / Total" and rows[-1][12] == "31500"


async def test_html_pages_show_the_invoice_and_twelve_months(client):
    body, _, mine, _ = await _two_invoiced_tenants()
    await apply_usage(usage(body.id, "area.search", 110, jst(2026, 10, 2)))
    await run("2026-10", jst(2026, 11, 1, 2), body)  # a draft for October
    await sign_in_as(client, body.admin_login)
    page = await client.get(f"/billing/invoices/{mine['id']}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "請求書" in html and "Invoice" in html and "確定 / Final" in html and body.code in html
    assert "31,500 円" in html and "30,000" in html and "1,500" in html and "area.search" in html
    assert "2026-10-04 02:00" in html  # finalised at 02:00 in Japan, shown in Japan time

    listing = await client.get("/billing")
    assert listing.status_code == 200
    text = listing.text
    assert 'id="monthly-totals"' in text and text.count("<rect ") == 12
    assert 'data-period="2026-09" data-total="31500"' in text and 'data-period="2026-10" data-total="30150"' in text
    assert "下書き / Draft" in text and "2025-11" in text  # the chart starts eleven months earlier
    assert (await client.get("/billing/invoices/not-an-id")).status_code == 404


async def test_operator_sets_a_constituent_fee_with_its_council_decision_and_a_rate(client):
    ministry = await make_constituent()
    plan = await make_plan(0, {})
    h = csrf_headers(await operator_client_csrf(client))
    r = await client.post(
        f"/api/billing/tenants/{ministry.id}/constituent-fees",
        headers=h,
        json={
            "fiscal_year": 2026,
            "annual_fee_yen": 3_600_000,
            "decided_on": "2026-03-18",
            "reference": "協議会 第12回 決定3",
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["decision"]["subject"] == "constituent_fee" and r.json()["annual_fee_yen"] == 3_600_000
    async with UnitOfWork(Scope.system("test")) as uow:
        decision = await uow.fetchrow(
            "SELECT d.subject, d.reference, d.outcome FROM constituent_fee f"
            " JOIN council_decision d ON d.id = f.decision_id WHERE f.tenant_id = $1",
            ministry.id,
        )
    assert dict(decision) == {"subject": "constituent_fee", "reference": "協議会 第12回 決定3", "outcome": "approved"}
    r = await client.put(
        f"/api/billing/plans/{plan}/rates/area/area.export",
        headers=h,
        json={"unit_price_yen": "0.25", "included_units": 1000, "decision_ref": "意見聴取 2026-04"},
    )
    assert r.status_code == 200, r.text
    plans = {p["code"]: p for p in (await client.get("/api/billing/plans")).json()}
    assert plans[plan]["decision_ref"] == "意見聴取 2026-04"
    assert plans[plan]["rates"] == [
        {"module_key": "area", "operation": "area.export", "unit_price_yen": "0.2500", "included_units": 1000}
    ]
    bad = await client.put(
        f"/api/billing/plans/{plan}/rates/area/area.export",
        headers=h,
        json={"unit_price_yen": "-1", "decision_ref": "x"},
    )
    assert bad.status_code == 422
    wrong_kind = await client.post(
        f"/api/billing/tenants/{(await make_approved_body()).id}/constituent-fees",
        headers=h,
        json={"fiscal_year": 2026, "annual_fee_yen": 1, "decided_on": "2026-03-18", "reference": "x"},
    )
    assert wrong_kind.status_code == 409
    await run("2026-10", jst(2026, 11, 2), ministry)
    assert (await invoice_of(ministry, "2026-10"))["total_yen"] == 300_000
