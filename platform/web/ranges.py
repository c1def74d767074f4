"""Numbers too large for the database: a 422 naming the request parameter (or JSON body field), not a 500.

A query or path parameter typed `int` accepts any size (`?version=` followed by 30 digits); the
value only fails when asyncpg encodes it for an int4/int8 column, or PostgreSQL computes with it.
problems.py asks here whether such an error came from a parameter of the request, so every route
benefits without each declaring an upper bound. An overflow that no parameter explains stays a 500:
it is a bug, not bad input."""

from __future__ import annotations

import json
import re
from typing import Any

import asyncpg
from litestar import Request
from litestar.utils.scope.state import ScopeState

from govstat.platform.errors import InvalidInput

INT64 = range(-(2**63), 2**63)
_ARGUMENT = re.compile(r"invalid input for query argument \$\d+: ([-+]?\d+) \(")
_INTEGER = re.compile(r"\s*[-+]?\d+\s*")


def is_range_error(exc: BaseException) -> bool:
    if isinstance(exc, (OverflowError, asyncpg.NumericValueOutOfRangeError)):
        return True
    return isinstance(exc, asyncpg.DataError) and isinstance(exc.__cause__, OverflowError)


def _parameters(request: Request[Any, Any, Any]) -> list[tuple[str, str]]:
    out = [(str(k), str(v)) for k, v in (request.path_params or {}).items()]
    return out + [(str(k), str(v)) for k, v in request.query_params.multi_items()]


def _body_numbers(request: Request[Any, Any, Any]) -> list[tuple[str, int]]:
    """Integers of a JSON body the handler has read (Litestar keeps it in the scope), by field path."""
    body = ScopeState.from_scope(request.scope).body
    if not isinstance(body, bytes) or body.lstrip()[:1] not in (b"{", b"["):
        return []
    try:
        doc = json.loads(body)
    except ValueError:
        return []
    out: list[tuple[str, int]] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        elif isinstance(value, int) and not isinstance(value, bool):
            out.append((path or "body", value))

    walk(doc, "")
    return out


def out_of_range(request: Request[Any, Any, Any], exc: BaseException) -> InvalidInput | None:
    """The 422 for a range error one of the request's integer parameters caused, or None."""
    if not is_range_error(exc):
        return None
    match = _ARGUMENT.search(str(exc))
    offending = int(match.group(1)) if match else None
    numbers = [(name, int(raw)) for name, raw in _parameters(request) if _INTEGER.fullmatch(raw)]
    numbers += _body_numbers(request)
    name = next((n for n, v in numbers if v == offending), None) if offending is not None else None
    if name is None:
        name = next((n for n, v in numbers if v not in INT64), None)
    if name is None:
        return None
    return InvalidInput.field(name, "値が範囲外です（大きすぎます）/ the number is out of range")
