"""Japanese search (PORTAL-1/2): morphemes (SudachiPy, platform.text.japanese), NFKC and kana folding, indexed in
PostgreSQL; results limited to what the searcher may see."""

from govstat.platform.text import japanese
from tests.platform.subsystems.portal.bizportal_support import signed, two_tenants


def test_tokens_split_compounds_and_fold_width_and_kana():
    assert "人口" in japanese.index_text("人口推計").split()
    assert "人口" in japanese.index_text("総人口").split()
    assert japanese.tokens("ＡＢＣ統計") == japanese.tokens("abc統計")
    assert japanese.tokens("ｼﾞﾝｺｳ") == japanese.tokens("ジンコウ") == japanese.tokens("じんこう")


async def test_search_finds_compounds_and_variants_within_what_the_searcher_may_see(app):
    a, b = await two_tenants()
    op, a1, b1 = await signed(app), await signed(app, a.staff_login), await signed(app, b.staff_login)
    tag = a.code
    try:
        for body in (
            {"title": f"人口推計の公表 {tag}", "audience": "agencies"},
            {"title": f"総人口の速報 {tag}", "audience": "tenant", "audience_tenant_id": str(a.id)},
            {"title": f"ＧＤＰ統計 {tag}", "audience": "agencies"},
            {"title": f"賃金の調査 {tag}", "audience": "agencies"},
        ):
            assert (await op.client.post("/api/portal/notices", json=body, headers=op.h)).status_code == 201
        board = (
            await op.client.post(
                "/api/portal/boards", json={"name": "B板", "member_tenants": [str(b.id)]}, headers=op.h
            )
        ).json()["id"]
        r = await b1.client.post(
            f"/api/portal/boards/{board}/posts", json={"title": f"人口動態 {tag}", "body": "B だけの話"}, headers=b1.h
        )
        assert r.status_code == 201
        page = {"slug": f"p-{tag}", "title": f"ジンコウ推計の方法 {tag}", "body_md": "年齢別 人口"}
        assert (await op.client.post("/api/portal/pages", json=page, headers=op.h)).status_code == 201

        async def titles(s, q):
            r = await s.client.get("/api/portal/search", params={"q": q})
            assert r.status_code == 200, r.text
            return {h["title"] for h in r.json() if tag in h["title"]}

        a_hits = await titles(a1, "人口")
        assert {f"人口推計の公表 {tag}", f"総人口の速報 {tag}", f"ジンコウ推計の方法 {tag}"} <= a_hits
        assert f"人口動態 {tag}" not in a_hits  # B's board
        assert f"賃金の調査 {tag}" not in a_hits
        b_hits = await titles(b1, "人口")
        assert f"人口動態 {tag}" in b_hits and f"総人口の速報 {tag}" not in b_hits
        assert await titles(a1, "gdp") == {f"ＧＤＰ統計 {tag}"}
        assert f"ジンコウ推計の方法 {tag}" in await titles(a1, "ｼﾞﾝｺｳ")
        assert f"人口推計の公表 {tag}" in await titles(a1, "じんこう")  # by reading
        html = await a1.client.get("/portal/search", params={"q": "人口"})
        assert html.status_code == 200 and f"総人口の速報 {tag}" in html.text
        too_long = await a1.client.get("/api/portal/search", params={"q": "x" * 201})
        assert too_long.status_code in (400, 422) and "q" in too_long.text
    finally:
        for s in (op, a1, b1):
            await s.client.aclose()
