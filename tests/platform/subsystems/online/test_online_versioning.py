"""ONLINE-1 with ITEMS versions: an open survey moves to a newer questionnaire version and its saved
drafts migrate by stable item id (a removed item's answer is dropped, a carried one whose rule
narrowed is counted for re-checking); the move is the agency admin's, once forward, 404 to others."""

import re
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.online import forms, keys
from tests.platform.subsystems.items.items_support import prefixed_yaml
from tests.platform.subsystems.online.online_support import (
    NEW_PASSWORD,
    agency,
    first_unit,
    good_answers,
    household_survey,
    respondent_signed_in,
)
from tests.support.factories import another_client, api_key


async def _publish_v2(client, h, qid: str, p: str) -> None:
    """Version 2: the head's birth date removed, hh_members' item edited to at most 20."""
    r = await client.post(
        "/api/items/items",
        json={
            "id": f"{p}hh_members",
            "label_ja": "世帯員数",
            "answer_type": "integer",
            "unit": "人",
            "minimum": "1",
            "maximum": "20",
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    v2 = re.sub(rf"\n\s*- \{{item_id: {p}head_birth,[^\n]*", "", prefixed_yaml(p))
    assert v2 != prefixed_yaml(p)
    r = await client.post(
        f"/api/items/questionnaires/{qid}/draft", content=v2.encode(), headers={**h, "content-type": "application/yaml"}
    )
    assert r.status_code == 200 and r.json()["version"] == 2, r.text
    assert (await client.post(f"/api/items/questionnaires/{qid}/publish", headers=h)).status_code == 200


async def test_drafts_follow_the_questionnaire_to_its_next_version(client, app):
    t, h, s, letters, p = await household_survey(client, n=2)
    async with another_client(app) as c:
        csrf = await respondent_signed_in(c, letters[0])
        unit = await first_unit(c)
        draft = {**good_answers(p, **{f"{p}hh_members": "25"}), "_csrf": csrf, "_action": "draft"}
        assert (await c.post(f"/online/units/{unit}", data=draft)).status_code in (200, 303)
    await _publish_v2(client, h, s["questionnaire_id"], p)
    url = f"/api/online/surveys/{s['id']}/questionnaire"
    # others: 404 (another agency), 403 (staff), 422 naming the field (not newer / bad body)
    _, other = await agency()
    staff = {"x-api-key": await api_key(t.id, roles=("agency_staff",))}
    assert (await client.post(url, json={"version": 2}, headers=staff)).status_code == 403
    assert (await client.post(url, json={"version": 2}, headers=other)).status_code == 404
    bad = await client.post(url, json={"version": 1}, headers=h)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "version"
    r = await client.post(url, json={"version": 2}, headers=h)
    assert r.status_code == 200, r.text
    moved = r.json()
    assert (moved["old_version"], moved["new_version"], moved["drafts_migrated"]) == (1, 2, 1)
    assert moved["answers_dropped"] == 1 and moved["answers_to_check"] == 1  # birth dropped; 25 > 20
    assert {c["item_id"]: c["kind"] for c in moved["changes"]}[f"{p}head_birth"] == "removed"
    async with UnitOfWork(Scope.system("test")) as uow:
        sid = uuid.UUID(s["id"])
        kept = await forms.draft_values(uow, sid, uuid.UUID(unit), await keys.stored(uow, sid))
        version = await uow.fetchval("SELECT questionnaire_version FROM online_survey WHERE id = $1", s["id"])
    assert version == 2 and f"{p}head_birth" not in kept and kept[f"{p}hh_members"] == "25"
    # the respondent's form now asks version 2, from the migrated draft
    async with another_client(app) as c:
        r = await c.post("/auth/login", json={"login": letters[0]["login"], "password": NEW_PASSWORD})
        assert r.status_code == 200
        form = (await c.get(f"/online/units/{unit}")).text
        assert f'name="{p}head_birth"' not in form and f'name="{p}hh_members"' in form and 'value="25"' in form
    assert (await client.post(url, json={"version": 2}, headers=h)).status_code == 422  # once forward only
