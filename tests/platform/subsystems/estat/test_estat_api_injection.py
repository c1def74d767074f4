"""Hardening (issue 8): a parameter *name* holding markup never becomes markup in any answer form.

The payload closes PARAMETER and opens an XHTML script element; before the fix the XML answer of
every function carried it as a live <h:script> on govstat's origin (the key was echoed as an element
and attribute name), and JSON/JSONP/CSV mirrored it too."""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

from tests.platform.subsystems.estat.estat_support import app_id_for

PAYLOAD = '@a="1"/><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(document.domain)</h:script><PARAMETER b'
FUNCTIONS = (
    "getStatsList",
    "getMetaInfo",
    "getStatsData",
    "getDataCatalog",
    "getStatsDatas",
    "postDataset",
    "refDataset",
)
TAG = re.compile(r"^[A-Z][A-Z0-9_]*$")  # e-Stat's element names
ATTRIBUTE = re.compile(r"^[a-z][A-Za-z0-9]*$")  # e-Stat's attribute names (id, code, name, cat01, ...)
XSI = "{http://www.w3.org/2001/XMLSchema-instance}noNamespaceSchemaLocation"


def _query(**params) -> str:
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in {PAYLOAD: "x", **params}.items())


def _assert_plain_xml(content: bytes, where: str) -> None:
    assert b":script" not in content and b"alert(" not in content, where
    root = ET.fromstring(content)
    for el in root.iter():
        assert TAG.match(el.tag), (where, el.tag)  # no namespace, nothing outside e-Stat's vocabulary
        for name in el.attrib:
            assert name == XSI or ATTRIBUTE.match(name), (where, el.tag, name)
    assert all(p.tag == "PARAMETER" for p in root.iter("PARAMETER"))
    # one echo of the parameters: PARAMETER, or getStatsDatas' PARAMETER_LIST (one PARAMETER a request)
    assert len([el for el in root if el.tag in ("PARAMETER", "PARAMETER_LIST")]) == 1, where


def _assert_plain_keys(value, where: str) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            assert k == "$" or TAG.match(k) or (k.startswith("@") and ATTRIBUTE.match(k[1:])), (where, k)
            _assert_plain_keys(v, where)
    elif isinstance(value, list):
        for v in value:
            _assert_plain_keys(v, where)


async def _every_form(client, **params):
    """(where, response) for every function in XML, JSON and JSONP, GET and (where allowed) POST."""
    out = []
    for fn in FUNCTIONS:
        for prefix in ("", "json/", "jsonp/"):
            extra = {"callback": "cb"} if prefix == "jsonp/" else {}
            url = f"/rest/3.0/app/{prefix}{fn}"
            out.append((f"GET {url}", await client.get(f"{url}?{_query(**params, **extra)}")))
            if fn in ("getStatsDatas", "postDataset"):
                body = _query(**params, **extra)
                out.append(
                    (
                        f"POST {url}",
                        await client.post(
                            url, content=body, headers={"content-type": "application/x-www-form-urlencoded"}
                        ),
                    )
                )
    for fn in ("getSimpleStatsList", "getSimpleStatsData"):
        out.append((f"GET {fn}", await client.get(f"/rest/3.0/app/{fn}?{_query(**params)}")))
    return out


def _check(where: str, r) -> None:
    assert r.status_code == 200, where
    assert r.headers["x-content-type-options"] == "nosniff", where
    assert "default-src 'none'" in r.headers["content-security-policy"], where
    kind = r.headers["content-type"]
    if kind.startswith("application/xml"):
        _assert_plain_xml(r.content, where)
    elif kind.startswith("application/json"):
        _assert_plain_keys(r.json(), where)
    elif kind.startswith("application/javascript"):
        assert r.text.startswith("cb(") and r.text.endswith(")"), where
        _assert_plain_keys(json.loads(r.text[3:-1]), where)
    else:
        assert kind.startswith("text/csv"), where
        assert ":script" not in r.text and PAYLOAD not in r.text, where
    assert "alert(document.domain)" not in r.text, where


