"""PARAMETER.DATA_FORMAT: the format the answer is written in, as e-Stat writes it.

e-Stat's specification lists X (XML) and J (JSON or JSONP) for DATA_FORMAT; recorded answers show
`<DATA_FORMAT>X</DATA_FORMAT>` in XML and `"DATA_FORMAT":"J"` in JSON, an appId error included. The CSV
forms write C (docs/estat-api-conformance.md, Sources). The functions build one body for every
format, so the route writes the code here, once the format is known, rather than each function."""

from __future__ import annotations

from typing import Any

CODES = {"xml": "X", "json": "J", "jsonp": "J", "csv": "C"}
# postDataset and refDataset echo no DATA_FORMAT in govstat (no source shows e-Stat's form for them)
WITHOUT = {"postDataset", "refDataset"}


def stamp(body: dict[str, Any], fn: str, fmt: str) -> None:
    """Write DATA_FORMAT for `fmt` into the answer's PARAMETER (getStatsDatas: PARAMETER_LIST), in
    place where the function put it, at the end of an error answer's echo."""
    if fn in WITHOUT:
        return
    ((_, root),) = body.items()
    for key in ("PARAMETER", "PARAMETER_LIST"):
        if isinstance(root.get(key), dict):
            root[key]["DATA_FORMAT"] = CODES[fmt]
