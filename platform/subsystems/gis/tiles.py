"""Vector tiles (Mapbox Vector Tile) made by PostGIS (ST_AsMVT), cached in Redis by the data's version.

The cache key names the boundaries' load and, for a choropleth, the table's publication and the chosen
cells: publishing a table (or reloading the boundaries) makes new keys, and stale ones expire. The
ETag is the hash of the tile's bytes, so a publication changes the ETag only of the tiles whose
content it changed (a tile without the table's areas keeps its ETag)."""

from __future__ import annotations

import hashlib
import logging

from redis.exceptions import RedisError

from govstat.platform.cache import redis_client
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.gis import choropleth
from govstat.platform.subsystems.gis.published import VINTAGE

log = logging.getLogger("govstat.gis.tiles")
TTL = 7 * 24 * 3600
LAYER = "areas"

TILE_SQL = f"""
WITH env AS (SELECT ST_TileEnvelope($1, $2, $3) AS box, (40075016.68 / 2 ^ $1) / 4096 AS px),
vals AS (SELECT * FROM unnest($6::text[], $7::float8[]) AS v(code, value)),
g AS (
  SELECT ST_AsMVTGeom(
           CASE WHEN $1 < 12 THEN ST_SimplifyPreserveTopology(b.geom_wm, env.px / 2) ELSE b.geom_wm END,
           env.box, 4096, 64, true) AS geom,
         b.code, b.name, v.value
  FROM gis_boundary b CROSS JOIN env LEFT JOIN vals v ON v.code = b.code
  WHERE b.level = $4 AND b.vintage = $5 AND b.geom_wm && env.box)
SELECT ST_AsMVT(g.*, '{LAYER}', 4096, 'geom') FROM g WHERE g.geom IS NOT NULL"""


class Tile:
    def __init__(self, body: bytes, cached: bool) -> None:
        self.body, self.cached = body, cached
        self.etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


async def _version(uow: UnitOfWork) -> str:
    stamp = await uow.fetchval("SELECT max(loaded_at) FROM gis_boundary WHERE vintage = $1", VINTAGE)
    return stamp.isoformat() if stamp else "none"


def _choice_key(choice: choropleth.Choice | None) -> str:
    if choice is None:
        return "-"
    published = choice.published_at.isoformat() if choice.published_at else ""
    picks = ",".join(f"{d.obj_id}={d.code}" for d in choice.dims)
    return f"{choice.stats_data_id}@{published}:{picks}"


async def tile(uow: UnitOfWork, level: str, z: int, x: int, y: int, choice: choropleth.Choice | None) -> Tile:
    key = f"gis:tile:{level}:{await _version(uow)}:{_choice_key(choice)}:{z}/{x}/{y}"
    redis = redis_client()
    try:
        hit = await redis.get(key)
        if hit is not None:
            return Tile(bytes(hit), cached=True)
    except RedisError as exc:  # the cache is an optimisation: draw the tile without it
        log.warning("tile cache unavailable: %s", exc)
    data = await choropleth.values(uow, choice) if choice else {}
    body = await uow.fetchval(TILE_SQL, z, x, y, level, VINTAGE, list(data), list(data.values()))
    body = bytes(body or b"")
    try:
        await redis.set(key, body, ex=TTL)
    except RedisError as exc:
        log.warning("tile cache unavailable: %s", exc)
    return Tile(body, cached=False)
