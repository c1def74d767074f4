"""Tenant A's unpublished statistical objects: a provision class, a draft table file, a database
table never scheduled, and a draft metadata record, each made through the module's own API with
A's API key, each with the world's marker in its title and contents."""

from __future__ import annotations

from tests.support.factories import another_client


def _params(marker: str) -> bytes:
    return f"""format: 1
table:
  gov_stat_code: "00200521"
  title: "非公開の表 {marker}"
  table_no: "W-1"
  survey_date: "2020"
data:
  format: csv
  skip_rows: 1
  columns:
    area: {{code: 1, name: 2}}
    time: {{code: 3}}
  values:
    - {{column: 4, cat01: "001"}}
dimensions:
  cat01:
    name: "項目 {marker}"
    items:
      - {{code: "001", name: "人口 {marker}", unit: 人}}
  area:
    name: 地域
    items: data
  time:
    name: 時間軸
    items: data
""".encode()


def _csv(marker: str) -> bytes:
    return f"地域コード,地域名,年,人口\n29201,奈良市 {marker},2020,354630\n29209,生駒市,2020,116675\n".encode()


def survey_body(marker: str) -> dict:
    return {
        "gov_stat_code": "00200521",
        "survey_name": f"下書きの調査 {marker}",
        "survey_name_en": f"Draft {marker}",
        "purpose": f"非公開の目的 {marker}",
        "legal_basis": "統計法",
        "population": "全世帯",
        "observation_unit": "世帯",
        "cycle": "5年",
        "method": "調査員調査",
        "reference_date": "2025-10-01",
        "period_from": "2025-09-20",
        "period_to": "2025-10-20",
        "contact": f"担当 {marker}",
        "items": [{"code": "A01", "name": f"項目 {marker}", "definition": "定義", "value_type": "code"}],
        "classifications": [{"text": f"独自の区分 {marker}"}],
    }


async def build(world, app) -> None:
    m = world.marker
    h = {"x-api-key": world.extra["a_api_key"]}
    async with another_client(app) as c:
        r = await c.post(
            "/api/tables/classes",
            headers=h,
            json={"gov_stat_code": "00200521", "code": "walker", "name_ja": f"非公開の分類 {m}", "published": False},
        )
        assert r.status_code == 201, r.text
        world.own("class", r.json()["id"])

        r = await c.post(
            "/api/tables/files",
            headers=h,
            data={"gov_stat_code": "00200521", "table_no": "W-1", "survey_date": "202010", "title": f"下書きの表 {m}"},
            files={"file": ("walker.csv", _csv(m), "text/csv"), "params": ("p.yaml", _params(m), "application/yaml")},
        )
        assert r.status_code == 201, r.text
        world.own("file", r.json()["id"])

        r = await c.post(
            "/api/statdb/tables",
            headers=h,
            data={"test_mode": "false"},
            files=[
                ("params", ("params.yaml", _params(m), "application/yaml")),
                ("data", ("w.csv", _csv(m), "text/csv")),
            ],
        )
        assert r.status_code == 201, r.text
        world.own("stat_table", r.json()["stats_data_id"])

        r = await c.post("/api/metadata/records", headers=h, json=survey_body(m))
        assert r.status_code == 201, r.text
        world.own("record", r.json()["id"])
