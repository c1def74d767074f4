"""SDMX-ML 2.1 structure-specific data: one DataSet (with includeHistory, one per version of the
table, with validFromDate and validToDate), a Series per key, an Obs per period."""

from __future__ import annotations

from govstat.platform.subsystems.estat.sdmx.flows import AGENCY, TIME, VERSION, Flow
from govstat.platform.subsystems.estat.sdmx.history import Vintage, stamp
from govstat.platform.subsystems.estat.sdmx.observations import Series
from govstat.platform.subsystems.estat.sdmx.structure import dsd_id, header, urn
from govstat.platform.subsystems.estat.sdmx.xmlout import Xml

SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def write(flow: Flow, series: list[Series], history: list[Vintage] | None = None) -> bytes:
    dsd = dsd_id(flow.id)
    namespace = urn("datastructure.DataStructure", dsd) + f":ObsLevelDim:{TIME}"
    ref = f"{AGENCY}_{dsd}_{VERSION.replace('.', '_')}"
    x = Xml()
    header_ns = {"xmlns:ss": SS, "xmlns:ns1": namespace, "xmlns:xsi": XSI}
    header(x, "mes:StructureSpecificData", header_ns, close=False)
    x.open("mes:Structure", {"structureID": ref, "namespace": namespace, "dimensionAtObservation": TIME})
    x.open("com:Structure")
    x.empty("Ref", {"agencyID": AGENCY, "id": dsd, "version": VERSION})
    x.close("com:Structure")
    x.close("mes:Structure")
    x.close("mes:Header")
    sets: list[Vintage | None] = list(history) if history is not None else [None]
    for v in sets:
        attrs = {
            "ss:structureRef": ref,
            "xsi:type": "ns1:DataSetType",
            "ss:dataScope": "DataStructure",
            "action": "Information",
        }
        if v is not None:
            attrs["ss:validFromDate"] = stamp(v.valid_from)
            if v.valid_to is not None:
                attrs["ss:validToDate"] = stamp(v.valid_to)
        _data_set(x, flow, series if v is None else v.series, attrs)
    x.close("mes:StructureSpecificData")
    return x.bytes()


def _data_set(x: Xml, flow: Flow, series: list[Series], attrs: dict[str, str]) -> None:
    x.open("mes:DataSet", attrs)
    ids = [d.id for d in flow.dims]
    for s in series:
        x.open("Series", dict(zip(ids, s.key, strict=True)))
        for o in s.obs:
            x.empty("Obs", {TIME: o.period, "OBS_VALUE": o.value, "OBS_STATUS": o.status, "UNIT_MEASURE": o.unit})
        x.close("Series")
    x.close("mes:DataSet")
