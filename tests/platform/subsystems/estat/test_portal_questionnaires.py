"""ESTAT-4 questionnaires: the operator builds and publishes one; anyone answers once (per browser,
or per registered user); results are counts per choice (drawn as bar charts) and, for the
operator only, the free texts."""

import re

from tests.platform.subsystems.estat import portal_support as ps
from tests.support.factories import audit_events, outbox_mark

FORM = {
    "title": "e-Stat の使いやすさについて",
    "description": "サイト改善のためのアンケートです。",
    "audience": "anyone",
    "show_results": True,
    "questions": [
        {"kind": "single", "text": "どの目的で利用しましたか", "required": True, "choices": ["仕事", "研究", "学習"]},
        {"kind": "multiple", "text": "使った機能", "choices": ["検索", "グラフ", "ダウンロード", "API"]},
        {"kind": "text", "text": "ご意見をお書きください"},
    ],
}


async def _build(client, h, **override) -> dict:
    r = await client.post("/api/estat/questionnaires", json={**FORM, **override}, headers=h)
    assert r.status_code == 201, r.text
    q = r.json()
    assert q["status"] == "draft"
    return q


def _form(q: dict, single=None, multiple=(), text="") -> dict:
    s, m, t = (x["id"] for x in q["questions"])
    data = {f"q_{t}": text}
    if single is not None:
        data[f"q_{s}"] = str(single)
    return data | ({f"q_{m}": [str(c) for c in multiple]} if multiple else {})


async def test_build_publish_answer_once_and_aggregate(app, client):
    h = await ps.operator(client)
    mark = await outbox_mark()
    q = await _build(client, h)
    qid = q["id"]
    async with ps.client_from(app) as anon:
        assert (await anon.get(f"/estat/questionnaires/{qid}")).status_code == 404  # a draft is not public
        assert (await client.post(f"/api/estat/questionnaires/{qid}/publish", headers=h)).json()[
            "status"
        ] == "published"
        listed = await anon.get("/estat/questionnaires")
        assert f"/estat/questionnaires/{qid}" in listed.text

        form = await anon.get(f"/estat/questionnaires/{qid}")
        assert form.status_code == 200 and "estat_respondent" in form.headers.get("set-cookie", "")
        assert form.text.count('type="radio"') == 3 and form.text.count('type="checkbox"') == 4

        missing = await anon.post(f"/estat/questionnaires/{qid}", data=_form(q, multiple=[0]))
        assert missing.status_code == 422 and "問1: 回答してください" in missing.text
        bogus = await anon.post(f"/estat/questionnaires/{qid}", data=_form(q, single=7))
        assert bogus.status_code == 422

        done = await anon.post(
            f"/estat/questionnaires/{qid}", data=_form(q, single=0, multiple=[0, 2], text="もっと早く公表してほしい")
        )
        assert done.status_code == 200 and 'id="thanks"' in done.text
        again = await anon.post(f"/estat/questionnaires/{qid}", data=_form(q, single=1))
        assert again.status_code == 409 and "回答済み" in again.text
        assert 'id="already"' in (await anon.get(f"/estat/questionnaires/{qid}")).text

    async with ps.client_from(app) as other:  # another browser: its own answer
        r = await other.post(f"/estat/questionnaires/{qid}", data=_form(q, single=1, multiple=[2]))
        assert r.status_code == 200
    async with ps.client_from(app) as member:  # a registered user, through the JSON API
        user = await ps.registered_user(member)
        s, m, t = (x["id"] for x in q["questions"])
        body = {"answers": {s: [0], m: [1, 2, 3], t: "API の例がほしい"}}
        r = await member.post(f"/api/estat/questionnaires/{qid}/responses", json=body, headers=user["headers"])
        assert r.status_code == 201, r.text
        r = await member.post(f"/api/estat/questionnaires/{qid}/responses", json=body, headers=user["headers"])
        assert r.status_code == 409
        two = await member.post(
            f"/api/estat/questionnaires/{qid}/responses", headers=user["headers"], json={"answers": {s: [0, 1]}}
        )
        assert two.status_code in (409, 422)

    res = (await client.get(f"/api/estat/questionnaires/{qid}/results", headers=h)).json()
    assert res["respondents"] == 3
    one, many, free = res["questions"]
    assert [c["count"] for c in one["choices"]] == [2, 1, 0]
    assert [c["count"] for c in many["choices"]] == [1, 1, 3, 1] and many["answered"] == 3
    assert sorted(x["text"] for x in free["texts"]) == ["API の例がほしい", "もっと早く公表してほしい"]

    page = await client.get(f"/estat/admin/questionnaires/{qid}")
    assert page.status_code == 200 and "もっと早く公表してほしい" in page.text and 'id="chart-1"' in page.text
    chart = re.search(r'id="chart-2" data-chart=\'([^\']+)\'', page.text).group(1)
    assert '"counts": [1, 1, 3, 1]' in chart.replace("&#34;", '"') or "[1, 1, 3, 1]" in chart

    async with ps.client_from(app) as anon:  # the public sees counts, never the free texts
        public = await anon.get(f"/estat/questionnaires/{qid}/results")
        assert public.status_code == 200 and "もっと早く公表してほしい" not in public.text
        assert "<strong>3</strong>" in public.text
        assert (await anon.get(f"/api/estat/questionnaires/{qid}/results")).status_code == 401

    assert (await client.post(f"/api/estat/questionnaires/{qid}/close", headers=h)).json()["status"] == "closed"
    async with ps.client_from(app) as late:
        r = await late.post(f"/estat/questionnaires/{qid}", data=_form(q, single=0))
        assert (
            r.status_code == 409
            and (await client.get(f"/api/estat/questionnaires/{qid}/results", headers=h)).json()["respondents"] == 3
        )
    assert (await client.post(f"/api/estat/questionnaires/{qid}/publish", headers=h)).status_code == 409
    actions = [e.action for e in await audit_events(mark, prefix="estat.questionnaire")]
    assert actions == ["estat.questionnaire.created", "estat.questionnaire.published", "estat.questionnaire.closed"]


