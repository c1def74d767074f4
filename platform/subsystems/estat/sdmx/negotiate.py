"""Which SDMX format a request asks for: the `format` parameter first, then the Accept header in
its order; SDMX media types in the answer's Content-Type."""

from __future__ import annotations

from govstat.platform.subsystems.estat.sdmx.errors import SdmxError

STRUCTURE_21 = "application/vnd.sdmx.structure+xml; version=2.1; charset=utf-8"
DATA = {
    "xml": "application/vnd.sdmx.structurespecificdata+xml; version=2.1; charset=utf-8",
    "json": "application/vnd.sdmx.data+json; version=1.0.0; charset=utf-8",
    "csv": "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8",
}
_PARAM = {
    "structurespecificdata": "xml",
    "xml": "xml",
    "sdmx-ml": "xml",
    "jsondata": "json",
    "json": "json",
    "sdmx-json": "json",
    "csv": "csv",
    "csvfile": "csv",
    "sdmx-csv": "csv",
}
_MEDIA = {
    "application/vnd.sdmx.structurespecificdata+xml": "xml",
    "application/vnd.sdmx.data+json": "json",
    "application/vnd.sdmx.data+csv": "csv",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/json": "json",
    "text/csv": "csv",
    "application/*": "xml",
    "*/*": "xml",
}


def data_format(accept: str | None, param: str | None) -> str:
    """xml, json or csv; 406 for what govstat cannot write (generic data among them)."""
    if param:
        fmt = _PARAM.get(param.lower())
        if fmt is None:
            raise SdmxError(406, f"format={param[:40]} is not offered: structurespecificdata, jsondata, csv")
        return fmt
    if not accept:
        return "xml"
    for part in accept.split(","):
        media, *options = (p.strip() for p in part.split(";"))
        if any(o.replace(" ", "") in ("q=0", "q=0.0") for o in options):
            continue
        fmt = _MEDIA.get(media.lower())
        if fmt:
            return fmt
    raise SdmxError(406, "Accept names no format govstat writes: SDMX-ML structure-specific, SDMX-JSON, SDMX-CSV")
