"""Shapes of the statdb API (msgspec Structs) and the multipart uploads it reads."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Request

from govstat.platform.errors import InvalidInput
from govstat.platform.subsystems.statdb.service import Upload

MAX_UPLOAD = 512 * 1024 * 1024  # bytes per request: a table of a few million cells
# Pairs per request. Each table's partition of observation is created in the request's transaction,
# which keeps its locks (about six entries of PostgreSQL's shared lock table, 6,400 by default)
# until it commits: a few requests of a hundred fit side by side, a thousand would not.
MAX_PAIRS = 100
StatsDataId = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{10}$")]


class ScheduleIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """公表予約: the announced publication time, with its time zone (e.g. 2026-12-01T08:30:00+09:00)."""

    publish_at: dt.datetime


async def uploads(request: Request[Any, Any, Any]) -> tuple[list[Upload], bool]:
    """`params` and `data` parts (paired by position; several pairs in a bulk request) and `test_mode`."""
    form = await request.form()
    params, data = form.getall("params") if "params" in form else [], form.getall("data") if "data" in form else []
    if not params or not data:
        raise InvalidInput.field(
            "params" if not params else "data",
            "パラメータファイルとデータファイルを添付してください / attach a parameter file and a data file",
        )
    if len(params) > MAX_PAIRS:
        raise InvalidInput.field(
            "params", f"1回の登録は {MAX_PAIRS} 組までです / at most {MAX_PAIRS} pairs per request"
        )
    if len(params) != len(data):
        raise InvalidInput.field(
            "data",
            f"パラメータファイル {len(params)} 件とデータファイル {len(data)} 件の数が違います"
            " / as many data files as parameter files, in the same order",
        )
    out = []
    for n, (p, d) in enumerate(zip(params, data, strict=False)):
        if isinstance(p, str) or isinstance(d, str):
            raise InvalidInput.field(f"files[{n}]", "ファイルとして送ってください / send files, not text fields")
        out.append(Upload(await p.read(), await d.read(), d.filename or f"data{n}"))
    test_mode = str(form.get("test_mode", "")).lower() in ("1", "true", "on", "yes")
    return out, test_mode
