"""SDMX-ML 2.1 structure-specific data: one DataSet, a Series per key, an Obs per period."""

from __future__ import annotations

from govstat.platform.subsystems.estat.sdmx.flows import AGENCY, TIME, VERSION, Flow
from govstat.platform.subsystems.estat.sdmx.observations import Series
from govstat.platform.subsystems.estat.sdmx.structure import dsd_id, header, urn
from govstat.platform.subsystems.estat.sdmx.xmlout import Xml

SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def write(flow: Flow, series: list[Series]) -> bytes:
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
    x.open(
        "mes:DataSet",
        {
            "ss:structureRef": ref,
            "xsi:type": "ns1:DataSetType",
            "ss:dataScope": "DataStructure",
            "action": "Information",
        },
    )
    ids = [d.id for d in flow.dims]
    for s in series:
        x.open("Series", dict(zip(ids, s.key, strict=True)))
        for o in s.obs:
            x.empty("Obs", {TIME: o.period, "OBS_VALUE": o.value, "OBS_STATUS": o.status, "UNIT_MEASURE": o.unit})
        x.close("Series")
    x.close("mes:DataSet")
    x.close("mes:StructureSpecificData")
    return x.bytes()
