"""A small valid request body for an operation of the app's OpenAPI document, so that a walked
change reaches the handler's lookup instead of stopping at body validation. Deterministic: the
first enum value, the minimum, a fixed date; patterns are met from a few candidates."""

from __future__ import annotations

import re
from typing import Any

CANDIDATES = ("00200521", "13101", "statdb", "2026-10", "202010", "agency_admin", "walker", "A01", "1", "x")
PATH_PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def operation(doc: dict, path: str, method: str) -> dict | None:
    """The OpenAPI operation of a route path as Litestar writes it (`{x:uuid}` in the route, `{x}` in the doc)."""
    return doc.get("paths", {}).get(PATH_PARAM.sub(r"{\1}", path), {}).get(method.lower())


def _resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = doc["components"]["schemas"][name]
    return schema


def _string(schema: dict) -> str:
    fmt = schema.get("format")
    fixed = {
        "date": "2026-10-01",
        "date-time": "2026-10-01T09:00:00+09:00",
        "uuid": "00000000-0000-4000-8000-000000000000",
        "email": "walker@example.jp",
        "uri": "https://example.jp/",
    }
    if fmt in fixed:
        return fixed[fmt]
    pattern = schema.get("pattern")
    low, high = schema.get("minLength", 1), schema.get("maxLength", 200)
    for c in CANDIDATES:
        if (pattern is None or re.search(pattern, c)) and low <= len(c) <= high:
            return c
    return "x" * max(low, 1)


def example(doc: dict, schema: dict | None, depth: int = 0, ids: dict[str, str] | None = None, name: str = "") -> Any:
    """`ids` gives values to properties by name (the walker passes tenant A's ids: a body that names
    another tenant's object is an attack too)."""
    if schema is None or depth > 8:
        return None
    if ids and name in ids:
        return ids[name]
    schema = _resolve(doc, schema)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [_resolve(doc, s) for s in schema[key]]
            chosen = next((s for s in options if s.get("type") != "null"), options[0])
            return example(doc, chosen, depth + 1, ids, name)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        # a top-level body of optional fields only (a PATCH) gets its first one: an empty change may be refused
        names = schema.get("required") or (list(props)[:1] if depth == 0 else [])
        return {k: example(doc, props.get(k, {}), depth + 1, ids, k) for k in names}
    if kind == "array":
        return [example(doc, schema.get("items", {}), depth + 1, ids) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        return b"walker" if schema.get("format") == "binary" or "contentMediaType" in schema else _string(schema)
    if kind in ("integer", "number"):
        value = schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1 if "exclusiveMinimum" in schema else 1)
        return int(value) if kind == "integer" else value
    if kind == "boolean":
        return False
    return None


def request_body(doc: dict, op: dict | None, ids: dict[str, str] | None = None) -> tuple[str, Any]:
    """(content type, body) for the operation; ("", None) when it takes none."""
    content = ((op or {}).get("requestBody") or {}).get("content") or {}
    for media in ("application/json", "multipart/form-data", "application/x-www-form-urlencoded"):
        if media in content:
            return media, example(doc, content[media].get("schema"), ids=ids)
    return "", None
