"""FRAME-5: maintenance files as jobs (progress, change report, line-and-field errors), manual edits
with reasons, establishments moved forward through an area merger, the postal mismatch list."""

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.jobs.spec import JobContext
from govstat.platform.security import Scope
from govstat.platform.subsystems.frame.maintenance.jobs import MAINTAIN_JOB, MaintainArgs
from tests.support.factories import operator_client_csrf

SYSTEM = Scope.system("test")


async def _run(client, h, kind, text, day="2024-07-01"):
    files = {"file": (f"{kind}.csv", text.encode(), "text/csv")}
    r = await client.post("/api/frame/runs", headers=h, data={"kind": kind, "effective_on": day}, files=files)
    assert r.status_code == 202, r.text
    await MAINTAIN_JOB.fn(JobContext({}), MaintainArgs(job_id=f"test:{r.json()['id']}", run_id=r.json()["id"]))
    return (await client.get(f"/api/frame/runs/{r.json()['id']}", headers=h)).json()


async def test_census_and_corporate_files(client):
    h = {"x-csrf-token": await operator_client_csrf(client)}
    async with UnitOfWork(SYSTEM) as uow:
        unit = await uow.fetchrow("SELECT e.*, c.corporate_number FROM frame_establishment e JOIN frame_enterprise c"
                                  " ON c.id = e.enterprise_id AND c.valid_to IS NULL WHERE e.valid_to IS NULL"
                                  " AND e.status = 'active' AND e.role = 'single' AND c.corporate_number IS NOT NULL"
                                  " AND e.valid_from < '2024-01-01' ORDER BY e.id LIMIT 2")  # fmt: skip
        other = await uow.fetchrow("SELECT c.id, c.corporate_number FROM frame_enterprise c WHERE c.valid_to IS NULL"
                                   " AND c.corporate_number IS NOT NULL AND c.id <> $1 ORDER BY c.id DESC LIMIT 1",
                                   unit["enterprise_id"])  # fmt: skip
    census = (
        "事業所番号,法人番号,事業所名,事業所名カナ,地域コード,郵便番号,所在地,産業分類,従業者数\n"
        f"{unit['id']},,{unit['name']},,{unit['area_code']},{unit['postal_code']},{unit['address']},{unit['jsic14']},{unit['employees'] + 7}\n"
        ",7000012050002,新設食堂,シンセツショクドウ,13101,1000001,東京都千代田区千代田1-1,7611,3\n"
        ",,誤りのある行,,99999,1000001,,7611,3\n"
        ",,誤りのある行2,,13101,100-0001,,XXXX,三\n"
    )  # fmt: skip
    run = await _run(client, h, "census", census)
    assert run["status"] == "done" and run["total"] == run["done"] == 2
    assert run["report"] == {"changed": 1, "new": 1}
    assert {(e["line"], e["field"]) for e in run["errors"]} == {(4, "地域コード"), (5, "産業分類"), (5, "従業者数")}
    history = (await client.get(f"/api/frame/register/{unit['id']}", headers=h)).json()
    assert history[-1]["employees"] == unit["employees"] + 7 and history[-1]["change_kind"] == "census"
    assert history[-2]["valid_to"] == "2024-07-01"  # the version before ends; the past stays
    corporate = (
        "処理区分,法人番号,商号,商号カナ,地域コード,郵便番号,所在地\n"
        f"11,{unit['corporate_number']},株式会社新商号,シンショウゴウ,,,\n"
        f"81,{other['corporate_number']},,,,,\n"
        "01,1234567890123,株式会社誤番号,,,,\n"
    )
    run = await _run(client, h, "corporate", corporate, day="2024-08-01")
    assert run["report"] == {"renamed": 1, "closed": 1} and [(e["line"], e["field"]) for e in run["errors"]] == [
        (4, "法人番号")
    ]
    async with UnitOfWork(SYSTEM) as uow:
        assert (
            await uow.fetchval(
                "SELECT name FROM frame_enterprise WHERE id = $1 AND valid_to IS NULL", unit["enterprise_id"]
            )
            == "株式会社新商号"
        )
        statuses = {
            r[0]
            for r in await uow.fetch(
                "SELECT status FROM frame_establishment WHERE enterprise_id = $1 AND valid_to IS NULL", other["id"]
            )
        }
    assert statuses == {"closed"}
    page = await client.get("/frame/runs")  # the operator's page of runs: progress, report, errors
    assert page.status_code == 200 and "5行 従業者数" in page.text and "renamed 1" in page.text


async def test_manual_edit_area_merger_and_postal_list(client):
    h = {"x-csrf-token": await operator_client_csrf(client)}
    async with UnitOfWork(SYSTEM) as uow:
        uid = await uow.fetchval("SELECT id FROM frame_establishment WHERE valid_to IS NULL AND status = 'active'"
                                 " AND valid_from < '2022-01-01' ORDER BY id DESC LIMIT 1")  # fmt: skip
    base = f"/api/frame/register/{uid}/edits"
    r = await client.post(base, headers=h, json={"effective_on": "2023-04-01", "area_code": "22131"})
    assert r.status_code in (400, 422) and "reason" in r.text
    r = await client.post(base, headers=h, json={"effective_on": "2023-04-01", "reason": "移転の届出", "area_code": "22131",
                                                 "postal_code": "4300901"})  # fmt: skip
    assert r.status_code == 200 and r.json()[-1]["change_reason"] == "移転の届出"
    # 浜松市の行政区再編 (2024-01-01): 中区 22131 -> 中央区 22138
    run = (
        await client.post("/api/frame/areas/follow", headers=h, json={"after": "2023-12-31", "until": "2024-01-01"})
    ).json()
    assert run["report"].get("22131->22138", 0) >= 1
    history = (await client.get(f"/api/frame/register/{uid}", headers=h)).json()
    assert [v["area_code"] for v in history[-2:]] == ["22131", "22138"] and history[-1]["valid_from"] == "2024-01-01"
    r = await client.get("/api/frame/register", headers=h, params={"q": str(uid), "as_of": "2023-12-31"})
    assert r.json()["items"][0]["area_code"] == "22131"  # as of the day before the merger
    listing = (await client.get("/api/frame/postal-mismatches", headers=h)).json()
    assert listing["total"] > 0 and all(m["problem"] for m in listing["items"])
