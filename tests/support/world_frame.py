"""Tenant A's business-register objects: a planned survey, an application taken to delivery by the
operator (so a draw and a delivered file exist), each with the world's marker in its text."""

from __future__ import annotations

from tests.support.factories import another_client, operator_client_csrf


async def build(world, app) -> None:
    m = world.marker
    h = {"x-api-key": world.extra["a_api_key"]}
    async with another_client(app) as c, another_client(app) as op:
        survey = {"name": f"非公開の調査 {m}", "period_from": "2024-04-01", "period_to": "2025-03-31",
                  "population": {"min_employees": 50}, "sample_size": 5}  # fmt: skip
        r = await c.post("/api/frame/surveys", headers=h, json=survey)
        assert r.status_code == 201, r.text
        world.own("frame_survey", r.json()["id"])
        body = {"survey_id": r.json()["id"], "purpose": f"目的 {m}", "reference_date": "2024-05-01"}
        r = await c.post("/api/frame/applications", headers=h, json=body)
        assert r.status_code == 201, r.text
        aid = world.own("frame_application", r.json()["id"])
        oh = {"x-csrf-token": await operator_client_csrf(op)}
        for step, data in (("review", {"decision": "approve"}), ("extract", None), ("sample", {"test": True})):
            r = await op.post(f"/api/frame/applications/{aid}/{step}", headers=oh, json=data)
            assert r.status_code == 200, r.text
        world.own("frame_draw", r.json()["draw_id"])
        r = await op.post(f"/api/frame/applications/{aid}/deliver", headers=oh)
        assert r.status_code == 200, r.text
        world.own("frame_delivery", r.json()[0]["id"])
