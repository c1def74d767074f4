"""ONLINE-2: an intermediary is another tenant granted the survey by its agency; it sees only the
units assigned to it (row-level security), enters paper answers for them, produces the receipt and
non-response lists and reports completion; an intermediary without the grant sees nothing."""

import csv
import io
import re
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.subsystems.online.online_support import good_answers, household_survey, intermediary_user
from tests.support.factories import another_client, make_tenant, sign_in


async def test_an_intermediary_sees_enters_and_reports_only_its_units(client, app):
    t, h, s, _, p = await household_survey(client, n=3, areas=["29201", "29202", "29201"])
    pref, other = await make_tenant(modules=("online",)), await make_tenant(modules=("online",))
    r = await client.put(
        f"/api/online/surveys/{s['id']}/intermediaries/{pref.code}", json={"area_codes": ["29201"]}, headers=h
    )
    assert r.status_code == 200 and r.json()["units"] == 2, r.text
    async with UnitOfWork(Scope(tenant_id=pref.id, role="intermediary", actor="test")) as uow:
        assert await uow.fetchval("SELECT count(*) FROM online_unit") == 2
        assert await uow.fetchval("SELECT count(*) FROM online_survey") == 1

    async with another_client(app) as im:
        csrf = await sign_in(im, await intermediary_user(pref.id))
        home = await im.get("/online/intermediary")
        assert home.status_code == 200 and s["name_ja"] in home.text
        page = (await im.get(f"/online/intermediary/{s['id']}")).text
        assert "H001" in page and "H003" in page and "H002" not in page
        units = re.findall(rf"/online/intermediary/{s['id']}/units/([0-9a-f-]{{36}})", page)
        form = await im.get(f"/online/intermediary/{s['id']}/units/{units[0]}")
        assert form.status_code == 200 and "紙の調査票からの入力" in form.text
        body = {
            **good_answers(p),
            f"{p}hh_name": "奈良 太郎1",
            "_csrf": csrf,
            "_base_version": "0",
            "_action": "submit",
        }
        r = await im.post(f"/online/intermediary/{s['id']}/units/{units[0]}", data=body)
        assert r.status_code == 303, r.text
        receipts = list(
            csv.reader(
                io.StringIO((await im.get(f"/online/intermediary/{s['id']}/receipts.csv")).content.decode("utf-8-sig"))
            )
        )
        assert len(receipts) == 2 and receipts[1][1] == "H001" and receipts[1][5] == "paper"
        missing = list(
            csv.reader(
                io.StringIO(
                    (await im.get(f"/online/intermediary/{s['id']}/nonresponse.csv")).content.decode("utf-8-sig")
                )
            )
        )
        assert [row[1] for row in missing[1:]] == ["H003", "（計）"] and missing[2][2] == "1"
        assert (
            await im.post(f"/online/intermediary/{s['id']}/complete", data={"_csrf": csrf, "note": "回収完了"})
        ).status_code == 303

    # H002's unit (not assigned) and another intermediary without the grant: 404
    async with UnitOfWork(Scope.system("test")) as uow:
        h002 = await uow.fetchval(
            "SELECT u.id FROM online_unit u WHERE u.survey_id = $1 AND u.unit_code = 'H002'", uuid.UUID(s["id"])
        )
        channel = await uow.fetchval("SELECT channel FROM online_submission WHERE unit_id = $1", uuid.UUID(units[0]))
    assert channel == "paper"
    async with another_client(app) as im:
        await sign_in(im, await intermediary_user(pref.id))
        assert (await im.get(f"/online/intermediary/{s['id']}/units/{h002}")).status_code == 404
    async with another_client(app) as stranger:
        await sign_in(stranger, await intermediary_user(other.id))
        assert (await stranger.get(f"/online/intermediary/{s['id']}")).status_code == 404
        assert (await stranger.get(f"/online/intermediary/{s['id']}/units/{units[0]}")).status_code == 404
        assert s["name_ja"] not in (await stranger.get("/online/intermediary")).text
    async with another_client(app) as staff:  # the agency's dashboard, by intermediary
        await sign_in(staff, t.staff_login)
        board = (await staff.get(f"/online/manage/{s['id']}")).text
        assert f"テスト省{pref.code}" in board.split('id="intermediaries"')[1] and "回収完了" in board
    grants = (await client.get(f"/api/online/surveys/{s['id']}/intermediaries", headers=h)).json()
    assert grants[0]["completed_at"] and grants[0]["completion_note"] == "回収完了" and grants[0]["received"] == 1
