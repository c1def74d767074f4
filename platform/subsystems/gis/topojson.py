"""Reading the shipped boundary files: TopoJSON (quantized, delta-encoded arcs) into GeoJSON
geometries, and GeoJSON feature collections, as (properties, geometry) pairs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Ring = list[list[float]]


def _arcs(topo: dict[str, Any]) -> list[Ring]:
    t = topo.get("transform")
    out: list[Ring] = []
    for arc in topo["arcs"]:
        if t is None:
            out.append([[float(p[0]), float(p[1])] for p in arc])
            continue
        (sx, sy), (tx, ty) = t["scale"], t["translate"]
        x = y = 0
        pts: Ring = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append([x * sx + tx, y * sy + ty])
        out.append(pts)
    return out


def _ring(arcs: list[Ring], indices: list[int]) -> Ring:
    ring: Ring = []
    for i in indices:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(pts if not ring else pts[1:])
    return ring


def _geometry(arcs: list[Ring], g: dict[str, Any]) -> dict[str, Any] | None:
    if g["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(arcs, r) for r in g["arcs"]]}
    if g["type"] == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [[_ring(arcs, r) for r in p] for p in g["arcs"]]}
    return None


def features(path: Path) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(properties, GeoJSON geometry) of every polygon feature in a TopoJSON or GeoJSON file."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc["type"] == "FeatureCollection":
        return [(f["properties"], f["geometry"]) for f in doc["features"] if f.get("geometry")]
    arcs = _arcs(doc)
    out = []
    for obj in doc["objects"].values():
        for g in obj.get("geometries", [obj]):
            geom = _geometry(arcs, g)
            if geom is not None:
                out.append((g.get("properties") or {}, geom))
    return out
