"""掲示板 and pages for statisticians (PORTAL-2): members post, reply and attach; a non-member sees
nothing (404, not in lists); attachments are sniffed and served as downloads with nosniff; edits
only by the author within the window; the operator hides posts; Markdown is rendered safely."""

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.subsystems.portal.bizportal_support import signed, two_tenants

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


async def test_a_post_is_invisible_to_non_members_and_files_are_served_safely(app):
    a, b = await two_tenants()
    op, a1, a2, b1 = (
        await signed(app),
        await signed(app, a.staff_login),
        await signed(app, a.admin_login),
        await signed(app, b.staff_login),
    )
    try:
        r = await op.client.post(
            "/api/portal/boards", json={"name": f"A板 {a.code}", "member_tenants": [str(a.id)]}, headers=op.h
        )
        assert r.status_code == 201, r.text
        board = r.json()["id"]
        r = await a1.client.post(
            f"/api/portal/boards/{board}/posts",
            json={"title": "集計方法", "body": f"秘密の相談 {a.code}"},
            headers=a1.h,
        )
        assert r.status_code == 201, r.text
        post = r.json()["id"]
        r = await a2.client.post(f"/api/portal/posts/{post}/replies", json={"body": "回答します"}, headers=a2.h)
        assert r.status_code == 201 and r.json()["parent_id"] == post
        reply = r.json()["id"]
        up = await a1.client.post(
            f"/api/portal/posts/{post}/attachments", files={"file": ("資料.pdf", PDF, "text/html")}, headers=a1.h
        )
        assert up.status_code == 201, up.text
        assert up.json()["content_type"] == "application/pdf"  # sniffed, not the browser's word
        file_id = up.json()["id"]
        exe = await a1.client.post(
            f"/api/portal/posts/{post}/attachments", files={"file": ("a.pdf", EXE, "application/pdf")}, headers=a1.h
        )
        assert exe.status_code == 422 and "file" in exe.text
        html = await a1.client.post(
            f"/api/portal/posts/{post}/attachments",
            files={"file": ("x.txt", b"<script>alert(1)</script>", "text/plain")},
            headers=a1.h,
        )
        assert html.status_code == 422

        got = await a2.client.get(f"/api/portal/files/{file_id}")
        assert got.status_code == 200 and got.content == PDF
        assert got.headers["content-disposition"].startswith("attachment;")
        assert got.headers["x-content-type-options"] == "nosniff"
        thread = (await a2.client.get(f"/api/portal/posts/{reply}")).json()
        assert thread["root"]["id"] == post and [x["id"] for x in thread["replies"]] == [reply]
        assert thread["root"]["attachments"][0]["filename"] == "資料.pdf"

        # B is not a member: nothing is there for it
        for url in (f"/api/portal/posts/{post}", f"/api/portal/posts/{reply}", f"/api/portal/files/{file_id}",
                    f"/api/portal/boards/{board}/threads", f"/portal/boards/{board}", f"/portal/posts/{post}"):  # fmt: skip
            assert (await b1.client.get(url)).status_code == 404, url
        assert board not in [x["id"] for x in (await b1.client.get("/api/portal/boards")).json()]
        w = await b1.client.post(f"/api/portal/boards/{board}/posts", json={"title": "x", "body": "y"}, headers=b1.h)
        assert w.status_code == 404
        assert (
            await b1.client.post(f"/api/portal/posts/{post}/replies", json={"body": "y"}, headers=b1.h)
        ).status_code == 404
        found = (await b1.client.get("/api/portal/search", params={"q": "秘密の相談"})).json()
        assert found == []

        # edits: the author within the window; another member cannot
        assert (
            await a1.client.patch(f"/api/portal/posts/{post}", json={"body": "訂正版"}, headers=a1.h)
        ).status_code == 200
        assert (
            await a2.client.patch(f"/api/portal/posts/{post}", json={"body": "乗っ取り"}, headers=a2.h)
        ).status_code == 409
        async with UnitOfWork(Scope.system("test")) as uow:
            await uow.execute("UPDATE portal_post SET created_at = now() - interval '2 hours' WHERE id = $1", post)
        late = await a1.client.patch(f"/api/portal/posts/{post}", json={"body": "遅すぎる"}, headers=a1.h)
        assert late.status_code == 409

        # moderation: hidden from members, shown to the operator
        m = await op.client.post(
            f"/api/portal/posts/{reply}/moderation", json={"hidden": True, "note": "不適切"}, headers=op.h
        )
        assert m.status_code == 200 and m.json()["hidden"] is True
        assert (await a1.client.get(f"/api/portal/posts/{reply}")).status_code == 404
        assert (await a1.client.get(f"/api/portal/posts/{post}")).json()["replies"] == []
        denied = await a1.client.post(f"/api/portal/posts/{post}/moderation", json={"hidden": True}, headers=a1.h)
        assert denied.status_code == 403
    finally:
        for s in (op, a1, a2, b1):
            await s.client.aclose()


async def test_pages_render_markdown_safely_for_statisticians_only(app):
    a, _ = await two_tenants()
    op, staff = await signed(app), await signed(app, a.staff_login)
    try:
        md = (
            "# 推計の手引き\n\n| 項目 | 値 |\n|---|---|\n| 人口 | 100 |\n\n"
            '<script>alert(1)</script>\n\n[悪い](javascript:alert(1)) <img src=x onerror="alert(1)">\n'
        )
        r = await op.client.post(
            "/api/portal/pages", json={"slug": f"guide-{a.code}", "title": "手引き", "body_md": md}, headers=op.h
        )
        assert r.status_code == 201, r.text
        page_id, html = r.json()["id"], r.json()["body_html"]
        assert "<h1>推計の手引き</h1>" in html and "<table>" in html and "<td>人口</td>" in html
        assert "<script" not in html and 'href="javascript' not in html and "<img" not in html  # shown as text
        assert "&lt;script&gt;" in html
        up = await op.client.post(
            f"/api/portal/pages/{page_id}/attachments",
            files={"file": ("表.csv", "地域,人口\n奈良,1\n".encode())},
            headers=op.h,
        )
        assert up.status_code == 201 and up.json()["content_type"].startswith("text/csv")
        shown = await staff.client.get(f"/portal/pages/{page_id}")
        assert shown.status_code == 200 and "<h1>推計の手引き</h1>" in shown.text and "表.csv" in shown.text
        assert "<script>alert" not in shown.text
        bad = await op.client.post("/api/portal/pages", json={"slug": "Bad Slug", "title": "x"}, headers=op.h)
        assert bad.status_code in (400, 422) and "slug" in bad.text
    finally:
        await op.client.aclose()
        await staff.client.aclose()
