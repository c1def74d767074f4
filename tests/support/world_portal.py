"""Tenant A's share of the business portal: a notice addressed to A alone, a board whose only
member is A, a thread A's admin wrote on it and a file attached to it, each with the marker; and a
page for statisticians, which is the operator's and read by every agency (shared)."""

from __future__ import annotations

from tests.support.factories import another_client, csrf_headers, operator_client_csrf, sign_in


async def _ok(r, status: int = 201) -> dict:
    assert r.status_code == status, (r.request.url, r.text)
    return r.json()


async def build(world, app) -> None:
    m, a = world.marker, world.a
    async with another_client(app) as op, another_client(app) as ca:
        oh = csrf_headers(await operator_client_csrf(op))
        ah = csrf_headers(await sign_in(ca, a.admin_login))
        notice = await _ok(
            await op.post(
                "/api/portal/notices",
                headers=oh,
                json={
                    "title": f"A宛てのお知らせ {m}",
                    "body": f"本文 {m}",
                    "audience": "tenant",
                    "audience_tenant_id": str(a.id),
                },
            )
        )
        world.own("portal_notice", notice["id"])
        board = await _ok(
            await op.post(
                "/api/portal/boards", headers=oh, json={"name": f"A の掲示板 {m}", "member_tenants": [str(a.id)]}
            )
        )
        world.own("board", board["id"])
        post = await _ok(
            await ca.post(
                f"/api/portal/boards/{board['id']}/posts", headers=ah, json={"title": f"相談 {m}", "body": f"内容 {m}"}
            )
        )
        world.own("post", post["id"])
        file = await _ok(
            await ca.post(
                f"/api/portal/posts/{post['id']}/attachments",
                headers=ah,
                files={"file": ("memo.txt", f"添付 {m}\n".encode())},
            )
        )
        world.own("portal_file", file["id"])
        await _ok(
            await op.post(
                "/api/portal/pages",
                headers=oh,
                json={"slug": f"walker-{m.lower()}", "title": "統計の手引き", "body_md": "共通の手引き"},
            )
        )
