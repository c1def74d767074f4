"""The standard regional mesh (標準地域メッシュ, JIS X 0410), computed from the codes, never downloaded.

Levels and sizes (latitude × longitude):
  1: first mesh  (第1次地域区画)  40′ × 1°      code pppp          pp = ⌊lat × 1.5⌋, uu = ⌊lon⌋ − 100
  2: second mesh (第2次地域区画)  5′ × 7.5′     code pppp q v      an 8 × 8 division of the first
  3: third mesh  (基準地域メッシュ, 1 km) 30″ × 45″ code …q v r w    a 10 × 10 division of the second
  4: half mesh   (2分の1地域メッシュ, 500 m) 15″ × 22.5″ code …r w m  m = 1 SW, 2 SE, 3 NW, 4 NE

Everything is computed on the half-mesh grid in integers (1/240° of latitude, 1/160° of longitude), so
a point on a boundary belongs to the mesh north-east of it, as the standard says."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

LAT_UNITS = 240  # half meshes per degree of latitude
LON_UNITS = 160  # half meshes per degree of longitude
STEP = {1: (160, 160), 2: (20, 20), 3: (2, 2), 4: (1, 1)}  # a level's size in half-mesh units (lat, lon)
DIGITS = {4: 1, 6: 2, 8: 3, 9: 4}
LEVEL_NAMES = {1: "第1次地域区画", 2: "第2次地域区画", 3: "基準地域メッシュ（1km）", 4: "2分の1地域メッシュ（500m）"}

Bounds = tuple[float, float, float, float]  # (west, south, east, north) in degrees


class MeshError(ValueError):
    pass


def _unit(value: float, per_degree: int, origin: float) -> int:
    """⌊(value − origin) × per_degree⌋, corrected where floating point lands on the wrong side."""
    i = math.floor((value - origin) * per_degree)
    if origin + i / per_degree > value:
        i -= 1
    elif origin + (i + 1) / per_degree <= value:
        i += 1
    return i


def _grid(lat: float, lon: float) -> tuple[int, int]:
    if not (20.0 <= lat < 66.66 and 100.0 <= lon < 180.0):
        raise MeshError(f"({lat}, {lon}) は地域メッシュの範囲外です / outside the mesh area")
    return _unit(lat, LAT_UNITS, 0.0), _unit(lon, LON_UNITS, 100.0)


def _code(y: int, x: int, level: int) -> str:
    p, q, r, m_y = y // 160, (y % 160) // 20, (y % 20) // 2, y % 2
    u, v, w, m_x = x // 160, (x % 160) // 20, (x % 20) // 2, x % 2
    code = f"{p:02d}{u:02d}"
    if level >= 2:
        code += f"{q}{v}"
    if level >= 3:
        code += f"{r}{w}"
    if level >= 4:
        code += str(1 + m_x + 2 * m_y)
    return code


def code_of(lat: float, lon: float, level: int = 3) -> str:
    """The code of the mesh of `level` (1-4) holding the point."""
    if level not in STEP:
        raise MeshError(f"level {level}: 1, 2, 3 or 4")
    return _code(*_grid(lat, lon), level)


def _origin(code: str) -> tuple[int, int, int]:
    """(south row, west column, level) of a code on the half-mesh grid."""
    level = DIGITS.get(len(code))
    if level is None or not code.isdigit():
        raise MeshError(f"{code!r} は地域メッシュコードではありません / not a mesh code (4, 6, 8 or 9 digits)")
    y, x = int(code[0:2]) * 160, (int(code[2:4])) * 160
    if level >= 2:
        q, v = int(code[4]), int(code[5])
        if q > 7 or v > 7:
            raise MeshError(f"{code!r}: the second mesh's digits run 0-7")
        y, x = y + q * 20, x + v * 20
    if level >= 3:
        y, x = y + int(code[6]) * 2, x + int(code[7]) * 2
    if level == 4:
        m = int(code[8])
        if not 1 <= m <= 4:
            raise MeshError(f"{code!r}: the half mesh's digit runs 1-4")
        y, x = y + (m - 1) // 2, x + (m - 1) % 2
    return y, x, level


def level_of(code: str) -> int:
    return _origin(code)[2]


def bounds(code: str) -> Bounds:
    """(west, south, east, north) of the mesh, in degrees (JGD2011 ≈ WGS 84)."""
    y, x, level = _origin(code)
    dy, dx = STEP[level]
    return (100 + x / LON_UNITS, y / LAT_UNITS, 100 + (x + dx) / LON_UNITS, (y + dy) / LAT_UNITS)


def covering(geometry: BaseGeometry, level: int = 3, *, limit: int = 100_000) -> list[str]:
    """The codes of the meshes of `level` whose interior the geometry (lon/lat) reaches (a mesh that only
    shares an edge or a corner with it is not counted), in row order from the south-west."""
    if level not in STEP:
        raise MeshError(f"level {level}: 1, 2, 3 or 4")
    west, south, east, north = geometry.bounds
    dy, dx = STEP[level]
    y0, x0 = _grid(south, west)
    y1, x1 = _grid(north, east)
    y0, x0 = y0 - y0 % dy, x0 - x0 % dx
    if ((y1 - y0) // dy + 1) * ((x1 - x0) // dx + 1) > limit:
        raise MeshError(f"more than {limit} meshes: choose a coarser level")
    # Imported on first use: a heavy library few requests need (issue 15, the app's base RSS)
    from shapely import prepared

    shape = prepared.prep(geometry)
    return [
        code
        for code, cell in _cells(y0, y1, x0, x1, dy, dx, level)
        if shape.intersects(cell) and not shape.touches(cell)
    ]


def _cells(y0: int, y1: int, x0: int, x1: int, dy: int, dx: int, level: int) -> Iterator[tuple[str, BaseGeometry]]:
    from shapely.geometry import box

    for y in range(y0, y1 + 1, dy):
        for x in range(x0, x1 + 1, dx):
            cell = box(100 + x / LON_UNITS, y / LAT_UNITS, 100 + (x + dx) / LON_UNITS, (y + dy) / LAT_UNITS)
            yield _code(y, x, level), cell
