"""The answer formats: XML (the default path), JSON, JSONP, and the CSV forms.

XML follows e-Stat's JSON-to-XML convention backwards: "@name" keys are attributes, "$" is the
text, a list is the element repeated. Names are checked, not trusted: a key that is not a plain
NCName (ASCII letters, digits, `_.-`, not starting with `xml`) is never written, so no key can open
markup or declare a namespace; text loses the characters XML 1.0 cannot carry."""

from __future__ import annotations

import csv
import io
import logging
import re
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import msgspec

from govstat.platform.web.spreadsheet import csv_writer

log = logging.getLogger("govstat.estat.render")
# a JavaScript identifier path (cb, jQuery123_456, ns.app.cb), ASCII only
_CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*$")
MAX_CALLBACK = 128
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_json = msgspec.json.Encoder()


def to_json(body: dict[str, Any]) -> bytes:
    return _json.encode(body)


def to_jsonp(body: dict[str, Any], callback: str) -> bytes:
    return f"{callback}(".encode() + _json.encode(body) + b")"


def valid_callback(callback: str) -> bool:
    return len(callback) <= MAX_CALLBACK and bool(_CALLBACK.fullmatch(callback))


def xml_name(name: str) -> bool:
    """A name safe to write as an element or attribute name (an ASCII subset of XML's NCName)."""
    return bool(_NAME.fullmatch(name)) and name[:3].lower() != "xml"


def to_xml(body: dict[str, Any]) -> bytes:
    ((root, content),) = body.items()
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    attrs = (
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:noNamespaceSchemaLocation="https://api.e-stat.go.jp/rest/3.0/schema/{_schema(root)}.xsd"'
    )
    _element(out, root, content, attrs)
    return out.getvalue().encode()


def _schema(root: str) -> str:
    return "".join(part.capitalize() for part in root.split("_"))


def _element(out: io.StringIO, tag: str, value: Any, extra: str = "") -> None:
    if not xml_name(tag):
        log.warning("XML answer: element name %r left out (not an NCName)", tag[:80])
        return
    if isinstance(value, list):
        for item in value:
            _element(out, tag, item)
        return
    if not isinstance(value, dict):
        out.write(f"<{tag}{extra}>{escape(_xml_text(value))}</{tag}>")
        return
    attrs = "".join(
        f" {k[1:]}={quoteattr(_xml_text(v))}" for k, v in value.items() if k.startswith("@") and _attribute(k[1:])
    )
    children = [(k, v) for k, v in value.items() if not k.startswith("@") and k != "$"]
    if "$" in value and not children:
        out.write(f"<{tag}{extra}{attrs}>{escape(_xml_text(value['$']))}</{tag}>")
        return
    out.write(f"<{tag}{extra}{attrs}>")
    for k, v in children:
        _element(out, k, v)
    out.write(f"</{tag}>")


def _attribute(name: str) -> bool:
    if xml_name(name):
        return True
    log.warning("XML answer: attribute name %r left out (not an NCName)", name[:80])
    return False


def _text(v: Any) -> str:
    return "" if v is None else str(v)


def _xml_text(v: Any) -> str:
    return _NOT_XML.sub("", _text(v))


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else ([] if v is None else [v])


def _writer(out: io.StringIO) -> Any:
    return csv_writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")


def simple_stats_data(body: dict[str, Any], section_header: bool) -> str:
    """getSimpleStatsData: the values with their codes and names, one row each."""
    root = body["GET_STATS_DATA"]
    out = io.StringIO()
    w = _writer(out)
    sd = root.get("STATISTICAL_DATA", {})
    objs = _as_list(sd.get("CLASS_INF", {}).get("CLASS_OBJ"))
    if section_header:
        _section(w, "RESULT", root["RESULT"])
        _section(w, "PARAMETER", {k: v for k, v in root["PARAMETER"].items() if not isinstance(v, dict)})
        for a in _as_list(sd.get("DATA_INF", {}).get("ANNOTATION")):  # the annotation symbols and their meanings
            w.writerow(["ANNOTATION", a["@annotation"], a["$"]])
        w.writerow(["VALUE"])
    names = {o["@id"]: {c["@code"]: c["@name"] for c in _as_list(o["CLASS"])} for o in objs}
    header = []
    for o in objs:
        header += [f"{o['@id']}_code", o["@name"]]
    w.writerow([*header, "unit", "value", "annotation"])
    for v in _as_list(sd.get("DATA_INF", {}).get("VALUE")):
        row = []
        for o in objs:
            code = v.get(f"@{o['@id']}", "")
            row += [code, names[o["@id"]].get(code, "")]
        w.writerow([*row, v.get("@unit", ""), _text(v.get("$")), v.get("@annotation", "")])
    return out.getvalue()


def simple_stats_list(body: dict[str, Any], section_header: bool) -> str:
    root = body["GET_STATS_LIST"]
    out = io.StringIO()
    w = _writer(out)
    if section_header:
        _section(w, "RESULT", root["RESULT"])
        _section(w, "PARAMETER", root["PARAMETER"])
        w.writerow(["DATALIST_INF"])
    w.writerow(
        [
            "TABLE_INF",
            "STAT_CODE",
            "STAT_NAME",
            "GOV_ORG_CODE",
            "GOV_ORG_NAME",
            "STATISTICS_NAME",
            "TITLE",
            "TABLE_NO",
            "CYCLE",
            "SURVEY_DATE",
            "OPEN_DATE",
            "SMALL_AREA",
            "COLLECT_AREA",
            "MAIN_CATEGORY_CODE",
            "MAIN_CATEGORY",
            "OVERALL_TOTAL_NUMBER",
            "UPDATED_DATE",
        ]
    )
    for t in _as_list(root.get("DATALIST_INF", {}).get("TABLE_INF")):
        w.writerow(
            [
                t["@id"],
                t["STAT_NAME"]["@code"],
                t["STAT_NAME"]["$"],
                t["GOV_ORG"]["@code"],
                t["GOV_ORG"]["$"],
                t["STATISTICS_NAME"],
                t["TITLE"]["$"],
                t["TITLE"]["@no"],
                t["CYCLE"],
                t["SURVEY_DATE"],
                t["OPEN_DATE"],
                t["SMALL_AREA"],
                t["COLLECT_AREA"],
                t["MAIN_CATEGORY"]["@code"],
                t["MAIN_CATEGORY"]["$"],
                t["OVERALL_TOTAL_NUMBER"],
                t["UPDATED_DATE"],
            ]
        )
    return out.getvalue()


def _section(w: Any, name: str, fields: dict[str, Any]) -> None:
    fields = {k: v for k, v in fields.items() if not isinstance(v, dict)}
    w.writerow([name])
    w.writerow(list(fields))
    w.writerow([_text(v) for v in fields.values()])
