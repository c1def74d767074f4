"""Issue 14 §3: the validation report an agency reads before registering (JSON and page): counts
per dimension, the rows left out, codes not found and values not numeric with line and column
(RFC 9457 problem details), the first observations as understood; nothing is written."""

from pathlib import Path

from tests.platform.subsystems.statdb.statdb_support import agency, counts, multipart
from tests.platform.subsystems.statdb.test_statdb_real_files import AREA, SEX_VALUES, params
from tests.support.factories import api_key, sign_in

FIX = Path(__file__).parent / "fixtures"
AOMORI = "  skip_rows: 1\n  columns:\n    area: {code: 1, name: 2, width: 5}\n  skip:\n    - {column: 2, values: [市部, 郡部]}\n"
NAMES = (
    "  skip_rows: 1\n  columns:\n    area: {code: 1, match: name}\n    time: {code: 2}\n  values:\n    - {column: 3}\n"
)
NAME_DIMS = AREA + "  time: {name: 調査年, items: data}\n"


async def test_report_of_a_good_pair_counts_and_shows_the_first_rows(client):
    owner = await agency()
    key = await api_key(owner.id)
    before = await counts()
    files, form = multipart([(params(AOMORI + SEX_VALUES), (FIX / "aomori-2020-nozeros.csv").read_bytes(), "a.csv")])
    r = await client.post("/api/statdb/check", files=files, data=form, headers={"x-api-key": key})
    assert r.status_code == 200, r.text
    rep = r.json()
    assert rep["valid"] is True and rep["observations"] == 123 and rep["issues"] == []
    assert rep["skipped_rows"] == {"2: 市部": 1, "2: 郡部": 1} and rep["codes_padded"] == 41
    dims = {d["obj_id"]: d for d in rep["dimensions"]}
    assert dims["area"]["items"] == 41 and dims["cat01"]["items"] == 3 and dims["tab"]["items"] == 1
    assert {"code": "02201", "name": "青森市", "observations": 3} in dims["area"]["top"]
    first = rep["first_rows"][0]
    assert first["codes"] == {"tab": "2020_01", "cat01": "0", "area": "02000"}
    assert first["names"]["area"] == "青森県" and first["value"] == "1237984" and first["unit"] == "人"
    assert await counts() == before  # a dry run


async def test_report_of_a_bad_pair_is_a_problem_naming_line_and_column(client):
    owner = await agency()
    key = await api_key(owner.id)
    data = (FIX / "prefectures-2015-2020-names.csv").read_bytes()
    bad = data.replace("東京都,2020年".encode(), "東京府,2020年".encode()).replace(b"5381733", b"538173x")
    files, form = multipart([(params(NAMES, NAME_DIMS), bad, "p.csv")])
    r = await client.post("/api/statdb/check", files=files, data=form, headers={"x-api-key": key})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert [e["field"] for e in body["errors"]] == ["data line 2: column 3", "data line 27: column 1"]
    issues = body["report"]["issues"]
    assert [(i["kind"], i["line"], i["column"]) for i in issues] == [("not_numeric", 2, 3), ("code_not_found", 27, 1)]
    assert body["report"]["issue_counts"] == {"not_numeric": 1, "code_not_found": 1}
    assert body["report"]["observations"] == 92  # the rows understood, without the two bad cells
    # a parameter-file error names its line and field
    files, form = multipart([(params(NAMES.replace("match: name", "match: nom"), NAME_DIMS), data, "p.csv")])
    r = await client.post("/api/statdb/check", files=files, data=form, headers={"x-api-key": key})
    assert r.status_code == 422 and r.json()["report"]["issues"][0]["field"] == "line 6: data.columns.area.match"


async def test_report_page(client):
    owner = await agency()
    csrf = await sign_in(client, owner.staff_login)
    assert "登録前の検証" in (await client.get("/statdb/check")).text
    data = (FIX / "prefectures-2015-2020-names.csv").read_bytes()
    bad = data.replace("東京都,2020年".encode(), "東京府,2020年".encode())
    r = await client.post(
        "/statdb/check",
        data={"_csrf": csrf},
        files=[
            ("params", ("p.yaml", params(NAMES, NAME_DIMS), "application/yaml")),
            ("data", ("p.csv", bad, "text/csv")),
        ],
    )
    assert (
        r.status_code == 422 and 'id="issues"' in r.text and "東京府" in r.text and "data line 27: column 1" in r.text
    )
    r = await client.post(
        "/statdb/check",
        data={"_csrf": csrf},
        files=[
            ("params", ("p.yaml", params(NAMES, NAME_DIMS), "application/yaml")),
            ("data", ("p.csv", data, "text/csv")),
        ],
    )
    assert r.status_code == 200 and 'id="valid"' in r.text and 'id="first-rows"' in r.text and "北海道" in r.text
