"""The SPARQL endpoint's routes (SPARQL 1.1 Protocol, query operation): GET and POST; what they
answer and how they are bounded is endpoint.py's."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from litestar import Request, Response, Router, get, post
from litestar.params import QueryParameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Forbidden
from govstat.platform.module import public
from govstat.platform.subsystems.estat.lod.endpoint import MAX_QUERY, Format, answer, bad_query


@get("/lod/sparql", opt=public("estat.lod"))
async def sparql_get(
    request: Request[Any, Any, Any],
    uow: UnitOfWork,
    text: Annotated[str, QueryParameter(name="query", max_length=MAX_QUERY)] = "",
    fmt: Format = None,
) -> Response[bytes]:
    """SPARQL 1.1 query by GET (`?query=`)."""
    return await answer(uow, request, text, fmt)


@post("/lod/sparql", opt=public("estat.lod"), status_code=200)
async def sparql_post(request: Request[Any, Any, Any], uow: UnitOfWork, fmt: Format = None) -> Response[bytes]:
    """SPARQL 1.1 query by POST: a form (`query=`) or the query as application/sparql-query.
    Updates (`update=`, application/sparql-update) are refused: the endpoint is read-only."""
    body = await request.body()
    if len(body) > MAX_QUERY * 4:
        raise bad_query(f"クエリは{MAX_QUERY}文字までです / at most {MAX_QUERY} characters")
    text = body.decode("utf-8", errors="replace")
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/sparql-update":
        raise Forbidden("この SPARQL エンドポイントは読み取り専用です / this endpoint is read-only")
    if ctype == "application/sparql-query":
        return await answer(uow, request, text, fmt)
    form = parse_qs(text)
    if "update" in form:
        raise Forbidden("この SPARQL エンドポイントは読み取り専用です / this endpoint is read-only")
    return await answer(uow, request, (form.get("query") or [""])[0], fmt)


sparql = Router(path="/", route_handlers=[sparql_get, sparql_post], tags=["LOD"])
