"""Boundaries for the regional maps (TopoJSON, 国土数値情報 N03 simplified; see data/geo/PROVENANCE.md).

Prefectures for all Japan; municipalities only where the boundaries are shipped (Nara, 29)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Response, Router, get

from govstat.platform.errors import NotFound
from govstat.platform.subsystems.estat.portal.common import op_public

GEO = Path(__file__).resolve().parents[2] / "data" / "geo"
FILES = {"prefectures": "prefectures.topo.s0001.json", "municipalities/29": "N03-21_29_210101.topo.s0010.json"}
CACHE = {"cache-control": "public, max-age=86400"}


def _serve(key: str) -> Response[Any]:
    if key not in FILES:
        raise NotFound("この地域の境界データはありません / no boundary data for this area")
    return Response((GEO / FILES[key]).read_bytes(), media_type="application/json", headers=CACHE)


@get("/api/estat/geo/prefectures", opt=op_public("regional"), tags=["e-Stat portal"])
async def prefectures() -> Response[Any]:
    """47 prefectures (property N03_001: the prefecture's name)."""
    return _serve("prefectures")


@get("/api/estat/geo/municipalities/{pref:str}", opt=op_public("regional"), tags=["e-Stat portal"])
async def municipalities(pref: str) -> Response[Any]:
    """The municipalities of one prefecture (property N03_007: the 5-digit code), where shipped."""
    return _serve(f"municipalities/{pref}")


router = Router(path="/", route_handlers=[prefectures, municipalities])
