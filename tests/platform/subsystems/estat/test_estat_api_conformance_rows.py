"""Rows of docs/estat-api-conformance.md that were "not yet" (issue 14 sections 1 and 4), held by
their values, not only their presence: English sub-categories under lang=E (Japanese where none is
given), DESCRIPTION's sub-category explanations, getDataCatalog's DATASET fields and
explanationGetFlg."""

from tests.platform.subsystems.estat.estat_support import J, api_get, as_list


async def test_sub_categories_in_english_and_their_explanations(client, tables, app_id):
    sid = tables["english"]
    ja = (await api_get(client, "getMetaInfo", appId=app_id, statsDataId=sid))["GET_META_INFO"]["METADATA_INF"]
    en = (await api_get(client, "getMetaInfo", appId=app_id, statsDataId=sid, lang="E"))["GET_META_INFO"][
        "METADATA_INF"
    ]
    spec_ja, spec_en = ja["TABLE_INF"]["STATISTICS_NAME_SPEC"], en["TABLE_INF"]["STATISTICS_NAME_SPEC"]
    assert spec_ja["TABULATION_SUB_CATEGORY1"] == "小地域集計" and spec_ja["TABULATION_SUB_CATEGORY2"] == "人口"
    # the second has no English name: the Japanese, as e-Stat does
    assert (
        spec_en["TABULATION_SUB_CATEGORY1"] == "Small area tabulation" and spec_en["TABULATION_SUB_CATEGORY2"] == "人口"
    )
    assert ja["TABLE_INF"]["TITLE_SPEC"]["TABLE_SUB_CATEGORY1"] == "町丁・字等別"
    assert en["TABLE_INF"]["TITLE_SPEC"]["TABLE_SUB_CATEGORY1"] == "By town and block"
    d = ja["TABLE_INF"]["DESCRIPTION"]
    assert d["TABULATION_CATEGORY_EXPLANATION"] == "町丁・字等別の人口"
    assert d["TABULATION_SUB_CATEGORY_EXPLANATION1"] == "町丁・字等を単位とする集計"
    assert d["TABULATION_SUB_CATEGORY_EXPLANATION2"] == "人口の集計"
    off = await api_get(client, "getMetaInfo", appId=app_id, statsDataId=sid, explanationGetFlg="N")
    assert "DESCRIPTION" not in off["GET_META_INFO"]["METADATA_INF"]["TABLE_INF"]


async def test_data_catalog_dataset_fields_and_explanation_flag(client, tables, app_id):
    sid = tables["english"]
    body = (await api_get(client, "getDataCatalog", appId=app_id, catalogId=sid, searchKind="2"))["GET_DATA_CATALOG"]
    d = body["DATA_CATALOG_LIST_INF"]["DATA_CATALOG_INF"]["DATASET"]
    assert d["DESCRIPTION"] == {"TABULATION_CATEGORY_EXPLANATION": "町丁・字等別の人口"}
    assert d["PUBLISHER"] == d["CONTACT_POINT"] == d["CREATOR"] == "総務省"
    assert d["FREQUENCY_OF_UPDATE"] == "5年" and d["LANDING_PAGE"].endswith(f"/estat/tables/{sid}")
    keys = list(d)
    assert keys.index("DESCRIPTION") < keys.index("PUBLISHER") < keys.index("LANDING_PAGE")  # e-Stat's order
    off = (await api_get(client, "getDataCatalog", appId=app_id, catalogId=sid, searchKind="2", explanationGetFlg="N"))[
        "GET_DATA_CATALOG"
    ]
    assert off["PARAMETER"]["EXPLANATION_GET_FLG"] == "N"
    assert "DESCRIPTION" not in off["DATA_CATALOG_LIST_INF"]["DATA_CATALOG_INF"]["DATASET"]
    f = (await api_get(client, "getDataCatalog", appId=app_id, catalogId=tables["file"]))["GET_DATA_CATALOG"]
    page = f["DATA_CATALOG_LIST_INF"]["DATA_CATALOG_INF"]["DATASET"]["LANDING_PAGE"]
    assert page.endswith(f"/estat/files/{tables['file']}")
    bad = await client.get(f"{J}/getDataCatalog", params={"appId": app_id, "explanationGetFlg": "X"})
    assert bad.json()["GET_DATA_CATALOG"]["RESULT"]["STATUS"] >= 100


