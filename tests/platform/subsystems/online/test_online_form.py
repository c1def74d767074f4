"""ONLINE-1 form: rendered from the questionnaire definition (labels, pre-printed values, locked ones
read-only), validation messages naming the item, drafts, submission as immutable versions with
receipt numbers, answers stored long and encrypted, provenance of every value, stale updates 409."""

import re
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.subsystems.online.online_support import (
    first_unit,
    good_answers,
    household_survey,
    respondent_signed_in,
)


async def test_form_validates_naming_items_keeps_drafts_and_versions_submissions(client):
    _, _, _, letters, p = await household_survey(client, n=1)
    csrf = await respondent_signed_in(client, letters[0])
    unit = await first_unit(client)
    form = await client.get(f"/online/units/{unit}")
    assert form.status_code == 200 and "世帯員数" in form.text and 'for="i-' + p + 'hh_members"' in form.text
    assert re.search(rf'name="{p}hh_name" value="奈良 太郎1"[^>]*readonly', form.text, re.S)
    assert f'name="{p}head_hours"' not in form.text  # skip logic: shown only when the head works
    en = await client.get(f"/online/units/{unit}?lang=en")
    assert "Household members" in en.text

    # errors name the item, in the summary and at the field; nothing is stored
    bad = good_answers(p, **{f"{p}hh_female": "1", f"{p}head_sex": None})
    r = await client.post(
        f"/online/units/{unit}", data={**bad, "_csrf": csrf, "_action": "submit", "_base_version": "0"}
    )
    assert r.status_code == 422 and 'role="alert"' in r.text
    assert "「世帯主の男女」" in r.text and "必須" in r.text and "世帯員数は男女の合計と一致しません" in r.text
    assert f'id="e-{p}head_sex"' in r.text and 'aria-invalid="true"' in r.text
    # a locked pre-printed value cannot be changed
    r = await client.post(
        f"/online/units/{unit}",
        data={**good_answers(p), f"{p}hh_name": "別人", "_csrf": csrf, "_action": "submit", "_base_version": "0"},
    )
    assert r.status_code == 422 and "変更できません" in r.text

    # a draft is kept (encrypted) and shown again
    r = await client.post(f"/online/units/{unit}", data={f"{p}hh_members": "３", "_csrf": csrf, "_action": "draft"})
    assert r.status_code == 303
    assert 'value="３"' in (await client.get(f"/online/units/{unit}")).text

    r = await client.post(
        f"/online/units/{unit}",
        data={**good_answers(p), f"{p}hh_name": "奈良 太郎1", "_csrf": csrf, "_action": "submit", "_base_version": "0"},
    )
    assert r.status_code == 200, r.text
    receipt = re.search(r'id="receipt">([0-9-]+)<', r.text).group(1)
    # the アンケート after the submission, kept with it
    assert 'id="feedback"' in r.text
    r = await client.post(
        f"/online/units/{unit}/feedback", data={"ease": "4", "minutes": "7", "comment": "簡単でした", "_csrf": csrf}
    )
    assert r.status_code == 200 and 'id="thanks"' in r.text
    # an update on version 1 makes version 2; a second "first" is refused
    r = await client.post(
        f"/online/units/{unit}",
        data={
            **good_answers(p, **{f"{p}hh_members": "4", f"{p}hh_female": "3"}),
            f"{p}hh_name": "奈良 太郎1",
            "_csrf": csrf,
            "_action": "submit",
            "_base_version": "1",
        },
    )
    assert r.status_code == 200 and "第2版" in r.text
    stale = await client.post(
        f"/online/units/{unit}",
        data={**good_answers(p), f"{p}hh_name": "奈良 太郎1", "_csrf": csrf, "_action": "submit", "_base_version": "0"},
    )
    assert stale.status_code == 409

    async with UnitOfWork(Scope.system("test")) as uow:
        subs = await uow.fetch(
            "SELECT id, version_no, receipt_no FROM online_submission WHERE unit_id = $1 ORDER BY version_no",
            uuid.UUID(unit),
        )
        answers = await uow.fetch(
            "SELECT item_id, value, provenance FROM online_answer WHERE submission_id = $1", subs[0]["id"]
        )
        drafts = await uow.fetchval("SELECT count(*) FROM online_draft WHERE unit_id = $1", uuid.UUID(unit))
        ease = await uow.fetchval("SELECT ease FROM online_feedback WHERE submission_id = $1", subs[0]["id"])
    assert [x["version_no"] for x in subs] == [1, 2] and subs[0]["receipt_no"] == receipt and drafts == 0 and ease == 4
    by_item = {a["item_id"]: a for a in answers}
    assert by_item[f"{p}hh_name"]["provenance"] == "preprinted" and by_item[f"{p}hh_members"]["provenance"] == "edited"
    assert f"{p}head_hours" not in by_item  # hidden by skip logic: not stored
    assert not any(
        "奈良".encode() in bytes(a["value"]) or bytes(a["value"]) == b"3" for a in answers
    )  # ciphertext only
    # the home page shows the latest version
    assert "第2版" in (await client.get("/online")).text
