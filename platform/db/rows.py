"""Typed rows: every query answers msgspec Structs, never dicts (issue 9; docs/decisions/0007).

A row type is a Struct whose fields are the query's output columns. `decode` turns an asyncpg
record (or a Piccolo result dict) into it: JSON columns, which asyncpg hands over as text, are
decoded where the field expects a container, and numbers are coerced as the field says
(numeric -> float, say). A column the Struct lacks is ignored; a field without a default that the
query does not return is an error at once, in development and in tests alike.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

if TYPE_CHECKING:
    from asyncpg import Record

R = TypeVar("R", bound=msgspec.Struct)


@functools.cache
def _json_fields(row_type: type[msgspec.Struct]) -> frozenset[str]:
    """Fields whose type is a container (dict, list, Struct): a text value there is JSON."""
    info = msgspec.inspect.type_info(row_type)
    out = set()
    for f in info.fields:  # type: ignore[attr-defined]
        types = f.type.types if isinstance(f.type, msgspec.inspect.UnionType) else (f.type,)
        if any(
            isinstance(t, (msgspec.inspect.DictType, msgspec.inspect.ListType, msgspec.inspect.StructType))
            for t in types
        ):
            out.add(f.name)
    return frozenset(out)


def decode(row_type: type[R], record: Mapping[str, Any] | Record) -> R:
    values = dict(record)
    for name in _json_fields(row_type):
        if isinstance(values.get(name), str):
            values[name] = msgspec.json.decode(values[name])
    return msgspec.convert(values, row_type, strict=False)


def decode_all(row_type: type[R], records: Iterable[Mapping[str, Any] | Record]) -> list[R]:
    return [decode(row_type, r) for r in records]
