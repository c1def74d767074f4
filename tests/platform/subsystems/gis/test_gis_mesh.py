"""JIS X 0410 regional meshes computed from codes: points fall in their own mesh, golden codes, covers."""

import random

import pytest
from shapely.geometry import Point, box

from govstat.platform.subsystems.gis import mesh

# Published codes: Tokyo station's 1 km mesh (e-Stat's own example) and the first meshes named after
# the 1:200,000 map sheets of their cities.
GOLDEN = [
    ((35.681236, 139.767125), 3, "53394611"),
    ((35.681236, 139.767125), 4, "533946113"),
    ((43.06417, 141.34694), 1, "6441"),  # 札幌
    ((34.68639, 135.52), 1, "5235"),  # 大阪
    ((35.18028, 136.90667), 1, "5236"),  # 名古屋
    ((33.60639, 130.41806), 1, "5030"),  # 福岡
    ((26.2125, 127.68111), 1, "3927"),  # 那覇
]


@pytest.mark.parametrize(("point", "level", "code"), GOLDEN)
def test_golden_codes(point, level, code):
    assert mesh.code_of(*point, level=level) == code
    west, south, east, north = mesh.bounds(code)
    assert south <= point[0] < north and west <= point[1] < east


def test_random_points_fall_inside_their_own_mesh_at_every_level():
    rng = random.Random(12)
    for _ in range(20_000):  # bench/gis_mesh.py runs a million
        lat, lon = rng.uniform(20.0, 46.0), rng.uniform(122.0, 154.0)
        codes = [mesh.code_of(lat, lon, level) for level in (1, 2, 3, 4)]
        for level, code in enumerate(codes, start=1):
            west, south, east, north = mesh.bounds(code)
            assert south <= lat < north and west <= lon < east, (lat, lon, code)
            assert mesh.level_of(code) == level
        assert all(codes[i + 1].startswith(codes[i]) for i in range(3))


def test_edges_belong_to_the_mesh_north_east_and_bad_codes_are_refused():
    west, south, _, _ = mesh.bounds("53394611")
    assert mesh.code_of(south, west, 3) == "53394611"
    for bad in ("5339461", "53398811", "533946115", "abcd"):
        with pytest.raises(mesh.MeshError):
            mesh.bounds(bad)


def test_a_polygon_returns_the_meshes_it_covers():
    assert mesh.covering(box(*mesh.bounds("53394611")), 3) == ["53394611"]
    assert len(mesh.covering(box(*mesh.bounds("5339")), 2)) == 64
    assert len(mesh.covering(box(*mesh.bounds("533946")), 4)) == 400
    # a 2 km circle around Tokyo station: its own mesh, about 4π km² of 1 km meshes, all near it
    circle = Point(139.767125, 35.681236).buffer(0.02)
    cover = mesh.covering(circle, 3)
    assert "53394611" in cover and 12 <= len(cover) <= 30
    with pytest.raises(mesh.MeshError):
        mesh.covering(box(122, 24, 150, 46), 4)
