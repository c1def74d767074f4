"""SDMX-ML 2.1 structure messages: dataflows, data structure definitions, codelists and concept
schemes of published tables, every name in Japanese and English (xml:lang)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping

from govstat.platform.subsystems.estat.api.rows import PublishedTable
from govstat.platform.subsystems.estat.sdmx.flows import AGENCY, TIME, VERSION, Dim, Flow, Label, label, table_name
from govstat.platform.subsystems.estat.sdmx.xmlout import Xml
from govstat.platform.subsystems.statdb.flags import STATUSES

NS = {
    "xmlns:mes": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "xmlns:str": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
    "xmlns:com": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
}
URN = "urn:sdmx:org.sdmx.infomodel."
STATUS_CL = "CL_OBS_STATUS"
# concepts every flow has besides its dimensions: id -> (Japanese, English)
FIXED = {
    TIME: ("時点", "Time period"),
    "OBS_VALUE": ("観測値", "Observation value"),
    "OBS_STATUS": ("観測値の状態", "Observation status"),
    "UNIT_MEASURE": ("単位", "Unit of measure"),
}
PARTS = ("dataflow", "codelist", "conceptscheme", "datastructure")


def dsd_id(flow_id: str) -> str:
    return f"DSD_{flow_id}"


def cl_id(flow_id: str, dim: str) -> str:
    return f"CL_{flow_id}_{dim}"


def cs_id(flow_id: str) -> str:
    return f"CS_{flow_id}"


def urn(kind: str, ident: str, item: str | None = None) -> str:
    return f"{URN}{kind}={AGENCY}:{ident}({VERSION})" + (f".{item}" if item else "")


def header(x: Xml, root: str, extra: Mapping[str, str | None] | None = None, *, close: bool = True) -> None:
    """The message's root element and its Header (left open with close=False, for a data message's
    Structure)."""
    x.open(root, {**NS, **(extra or {})})
    x.open("mes:Header")
    x.leaf("mes:ID", f"IREF{uuid.uuid4().hex[:16]}")
    x.leaf("mes:Test", "false")
    x.leaf("mes:Prepared", dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    x.empty("mes:Sender", {"id": AGENCY})
    if close:
        x.close("mes:Header")


def names(x: Xml, name: Label, tag: str = "com:Name") -> None:
    x.leaf(tag, name.ja, {"xml:lang": "ja"})
    x.leaf(tag, name.en, {"xml:lang": "en"})


def _maintainable(x: Xml, tag: str, kind: str, ident: str, name: Label, stub: bool = False) -> None:
    x.open(
        tag,
        {
            "id": ident,
            "agencyID": AGENCY,
            "version": VERSION,
            "isFinal": "true",
            "urn": urn(kind, ident),
            **({"isExternalReference": "true"} if stub else {}),
        },
    )
    names(x, name)


def _ref(x: Xml, tag: str, values: dict[str, str | None]) -> None:
    x.open(tag)
    x.empty("Ref", {"agencyID": AGENCY, **values})
    x.close(tag)


def dataflow(x: Xml, t: PublishedTable, stub: bool = False) -> None:
    _maintainable(x, "str:Dataflow", "datastructure.Dataflow", t.stats_data_id, table_name(t), stub)
    _ref(
        x,
        "str:Structure",
        {"id": dsd_id(t.stats_data_id), "version": VERSION, "package": "datastructure", "class": "DataStructure"},
    )
    x.close("str:Dataflow")


def codelists(x: Xml, flows: Iterable[Flow], only: str | None = None) -> None:
    x.open("str:Codelists")
    for f in flows:
        for d in f.dims:
            ident = cl_id(f.id, d.id)
            if only and ident != only:
                continue
            _maintainable(x, "str:Codelist", "codelist.Codelist", ident, d.name)
            known = {c.id for c in d.codes}
            for c in d.codes:
                x.open("str:Code", {"id": c.id, "urn": urn("codelist.Code", ident, c.id)})
                names(x, c.name)
                if c.parent and c.parent in known and c.parent != c.id:
                    _ref(x, "str:Parent", {"id": c.parent})
                x.close("str:Code")
            x.close("str:Codelist")
    if not only or only == STATUS_CL:
        _maintainable(x, "str:Codelist", "codelist.Codelist", STATUS_CL, label("観測値の状態", "Observation status"))
        for code, (ja, en) in STATUSES.items():
            x.open("str:Code", {"id": code, "urn": urn("codelist.Code", STATUS_CL, code)})
            names(x, label(ja, en))
            x.close("str:Code")
        x.close("str:Codelist")
    x.close("str:Codelists")


def concepts(x: Xml, flows: Iterable[Flow]) -> None:
    x.open("str:Concepts")
    for f in flows:
        ident = cs_id(f.id)
        _maintainable(
            x,
            "str:ConceptScheme",
            "conceptscheme.ConceptScheme",
            ident,
            label(f"{f.table.title}の概念", f"Concepts of {f.name.en}"),
        )
        entries = [(d.id, d.name) for d in f.dims] + [(k, label(ja, en)) for k, (ja, en) in FIXED.items()]
        if f.time is not None:
            entries = [(k, f.time.name if k == TIME else n) for k, n in entries]
        for cid, name in entries:
            x.open("str:Concept", {"id": cid, "urn": urn("conceptscheme.Concept", ident, cid)})
            names(x, name)
            x.close("str:Concept")
        x.close("str:ConceptScheme")
    x.close("str:Concepts")


def _concept(x: Xml, f: Flow, cid: str) -> None:
    _ref(
        x,
        "str:ConceptIdentity",
        {
            "id": cid,
            "maintainableParentID": cs_id(f.id),
            "maintainableParentVersion": VERSION,
            "package": "conceptscheme",
            "class": "Concept",
        },
    )


def _enumeration(x: Xml, ident: str) -> None:
    x.open("str:LocalRepresentation")
    _ref(x, "str:Enumeration", {"id": ident, "version": VERSION, "package": "codelist", "class": "Codelist"})
    x.close("str:LocalRepresentation")


def _text(x: Xml, kind: str) -> None:
    x.open("str:LocalRepresentation")
    x.empty("str:TextFormat", {"textType": kind})
    x.close("str:LocalRepresentation")


def datastructures(x: Xml, flows: Iterable[Flow]) -> None:
    x.open("str:DataStructures")
    for f in flows:
        ident = dsd_id(f.id)
        _maintainable(x, "str:DataStructure", "datastructure.DataStructure", ident, f.name)
        x.open("str:DataStructureComponents")
        x.open("str:DimensionList", {"id": "DimensionDescriptor"})
        for pos, d in enumerate(f.dims, 1):
            _dimension(x, f, d, pos)
        x.open("str:TimeDimension", {"id": TIME, "position": str(len(f.dims) + 1)})
        _concept(x, f, TIME)
        _text(x, "ObservationalTimePeriod")
        x.close("str:TimeDimension")
        x.close("str:DimensionList")
        x.open("str:AttributeList", {"id": "AttributeDescriptor"})
        for aid, coded in (("OBS_STATUS", True), ("UNIT_MEASURE", False)):
            x.open("str:Attribute", {"id": aid, "assignmentStatus": "Conditional"})
            _concept(x, f, aid)
            _enumeration(x, STATUS_CL) if coded else _text(x, "String")
            x.open("str:AttributeRelationship")
            x.open("str:PrimaryMeasure")
            x.empty("Ref", {"id": "OBS_VALUE"})
            x.close("str:PrimaryMeasure")
            x.close("str:AttributeRelationship")
            x.close("str:Attribute")
        x.close("str:AttributeList")
        x.open("str:MeasureList", {"id": "MeasureDescriptor"})
        x.open("str:PrimaryMeasure", {"id": "OBS_VALUE"})
        _concept(x, f, "OBS_VALUE")
        _text(x, "Decimal")
        x.close("str:PrimaryMeasure")
        x.close("str:MeasureList")
        x.close("str:DataStructureComponents")
        x.close("str:DataStructure")
    x.close("str:DataStructures")


def _dimension(x: Xml, f: Flow, d: Dim, pos: int) -> None:
    x.open("str:Dimension", {"id": d.id, "position": str(pos)})
    _concept(x, f, d.id)
    _enumeration(x, cl_id(f.id, d.id))
    x.close("str:Dimension")


def message(
    flows: list[Flow], parts: Iterable[str], stubs: Iterable[PublishedTable] = (), only_codelist: str | None = None
) -> bytes:
    """A structure message with the given parts of these flows (and the dataflows of `stubs`)."""
    wanted = set(parts)
    x = Xml()
    header(x, "mes:Structure")
    x.open("mes:Structures")
    listed = list(stubs)
    if "dataflow" in wanted and (flows or listed):
        x.open("str:Dataflows")
        for f in flows:
            dataflow(x, f.table)
        for t in listed:
            dataflow(x, t)
        x.close("str:Dataflows")
    if "codelist" in wanted and (flows or only_codelist == STATUS_CL):
        codelists(x, flows, only_codelist)
    if "conceptscheme" in wanted and flows:
        concepts(x, flows)
    if "datastructure" in wanted and flows:
        datastructures(x, flows)
    x.close("mes:Structures")
    x.close("mes:Structure")
    return x.bytes()
