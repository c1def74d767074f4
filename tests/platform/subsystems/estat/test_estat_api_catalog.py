"""Issue 14 section 1: postDataset's processMode (E register/update, D delete), getDataCatalog over
table files and database tables (dataType, catalogId, resourceId, paging), and the CSV forms."""

from tests.platform.subsystems.estat.estat_support import J, api_get, app_id_for, as_list


async def test_post_dataset_register_update_delete(client, app, tables, app_id):
    sid = tables["english"]
    post = f"{J}/postDataset"
    made = (await client.post(post, data={"appId": app_id, "statsDataId": sid, "cdCat01": "0"})).json()
    ds = made["POST_DATASET"]["DATASET_ID"]
    assert made["POST_DATASET"]["PARAMETER"]["PROCESS_MODE"] == "E"
    upd = {"appId": app_id, "statsDataId": sid, "cdCat01": "1", "dataSetId": ds, "processMode": "E"}
    assert (await client.post(post, data=upd)).json()["POST_DATASET"]["RESULT"]["STATUS"] == 0
    values = (await api_get(client, "getStatsData", appId=app_id, dataSetId=ds))["GET_STATS_DATA"]
    assert {v["@cat01"] for v in as_list(values["STATISTICAL_DATA"]["DATA_INF"]["VALUE"])} == {"1"}
    import httpx

    transport = httpx.ASGITransport(app=app, client=("10.9.9.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver.local") as stranger:
        other = await app_id_for(stranger)  # another user cannot delete it
        theirs = (await stranger.post(post, data={"appId": other, "dataSetId": ds, "processMode": "D"})).json()
    assert theirs["POST_DATASET"]["RESULT"]["STATUS"] == 104
    gone = (await client.post(post, data={"appId": app_id, "dataSetId": ds, "processMode": "D"})).json()
    assert gone["POST_DATASET"]["RESULT"]["STATUS"] == 0 and gone["POST_DATASET"]["PARAMETER"]["PROCESS_MODE"] == "D"
    after = (await api_get(client, "refDataset", appId=app_id, dataSetId=ds))["REF_DATASET"]
    assert after["RESULT"]["STATUS"] == 104
    bad = (await client.post(post, data={"appId": app_id, "dataSetId": ds, "processMode": "X"})).json()
    assert bad["POST_DATASET"]["RESULT"]["STATUS"] == 102


async def test_data_catalog_files_and_tables(client, tables, app_id):
    tag, fid, sid = tables["tag"], tables["file"], tables["english"]
    both = (await api_get(client, "getDataCatalog", appId=app_id, searchWord=tag, searchKind="2"))["GET_DATA_CATALOG"]
    ids = [c["@id"] for c in as_list(both["DATA_CATALOG_LIST_INF"]["DATA_CATALOG_INF"])]
    assert ids == [sid]  # the file is no small-area table
    everything = (await api_get(client, "getDataCatalog", appId=app_id, searchWord=tag))["GET_DATA_CATALOG"]
    entries = {c["@id"]: c for c in as_list(everything["DATA_CATALOG_LIST_INF"]["DATA_CATALOG_INF"])}
    assert fid in entries
    res = entries[fid]["RESOURCES"]["RESOURCE"]
    assert res["FORMAT"] == "CSV" and res["@id"] == fid and res["URL"].endswith(f"/estat/files/{fid}")
    xls = (await api_get(client, "getDataCatalog", appId=app_id, searchWord=tag, dataType="XLS"))["GET_DATA_CATALOG"]
    assert xls["RESULT"]["STATUS"] == 1
    db = await api_get(client, "getDataCatalog", appId=app_id, catalogId=sid, dataType="DB", searchKind="2")
    r = db["GET_DATA_CATALOG"]["DATA_CATALOG_LIST_INF"]["DATA_CATALOG_INF"]["RESOURCES"]["RESOURCE"]
    assert r["@id"] == f"{sid}-db" and r["FORMAT"] == "DB"
    by_res = await api_get(client, "getDataCatalog", appId=app_id, resourceId=f"{sid}-csv", searchKind="2")
    inf = by_res["GET_DATA_CATALOG"]["DATA_CATALOG_LIST_INF"]
    assert inf["NUMBER"] == 1 and inf["DATA_CATALOG_INF"]["RESOURCES"]["RESOURCE"]["FORMAT"] == "CSV"
    page = (await api_get(client, "getDataCatalog", appId=app_id, limit="1"))["GET_DATA_CATALOG"]
    assert page["DATA_CATALOG_LIST_INF"]["RESULT_INF"]["NEXT_KEY"] == 2 and page["DATA_CATALOG_LIST_INF"]["NUMBER"] >= 2
    bad = (await api_get(client, "getDataCatalog", appId=app_id, dataType="DOC"))["GET_DATA_CATALOG"]
    assert bad["RESULT"]["STATUS"] == 102


async def test_csv_forms(client, tables, app_id):
    sid = tables["english"]
    meta = await client.get(
        "/rest/3.0/app/getSimpleMetaInfo", params={"appId": app_id, "statsDataId": sid, "lang": "E"}
    )
    assert meta.headers["content-type"].startswith("text/csv")
    lines = meta.content.decode("utf-8-sig").splitlines()
    assert lines[0] == '"RESULT"' and '"cat01","Sex","0","Total","1","人",""' in lines
    names = await client.get(
        "/rest/3.0/app/getSimpleStatsList",
        params={"appId": app_id, "statsNameList": "Y", "statsCode": "00200521", "sectionHeaderFlg": "2"},
    )
    rows = names.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith('"LIST_INF"') and '"00200521","国勢調査","00200","総務省"' in rows[1]
    cat = await client.get(
        "/rest/3.0/app/getSimpleDataCatalog",
        params={"appId": app_id, "catalogId": tables["file"], "sectionHeaderFlg": "2"},
    )
    rows = cat.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith('"CATALOG_ID"') and len(rows) == 2 and tables["file"] in rows[1] and '"CSV"' in rows[1]


async def test_data_catalog_names_in_english(client, tables, app_id):
    """lang=E: DATASET's STAT_NAME, TITLE, TABULATION_CATEGORY and DESCRIPTION and RESOURCE's TITLE
    from the parameter file's `*_en`; the Japanese where it gave none, and for a table file."""
    tag, sid, ssds, fid = tables["tag"], tables["english"], tables["ssds"], tables["file"]

    async def entry(lang, catalog_id, **more):
        body = await api_get(client, "getDataCatalog", appId=app_id, catalogId=catalog_id, lang=lang, **more)
        return body["GET_DATA_CATALOG"]["DATA_CATALOG_LIST_INF"]["DATA_CATALOG_INF"]

    en = await entry("E", sid, searchKind="2")
    assert en["DATASET"]["STAT_NAME"]["$"] == "Population Census"
    assert en["DATASET"]["TITLE"] == {
        "NAME": f"Population by small area {tag}",
        "TABULATION_CATEGORY": "2020 Population Census, small area tabulation",
    }
    assert en["DATASET"]["DESCRIPTION"]["TABULATION_CATEGORY_EXPLANATION"] == "Population by town and block"
    assert en["DATASET"]["CYCLE"] == en["DATASET"]["FREQUENCY_OF_UPDATE"] == "Every 5 years"  # 5年
    assert {r["TITLE"]["NAME"] for r in as_list(en["RESOURCES"]["RESOURCE"])} == {f"Population by small area {tag}"}
    ja = await entry("J", sid, searchKind="2")
    assert ja["DATASET"]["TITLE"]["NAME"] == f"小地域別人口 {tag}" and ja["DATASET"]["STAT_NAME"]["$"] == "国勢調査"
    bare = await entry("E", ssds, searchKind="3")  # no English names given: Japanese, as e-Stat falls back
    assert bare["DATASET"]["TITLE"]["NAME"] == f"都道府県データ 基礎データ {tag}"
    assert bare["DATASET"]["ORGANIZATION"]["$"] == "Ministry of Internal Affairs and Communications"
    file = await entry("E", fid)
    assert file["DATASET"]["TITLE"]["NAME"] == file["RESOURCES"]["RESOURCE"]["TITLE"]["NAME"] == f"表ファイル {tag}"
    csv = await client.get(
        "/rest/3.0/app/getSimpleDataCatalog",
        params={"appId": app_id, "catalogId": sid, "searchKind": "2", "lang": "E", "sectionHeaderFlg": "2"},
    )
    assert f'"Population by small area {tag}"' in csv.content.decode("utf-8-sig")
