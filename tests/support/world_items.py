"""Tenant A's items objects: a registered item and an unpublished questionnaire draft (its title
carries the world's marker), made through the items API with A's API key."""

from __future__ import annotations

import secrets

from tests.support.factories import another_client


async def build(world, app) -> None:
    h = {"x-api-key": world.extra["a_api_key"]}
    item_id = f"walker_{secrets.token_hex(4)}"
    async with another_client(app) as c:
        r = await c.post(
            "/api/items/items",
            headers=h,
            json={"id": item_id, "label_ja": "世帯員数", "answer_type": "integer", "unit": "人"},
        )
        assert r.status_code == 201, r.text
        spare = f"walker_{secrets.token_hex(4)}"  # not in the draft: what the call-audit walk adds to it
        r = await c.post(
            "/api/items/items", headers=h, json={"id": spare, "label_ja": "世帯人員", "answer_type": "integer"}
        )
        assert r.status_code == 201, r.text
        definition = {
            "survey": "00200521",
            "cycle": "2026",
            "respondent_unit": "household",
            "title_ja": f"下書きの調査票 {world.marker}",
            "sections": [
                {
                    "id": "s1",
                    "title_ja": "世帯",
                    "questions": [{"item_id": item_id, "label_ja": "", "answer_type": "integer"}],
                }
            ],
        }
        r = await c.post("/api/items/questionnaires", headers=h, json=definition)
        assert r.status_code == 201, r.text
        world.own("questionnaire", r.json()["questionnaire_id"])
        world.extra |= {"items_definition": definition, "items_spare_item": spare}
