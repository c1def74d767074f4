"""Linked-data documents by content negotiation: Turtle, JSON-LD or N-Triples of a list of
triples, chosen by the Accept header (or `?format=`), JSON-LD when nothing is asked.

pyoxigraph writes every format; its JSON-LD is the expanded form, to which a context of the
prefixes is added and the keys and types shortened to compact IRIs (still the same graph for
any JSON-LD processor)."""

from __future__ import annotations

import json
import re
from typing import Any

import pyoxigraph as ox
from litestar import Request, Response

from govstat.platform.errors import InvalidInput
from govstat.platform.subsystems.estat.lod import vocab as v

TURTLE = "text/turtle"
JSONLD = "application/ld+json"
NTRIPLES = "application/n-triples"
FORMATS = {"ttl": TURTLE, "turtle": TURTLE, "jsonld": JSONLD, "json": JSONLD, "nt": NTRIPLES}
RDF_TYPE = v.RDF + "type"
_LOCAL = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def media_type(request: Request[Any, Any, Any], fmt: str | None) -> str:
    """The format asked: `?format=` first, then the Accept header's preferred type we write."""
    if fmt:
        if fmt not in FORMATS:
            raise InvalidInput.field("format", f"{fmt!r}: ttl / jsonld / nt のいずれか / one of ttl, jsonld, nt")
        return FORMATS[fmt]
    chosen = request.accept.best_match([JSONLD, TURTLE, NTRIPLES, "application/json", "text/plain"], default=JSONLD)
    return {"application/json": JSONLD, "text/plain": TURTLE}.get(chosen or JSONLD, chosen or JSONLD)


def _compact(iri: str) -> str:
    for prefix, ns in v.PREFIXES.items():
        if iri.startswith(ns) and _LOCAL.match(iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _compact_value(o: Any) -> Any:
    if isinstance(o, dict) and "@value" in o and "@type" in o:
        return {**o, "@type": _compact(o["@type"])}
    if isinstance(o, dict) and set(o) == {"@id"}:
        return {"@id": _compact(o["@id"])}
    return o


def _compact_node(node: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == RDF_TYPE:
            out["@type"] = [_compact(t["@id"]) for t in value]
        elif key.startswith("@"):
            out[key] = value
        else:
            out[_compact(key)] = [_compact_value(o) for o in value]
    return out


def jsonld(triples: v.Triples) -> bytes:
    nodes = json.loads(ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"[]")
    graph = nodes if isinstance(nodes, list) else nodes.get("@graph", [nodes])
    merged: dict[str, dict[str, Any]] = {}  # the writer streams: one subject may come in several nodes
    for node in graph:
        into = merged.setdefault(node["@id"], {"@id": node["@id"]})
        for key, values in node.items():
            if key != "@id":
                into.setdefault(key, []).extend(values)
    doc = {"@context": v.PREFIXES, "@graph": [_compact_node(n) for n in merged.values()]}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def serialize(triples: v.Triples, media: str) -> bytes:
    """Each subject's triples together (one node in JSON-LD, one block in Turtle)."""
    triples = sorted(triples, key=lambda t: str(t.subject))
    if media == JSONLD:
        return jsonld(triples)
    fmt = ox.RdfFormat.TURTLE if media == TURTLE else ox.RdfFormat.N_TRIPLES
    return ox.serialize(triples, format=fmt, prefixes=v.PREFIXES if media == TURTLE else None) or b""


def respond(request: Request[Any, Any, Any], triples: v.Triples, fmt: str | None) -> Response[bytes]:
    media = media_type(request, fmt)
    return Response(
        serialize(triples, media),
        media_type=f"{media}; charset=utf-8",
        headers={
            "Vary": "Accept",
            "Link": f'<{v.base()}/sparql>; rel="http://www.w3.org/ns/sparql-service-description#endpoint"',
        },
    )