async def test_registered_only_questionnaire_and_the_builder_form(app, client):
    h = await ps.operator(client)
    r = await client.post(
        "/estat/admin/questionnaires/new",
        data={
            "_csrf": h["x-csrf-token"],
            "title": "登録利用者アンケート",
            "audience": "registered",
            "q1_text": "満足度",
            "q1_kind": "single",
            "q1_required": "1",
            "q1_choices": "満足\n普通\n不満",
            "q2_text": "",
            "q3_text": "要望",
            "q3_kind": "text",
        },
    )
    assert r.status_code == 303, r.text
    qid = r.headers["location"].rsplit("/", 1)[1]
    q = (await client.get(f"/api/estat/questionnaires/{qid}", headers=h)).json()
    assert [(x["kind"], x["required"], x["choices"]) for x in q["questions"]] == [
        ("single", True, ["満足", "普通", "不満"]),
        ("text", False, []),
    ]
    assert (
        await client.post(f"/estat/admin/questionnaires/{qid}/publish", data={"_csrf": h["x-csrf-token"]})
    ).status_code == 303

    async with ps.client_from(app) as anon:
        page = await anon.get(f"/estat/questionnaires/{qid}")
        assert "サインイン" in page.text and 'id="answer-form"' not in page.text
        refused = await anon.post(f"/estat/questionnaires/{qid}", data={f"q_{q['questions'][0]['id']}": "0"})
        assert refused.status_code == 403
    async with ps.client_from(app) as member:
        user = await ps.registered_user(member)
        ok = await member.post(
            f"/estat/questionnaires/{qid}", data={f"q_{q['questions'][0]['id']}": "2", "_csrf": user["csrf"]}
        )
        assert ok.status_code == 200 and 'id="thanks"' in ok.text

    bad = await client.post(
        "/estat/admin/questionnaires/new",
        data={
            "_csrf": h["x-csrf-token"],
            "title": "選択肢不足",
            "q1_text": "一つだけ",
            "q1_kind": "single",
            "q1_choices": "はい",
        },
    )
    assert bad.status_code == 422 and "選択肢を2つ以上" in bad.text
    async with ps.client_from(app) as anon:
        assert (await anon.post("/api/estat/questionnaires", json=FORM)).status_code == 401
