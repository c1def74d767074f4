"""Tenant A's enumerator (personal data, the marker in its name and note), made through the API
with A's admin session, with one survey area assigned."""

from __future__ import annotations

from tests.support.factories import another_client, csrf_headers, sign_in


async def build(world, app) -> None:
    m, a = world.marker, world.a
    async with another_client(app) as ca:
        ah = csrf_headers(await sign_in(ca, a.admin_login))
        r = await ca.post(
            "/api/enumerators/enumerators",
            headers=ah,
            json={
                "name": f"調査員 {m}",
                "note": f"個人情報 {m}",
                "appointed_from": "2025-08-01",
                "appointed_to": "2026-03-31",
            },
        )
        assert r.status_code == 201, r.text
        world.own("enumerator", r.json()["id"])
        r = await ca.post(
            f"/api/enumerators/enumerators/{r.json()['id']}/assignments",
            headers=ah,
            json={"survey_name": f"調査 {m}", "survey_date": "2025-10-01", "area_code": "29201"},
        )
        assert r.status_code == 201, r.text
