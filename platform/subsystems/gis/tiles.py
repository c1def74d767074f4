"""Vector tiles (Mapbox Vector Tile) made by PostGIS (ST_AsMVT), cached in Redis by the data's version.

The cache key names the boundaries' load and, for a choropleth, the table's publication and the chosen
cells: publishing a table (or reloading the boundaries) makes new keys, and stale ones expire. The
ETag is the hash of the tile's bytes, so a publication changes the ETag only of the tiles whose
content it changed (a tile without the table's areas keeps its ETag)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping

import msgspec
from redis.exceptions import RedisError

from govstat.platform.cache import redis_client
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.gis import choropleth
from govstat.platform.subsystems.gis.published import VINTAGE
from govstat.platform.subsystems.statdb import published as statdb

log = logging.getLogger("govstat.gis.tiles")
TTL = 7 * 24 * 3600
LAYER = "areas"

TILE_SQL = f"""
WITH env AS (SELECT ST_TileEnvelope($1, $2, $3) AS box),
vals AS (SELECT * FROM unnest($6::text[], $7::float8[]) AS v(code, value)),
g AS (
  SELECT ST_AsMVTGeom(b.geom_wm, env.box, 4096, 64, true) AS geom,
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


async def _table_key(uow: UnitOfWork, table: str | None, picks: Mapping[str, str]) -> str:
    """The table's part of the cache key: its publication and the picks as asked (a cache hit needs
    no more than this one indexed read; the picks are checked when the tile is first drawn)."""
    if table is None:
        return "-"
    ref = await statdb.table_ref(uow, table)
    if ref is None or not ref.published:
        raise NotFound(f"統計表 {table} は公開されていません / table {table} not found")
    published = ref.published_at.isoformat() if ref.published_at else ""
    return f"{ref.stats_data_id}@{published}:" + ",".join(f"{k}={v}" for k, v in sorted(picks.items()))


async def _values(uow: UnitOfWork, table: str, picks: Mapping[str, str], table_key: str) -> dict[str, float]:
    """The chosen cells by area code, cached beside the tiles (one statdb read per publication)."""
    key = f"gis:values:{table_key}"
    try:
        hit = await redis_client().get(key)
        if hit is not None:
            return msgspec.json.decode(hit, type=dict[str, float])
    except RedisError as exc:
        log.warning("tile cache unavailable: %s", exc)
    data = await choropleth.values(uow, await choropleth.choose(uow, table, picks))
    try:
        await redis_client().set(key, msgspec.json.encode(data), ex=TTL)
    except RedisError as exc:
        log.warning("tile cache unavailable: %s", exc)
    return data


async def tile(
    uow: UnitOfWork, level: str, z: int, x: int, y: int, table: str | None, picks: Mapping[str, str]
) -> Tile:
    table_key = await _table_key(uow, table, picks)
    key = f"gis:tile:{level}:{await _version(uow)}:{table_key}:{z}/{x}/{y}"
    redis = redis_client()
    try:
        hit = await redis.get(key)
        if hit is not None:
            return Tile(bytes(hit), cached=True)
    except RedisError as exc:  # the cache is an optimisation: draw the tile without it
        log.warning("tile cache unavailable: %s", exc)
    data = await _values(uow, table, picks, table_key) if table else {}
    body = await uow.fetchval(TILE_SQL, z, x, y, level, VINTAGE, list(data), list(data.values()))
    body = bytes(body or b"")
    try:
        await redis.set(key, body, ex=TTL)
    except RedisError as exc:
        log.warning("tile cache unavailable: %s", exc)
    return Tile(body, cached=False)
