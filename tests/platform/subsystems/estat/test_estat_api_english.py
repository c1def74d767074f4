"""Issue 14 section 1: lang=E (English names with the Japanese where none is given) and the
catalogue fields of getStatsList (statsNameList, 2- and 4-digit statsField, SUB_CATEGORY and the
sub-categories, searchKind 2 and 3)."""

from tests.platform.subsystems.estat.estat_support import api_get, as_list


async def test_lang_e_names_with_japanese_fallback(client, tables, app_id):
    sid = tables["english"]
    ja = (await api_get(client, "getStatsData", appId=app_id, statsDataId=sid))["GET_STATS_DATA"]
    en = (await api_get(client, "getStatsData", appId=app_id, statsDataId=sid, lang="E"))["GET_STATS_DATA"]
    assert en["PARAMETER"]["LANG"] == "E" and ja["PARAMETER"]["LANG"] == "J"
    t_ja, t_en = ja["STATISTICAL_DATA"]["TABLE_INF"], en["STATISTICAL_DATA"]["TABLE_INF"]
    assert t_ja["TITLE"]["$"].startswith("小地域別人口") and t_en["TITLE"]["$"].startswith("Population by small area")
    assert t_en["STAT_NAME"]["$"] == "Population Census" and t_ja["STAT_NAME"]["$"] == "国勢調査"
    assert (
        t_en["GOV_ORG"]["$"] == "Ministry of Internal Affairs and Communications" and t_ja["GOV_ORG"]["$"] == "総務省"
    )
    assert t_en["STATISTICS_NAME"] == "2020 Population Census, small area tabulation"
    assert t_en["DESCRIPTION"]["TABULATION_CATEGORY_EXPLANATION"] == "Population by town and block"
    assert t_en["MAIN_CATEGORY"]["$"] == "Population and households" and t_ja["MAIN_CATEGORY"]["$"] == "人口・世帯"
    objs = {o["@id"]: o for o in as_list(en["STATISTICAL_DATA"]["CLASS_INF"]["CLASS_OBJ"])}
    assert objs["cat01"]["@name"] == "Sex"
    assert [c["@name"] for c in objs["cat01"]["CLASS"]] == ["Total", "男"]  # 男 has no English name: Japanese
    assert objs["area"]["@name"] == "地域"
    notes = {n["@char"]: n["$"] for n in as_list(en["STATISTICAL_DATA"]["DATA_INF"]["NOTE"])}
    assert notes == {"-": "Not applicable", "x": "秘匿"}
    ja_notes = {n["@char"]: n["$"] for n in as_list(ja["STATISTICAL_DATA"]["DATA_INF"]["NOTE"])}
    assert ja_notes["-"] == "該当数値なし"
    meta = (await api_get(client, "getMetaInfo", appId=app_id, statsDataId=sid, lang="E"))["GET_META_INFO"]
    assert meta["METADATA_INF"]["TABLE_INF"]["TITLE"]["$"] == t_en["TITLE"]["$"]
    listed = (await api_get(client, "getStatsList", appId=app_id, searchWord=tables["tag"], searchKind="2", lang="E"))[
        "GET_STATS_LIST"
    ]
    found = {t["@id"]: t for t in as_list(listed["DATALIST_INF"]["TABLE_INF"])}
    assert found[sid]["TITLE"]["$"] == t_en["TITLE"]["$"]
    # a table without English names answers in Japanese under lang=E
    ssds = (await api_get(client, "getMetaInfo", appId=app_id, statsDataId=tables["ssds"], lang="E"))["GET_META_INFO"]
    assert ssds["METADATA_INF"]["TABLE_INF"]["STAT_NAME"]["$"] == "社会・人口統計体系"


async def test_sub_categories_and_small_area(client, tables, app_id):
    sid = tables["english"]
    t = (await api_get(client, "getMetaInfo", appId=app_id, statsDataId=sid))["GET_META_INFO"]["METADATA_INF"]
    inf = t["TABLE_INF"]
    # e-Stat writes the sub-category's two digits under MAIN_CATEGORY (0201 → MAIN 02, SUB 01)
    assert inf["MAIN_CATEGORY"]["@code"] == "02" and inf["SMALL_AREA"] == 1
    assert inf["SUB_CATEGORY"] == {"@code": "01", "$": "人口"}
    assert inf["STATISTICS_NAME_SPEC"] == {
        "TABULATION_CATEGORY": "令和２年国勢調査 小地域集計",
        "TABULATION_SUB_CATEGORY1": "小地域集計",
        "TABULATION_SUB_CATEGORY2": "人口",
    }
    assert inf["TITLE_SPEC"]["TABLE_CATEGORY"] == "人口" and inf["TITLE_SPEC"]["TABLE_SUB_CATEGORY1"] == "町丁・字等別"
    en = (await api_get(client, "getMetaInfo", appId=app_id, statsDataId=sid, lang="E"))["GET_META_INFO"]
    assert en["METADATA_INF"]["TABLE_INF"]["SUB_CATEGORY"]["$"] == "Population"