async def test_class_description_add_inf_and_explanation(client, tables, app_id):
    meta = (await api_get(client, "getMetaInfo", appId=app_id, statsDataId=tables["english"]))["GET_META_INFO"]
    objs = {o["@id"]: o for o in as_list(meta["METADATA_INF"]["CLASS_INF"]["CLASS_OBJ"])}
    sex = objs["cat01"]
    assert sex["@description"] == "性別は本人の申告による"
    classes = {c["@code"]: c for c in as_list(sex["CLASS"])}
    assert classes["0"]["@addInf"] == "男女の合計" and "@addInf" not in classes["1"]
    assert as_list(sex["EXPLANATION"]) == [{"@id": "0", "$": "性別不詳を含む"}]
    assert "@description" not in objs["area"] and "EXPLANATION" not in objs["area"]
    xml = await client.get("/rest/3.0/app/getMetaInfo", params={"appId": app_id, "statsDataId": tables["english"]})
    assert 'addInf="男女の合計"' in xml.text and '<EXPLANATION id="0">性別不詳を含む</EXPLANATION>' in xml.text


async def test_annotation_list_in_json_xml_and_csv(client, tables, app_id):
    sid = tables["english"]
    q = {"appId": app_id, "statsDataId": sid}
    data = (await api_get(client, "getStatsData", **q))["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]
    marked = [v for v in as_list(data["VALUE"]) if v.get("@annotation")]
    assert {v["@annotation"] for v in marked} == {"†"} and len(marked) == 2  # both values of the first row
    assert data["ANNOTATION"] == {"@annotation": "†", "$": "速報値"}
    assert list(data).index("ANNOTATION") < list(data).index("VALUE")
    en = (await api_get(client, "getStatsData", **q, lang="E"))["GET_STATS_DATA"]["STATISTICAL_DATA"]["DATA_INF"]
    assert en["ANNOTATION"]["$"] == "Preliminary figure"
    off = (await api_get(client, "getStatsData", **q, annotationGetFlg="N"))["GET_STATS_DATA"]["STATISTICAL_DATA"]
    assert "ANNOTATION" not in off["DATA_INF"]
    # a page whose values carry no annotation lists none
    plain = (await api_get(client, "getStatsData", **q, cdArea="13101001002"))["GET_STATS_DATA"]["STATISTICAL_DATA"]
    assert "ANNOTATION" not in plain["DATA_INF"]
    xml = await client.get("/rest/3.0/app/getStatsData", params=q)
    assert '<ANNOTATION annotation="†">速報値</ANNOTATION>' in xml.text
    csv = await client.get("/rest/3.0/app/getSimpleStatsData", params=q)
    assert '"ANNOTATION","†","速報値"' in csv.content.decode("utf-8-sig")


async def test_ref_dataset_collect_area(client, tables, app_id):
    """refDataset?collectArea keeps the datasets whose table's COLLECT_AREA (getMetaInfo) is that one."""
    from tests.platform.subsystems.estat.estat_support import published_census

    census = (await published_census())["stats_data_id"]
    area_of = {}
    for sid in (census, tables["ssds"]):
        r = await client.post(f"{J}/postDataset", data={"appId": app_id, "statsDataId": sid})
        assert r.json()["POST_DATASET"]["RESULT"]["STATUS"] == 0
        meta = (await api_get(client, "getMetaInfo", appId=app_id, statsDataId=sid))["GET_META_INFO"]
        area_of[sid] = {"全国": "1", "都道府県": "2", "市区町村": "3"}[
            meta["METADATA_INF"]["TABLE_INF"]["COLLECT_AREA"]
        ]
    assert len(set(area_of.values())) == 2  # the two tables differ, so the filter is seen to choose
    for area in ("1", "2", "3"):
        body = (await api_get(client, "refDataset", appId=app_id, collectArea=area))["REF_DATASET"]
        assert body["PARAMETER"]["COLLECT_AREA"] == area
        listed = {d["TABLE_INF"]["@id"] for d in as_list(body.get("DATASET_LIST_INF", {}).get("DATASET_INF"))}
        assert listed == {sid for sid, a in area_of.items() if a == area}, (area, area_of)
    bad = (await api_get(client, "refDataset", appId=app_id, collectArea="9"))["REF_DATASET"]
    assert bad["RESULT"]["STATUS"] >= 100
