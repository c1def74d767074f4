"""A withdrawn table (取り下げ) in SDMX data queries that ask what changed (issue 14 section 4).

A plain data query of a withdrawn table still answers 404 (the flow is gone). A query with
updatedAfter (before the withdrawal) or includeHistory=true answers one data set with
action="Delete" and no series: in SDMX 2.1 and 3.0 a Delete data set without series deletes the
whole data set, so a client that mirrors the flow learns of the withdrawal instead of a bare 404.
Its validFromDate is the withdrawal's instant; the reason goes in the message header's
mes:Source (XML), `header.source` (JSON). SDMX-CSV 1.0 has no action: govstat writes an ACTION
column ("D", as SDMX-CSV 2.0 spells a deletion) with VALID_FROM and the reason."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.sdmx.data_json import json_header
from govstat.platform.subsystems.estat.sdmx.flows import AGENCY, TIME, VERSION
from govstat.platform.subsystems.estat.sdmx.history import stamp
from govstat.platform.subsystems.estat.sdmx.structure import dsd_id, header, urn
from govstat.platform.subsystems.estat.sdmx.xmlout import Xml
from govstat.platform.subsystems.statdb.revisions.read import withdrawal
from govstat.platform.web.spreadsheet import csv_writer

SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


class Gone(msgspec.Struct, frozen=True):
    flow_id: str
    at: dt.datetime
    reason: str


async def gone(uow: UnitOfWork, flow_id: str, q: Any, after: dt.datetime | None) -> Gone | None:
    """The withdrawal of `flow_id` when the query asks for changes (updatedAfter before it, or
    includeHistory=true); None otherwise (the caller answers 404)."""
    history = q.get("includeHistory", "false").lower() == "true"
    if after is None and not history:
        return None
    if not (flow_id.isdigit() and len(flow_id) <= 20):
        return None
    w = await withdrawal(uow, flow_id)
    if w is None or w.withdrawn_at is None or (after is not None and w.withdrawn_at <= after):
        return None
    return Gone(flow_id, w.withdrawn_at, w.withdrawn_reason or "")


def write(g: Gone, fmt: str) -> bytes:
    return {"xml": _xml, "json": _json, "csv": _csv}[fmt](g)


def _xml(g: Gone) -> bytes:
    dsd = dsd_id(g.flow_id)
    namespace = urn("datastructure.DataStructure", dsd) + f":ObsLevelDim:{TIME}"
    ref = f"{AGENCY}_{dsd}_{VERSION.replace('.', '_')}"
    x = Xml()
    header(x, "mes:StructureSpecificData", {"xmlns:ss": SS, "xmlns:ns1": namespace, "xmlns:xsi": XSI}, close=False)
    x.open("mes:Structure", {"structureID": ref, "namespace": namespace, "dimensionAtObservation": TIME})
    x.open("com:Structure")
    x.empty("Ref", {"agencyID": AGENCY, "id": dsd, "version": VERSION})
    x.close("com:Structure")
    x.close("mes:Structure")
    if g.reason:
        x.leaf("mes:Source", f"取り下げ / withdrawn: {g.reason}", {"xml:lang": "ja"})
    x.close("mes:Header")
    x.empty(
        "mes:DataSet",
        {
            "ss:structureRef": ref,
            "xsi:type": "ns1:DataSetType",
            "ss:dataScope": "DataStructure",
            "action": "Delete",
            "ss:validFromDate": stamp(g.at),
        },
    )
    x.close("mes:StructureSpecificData")
    return x.bytes()


def _json(g: Gone) -> bytes:
    body = {
        "header": json_header(source=f"取り下げ / withdrawn: {g.reason}"),
        "dataSets": [{"action": "Delete", "validFrom": stamp(g.at), "series": {}}],
        "structure": {"name": g.flow_id, "dimensions": {"dataSet": [], "series": [], "observation": []}},
    }
    return msgspec.json.encode(body)


def _csv(g: Gone) -> bytes:
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\r\n")
    w.writerow(["DATAFLOW", "ACTION", "VALID_FROM", "REASON"])
    w.writerow([f"{AGENCY}:{g.flow_id}({VERSION})", "D", stamp(g.at), g.reason])
    return out.getvalue().encode()
