"""ONLINE-1 bulk submission: an enterprise with several establishments downloads the CSV laid out by
the questionnaire, and sends it back (CSV or XLSX): row-by-row errors naming line and item with
nothing stored, then one submission per unit (channel bulk)."""

import csv
import io
import uuid

from openpyxl import Workbook

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.subsystems.online.online_support import (
    good_answers,
    questionnaire,
    respondent_signed_in,
    roster,
    survey_body,
)
from tests.support.factories import api_key, make_tenant


async def test_bulk_csv_and_xlsx_row_by_row(client):
    t = await make_tenant(modules=("online", "items"))
    h = {"x-api-key": await api_key(t.id, roles=("agency_admin", "agency_staff"))}
    qid, p = await questionnaire(client, h)
    s = (
        await client.post(
            "/api/online/surveys", json=survey_body(questionnaire_id=qid, questionnaire_version=1), headers=h
        )
    ).json()
    rows = [
        {
            "respondent_id": "E1",
            "unit_id": f"E1-{i}",
            "unit_name": f"事業所{i}",
            "area_code": "29201",
            f"{p}hh_name": f"代表{i}",
        }
        for i in (1, 2)
    ]
    letters = (
        await client.post(
            f"/api/online/surveys/{s['id']}/respondents",
            content=roster(rows, pre=(f"{p}hh_name",)),
            headers={**h, "content-type": "text/csv", "accept": "application/json"},
        )
    ).json()
    csrf = await respondent_signed_in(client, letters[0])
    template = list(
        csv.reader(io.StringIO((await client.get("/online/bulk/template.csv")).content.decode("utf-8-sig")))
    )
    header = template[0]
    assert header[:3] == ["unit_id", "unit_name", f"{p}hh_name"] and template[1][0] == "#調査単位ID"
    assert [r[0] for r in template[2:]] == ["E1-1", "E1-2"] and template[2][2] == "代表1"

    def filled(unit: str, name: str, **over) -> list[str]:
        a = {"unit_id": unit, "unit_name": "", f"{p}hh_name": name, **good_answers(p, **over)}
        return [a.get(col, "") for col in header]

    bad = io.StringIO()
    w = csv.writer(bad)
    w.writerows(
        [header, filled("E1-1", "代表1"), filled("E1-2", "代表2", **{f"{p}hh_members": "99"}), filled("X-9", "誰か")]
    )
    r = await client.post(
        "/online/bulk", files={"file": ("bulk.csv", bad.getvalue().encode(), "text/csv")}, data={"_csrf": csrf}
    )
    assert r.status_code == 422 and f"line 3.{p}hh_members" in r.text and "line 4.unit_id" in r.text
    async with UnitOfWork(Scope.system("test")) as uow:
        assert (
            await uow.fetchval("SELECT count(*) FROM online_submission WHERE survey_id = $1", uuid.UUID(s["id"])) == 0
        )

    wb = Workbook()
    ws = wb.active
    for row in (header, filled("E1-1", "代表1"), filled("E1-2", "代表2")):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    r = await client.post("/online/bulk", files={"file": ("bulk.xlsx", out.getvalue(), xlsx)}, data={"_csrf": csrf})
    assert r.status_code == 200 and 'id="bulk-done"' in r.text, r.text[:2000]
    async with UnitOfWork(Scope.system("test")) as uow:
        got = await uow.fetch(
            "SELECT channel, version_no FROM online_submission WHERE survey_id = $1", uuid.UUID(s["id"])
        )
    assert sorted((g["channel"], g["version_no"]) for g in got) == [("bulk", 1), ("bulk", 1)]
