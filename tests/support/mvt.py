"""A small Mapbox Vector Tile reader for tests: each layer's features' properties (no geometry).

(The maintained decoder, mapbox-vector-tile, pins a protobuf older than the one govstat's telemetry
needs; the MVT protobuf is small enough to read by hand: spec 2.1, vector_tile.proto.)"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any


def _varint(buf: bytes, i: int) -> tuple[int, int]:
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def _fields(buf: bytes) -> Iterator[tuple[int, int, Any]]:
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 1:
            value, i = buf[i : i + 8], i + 8
        elif wire == 2:
            n, i = _varint(buf, i)
            value, i = buf[i : i + n], i + n
        elif wire == 5:
            value, i = buf[i : i + 4], i + 4
        else:
            raise ValueError(f"wire type {wire}")
        yield field, wire, value


def _value(buf: bytes) -> Any:
    for field, _, v in _fields(buf):
        if field == 1:
            return v.decode()
        if field == 2:
            return struct.unpack("<f", v)[0]
        if field == 3:
            return struct.unpack("<d", v)[0]
        if field in (4, 5):
            return v
        if field == 6:
            return (v >> 1) ^ -(v & 1)
        if field == 7:
            return bool(v)
    return None


def _packed(buf: bytes) -> list[int]:
    out, i = [], 0
    while i < len(buf):
        v, i = _varint(buf, i)
        out.append(v)
    return out


def decode(tile: bytes) -> dict[str, list[dict[str, Any]]]:
    """{layer name: [feature properties, ...]}"""
    layers: dict[str, list[dict[str, Any]]] = {}
    for field, _, layer in _fields(tile):
        if field != 3:
            continue
        name, keys, values, raw_features = "", [], [], []
        for f, _, v in _fields(layer):
            if f == 1:
                name = v.decode()
            elif f == 2:
                raw_features.append(v)
            elif f == 3:
                keys.append(v.decode())
            elif f == 4:
                values.append(_value(v))
        features = []
        for raw in raw_features:
            tags = next((_packed(v) for f, _, v in _fields(raw) if f == 2), [])
            features.append({keys[tags[k]]: values[tags[k + 1]] for k in range(0, len(tags), 2)})
        layers[name] = features
    return layers
