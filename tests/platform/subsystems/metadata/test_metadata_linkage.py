"""METADATA-1 data linkage, both ways: the metadata lists its linked tables (only published ones
for the public, each pointing to /estat/tables/{statsDataId}), and a table's metadata is found
from the table (/api/metadata/by-table/{statsDataId}, /by-file/{id}) once the metadata is published."""

from tests.platform.subsystems.metadata.metadata_support import agency, publish, signed_in, statdb_table, survey
from tests.support.factories import another_client

INFO = {"gov_stat_code": "00200521", "table_no": "M-1", "survey_date": "2025", "title": "メタデータ連携用の表"}


async def test_links_are_shown_on_the_metadata_and_found_from_the_table(client, app):
    owner = await agency()
    out = await statdb_table(client, owner, 11, publish=True)  # published: the public sees the link
    later = await statdb_table(client, owner, 12, publish=False)  # not yet: hidden from the public
    unlinked = await statdb_table(client, owner, 13, publish=True)  # same statistic, not linked
    admin = await signed_in(client, owner.admin_login)
    r = await client.post(
        "/api/tables/files",
        headers=admin,
        data=INFO,
        files={"file": ("m.csv", "地域,人口\n全国,1\n".encode(), "text/csv")},
    )
    assert r.status_code == 201, r.text
    file_id = r.json()["id"]
    body = survey(
        tables=[{"stats_data_id": out, "note": "主要表"}, {"stats_data_id": later}, {"table_file_id": file_id}]
    )
    r = await client.post("/api/metadata/records", json=body, headers=admin)
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    owned = r.json()["open"]["tables"]  # the owner sees every link, with its state
    assert [(t["kind"], t["published"]) for t in owned] == [("statdb", True), ("statdb", False), ("table_file", False)]
    assert owned[0]["title"] == "テスト表 11" and owned[2]["title"] == INFO["title"]

    async with another_client(app) as public:
        before = (await public.get(f"/api/metadata/by-table/{out}")).json()
        assert before["items"] == [] and rid not in [m["id"] for m in before["related"]]  # a draft links nothing
    await publish(client, app, rid, admin)

    async with another_client(app) as public:
        doc = (await public.get(f"/api/metadata/surveys/{rid}")).json()
        assert [(t["stats_data_id"], t["portal_url"], t["note"]) for t in doc["tables"]] == [
            (out, f"/estat/tables/{out}", "主要表")
        ]
        page = (await public.get(f"/metadata/{rid}")).text
        assert f'href="/estat/tables/{out}"' in page and later not in page
        found = (await public.get(f"/api/metadata/by-table/{out}")).json()
        assert [(m["id"], m["version"], m["url"]) for m in found["items"]] == [(rid, 1, f"/metadata/{rid}")]
        assert found["table"]["title"] == "テスト表 11" and rid not in [m["id"] for m in found["related"]]
        # a published table of the same statistic that no metadata links: the statistic's metadata is related
        related = (await public.get(f"/api/metadata/by-table/{unlinked}")).json()
        assert related["items"] == [] and rid in [m["id"] for m in related["related"]]
        # an unpublished table is nobody's business yet, nor is a malformed id
        assert (await public.get(f"/api/metadata/by-table/{later}")).status_code == 404
        assert (await public.get("/api/metadata/by-table/12ab")).status_code == 404
        assert (await public.get(f"/api/metadata/by-file/{file_id}")).status_code == 404  # a draft table file
    # the owner (who may see its own table file) finds the published metadata linked to it
    assert rid in [m["id"] for m in (await client.get(f"/api/metadata/by-file/{file_id}")).json()["items"]]
    assert rid in [m["id"] for m in (await client.get(f"/api/metadata/by-table/{later}")).json()["items"]]


async def test_a_new_version_changes_the_links_only_when_approved(client, app):
    owner = await agency()
    first = await statdb_table(client, owner, 21, publish=True)
    second = await statdb_table(client, owner, 22, publish=True)
    admin = await signed_in(client, owner.admin_login)
    rid = (
        await client.post("/api/metadata/records", json=survey(tables=[{"stats_data_id": first}]), headers=admin)
    ).json()["id"]
    await publish(client, app, rid, admin)
    r = await client.patch(f"/api/metadata/records/{rid}", json={"tables": [{"stats_data_id": second}]}, headers=admin)
    assert r.status_code == 200 and [t["stats_data_id"] for t in r.json()["open"]["tables"]] == [second]
    async with another_client(app) as public:
        assert [m["id"] for m in (await public.get(f"/api/metadata/by-table/{first}")).json()["items"]] == [rid]
        assert (await public.get(f"/api/metadata/by-table/{second}")).json()["items"] == []
    await publish(client, app, rid, admin)
    async with another_client(app) as public:
        assert (await public.get(f"/api/metadata/by-table/{first}")).json()["items"] == []
        assert [m["id"] for m in (await public.get(f"/api/metadata/by-table/{second}")).json()["items"]] == [rid]
