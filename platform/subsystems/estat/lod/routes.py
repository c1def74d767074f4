"""Linked Open Data (ESTAT-5): tables and area codes as JSON-LD under stable URIs.

Tables follow the RDF Data Cube vocabulary (qb:), area codes e-Stat's standard area code
vocabulary (sacs:) with owl:sameAs to e-Stat's own URIs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, Response, Router, get
from litestar.params import Parameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.module import public
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.area import published as areas
from govstat.platform.subsystems.estat.api import table_refs
from govstat.platform.subsystems.estat.api.faults import EstatFault
from govstat.platform.subsystems.statdb import published as statdb
from govstat.platform.web.paging import MAX_POSITION

CONTEXT = {
    "qb": "http://purl.org/linked-data/cube#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "sacs": "http://data.e-stat.go.jp/lod/terms/sacs#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "sdmx-dimension": "http://purl.org/linked-data/sdmx/2009/dimension#",
}
LD_JSON = "application/ld+json; charset=utf-8"
PAGE = 1000


def _base() -> str:
    return get_settings().base_url.rstrip("/") + "/lod"


def _ja(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "ja"}


@get("/lod/area/{code:str}", opt=public("estat.lod"), media_type=LD_JSON)
async def area(uow: UnitOfWork, code: str) -> Response[Any]:
    """A standard area code with every version (names over time) and its successions."""
    if not (code.isdigit() and len(code) == 5):
        raise NotFound(f"地域コード {code} は5桁で指定してください / use the 5-digit code")
    versions = await areas.versions(uow, code)
    if not versions:
        raise NotFound(f"地域コード {code} が見つかりません / area code not found")
    links = await areas.links(uow, code)
    uri = f"{_base()}/area/{code}"
    doc = {
        "@context": CONTEXT,
        "@id": uri,
        "@type": "sacs:StandardAreaCode",
        "dcterms:identifier": code,
        "sacs:checkDigitCode": versions[-1].code6,
        "rdfs:label": _ja(versions[-1].name),
        "sacs:prefecture": _ja(versions[-1].pref_name),
        "owl:sameAs": [
            f"http://data.e-stat.go.jp/lod/sac/C{code}-{(v.valid_from or dt.date(1970, 4, 1)):%Y%m%d}" for v in versions
        ],
        "sacs:version": [
            {
                "rdfs:label": _ja(v.name),
                "sacs:kana": v.name_kana,
                "sacs:level": v.level,
                "dcterms:valid": {
                    "@type": "dcterms:PeriodOfTime",
                    "dcterms:start": (v.valid_from or dt.date(1970, 4, 1)).isoformat(),
                    **({"dcterms:end": v.valid_to.isoformat()} if v.valid_to else {}),
                },
            }
            for v in versions
        ],
        "sacs:succeedingMunicipality": [
            {"@id": f"{_base()}/area/{l.new_code}", "dcterms:date": l.effective_on.isoformat()}
            for l in links
            if l.old_code == code and l.new_code != code
        ],
        "sacs:precedingMunicipality": [
            {"@id": f"{_base()}/area/{l.old_code}", "dcterms:date": l.effective_on.isoformat()}
            for l in links
            if l.new_code == code and l.old_code != code
        ],
    }
    return Response(doc, media_type=LD_JSON)


@get("/lod/tables/{stats_data_id:str}", opt=public("estat.lod"), media_type=LD_JSON)
async def table(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    stats_data_id: str,
    page: Annotated[int, Parameter(ge=0, le=MAX_POSITION)] = 0,
) -> Response[Any]:
    """A published table as a qb:DataSet with its structure; observations by page (`?page=1`)."""
    try:
        t = await table_refs.published(uow, stats_data_id)
    except EstatFault:
        raise NotFound(f"統計表 {stats_data_id} が見つかりません / table not found") from None
    uri = f"{_base()}/tables/{stats_data_id}"
    inf, dims = await table_refs.class_inf(uow, t.id)
    objs = inf["CLASS_OBJ"] if isinstance(inf["CLASS_OBJ"], list) else [inf["CLASS_OBJ"]]
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@id": uri,
        "@type": "qb:DataSet",
        "rdfs:label": _ja(t.title),
        "dcterms:title": _ja(t.title),
        "dcterms:publisher": _ja(t.agency_name),
        "dcterms:issued": table_refs.iso_day(t.publish_at),
        "dcterms:source": _ja(t.stat_name),
        "qb:structure": {
            "@id": f"{uri}#structure",
            "@type": "qb:DataStructureDefinition",
            "qb:component": [
                {"qb:dimension": {"@id": f"{uri}#{o['@id']}", "rdfs:label": _ja(o["@name"])}} for o in objs
            ]
            + [{"qb:measure": {"@id": f"{uri}#value"}}],
        },
        "dcterms:hasPart": f"{uri}?page=1",
    }
    if page >= 1:
        rows = await statdb.page(uow, t.id, dims, after_seq=(page - 1) * PAGE, limit=PAGE)
        doc["qb:observation"] = [
            {
                "@id": f"{uri}/obs/{r.seq}",
                "@type": "qb:Observation",
                **{f"{uri}#{d}": getattr(r, d) for d in dims},
                f"{uri}#value": r.v,
                **({"sdmx-attribute:unitMeasure": r.unit} if r.unit else {}),
            }
            for r in rows
        ]
        if len(rows) == PAGE:
            doc["dcterms:hasPart"] = f"{uri}?page={page + 1}"
        else:
            doc.pop("dcterms:hasPart")
    return Response(doc, media_type=LD_JSON)


lod = Router(path="/", route_handlers=[area, table], tags=["LOD"])
