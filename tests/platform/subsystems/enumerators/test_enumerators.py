"""調査員管理 (ENUM-1): records and survey areas valid on the survey date; assignments follow a
municipal merger through the area history with a change record (on demand and by the daily job);
CSV download; personal data only the owning tenant's (not B's, not the operator's); reads audited."""

import csv
import io

from govstat.platform.jobs.spec import JobContext
from govstat.platform.subsystems.enumerators import jobs
from tests.platform.subsystems.portal.bizportal_support import signed
from tests.support import factories as f

PERSON = {
    "name": '=HYPERLINK("http://evil")',
    "name_kana": "ﾁｮｳｻ ﾀﾛｳ",
    "phone": "0742-00-0000",
    "email": "taro@example.jp",
    "appointed_from": "2005-08-01",
    "appointed_to": "2006-03-31",
}


async def test_a_merger_moves_an_assignment_forward_and_only_the_owner_sees_the_record(app):
    a = await f.make_tenant(modules=("enumerators",))
    b = await f.make_tenant(modules=("enumerators",))
    sa, sb, op = await signed(app, a.staff_login), await signed(app, b.staff_login), await signed(app)
    try:
        mark = await f.outbox_mark()
        r = await sa.client.post("/api/enumerators/enumerators", json=PERSON, headers=sa.h)
        assert r.status_code == 201, r.text
        eid = r.json()["id"]
        assert r.json()["name_kana"] == "チョウサ タロウ"  # half-width kana folded (NFKC)
        survey = {"survey_name": "国勢調査 2005", "survey_date": "2005-10-01"}
        # 上磯町 (01335) and 大野町 (01336) existed on the survey date; 北斗市 (01236) did not yet
        bad = await sa.client.post(
            f"/api/enumerators/enumerators/{eid}/assignments", json={**survey, "area_code": "01236"}, headers=sa.h
        )
        assert bad.status_code == 422 and "area_code" in bad.text
        for code in ("01335", "01336"):
            r = await sa.client.post(
                f"/api/enumerators/enumerators/{eid}/assignments", json={**survey, "area_code": code}, headers=sa.h
            )
            assert r.status_code == 201, r.text
        first = r.json()["id"]

        # on demand, up to a day before the merger: nothing moves
        r = await sa.client.post("/api/enumerators/assignments/follow", json={"as_of": "2006-01-31"}, headers=sa.h)
        assert r.json()["moved"] == 0
        # past 2006-02-01 both follow into 北斗市: the daily job (every tenant) does it
        assert (await jobs.follow_mergers(JobContext(raw={}), jobs.FollowArgs(job_id="t")))["moved"] >= 2
        detail = (await sa.client.get(f"/api/enumerators/enumerators/{eid}")).json()
        assert {x["area_code"] for x in detail["assignments"]} == {"01236"}
        assert all(x["area_name"] == "北斗市" for x in detail["assignments"])
        assert sorted((c["old_code"], c["new_code"], c["effective_on"]) for c in detail["changes"]) == [
            ("01335", "01236", "2006-02-01"),
            ("01336", "01236", "2006-02-01"),
        ]
        again = await sa.client.post("/api/enumerators/assignments/follow", json={}, headers=sa.h)
        assert again.json()["moved"] == 0 and first  # nothing twice

        # CSV: every cell guarded, areas listed
        got = await sa.client.get("/api/enumerators/enumerators.csv")
        assert got.status_code == 200 and got.headers["content-disposition"].startswith("attachment")
        rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
        assert rows[0][0] == "氏名" and rows[1][0].startswith("'=") and rows[1][7] == "01236 01236"

        # the record is A's alone: B and the operator get nothing
        assert (await sb.client.get(f"/api/enumerators/enumerators/{eid}")).status_code == 404
        assert (await sb.client.get("/api/enumerators/enumerators")).json() == []
        upd = await sb.client.put(f"/api/enumerators/enumerators/{eid}", json=PERSON, headers=sb.h)
        assert upd.status_code == 404
        assert (await op.client.get(f"/api/enumerators/enumerators/{eid}")).status_code == 403
        assert (await sa.client.get("/enumerators")).status_code == 200

        # every read of the personal data is audited
        reads = [
            e.detail["path"]
            for e in await f.audit_events(mark, a.id, "gateway.call")
            if e.detail.get("operation") in ("enumerators.read", "enumerators.export")
        ]
        assert f"/api/enumerators/enumerators/{eid}" in reads and "/api/enumerators/enumerators.csv" in reads
    finally:
        for s in (sa, sb, op):
            await s.client.aclose()


async def test_a_change_is_folded_and_checked_as_a_new_record_is(app):
    """PUT writes every field as create does (half-width kana folded), and a
    term that ends before it starts answers 422 naming appointed_to with the record unchanged."""
    a = await f.make_tenant(modules=("enumerators",))
    sa = await signed(app, a.staff_login)
    try:
        eid = (await sa.client.post("/api/enumerators/enumerators", json=PERSON, headers=sa.h)).json()["id"]
        change = {
            "name": "調査 花子",
            "name_kana": "ﾁｮｳｻ ﾊﾅｺ",
            "phone": "0742-11-1111",
            "email": "hanako@example.jp",
            "appointed_from": "2005-09-01",
            "appointed_to": "2006-06-30",
            "status": "suspended",
            "note": "異動",
        }
        r = await sa.client.put(f"/api/enumerators/enumerators/{eid}", json=change, headers=sa.h)
        assert r.status_code == 200, r.text
        got = (await sa.client.get(f"/api/enumerators/enumerators/{eid}")).json()["enumerator"]
        assert r.json() == got and {k: got[k] for k in change} == {**change, "name_kana": "チョウサ ハナコ"}
        bad = {**change, "name": "別人", "appointed_to": "2005-08-31"}
        r = await sa.client.put(f"/api/enumerators/enumerators/{eid}", json=bad, headers=sa.h)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "appointed_to", r.text
        assert (await sa.client.get(f"/api/enumerators/enumerators/{eid}")).json()["enumerator"] == got
    finally:
        await sa.client.aclose()
