"""Exports of published metadata: JSON (the API document with a format marker) and DDI Codebook
2.5 XML (DDI-C, namespace `ddi:codebook:2_5`, the Data Documentation Initiative's codebook
standard for describing a study and its variables).

Mapping to DDI-C 2.5 (element order follows the schema's sequences):

| registry | DDI Codebook 2.5 |
| --- | --- |
| survey name (ja, en), statistic code, record id | stdyDscr/citation/titlStmt: titl, parTitl xml:lang="en", IDNo agency="政府統計コード" / "govstat" |
| agency (府省等) | citation/rspStmt/AuthEnty |
| contact | citation/distStmt/contact |
| version, published_at | citation/verStmt/version (date) |
| legal basis | stdyDscr/studyAuthorization/authorizationStatement |
| statistical field | stdyInfo/subject/topcClas vocab="e-Stat 統計分野" |
| purpose | stdyInfo/abstract contentType="purpose" |
| period, reference date, population, observation unit | stdyInfo/sumDscr: timePrd start/end, collDate single, nation, anlyUnit, universe |
| cycle, method | method/dataColl: frequenc, collMode |
| linked published tables | othrStdyMat/relMat (citation with titl, IDNo agency="statsDataId", holdings URI) |
| classifications not tied to an item | stdyDscr/notes type="govstat:classification" |
| items (項目) | dataDscr/var: labl (name), txt (definition), stdCatgry (classifications it uses), varFormat, notes type="unit" |
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.etree import ElementTree as ET

import msgspec

from govstat.platform.clock import JST
from govstat.platform.subsystems.metadata.rows import ClassificationRow
from govstat.platform.subsystems.metadata.schemas import PublishedDoc

DDI_NS = "ddi:codebook:2_5"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = "ddi:codebook:2_5 http://www.ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd"
JSON_FORMAT = "govstat-metadata/1"
REPRESENTATION = {
    "integer": "numeric",
    "decimal": "numeric",
    "text": "text",
    "code": "code",
    "date": "date-time",
    "boolean": "code",
}
INTERVAL = {"integer": "discrete", "decimal": "contin"}

ET.register_namespace("", DDI_NS)
ET.register_namespace("xsi", XSI)


def json_export(doc: PublishedDoc, base_url: str) -> bytes:
    """The published document as a self-describing JSON file."""
    out = {
        "format": JSON_FORMAT,
        "exported_at": dt.datetime.now(dt.UTC),
        "base_url": base_url,
        **msgspec.to_builtins(doc),
    }
    return json.dumps(msgspec.to_builtins(out), ensure_ascii=False, indent=2).encode()


def _q(tag: str) -> str:
    return f"{{{DDI_NS}}}{tag}"


def _el(parent: ET.Element, tag: str, text: Any = None, **attrs: Any) -> ET.Element:
    e = ET.SubElement(parent, _q(tag), {k: str(v) for k, v in attrs.items() if v not in (None, "")})
    if text not in (None, ""):
        e.text = str(text)
    return e


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.astimezone(JST).date().isoformat()
    return value.isoformat() if isinstance(value, dt.date) else str(value or "")


def _classification_text(c: ClassificationRow) -> str:
    if c.free_text:
        return c.free_text
    text = c.classification_name or c.classification_version or ""
    if c.item_code:
        text += f" {c.item_code} {c.item_name}"
    return text + (f"（{c.note}）" if c.note else "")


def ddi_export(doc: PublishedDoc, base_url: str) -> bytes:
    """The published document as a DDI Codebook 2.5 instance (UTF-8, with the XML declaration)."""
    base = base_url.rstrip("/")
    s, stat, agency = doc.survey, doc.statistic, doc.agency
    root = ET.Element(
        _q("codeBook"),
        {
            "version": "2.5",
            "ID": f"govstat-metadata-{doc.id}-v{doc.version}",
            XML_LANG: "ja",
            f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
        },
    )
    # docDscr: this document
    doc_cit = _el(_el(root, "docDscr"), "citation")
    doc_titl = _el(doc_cit, "titlStmt")
    _el(doc_titl, "titl", f"{s.survey_name} 統計メタデータ")
    _el(doc_titl, "IDNo", f"{doc.id}/v{doc.version}", agency="govstat")
    prod = _el(doc_cit, "prodStmt")
    _el(prod, "producer", "政府統計共同利用システム 統計メタデータレジストリ")
    _el(prod, "prodDate", _date(doc.published_at), date=_date(doc.published_at))
    _el(doc_cit, "holdings", URI=f"{base}{doc.links.page}")

    study = _el(root, "stdyDscr")
    cit = _el(study, "citation")
    titl = _el(cit, "titlStmt")
    _el(titl, "titl", s.survey_name)
    if s.survey_name_en:
        _el(titl, "parTitl", s.survey_name_en, **{XML_LANG: "en"})
    _el(titl, "IDNo", stat.code, agency="政府統計コード")
    _el(titl, "IDNo", str(doc.id), agency="govstat")
    _el(_el(cit, "rspStmt"), "AuthEnty", agency.name, abbr=agency.code)
    if s.contact:
        _el(_el(cit, "distStmt"), "contact", s.contact, affiliation=agency.name)
    _el(_el(cit, "verStmt"), "version", doc.version, date=_date(doc.published_at))
    if s.legal_basis:
        _el(_el(study, "studyAuthorization"), "authorizationStatement", s.legal_basis)

    info = _el(study, "stdyInfo")
    if stat.field_name:
        _el(
            _el(info, "subject"),
            "topcClas",
            stat.field_name,
            vocab="e-Stat 統計分野",
            vocabURI="https://www.e-stat.go.jp/",
        )
    if s.purpose:
        _el(info, "abstract", s.purpose, contentType="purpose")
    summary = _el(info, "sumDscr")
    if s.period_from:
        _el(summary, "timePrd", _date(s.period_from), event="start", date=_date(s.period_from))
    if s.period_to:
        _el(summary, "timePrd", _date(s.period_to), event="end", date=_date(s.period_to))
    if s.reference_date:
        _el(summary, "collDate", _date(s.reference_date), event="single", date=_date(s.reference_date))
    _el(summary, "nation", "日本", abbr="JP")
    if s.observation_unit:
        _el(summary, "anlyUnit", s.observation_unit)
    if s.population:
        _el(summary, "universe", s.population)

    if s.cycle or s.method:
        coll = _el(_el(study, "method"), "dataColl")
        if s.cycle:
            _el(coll, "frequenc", s.cycle)
        if s.method:
            _el(coll, "collMode", s.method)

    if doc.tables:
        other = _el(study, "othrStdyMat")
        for t in doc.tables:
            rel = _el(other, "relMat", type="statistical table")
            rcit = _el(rel, "citation")
            rtitl = _el(rcit, "titlStmt")
            _el(rtitl, "titl", t.title)
            if t.stats_data_id:
                _el(rtitl, "IDNo", t.stats_data_id, agency="statsDataId")
            if t.table_file_id:
                _el(rtitl, "IDNo", t.table_file_id, agency="govstat table file")
            if t.portal_url:
                _el(rcit, "holdings", URI=f"{base}{t.portal_url}")
    by_item: dict[str, list[ClassificationRow]] = {}
    for c in doc.classifications:
        if c.applies_to:
            by_item.setdefault(c.applies_to, []).append(c)
        else:
            _el(study, "notes", _classification_text(c), type="govstat:classification", subject="統計分類")

    if doc.items:
        data = _el(root, "dataDscr")
        for item in doc.items:
            var = _el(
                data,
                "var",
                ID=f"V{item.position}",
                name=item.code or f"V{item.position}",
                intrvl=INTERVAL.get(item.value_type),
                representationType=REPRESENTATION[item.value_type],
            )
            _el(var, "labl", item.name, level="variable")
            if item.definition:
                _el(var, "txt", item.definition)
            for c in by_item.get(item.name, []):
                _el(var, "stdCatgry", _classification_text(c), URI=f"{base}{c.url}" if c.url else None)
            _el(
                var,
                "varFormat",
                type="numeric" if REPRESENTATION[item.value_type] == "numeric" else "character",
                schema="other",
            )
            if item.unit:
                _el(var, "notes", item.unit, type="unit", subject="単位")
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"
