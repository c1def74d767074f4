"""Reading an uploaded file of points: CSV with latitude/longitude columns (UTF-8, or Shift_JIS as
Excel writes it) or GeoJSON Point features. Every bad line is reported with its line number and field,
all at once; nothing is stored unless the whole file is good."""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

from govstat.platform.errors import FieldError, InvalidInput

MAX_POINTS = 100_000
MAX_ERRORS = 100
LAT = ("lat", "latitude", "緯度", "y")
LON = ("lon", "lng", "longitude", "経度", "x")
WEIGHT = ("weight", "value", "count", "値", "数")


@dataclass
class Parsed:
    fields: list[str]
    lines: list[int] = field(default_factory=list)
    lats: list[float] = field(default_factory=list)
    lons: list[float] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    attrs: list[str] = field(default_factory=list)  # JSON text per point


def _number(text: Any) -> float | None:
    try:
        v = float(str(text).replace(",", "").strip())
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _check(
    out: Parsed, errors: list[FieldError], line: int, lat: Any, lon: Any, weight: Any, attrs: dict[str, Any]
) -> None:
    y, x = _number(lat), _number(lon)
    if y is None or not -90 <= y <= 90:
        errors.append(
            FieldError(f"line {line}: latitude", f"緯度 {lat!r} は -90〜90 の数値ではありません / not a latitude")
        )
    if x is None or not -180 <= x <= 180:
        errors.append(
            FieldError(f"line {line}: longitude", f"経度 {lon!r} は -180〜180 の数値ではありません / not a longitude")
        )
    w = 1.0 if weight in (None, "") else _number(weight)
    if w is None:
        errors.append(FieldError(f"line {line}: weight", f"値 {weight!r} は数値ではありません / not a number"))
    if y is not None and x is not None and w is not None and not errors:
        out.lines.append(line)
        out.lats.append(y)
        out.lons.append(x)
        out.weights.append(w)
        out.attrs.append(json.dumps(attrs, ensure_ascii=False))


def _column(header: list[str], names: tuple[str, ...]) -> str | None:
    return next((h for h in header if h.strip().lower() in names), None)


def read_csv(data: bytes) -> Parsed:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp932", errors="replace")
    reader = csv.DictReader(io.StringIO(text))
    header = [h for h in (reader.fieldnames or []) if h is not None]
    lat, lon, weight = _column(header, LAT), _column(header, LON), _column(header, WEIGHT)
    if lat is None or lon is None:
        raise InvalidInput.field(
            "file",
            "1行目に緯度（lat / latitude / 緯度）と経度（lon / longitude / 経度）の列が必要です / a header with latitude and longitude columns",
        )
    out = Parsed(fields=[h for h in header if h not in (lat, lon)])
    errors: list[FieldError] = []
    for row in reader:
        line = reader.line_num
        attrs = {k: v for k, v in row.items() if k not in (lat, lon) and k is not None}
        _check(out, errors, line, row.get(lat), row.get(lon), row.get(weight) if weight else None, attrs)
        if len(errors) >= MAX_ERRORS or len(out.lines) > MAX_POINTS:
            break
    return _done(out, errors)


def read_geojson(data: bytes) -> Parsed:
    try:
        doc = json.loads(data)
        features = doc["features"] if doc.get("type") == "FeatureCollection" else [doc]
    except (ValueError, AttributeError, KeyError, TypeError) as exc:
        raise InvalidInput.field("file", f"GeoJSON として読めません / not GeoJSON: {exc}") from exc
    out = Parsed(fields=[])
    errors: list[FieldError] = []
    keys: set[str] = set()
    for n, f in enumerate(features, start=1):
        geom = (f or {}).get("geometry") or {}
        props = (f or {}).get("properties") or {}
        if geom.get("type") != "Point" or not isinstance(geom.get("coordinates"), list) or len(geom["coordinates"]) < 2:
            errors.append(FieldError(f"feature {n}: geometry", "Point ではありません / not a Point"))
            continue
        keys |= set(props)
        weight = next((props[k] for k in props if k.lower() in WEIGHT), None)
        before = len(errors)
        _check(out, errors, n, geom["coordinates"][1], geom["coordinates"][0], weight, props)
        if len(errors) > before:
            errors[before:] = [FieldError(e.field.replace("line", "feature", 1), e.message) for e in errors[before:]]
        if len(errors) >= MAX_ERRORS or len(out.lines) > MAX_POINTS:
            break
    out.fields = sorted(keys)
    return _done(out, errors)


def _done(out: Parsed, errors: list[FieldError]) -> Parsed:
    if errors:
        raise InvalidInput(
            f"{len(errors)} 件の誤りがあります / {len(errors)} errors: {errors[0].field}: {errors[0].message}",
            errors=errors,
        )
    if len(out.lines) > MAX_POINTS:
        raise InvalidInput.field("file", f"地点は {MAX_POINTS:,} 件までです / at most {MAX_POINTS:,} points")
    if not out.lines:
        raise InvalidInput.field("file", "地点がありません / no points")
    return out
