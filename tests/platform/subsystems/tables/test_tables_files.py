"""TABLES-1/2: provision classes kept by the statistic's agency, XLSX table files, the lifecycle's
refusals, another tenant's files answering 404, and the agency pages."""

import io
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.subsystems.statdb.statdb_support import agency, counts, small_params
from tests.support.factories import api_key, sign_in

INFO = {"gov_stat_code": "00200521", "table_no": "2-1", "survey_date": "202010", "title": "市区町村別人口（Excel）"}


def _xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "表2-1"
    sheet.append(["地域コード", "地域名", "年", "人口", "世帯数"])
    sheet.append(["29201", "奈良市", 2020, 354630, 160000])
    sheet.append(["29209", "生駒市", 2020, 116675, "-"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_provision_classes_belong_to_the_statistics_agency(client):
    owner, maff = await agency(), await agency("00500")
    h = {"x-api-key": await api_key(owner.id)}
    top = await client.post(
        "/api/tables/classes",
        headers=h,
        json={"gov_stat_code": "00200521", "code": "R2", "name_ja": "令和2年国勢調査", "published": True},
    )
    assert top.status_code == 201, top.text
    mid = await client.post(
        "/api/tables/classes",
        headers=h,
        json={
            "gov_stat_code": "00200521",
            "code": "R2-basic",
            "name_ja": "人口等基本集計",
            "parent_id": top.json()["id"],
        },
    )
    leaf = await client.post(
        "/api/tables/classes",
        headers=h,
        json={"gov_stat_code": "00200521", "code": "R2-basic-1", "name_ja": "全国結果", "parent_id": mid.json()["id"]},
    )
    assert [mid.json()["level"], leaf.json()["level"]] == [2, 3]
    r = await client.post(
        "/api/tables/classes",
        headers=h,
        json={"gov_stat_code": "00200521", "code": "too-deep", "name_ja": "4階層目", "parent_id": leaf.json()["id"]},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "parent_id"
    tree = (await client.get("/api/tables/classes", headers=h, params={"gov_stat_code": "00200521"})).json()
    assert [c["code"] for c in tree] == ["R2", "R2-basic", "R2-basic-1"]
    r = await client.post(
        "/api/tables/classes",
        headers={"x-api-key": await api_key(maff.id)},
        json={"gov_stat_code": "00200521", "code": "x", "name_ja": "他省の統計"},
    )
    assert r.status_code == 422 and "00200" in r.json()["detail"]
    async with UnitOfWork(Scope()) as uow:  # published classes are public, unpublished ones are not
        public = await uow.fetch("SELECT code FROM provision_class WHERE tenant_id = $1", owner.id)
    assert [p["code"] for p in public] == ["R2"]


async def test_xlsx_file_with_parameter_file_is_handed_over_when_finalised(client):
    owner, other = await agency(), await agency()
    csrf = await sign_in(client, owner.staff_login)
    h = {"x-csrf-token": csrf}
    params = small_params(1, fmt="xlsx") + b"\n"
    r = await client.post(
        "/api/tables/files",
        headers=h,
        data=INFO,
        files={
            "file": ("nara.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "params": ("p.yaml", params, "application/yaml"),
        },
    )
    assert r.status_code == 201, r.text
    file_id = r.json()["id"]
    assert r.json()["format"] == "xlsx"
    page = await client.get(f"/tables/files/{file_id}")
    assert page.status_code == 200 and "生駒市" in page.text and "表2-1" not in page.text and "確定" in page.text
    r = await client.post(
        f"/api/tables/files/{file_id}/schedule", headers=h, json={"publish_at": "2099-01-01T00:00:00+09:00"}
    )
    assert r.status_code == 409  # a draft is finalised first
    assert (await client.post(f"/api/tables/files/{file_id}/finalise", headers=h)).status_code == 200
    assert (await client.post(f"/api/tables/files/{file_id}/finalise", headers=h)).status_code == 409
    assert (await client.delete(f"/api/tables/files/{file_id}", headers=h)).status_code == 409
    sid = (await client.get(f"/api/tables/files/{file_id}")).json()["stats_data_id"]
    data = (await client.get(f"/api/statdb/tables/{sid}/data")).json()
    assert data["total"] == 4 and data["items"][3]["raw"] == "-"

    csrf = await sign_in(client, other.staff_login)
    for method, path in (("GET", ""), ("GET", "/content"), ("GET", "/usage"), ("POST", "/finalise"), ("DELETE", "")):
        r = await client.request(method, f"/api/tables/files/{file_id}{path}", headers={"x-csrf-token": csrf})
        assert r.status_code == 404, (method, path, r.status_code)
    assert (await client.get(f"/tables/files/{file_id}")).status_code == 404
    assert (await client.get("/api/tables/files")).json()["total"] == 0


async def test_bad_uploads_are_refused_whole(client):
    owner = await agency()
    h = {"x-api-key": await api_key(owner.id)}
    before = await counts()
    bad_params = small_params(1).replace(b"skip_rows: 1", b"skip_rows: one")
    cases = [
        ({**INFO, "survey_date": "2020-10"}, {"file": ("a.csv", b"a\n1\n", "text/csv")}, "survey_date"),
        (INFO, {"file": ("a.txt", b"a\n1\n", "text/plain")}, "file"),
        (INFO, {"file": ("a.xlsx", b"not a workbook", "application/octet-stream")}, "file"),
        ({**INFO, "gov_stat_code": "00500209"}, {"file": ("a.csv", b"a\n1\n", "text/csv")}, "gov_stat_code"),
        (
            INFO,
            {"file": ("a.csv", b"a\n1\n", "text/csv"), "params": ("p.yaml", bad_params, "application/yaml")},
            "params: line 9: data.skip_rows",
        ),
    ]
    for data, files, field in cases:
        r = await client.post("/api/tables/files", headers=h, data=data, files=files)
        assert r.status_code == 422, (field, r.text)
        assert r.json()["errors"][0]["field"] == field, r.json()
    assert await counts() == before


async def test_operator_reads_every_tenants_files_and_anonymous_is_refused(client):
    from tests.support.factories import operator_client_csrf

    owner = await agency()
    r = await client.post(
        "/api/tables/files",
        headers={"x-api-key": await api_key(owner.id)},
        data=INFO,
        files={"file": ("a.csv", "地域,人口\n奈良,1\n".encode(), "text/csv")},
    )
    file_id = r.json()["id"]
    client.cookies.clear()
    assert (await client.get(f"/api/tables/files/{file_id}")).status_code == 401
    await operator_client_csrf(client)
    assert (await client.get(f"/api/tables/files/{file_id}")).json()["id"] == file_id
    assert (await client.get(f"/api/tables/files/{uuid.uuid4()}")).status_code == 404
    assert "統計表管理システム" in (await client.get("/tables")).text


async def test_pages_register_a_file_and_a_class(client):
    owner = await agency()
    csrf = await sign_in(client, owner.staff_login)
    form = await client.get("/tables/new")
    assert form.status_code == 200 and "00200521 国勢調査" in form.text and "統計表ファイルの登録" in form.text
    r = await client.post(
        "/tables/classes",
        data={
            "_csrf": csrf,
            "gov_stat_code": "00200521",
            "code": "R2",
            "name_ja": "令和2年国勢調査",
            "published": "true",
        },
    )
    assert r.status_code == 303, r.text
    r = await client.post(
        "/tables/classes", data={"_csrf": csrf, "gov_stat_code": "00200521", "code": "bad code!", "name_ja": "x"}
    )
    assert r.status_code == 422 and "code" in r.text
    assert "令和2年国勢調査" in (await client.get("/tables/classes")).text
    r = await client.post(
        "/tables/new", data={"_csrf": csrf, **INFO}, files={"file": ("nara.xlsx", _xlsx(), "application/octet-stream")}
    )
    assert r.status_code == 303, r.text
    page = await client.get(r.headers["location"])
    assert "奈良市" in page.text and "下書き" in page.text
    r = await client.post(r.headers["location"] + "/finalise", data={"_csrf": csrf})
    assert r.status_code == 303 and "確定 / finalised" in (await client.get(r.headers["location"])).text
