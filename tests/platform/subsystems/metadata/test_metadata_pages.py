"""METADATA-1 pages in Japanese: the public catalogue and survey page, and the work pages where
agencies register and finalise and the operator approves."""

import re

from tests.platform.subsystems.metadata.metadata_support import agency, as_operator, publish, signed_in, survey
from tests.support.factories import another_client


async def test_public_pages_show_published_metadata_in_japanese(client, app):
    owner = await agency()
    admin = await signed_in(client, owner.admin_login)
    rid = (
        await client.post("/api/metadata/records", json=survey(survey_name="ページ表示用の国勢調査"), headers=admin)
    ).json()["id"]
    async with another_client(app) as public:
        r = await public.get(f"/metadata/{rid}")
        assert r.status_code == 404 and "公開されたメタデータ" in r.text  # a draft
    await publish(client, app, rid, admin)
    async with another_client(app) as public:
        r = await public.get("/metadata", params={"q": "ページ表示用"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert "統計メタデータ" in r.text and f'href="/metadata/{rid}"' in r.text and "総務省" in r.text
        assert '<html lang="ja">' in r.text
        r = await public.get(f"/metadata/{rid}")
        assert r.status_code == 200
        for text in (
            "ページ表示用の国勢調査",
            "調査の目的",
            "根拠法令",
            "統計法（平成19年法律第53号）",
            "項目",
            "男女の別",
            "使用する分類",
            'href="/classification/versions/jsic-13/items/E"',
            "関連する統計表",
            "DDI Codebook 2.5",
            "第1版",
        ):
            assert text in r.text, text


async def test_work_pages_register_finalise_and_approve(client, app):
    owner = await agency()
    csrf = (await signed_in(client, owner.admin_login))["x-csrf-token"]
    r = await client.get("/metadata/manage/new")
    assert r.status_code == 200 and "メタデータの登録" in r.text and "00200521 国勢調査" in r.text
    form = {"_csrf": csrf, "gov_stat_code": "00200521", "survey_name": "", "purpose": "目的"}
    r = await client.post("/metadata/manage/new", data=form)
    assert r.status_code == 422 and "survey_name" in r.text
    form.update(survey_name="画面から登録した調査", period_from="2025-10-02", period_to="2025-10-01")
    r = await client.post("/metadata/manage/new", data=form)
    assert r.status_code == 422 and "period_to" in r.text
    form.update(
        period_from="2025-09-20",
        period_to="2025-10-20",
        legal_basis="統計法",
        population="全世帯",
        cycle="5年",
        method="調査員調査",
    )
    r = await client.post("/metadata/manage/new", data=form)
    assert r.status_code == 303, r.text
    record_url = r.headers["location"]
    rid = re.fullmatch(r"/metadata/manage/([0-9a-f-]{36})", record_url).group(1)
    page = await client.get(record_url)
    assert page.status_code == 200 and "下書き" in page.text and "確定 / Finalise" in page.text
    # no items yet: finalising says what is missing, in Japanese, and nothing changes
    r = await client.post(f"{record_url}/finalise", data={"_csrf": csrf})
    assert r.status_code == 422 and "項目を1つ以上登録してください" in r.text
    r = await client.patch(
        f"/api/metadata/records/{rid}", json={"items": survey()["items"][:1]}, headers={"x-csrf-token": csrf}
    )
    assert r.status_code == 200
    r = await client.post(f"{record_url}/finalise", data={"_csrf": csrf})
    assert r.status_code == 303
    assert "承認待ち" in (await client.get(record_url)).text
    listing = await client.get("/metadata/manage")
    assert "画面から登録した調査" in listing.text and "確定（承認待ち）" in listing.text
    async with another_client(app) as op:
        op_csrf = (await as_operator(op))["x-csrf-token"]
        queue = await op.get("/metadata/manage", params={"status": "finalised"})
        assert "画面から登録した調査" in queue.text
        r = await op.post(f"{record_url}/reject", data={"_csrf": op_csrf, "reason": ""})
        assert r.status_code == 422 and "差戻しの理由" in r.text
        r = await op.post(f"{record_url}/approve", data={"_csrf": op_csrf})
        assert r.status_code == 303
        assert (await op.post(f"{record_url}/approve", data={"_csrf": op_csrf})).status_code == 409
    async with another_client(app) as public:
        assert "画面から登録した調査" in (await public.get(f"/metadata/{rid}")).text
        assert (await public.get("/metadata/manage")).status_code in (302, 303, 401)


async def test_in_a_browser_the_operator_approves_and_the_public_reads_it(client):
    from govstat.platform.root.seed import demo_password
    from tests.support.browser import browser_page, screenshot, sign_in
    from tests.support.server import AppProcess, running

    owner = await agency()
    admin = await signed_in(client, owner.admin_login)
    rid = (
        await client.post("/api/metadata/records", json=survey(survey_name="ブラウザで確認する国勢調査"), headers=admin)
    ).json()["id"]
    assert (await client.post(f"/api/metadata/records/{rid}/finalise", headers=admin)).status_code == 200
    with running(AppProcess()) as (app,):
        async with browser_page(app.url) as page:
            await sign_in(page, "operator", demo_password("operator"))
            await page.goto("/metadata/manage?status=finalised")
            async with page.expect_navigation():
                await page.click(f'#records a[href="/metadata/manage/{rid}"]')
            assert "承認待ち" in await page.inner_text("#open")
            await screenshot(page, "metadata-approval")
            async with page.expect_navigation():
                await page.click('#open form[action$="/approve"] button')
            assert "公開中" in await page.inner_text("#versions")
            assert await page.locator("#open").count() == 0
            assert page.console_errors == []
        async with browser_page(app.url) as page:  # anyone
            await page.goto("/metadata")
            await page.fill("input[name=q]", "ブラウザで確認する")
            async with page.expect_navigation():
                await page.click("form.search button[type=submit]")
            assert await page.locator("#surveys tbody tr").count() == 1
            async with page.expect_navigation():
                await page.click(f'#surveys a[href="/metadata/{rid}"]')
            assert await page.inner_text("h1") == "ブラウザで確認する国勢調査 2025 Population Census"
            assert await page.locator("#items tbody tr").count() == 3
            assert "統計法" in await page.inner_text("#survey-legal_basis")
            assert "製造業" in await page.inner_text("#classifications")
            await screenshot(page, "metadata-survey")
            assert page.console_errors == []
