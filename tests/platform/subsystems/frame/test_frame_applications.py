"""FRAME-2/3: an application from an agency (API key) through review, return and resubmission,
approval, extraction as of the reference date, the PRN sample and the delivery as CSV and XLSX with
an expiry; each step with who and when and a notice; the progress lists of agency and operator."""

import csv
import io

import openpyxl

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.support.factories import api_key, make_tenant, operator_client_csrf, outbox_mark
from tests.support.outbox import decode

SURVEY = {
    "name": "製造業実態調査",
    "period_from": "2024-07-01",
    "period_to": "2024-12-31",
    "population": {"industries": ["09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "21",
                                  "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32"], "areas": []},
    "sample_size": 40,
    "start_point": 0.7,
}  # fmt: skip


async def _notices(since):
    async with UnitOfWork(Scope.system()) as uow:
        rows = await uow.fetch(
            "SELECT kind, payload FROM outbox WHERE seq > $1 AND kind = 'domain' ORDER BY seq", since
        )
    return [e.payload.status for e in (decode(bytes(r["payload"])) for r in rows) if hasattr(e.payload, "status")]


async def test_application_flow_to_delivery(client):
    agency = await make_tenant(("frame",))
    ah = {"x-api-key": await api_key(agency.id)}
    oh = {"x-csrf-token": await operator_client_csrf(client)}
    mark = await outbox_mark()
    survey = (await client.post("/api/frame/surveys", headers=ah, json=SURVEY)).json()
    app = await client.post("/api/frame/applications", headers=ah,
                            json={"survey_id": survey["id"], "purpose": "標本設計のため", "reference_date": "2024-06-01"})  # fmt: skip
    assert app.status_code == 201, app.text
    aid = app.json()["id"]
    base = f"/api/frame/applications/{aid}"
    assert (await client.post(f"{base}/review", headers=ah, json={"decision": "approve"})).status_code == 403
    r = await client.post(f"{base}/review", headers=oh, json={"decision": "return"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "comment"
    r = await client.post(f"{base}/review", headers=oh, json={"decision": "return", "comment": "利用目的を具体的に"})
    assert r.json()["status"] == "returned"
    assert (await client.post(f"{base}/extract", headers=oh)).status_code == 409  # not approved
    r = await client.post(f"{base}/resubmit", headers=ah, json={"purpose": "製造業実態調査の標本抽出（40事業所）"})
    assert r.json()["status"] == "applied"
    for step, body in (("review", {"decision": "approve"}), ("extract", None), ("sample", {"cycle": "2024"})):
        r = await client.post(f"{base}/{step}", headers=oh, json=body)
        assert r.status_code == 200, r.text
    assert r.json()["status"] == "sampled" and r.json()["population_count"] > 40
    files = (await client.post(f"{base}/deliver", headers=oh)).json()
    assert {f["format"] for f in files} == {"csv", "xlsx"} and all(f["rows"] == 40 for f in files)
    detail = (await client.get(base, headers=ah)).json()
    assert [s["status"] for s in detail["steps"]] == [
        "applied", "returned", "applied", "approved", "extracted", "sampled", "delivered"]  # fmt: skip
    who = [s["actor"] for s in detail["steps"]]
    assert (
        who[0] == who[2] != who[1] == who[3] and detail["steps"][1]["note"] == "利用目的を具体的に"
    )  # agency, operator
    assert all(s["at"] for s in detail["steps"])
    assert await _notices(mark) == [s["status"] for s in detail["steps"]]  # a notice per step
    by = {f["format"]: f for f in files}
    text = (await client.get(f"/api/frame/deliveries/{by['csv']['id']}", headers=ah)).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert (
        rows[0][0] == "事業所番号"
        and len(rows) == 41
        and all(r[6][:2] in SURVEY["population"]["industries"] for r in rows[1:])
    )
    book = openpyxl.load_workbook(
        io.BytesIO((await client.get(f"/api/frame/deliveries/{by['xlsx']['id']}", headers=ah)).content)
    )
    assert book.active.max_row == 42
    # both progress lists show it; another agency neither lists nor downloads it
    assert aid in {a["id"] for a in (await client.get("/api/frame/applications", headers=ah)).json()}
    queue = (await client.get("/api/frame/applications", headers=oh, params={"status": "delivered"})).json()
    assert aid in {a["id"] for a in queue} and next(a for a in queue if a["id"] == aid)["survey_name"] == SURVEY["name"]
    other = {"x-api-key": await api_key((await make_tenant(("frame",))).id)}
    assert (await client.get(f"/api/frame/deliveries/{by['csv']['id']}", headers=other)).status_code == 404
    assert aid not in {a["id"] for a in (await client.get("/api/frame/applications", headers=other)).json()}
    async with UnitOfWork(Scope.system()) as uow:  # two weeks later
        await uow.execute(
            "UPDATE frame_delivery SET expires_at = now() - interval '1 second' WHERE application_id = $1", aid
        )
    assert (await client.get(f"/api/frame/deliveries/{by['csv']['id']}", headers=ah)).status_code == 410
