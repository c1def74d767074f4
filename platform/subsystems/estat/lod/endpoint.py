"""What the SPARQL endpoint (routes/sparql.py; SPARQL 1.1 Protocol, query operation) does: GET ?query= and POST (a form's
`query`, or the query itself as application/sparql-query), over the published tables' Data
Cubes, the standard area codes and the classifications (store.py).

No query can exhaust the server: each runs at most TIMEOUT seconds (then 503, and the runaway
is stopped), answers at most CAP rows or triples (more is a 400 asking for a LIMIT), and the
endpoint is read-only (an update is refused with 403). Results: SPARQL JSON (default), XML, CSV
or TSV by the Accept header or `?format=`; CONSTRUCT/DESCRIBE answer Turtle, N-Triples or JSON-LD."""

from __future__ import annotations

import datetime as dt
import gzip
from typing import Annotated, Any

import pyoxigraph as ox
from litestar import Request, Response
from litestar.params import QueryParameter

from govstat.platform.clock import JST
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import BadRequest, FieldError, Forbidden, Unavailable
from govstat.platform.subsystems.estat.lod import graphs, schemes, store
from govstat.platform.subsystems.estat.lod import vocab as v

TIMEOUT = 10.0  # seconds a query may run
CAP = 10_000  # rows (or triples) a query may answer
MAX_QUERY = 20_000  # characters of query text
MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_MEDIA = {"turtle": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}
Format = Annotated[str | None, QueryParameter(name="format", max_length=8, description="json | xml | csv | tsv")]


def bad_query(message: str) -> BadRequest:
    return BadRequest(f"query: {message}", errors=[FieldError("query", message)])


def _choose(request: Request[Any, Any, Any], fmt: str | None) -> tuple[str, str]:
    """(results format, graph format) from `?format=` or Accept."""
    if fmt is not None and fmt not in MEDIA and fmt not in GRAPH_MEDIA:
        raise BadRequest("format: json / xml / csv / tsv", errors=[FieldError("format", "json, xml, csv or tsv")])
    by_media = {m: k for k, m in {**MEDIA, **GRAPH_MEDIA}.items()}
    best = request.accept.best_match(list(by_media), default=MEDIA["json"]) or MEDIA["json"]
    chosen = fmt or by_media[best]
    return (chosen if chosen in MEDIA else "json"), (chosen if chosen in GRAPH_MEDIA else "turtle")


async def _reference(uow: UnitOfWork) -> list[tuple[str, bytes | None]]:
    """The area codes and classifications, as graphs of their own."""
    out: list[tuple[str, bytes | None]] = []
    for name, triples in (
        (v.area_scheme_uri(), await schemes.area_scheme(uow, dt.datetime.now(JST).date())),
        (f"{v.base()}/classifications", await schemes.classification_schemes(uow)),
    ):
        out.append((name, gzip.compress(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", 1)))
    return out


async def _sync(uow: UnitOfWork) -> None:
    """Bring this process's store up to the read model's generation (everything when fresh)."""
    p = store.PROCESS
    if p.fresh:
        p.kill()
        p.start()
        await p.load(await _reference(uow), 0)
    while True:
        found = await graphs.changes(uow, p.generation)
        if not found:
            return
        await p.load([(v.table_uri(c.stats_data_id), c.data) for c in found], found[-1].generation)


async def answer(uow: UnitOfWork, request: Request[Any, Any, Any], query: str, fmt: str | None) -> Response[bytes]:
    if not query.strip():
        raise bad_query("SPARQL のクエリを指定してください / a SPARQL query is required")
    if len(query) > MAX_QUERY:
        raise bad_query(f"クエリは{MAX_QUERY}文字までです / at most {MAX_QUERY} characters")
    results, graph = _choose(request, fmt)
    async with store.PROCESS.lock:
        try:
            await _sync(uow)
            kind, body = await store.PROCESS.query(query, results=results, graph=graph, cap=CAP, timeout=TIMEOUT)
        except store.QueryTimeout:
            raise Unavailable(
                f"クエリが{TIMEOUT:g}秒以内に終わらず打ち切りました / the query ran over {TIMEOUT:g} s and was stopped",
                timeout_seconds=TIMEOUT,
            ) from None
        except store.TooMany:
            raise bad_query(
                f"結果が{CAP:,}件を超えます。LIMIT {CAP} 以下を付けてください / more than {CAP} results: add LIMIT {CAP} or less"
            ) from None
        except SyntaxError as exc:
            if _is_update(query):
                raise Forbidden("この SPARQL エンドポイントは読み取り専用です / this endpoint is read-only") from None
            raise bad_query(f"構文エラー / syntax error: {exc}") from None
        except RuntimeError as exc:
            raise bad_query(f"評価できません / cannot evaluate: {exc}") from None
    media = GRAPH_MEDIA[graph] if kind == "graph" else MEDIA[results]
    return Response(body, media_type=f"{media}; charset=utf-8", headers={"Vary": "Accept"})


def _is_update(text: str) -> bool:
    words = {w.upper() for w in text.replace("{", " ").split()}
    return bool(words & {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "COPY", "MOVE", "ADD"})
