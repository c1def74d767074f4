"""The data-time side of the options for real files (options.py): the hook between reading a data
file and converting its rows (ingest.prepare and the validation report call it).

`rows()` decodes a CSV file reporting 外字 by line (decode.py), then, per row: leaves out the rows
a `skip` rule matches, reads the row's boundary vintage, puts back the leading zeros of codes
with a `width`, turns area names into codes, and checks that each area code of a vintage row
was a standard area code on that vintage's day. Without options, rows pass through untouched."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.area import published
from govstat.platform.subsystems.area.published import AreaCode
from govstat.platform.subsystems.statdb import decode, reader, wide, wide_xlsx
from govstat.platform.subsystems.statdb.areanames import NATION, AreaNames
from govstat.platform.subsystems.statdb.convert import Converted, Progress, convert
from govstat.platform.subsystems.statdb.options import DataOptions
from govstat.platform.subsystems.statdb.params_model import Params
from govstat.platform.subsystems.statdb.problems import Problems

Row = tuple[int, list[str]]


@dataclass
class Context:
    """What the rows need from the database (loaded before, off the worker thread), and what
    they found: the vintage of each area code met first in a vintage row, and counters."""

    codes: dict[dt.date, dict[str, AreaCode]] = field(default_factory=dict)
    names: dict[dt.date, AreaNames] = field(default_factory=dict)
    vintage_of: dict[str, dt.date] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)  # "column C = value" -> rows
    padded: int = 0
    matched: int = 0


async def context(uow: UnitOfWork, params: Params) -> Context:
    ctx = Context()
    opts, area = params.layout.options, params.dimensions.get("area")
    if opts is None or not opts.needs_areas or area is None or area.source != "area_codes" or area.as_of is None:
        return ctx
    days = {area.as_of, *(opts.vintage.dates.values() if opts.vintage else ())}
    for day in sorted(days):
        ctx.codes[day] = await published.valid_on(uow, day)
        if opts.by_name:
            ctx.names[day] = AreaNames(ctx.codes[day])
    return ctx


def convert_rows(
    params: Params, filename: str, data: bytes, p: Problems, ctx: Context, progress: Progress | None = None
) -> Converted:
    """Read and convert the data file (run it in a worker thread: decoding a large file takes a while)."""
    return convert(params, rows(params, filename, data, p, ctx), p, progress)


def rows(params: Params, filename: str, data: bytes, p: Problems, ctx: Context) -> Iterator[Row]:
    lay = params.layout
    header = lay.options.header if lay.options else None
    used = (*lay.code_columns.values(), *lay.name_columns.values(), lay.unit_column, lay.annotation_column)
    taken = {c for c in used if c}
    if reader.data_format(lay, filename, data) == "csv":
        text = decode.text(data, lay.encoding)
        if header is not None:
            lay.values = wide.value_columns(
                header, params.dimensions, wide.csv_header(text, set(header.rows)), p, taken
            )
        src = reader.text_rows(lay, text)
        if decode.suspect(text):
            src = decode.check(src, lay.encoding, p)
    else:
        if header is not None:
            cells = wide_xlsx.xlsx_header(data, lay.sheet, set(header.rows), filename)
            lay.values = wide.value_columns(header, params.dimensions, cells, p, taken)
        src = reader.rows(lay, filename, data)
    opts = lay.options
    if opts is None or not opts.active:
        return src
    return _apply(params, opts, src, p, ctx)


def _apply(params: Params, opts: DataOptions, src: Iterator[Row], p: Problems, ctx: Context) -> Iterator[Row]:
    code_cols = params.layout.code_columns
    widths = [(code_cols[o] - 1, w) for o, w in opts.widths.items() if o in code_cols]
    area = params.dimensions.get("area")
    area_col = code_cols.get("area", 0) - 1 if area is not None and area.source == "area_codes" else -1
    by_name = area_col >= 0 and "area" in opts.by_name
    vintage = opts.vintage if area_col >= 0 else None
    as_of = area.as_of if area is not None else None
    pref: str | None = None
    for line, cells in src:
        n = len(cells)
        left_out = next((k for r in opts.skip if r.column <= n and (k := r.match(cells[r.column - 1].strip()))), None)
        if left_out is not None:
            ctx.skipped[left_out] += 1
            continue
        day = as_of
        if vintage is not None:
            cell = cells[vintage.column - 1].strip() if vintage.column <= n else ""
            day = vintage.day(cell)
            if day is None or day not in ctx.codes:
                p.data(
                    line, vintage.column, f"境域の時点 {cell!r} が data.vintage.dates にありません / unknown vintage"
                )
                continue
        for col, width in widths:
            if col < n:
                code = cells[col].strip()
                if code.isdigit() and len(code) < width:
                    cells[col] = code.zfill(width)
                    ctx.padded += 1
        if 0 <= area_col < n and day is not None:
            if by_name:
                name = cells[area_col].strip()
                found, candidates = ctx.names[day].match(name, pref)
                if found is None:
                    p.data(line, area_col + 1, _unmatched(name, day, candidates, ctx.names[day]))
                    continue
                cells[area_col] = found
                ctx.matched += 1
                pref = found if found.endswith("000") else pref
            if vintage is not None and not _vintage_code(cells[area_col].strip(), day, line, area_col, p, ctx):
                continue
        yield line, cells


def _unmatched(name: str, day: dt.date, candidates: list[str], names: AreaNames) -> str:
    if candidates:
        listed = "、".join(names.label(c) for c in candidates[:6])
        return (
            f"地域名 {name!r} に当たる地域が複数あります（{listed}）。都道府県名を付けてください"
            f" / the area name {name!r} is ambiguous ({listed}): prefix its prefecture"
        )
    return (
        f"地域名 {name!r} は {day.isoformat()} 時点の標準地域コードにありません"
        f" / no standard area named {name!r} on {day.isoformat()}"
    )


def _vintage_code(code: str, day: dt.date, line: int, col: int, p: Problems, ctx: Context) -> bool:
    if not code.isdigit() or code == NATION:
        return True  # e-Stat's own codes (0120B ...) are placed by areas.resolve
    if code not in ctx.codes[day]:
        p.data(
            line,
            col + 1,
            f"地域コード {code} は {day.isoformat()} 時点の標準地域コードにありません"
            f" / {code} is not a standard area code on {day.isoformat()} (the row's vintage)",
        )
        return False
    ctx.vintage_of.setdefault(code, day)
    return True


def merged(ctx: Context, codes: dict[str, AreaCode]) -> dict[str, AreaCode]:
    """The codes valid on as_of, plus each code of an older (or newer) vintage as it was then."""
    if not ctx.vintage_of:
        return codes
    out = dict(codes)
    for code, day in ctx.vintage_of.items():
        out.setdefault(code, ctx.codes[day][code])
    return out
