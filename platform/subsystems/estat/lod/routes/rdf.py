"""Linked Open Data (ESTAT-5, issue 14 §4): area codes, classifications and published tables as
RDF (Turtle, JSON-LD, N-Triples by content negotiation) under stable URIs.

Tables follow the RDF Data Cube vocabulary (cube.py), codes SKOS (schemes.py). A table's
document holds its data set, structure and code lists; its observations come a page at a time
(`?page=1`, 1,000 cells), the whole table being in the SPARQL endpoint (sparql.py)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import pyoxigraph as ox
from litestar import Request, Response, Router, get
from litestar.params import QueryParameter

from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.module import public
from govstat.platform.subsystems.estat.lod import cube, documents, schemes, source
from govstat.platform.subsystems.estat.lod import vocab as v
from govstat.platform.web.paging import MAX_POSITION

PAGE = 1000
Format = Annotated[
    str | None, QueryParameter(name="format", description="ttl | jsonld | nt (else the Accept header)", max_length=8)
]


@get("/lod/area", opt=public("estat.lod"))
async def area_scheme(request: Request[Any, Any, Any], uow: UnitOfWork, fmt: Format = None) -> Response[bytes]:
    """The standard area codes valid today as a SKOS concept scheme (prefectures at the top)."""
    return documents.respond(request, await schemes.area_scheme(uow, dt.datetime.now(JST).date()), fmt)


@get("/lod/area/{code:str}", opt=public("estat.lod"))
async def area(request: Request[Any, Any, Any], uow: UnitOfWork, code: str, fmt: Format = None) -> Response[bytes]:
    """A standard area code with every version (names over time) and its successions."""
    if not (code.isdigit() and len(code) == 5):
        raise NotFound(f"地域コード {code} は5桁で指定してください / use the 5-digit code")
    triples = await schemes.area_code(uow, code)
    if not triples:
        raise NotFound(f"地域コード {code} が見つかりません / area code not found")
    return documents.respond(request, triples, fmt)


@get("/lod/classifications/{version:str}", opt=public("estat.lod"))
async def classification(
    request: Request[Any, Any, Any], uow: UnitOfWork, version: str, fmt: Format = None
) -> Response[bytes]:
    """One classification version (e.g. jsic-14) as a SKOS concept scheme, Japanese and English."""
    triples = await schemes.classification_schemes(uow, version)
    if not triples:
        raise NotFound(f"分類 {version} が見つかりません / classification not found")
    return documents.respond(request, triples, fmt)


@get("/lod/tables/{stats_data_id:str}", opt=public("estat.lod"))
async def table(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    stats_data_id: str,
    page: Annotated[int, QueryParameter(ge=0, le=MAX_POSITION)] = 0,
    fmt: Format = None,
) -> Response[bytes]:
    """A published table as a qb:DataSet with its structure and code lists; page N (from 1) holds
    the observations N*1000-999 .. N*1000 in the table's order, linked to the next page."""
    t = await source.table(uow, stats_data_id)
    if t is None:
        raise NotFound(f"統計表 {stats_data_id} が見つかりません / table not found")
    if page == 0:
        triples = cube.dataset(t.facts, t.objs)
        more = t.row.total_number > 0
    else:
        triples = []
        async for batch in source.pages(uow, t, after=(page - 1) * PAGE, limit=PAGE):
            triples += batch
        more = t.row.total_number > page * PAGE
    uri = v.n(v.table_uri(stats_data_id))
    if more:
        triples.append(ox.Triple(uri, v.n(v.DCT + "hasPart"), v.n(f"{v.table_uri(stats_data_id)}?page={page + 1}")))
    return documents.respond(request, triples, fmt)


lod = Router(path="/", route_handlers=[area_scheme, area, classification, table], tags=["LOD"])
