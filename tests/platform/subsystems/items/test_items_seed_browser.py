"""Issue 10 §7 demo and the builder in a browser: the household questionnaire the demo seed (run for
the test session) published is built of registered items (its industry codes are JSIC rev.14 大分類
from the classification database) and validates answers; another agency builds its own questionnaire
of the same registered items, revises it in the builder (no JavaScript needed), which opens version 2
while version 1 stays published, then publishes version 2."""

import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.items import published
from govstat.platform.subsystems.items.definition import encode
from govstat.platform.subsystems.items.seed import DEMO_QUESTIONNAIRE_ID, seed_demo
from govstat.platform.subsystems.items.validation import validate
from tests.support.factories import PASSWORD, api_key, make_tenant


async def test_seeded_questionnaire_and_the_builder_in_a_browser(client):
    from tests.support.browser import browser_page, screenshot, sign_in
    from tests.support.server import AppProcess, running

    assert await seed_demo(uuid.uuid4()) == DEMO_QUESTIONNAIRE_ID  # seeded already (as 総務省): nothing changes
    async with UnitOfWork(Scope.system("test")) as uow:
        demo = await published.questionnaire(uow, str(DEMO_QUESTIONNAIRE_ID), 1)
    assert demo is not None
    industry = next(c for c in demo.definition.code_lists if c.id == "jsic14_major")
    assert (
        industry.classification_version == "jsic-14"
        and len(industry.options) == 20
        and industry.options[4].label_ja == "製造業"
    )
    answers = {
        "hh_members": "2",
        "hh_male": "1",
        "hh_female": "1",
        "hh_tenure": "1",
        "head_sex": "1",
        "head_birth": "S50.1.2",
        "head_marital": "2",
        "head_works": "はい",
    }
    errors = validate(demo.definition, answers)
    assert {e.item_id for e in errors} == {"head_hours", "head_industry"}  # shown by skip logic, so required
    assert validate(demo.definition, {**answers, "head_hours": "４０", "head_industry": "E"}) == []

    owner = await make_tenant(modules=("items",))
    h = {"x-api-key": await api_key(owner.id)}
    r = await client.post(
        "/api/items/questionnaires", content=encode(demo.definition), headers={**h, "content-type": "application/json"}
    )
    assert r.status_code == 201, r.text
    qid = r.json()["questionnaire_id"]
    assert (await client.post(f"/api/items/questionnaires/{qid}/publish", headers=h)).status_code == 200
    async with UnitOfWork(Scope.system("test")) as uow:
        v1 = await published.questionnaire(uow, qid)
    assert v1 is not None

    with running(AppProcess()) as (app,):
        async with browser_page(app.url) as page:
            await sign_in(page, owner.staff_login, PASSWORD)
            await page.goto(f"/items/builder/{qid}")
            assert "保存すると第2版の下書き" in await page.inner_text("#state")
            assert await page.locator("#preview .q").count() == 12
            await screenshot(page, "items-builder")
            await page.fill("input[name=q-1-label_ja]", "この世帯に住んでいる人の数")
            async with page.expect_navigation():
                await page.click("#save")
            assert "第2版" in await page.inner_text("#state") and "下書き" in await page.inner_text("#state")
            assert "この世帯に住んでいる人の数" in await page.inner_text("#preview")
            async with page.expect_navigation():
                await page.click("#publish button")
            assert "第2版" in await page.inner_text("#version")
            assert await page.locator("#history a[href*='/diff?old=1&new=2']").count() == 1
            assert page.console_errors == []
    async with UnitOfWork(Scope.system("test")) as uow:
        old = await published.questionnaire(uow, qid, 1)
        new = await published.questionnaire(uow, qid)
    assert old is not None and old.status == "superseded" and old.definition == v1.definition
    assert (
        new is not None
        and new.version == 2
        and new.definition.sections[0].questions[1].label_ja == "この世帯に住んでいる人の数"
    )