async def test_a_markup_parameter_name_is_never_echoed_without_app_id(client, census):
    for where, r in await _every_form(client, statsDataId=census["stats_data_id"]):
        _check(where, r)
        assert "STATUS" in r.text and ("100" in r.text), where


async def test_a_markup_parameter_name_is_never_echoed_with_a_parameter_error(client, census):
    app_id = await app_id_for(client)
    # lang=X makes every function answer STATUS 102 with its PARAMETER echo
    answers = await _every_form(
        client,
        appId=app_id,
        statsDataId=census["stats_data_id"],
        lang="X",
        statsDatasSpec=json.dumps([{PAYLOAD: "x", "statsDataId": "0000000001"}]),
    )
    for where, r in answers:
        _check(where, r)
    xml = ET.fromstring(
        (
            await client.get(
                f"/rest/3.0/app/getStatsData?{_query(appId=app_id, lang='X', cdArea='29000', statsDataId=census['stats_data_id'])}"
            )
        ).content
    )
    # the parameters e-Stat defines are still echoed, under e-Stat's names; appId never is
    assert (
        xml.find("PARAMETER/LANG").text == "X" and xml.find("PARAMETER/STATS_DATA_ID").text == census["stats_data_id"]
    )
    assert xml.find("PARAMETER/NARROWING_COND/CODE_AREA_SELECT").text == "29000"
    assert app_id.encode() not in ET.tostring(xml)


async def test_a_bulk_spec_key_holding_markup_is_not_echoed(client, census):
    app_id = await app_id_for(client)
    spec = json.dumps(
        [
            {"statsDataId": census["stats_data_id"], "cdArea": "29000", "cdCat01": "0"},
            {PAYLOAD: "x", "statsDataId": "0000000001"},
        ]
    )
    r = await client.post("/rest/3.0/app/getStatsDatas", data={"appId": app_id, "statsDatasSpec": spec})
    _assert_plain_xml(r.content, "bulk")
    xml = ET.fromstring(r.content)
    assert xml.find("STATISTICAL_DATA_LIST/TABLE_INF_LIST/TABLE_INF").get("requestNo") == "1"
    assert xml.find("RESULT/STATUS").text == "2" and "リクエスト番号 2" in xml.find("RESULT/ERROR_MSG").text
    assert xml.find("PARAMETER_LIST/PARAMETER[@requestNo='2']/STATS_DATA_ID").text == "0000000001"


async def test_jsonp_callback_must_be_an_identifier_path(client, census):
    app_id = await app_id_for(client)
    for bad in ("alert(1)//", "a..b", "a.", "<script>", "cb;alert(1)", "ｃｂ", "x" * 200):
        r = await client.get("/rest/3.0/app/jsonp/getStatsList", params={"appId": app_id, "callback": bad})
        assert r.headers["content-type"].startswith("application/json"), bad
        assert r.json()["GET_STATS_LIST"]["RESULT"]["STATUS"] == 102, bad
    for good in ("cb", "jQuery3600_1700000000", "ns.app.$cb"):
        r = await client.get("/rest/3.0/app/jsonp/getStatsList", params={"appId": app_id, "callback": good})
        assert r.headers["content-type"].startswith("application/javascript"), good
        assert r.headers["x-content-type-options"] == "nosniff" and r.text.startswith(f"{good}(")


def test_the_xml_writer_refuses_names_that_are_not_ncnames():
    from govstat.platform.subsystems.estat.api.render import to_xml

    body = {
        "ROOT": {
            "PARAMETER": {
                PAYLOAD: "x",
                "OK": "1",
                "xmlns": "http://www.w3.org/1999/xhtml",
                "@xmlns": "http://www.w3.org/1999/xhtml",
                "@b c": "1",
                "@id": "7",
            },
            "TEXT": "bad \x00\x1b char",
        }
    }
    root = ET.fromstring(to_xml(body))
    assert [el.tag for el in root.iter()] == ["ROOT", "PARAMETER", "OK", "TEXT"]
    assert root.find("PARAMETER").attrib == {"id": "7"} and root.find("TEXT").text == "bad  char"
