"""A respondent's XLSX is refused when it would inflate past what any bulk file needs (review h20).

An XLSX is a zip: 200 KB of upload can hold 200 MB of XML, and openpyxl reads every shared string
into memory when the workbook opens (read-only mode too). Any respondent (a member of the public
with a letter) could so take an app process far past its memory budget with a few uploads. The
parts' sizes are read from the zip's directory first (Python's zipfile never inflates a part past
its declared size), and a file over the bound is refused before openpyxl opens it."""

import time

from govstat.platform.subsystems.online import bulk
from tests.platform.subsystems.online.online_support import questionnaire, respondent_signed_in, roster, survey_body
from tests.support.factories import api_key, make_tenant
from tests.support.xlsx_bomb import bomb

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _enterprise(client) -> str:
    """A respondent answering for two establishments (the bulk form is theirs); their CSRF token."""
    t = await make_tenant(modules=("online", "items"))
    h = {"x-api-key": await api_key(t.id, roles=("agency_admin", "agency_staff"))}
    qid, _ = await questionnaire(client, h)
    body = survey_body(questionnaire_id=qid, questionnaire_version=1)
    s = (await client.post("/api/online/surveys", json=body, headers=h)).json()
    rows = [
        {"respondent_id": "E1", "unit_id": f"E1-{i}", "unit_name": f"事業所{i}", "area_code": "29201"} for i in (1, 2)
    ]
    r = await client.post(
        f"/api/online/surveys/{s['id']}/respondents",
        content=roster(rows),
        headers={**h, "content-type": "text/csv", "accept": "application/json"},
    )
    assert r.status_code == 201, r.text
    return await respondent_signed_in(client, r.json()[0])


async def test_an_inflating_xlsx_is_refused_before_it_is_opened(client):
    csrf = await _enterprise(client)
    body = bomb(bulk.MAX_INFLATED + 8 * 1024 * 1024)
    assert len(body) < 2 * 1024 * 1024  # a small upload
    started = time.perf_counter()
    r = await client.post("/online/bulk", files={"file": ("bulk.xlsx", body, XLSX)}, data={"_csrf": csrf})
    # refused from the zip's directory: before the fix openpyxl read 5 million strings (41 s here, and
    # hundreds of MiB) before the rows were even looked at
    assert time.perf_counter() - started < 5
    assert r.status_code == 422 and 'id="errors"' in r.text and "MiB" in r.text


async def test_shared_strings_alone_are_bounded_too(client):
    """Under the total bound, still millions of strings: their part has a bound of its own."""
    csrf = await _enterprise(client)
    body = bomb(bulk.MAX_SHARED_STRINGS + 1024 * 1024)
    started = time.perf_counter()
    r = await client.post("/online/bulk", files={"file": ("bulk.xlsx", body, XLSX)}, data={"_csrf": csrf})
    assert time.perf_counter() - started < 5
    assert r.status_code == 422 and "MiB" in r.text


async def test_an_ordinary_xlsx_still_goes_through_the_check(client):
    """Under the bound the file is read as before (its rows checked: here, no rows to submit)."""
    csrf = await _enterprise(client)
    r = await client.post("/online/bulk", files={"file": ("bulk.xlsx", bomb(1000), XLSX)}, data={"_csrf": csrf})
    assert r.status_code == 422 and "回答の行がありません" in r.text


async def test_shared_strings_under_another_name_are_found_by_their_content_type(client):
    """openpyxl finds the shared strings by content type, whatever the part is named: the bound too."""
    csrf = await _enterprise(client)
    body = bomb(bulk.MAX_SHARED_STRINGS + 1024 * 1024, part="xl/s.xml")
    started = time.perf_counter()
    r = await client.post("/online/bulk", files={"file": ("bulk.xlsx", body, XLSX)}, data={"_csrf": csrf})
    assert time.perf_counter() - started < 5
    assert r.status_code == 422 and "共有文字列" in r.text and "bulk.xlsx" in r.text
