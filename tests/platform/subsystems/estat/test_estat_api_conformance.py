"""docs/estat-api-conformance.md cannot lie: every row it marks **done** names a probe, and the
live API answers that probe with the element the row names (STATUS below 100)."""

import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.platform.subsystems.estat.estat_catalog_support import published_tables
from tests.platform.subsystems.estat.estat_support import app_id_for, published_census

DOC = Path(__file__).resolve().parents[4] / "docs/estat-api-conformance.md"
PROBE = re.compile(r"`([^`]+)` → `([^`]+)`")


def _rows() -> list[tuple[str, str, str]]:
    """(row label, status, probe cell) of every table row of the document."""
    out = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if len(cells) != 4 or cells[2] in ("Status", "---") or set(cells[0]) <= {"-"}:
            continue
        out.append((f"{cells[0]}: {cells[1]}", cells[2], cells[3]))
    return out


ROWS = _rows()
DONE = [(label, probe) for label, status, probe in ROWS if status == "done"]
_app_id: list[str] = []


def test_every_row_has_a_status_and_every_done_row_a_probe():
    assert len(ROWS) > 80 and len(DONE) > 60
    for label, status, probe in ROWS:
        assert status == "done" or status == "not yet" or status.startswith("partial: "), label
        if status == "done":
            assert PROBE.search(probe), f"{label}: a done row needs a probe"


def _find(value, path: list[str]):
    """The value at `path`; through a list, any element that holds the rest of the path."""
    if not path:
        return value
    if isinstance(value, list):
        return next((found for v in value if (found := _find(v, path)) is not None), None)
    if not isinstance(value, dict) or path[0] not in value:
        return None
    return _find(value[path[0]], path[1:])


@pytest.mark.parametrize(("label", "probe"), DONE, ids=[label for label, _ in DONE])
async def test_done_rows_hold(client, app, label, probe):
    if not _app_id:
        _app_id.append(await app_id_for(client))
    census = (await published_census())["stats_data_id"]
    made = await published_tables()
    request, element = PROBE.search(probe).groups()
    ds = ""
    if "{ds}" in request:  # a dataset of this caller's, made for the probe
        r = await client.post(
            "/rest/3.0/app/json/postDataset", data={"appId": _app_id[0], "statsDataId": census, "cdArea": "29000"}
        )
        ds = r.json()["POST_DATASET"]["DATASET_ID"]
    request = request.format(sid=census, small=made["english"], file=made["file"], tag=made["tag"], ds=ds)
    kind, _, request = request.rpartition(":") if re.match(r"^(xml|csv|jsonp):", request) else ("", "", request)
    method, request = ("POST", request[5:]) if request.startswith("POST ") else ("GET", request)
    fn, _, query = request.partition("?")
    q = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    q["appId"] = _app_id[0]
    path = {"": "/rest/3.0/app/json/", "jsonp": "/rest/3.0/app/jsonp/"}.get(kind, "/rest/3.0/app/") + fn
    if method == "POST":
        r = await client.post(path, data=q)
    else:
        r = await client.get(path, params=q)
    assert r.status_code == 200, label
    if kind == "csv":
        assert r.headers["content-type"].startswith("text/csv") and element in r.content.decode("utf-8-sig"), label
        return
    if kind == "xml":
        root = ET.fromstring(r.content)
        assert root.find(element) is not None and int(root.find("RESULT/STATUS").text) < 100, label
        return
    text = r.text
    if kind == "jsonp":
        assert text.startswith(q["callback"] + "(") and text.endswith(")"), label
        text = text[len(q["callback"]) + 1 : -1]
    body = json.loads(text)
    ((root_name, root),) = body.items()
    assert root["RESULT"]["STATUS"] < 100, (label, root["RESULT"])
    keys = element.split(".")
    assert keys[0] == root_name, label
    assert _find(root, keys[1:]) is not None, f"{label}: {element} missing from {json.dumps(root)[:600]}"