async def _ids(client, app_id, **params):
    body = (await api_get(client, "getStatsList", appId=app_id, **params))["GET_STATS_LIST"]
    assert body["RESULT"]["STATUS"] in (0, 1), body["RESULT"]
    return {t["@id"]: t for t in as_list(body["DATALIST_INF"].get("TABLE_INF"))}


async def test_stats_field_search_kind_and_stats_name_list(client, tables, app_id):
    from tests.platform.subsystems.estat.estat_support import published_census

    census = (await published_census())["stats_data_id"]
    small, ssds = tables["english"], tables["ssds"]
    by_main = await _ids(client, app_id, statsField="02")
    assert census in by_main and ssds not in by_main  # 社会・人口統計体系 is field 99
    assert small in await _ids(client, app_id, statsField="02", searchKind="2")
    by_sub = await _ids(client, app_id, statsField="0201", searchKind="2")
    assert small in by_sub and all(t["SUB_CATEGORY"]["@code"] == "01" for t in by_sub.values())
    assert census not in await _ids(client, app_id, statsField="0201")  # the census declares no sub-category
    assert not await _ids(client, app_id, statsField="0202", searchWord=tables["tag"], searchKind="2")
    kind1 = await _ids(client, app_id, statsCode="00200521")
    assert census in kind1 and small not in kind1  # small-area tables are searchKind=2's
    kind2 = await _ids(client, app_id, searchKind="2")
    assert small in kind2 and census not in kind2 and all(t["SMALL_AREA"] != 0 for t in kind2.values())
    assert small in await _ids(client, app_id, searchKind="2", collectArea="1")  # the spec: void with kind 2
    kind3 = await _ids(client, app_id, searchKind="3")
    assert ssds in kind3 and all(t["STAT_NAME"]["@code"] == "00200502" for t in kind3.values())
    bad = (await api_get(client, "getStatsList", appId=app_id, searchKind="4"))["GET_STATS_LIST"]
    assert bad["RESULT"]["STATUS"] >= 100

    names = (await api_get(client, "getStatsList", appId=app_id, statsNameList="Y", statsCode="00200"))[
        "GET_STATS_LIST"
    ]
    listed = as_list(names["DATALIST_INF"]["LIST_INF"])
    codes = [i["STAT_NAME"]["@code"] for i in listed]
    assert "00200521" in codes and codes == sorted(set(codes)) and "TABLE_INF" not in names["DATALIST_INF"]
    assert names["DATALIST_INF"]["NUMBER"] == len(listed) and names["PARAMETER"]["STATS_NAME_LIST"] == "Y"
    census_entry = next(i for i in listed if i["STAT_NAME"]["@code"] == "00200521")
    assert census_entry["GOV_ORG"] == {"@code": "00200", "$": "総務省"} and census_entry["@id"].isdigit()
    en = await api_get(client, "getStatsList", appId=app_id, statsNameList="Y", statsCode="00200521", lang="E")
    entry = en["GET_STATS_LIST"]["DATALIST_INF"]["LIST_INF"]
    assert entry["STAT_NAME"]["$"] == "Population Census"
    assert entry["GOV_ORG"]["$"] == "Ministry of Internal Affairs and Communications"


async def test_english_messages_and_cycles(client, tables, app_id):
    sid = tables["english"]
    ok = (await api_get(client, "getMetaInfo", appId=app_id, statsDataId=sid, lang="E"))["GET_META_INFO"]
    assert ok["RESULT"]["ERROR_MSG"] == "Processing completed normally."
    assert ok["METADATA_INF"]["TABLE_INF"]["CYCLE"] == "Every 5 years"  # the parameter file's 5年
    ja = (await api_get(client, "getMetaInfo", appId=app_id, statsDataId=sid))["GET_META_INFO"]
    assert ja["METADATA_INF"]["TABLE_INF"]["CYCLE"] == "5年" and ja["RESULT"]["ERROR_MSG"] == "正常に終了しました。"
    bad = (await api_get(client, "getStatsData", appId=app_id, statsDataId=sid, lang="E", limit="0"))["GET_STATS_DATA"]
    assert bad["RESULT"]["STATUS"] == 102 and bad["RESULT"]["ERROR_MSG"] == "A parameter value is invalid. (limit=0)"
    spec = f"statsDataId={sid}|statsDataId=0999999999"
    both = (await api_get(client, "getStatsDatas", appId=app_id, statsDatasSpec=spec, lang="E"))["GET_STATS_DATAS"]
    assert both["STATISTICAL_DATA_LIST"]["TABLE_INF_LIST"]["TABLE_INF"]["CYCLE"] == "Every 5 years"
    assert both["RESULT"]["ERROR_MSG"] == (
        "Request number 2: error 103: The specified statistical table ID does not exist. (0999999999)"
    )
