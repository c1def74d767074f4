"""The validation report an agency reads before registering (issue 14 §3): the parameter file and
the data file checked exactly as registration checks them (ingest.prepare's steps, the options for
real files included), writing nothing, and told back as a report: observations and items per
dimension, the codes not found and the values not numeric with their line and column, the rows
left out, and the first observations as govstat understood them (codes with their names)."""

from __future__ import annotations

import asyncio
import re
from collections import Counter

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.statdb import areas, reader, transform
from govstat.platform.subsystems.statdb.convert import Converted
from govstat.platform.subsystems.statdb.masters import ownership_problem
from govstat.platform.subsystems.statdb.params import parse
from govstat.platform.subsystems.statdb.params_model import Params
from govstat.platform.subsystems.statdb.problems import Problems

FIRST_ROWS = 20
TOP_ITEMS = 10
WHERE = re.compile(r"^(?:.*: )?(?:data )?line (\d+)(?:: column (\d+))?")
# What kind of error a message is, from the phrases convert, transform and areas use
KINDS = (
    ("not_numeric", ("数値でも特殊文字",)),
    ("code_not_found", ("の items にありません", "標準地域コード", "地域名", "境域の時点")),
    ("encoding", ("外字", "として読めない")),
    ("duplicate", ("既にあります",)),
)


class Issue(msgspec.Struct, kw_only=True):
    field: str
    message: str
    kind: str  # not_numeric | code_not_found | encoding | duplicate | parameter_file | other
    file: str  # params | data
    line: int | None = None
    column: int | None = None


class ItemCount(msgspec.Struct, kw_only=True):
    code: str
    name: str
    observations: int


class DimensionReport(msgspec.Struct, kw_only=True):
    obj_id: str
    name: str
    source: str
    items: int
    top: list[ItemCount]  # the items with most observations, in the table's order


class Cell(msgspec.Struct, kw_only=True):
    codes: dict[str, str]
    names: dict[str, str]
    unit: str | None
    value: str | None
    raw: str | None
    annotation: str | None


class Report(msgspec.Struct, kw_only=True):
    valid: bool
    title: str = ""
    observations: int = 0
    dimensions: list[DimensionReport] = []
    skipped_rows: dict[str, int] = {}  # "column C: value" -> rows left out by data.skip
    codes_padded: int = 0
    names_matched: int = 0
    issues: list[Issue] = []
    issue_counts: dict[str, int] = {}
    truncated: bool = False  # errors stop at the first 100 (problems.MAX_ERRORS): more may follow
    first_rows: list[Cell] = []


async def build(uow: UnitOfWork, params_bytes: bytes, data: bytes, data_filename: str) -> tuple[Report, Problems]:
    """The report and the problems (empty when the pair would register as it is)."""
    await uow.long_running()
    p = Problems()
    params = await asyncio.to_thread(parse, params_bytes, p)
    if params is None:
        return _finish(Report(valid=False), p), p
    reason = await ownership_problem(uow, params.table.gov_stat_code)
    if reason:
        p.add(params.table.gov_stat_line, "table.gov_stat_code", reason)
    ctx = await transform.context(uow, params)
    try:
        conv = await asyncio.to_thread(transform.convert_rows, params, data_filename, data, p, ctx)
    except reader.DataFileError as exc:
        p.data(exc.line, None, str(exc))
        return _finish(Report(valid=False, title=params.table.title), p), p
    for dim in params.dimensions.values():
        if dim.source == "area_codes" and dim.as_of:
            codes = transform.merged(ctx, await areas.standard_codes(uow, dim.as_of))
            conv.items[dim.obj_id] = areas.resolve(conv.seen[dim.obj_id], codes, p, dim.obj_id)
    report = Report(
        valid=not p,
        title=params.table.title,
        observations=conv.total,
        dimensions=_dimensions(params, conv),
        skipped_rows=dict(ctx.skipped),
        codes_padded=ctx.padded,
        names_matched=ctx.matched,
        first_rows=_first_rows(conv),
    )
    return _finish(report, p), p


def _finish(report: Report, p: Problems) -> Report:
    report.issues = [_issue(e.field, e.message) for e in p.errors]
    report.issue_counts = dict(Counter(i.kind for i in report.issues))
    report.truncated = p.full
    report.valid = not p
    return report


def _issue(field: str, message: str) -> Issue:
    m = WHERE.match(field)
    data = "data line" in field
    kind = next((k for k, phrases in KINDS if any(s in message for s in phrases)), None)
    return Issue(
        field=field,
        message=message,
        kind=kind or ("other" if data else "parameter_file"),
        file="data" if data else "params",
        line=int(m.group(1)) if m and m.group(1) != "0" else None,
        column=int(m.group(2)) if m and m.group(2) else None,
    )


def _dimensions(params: Params, conv: Converted) -> list[DimensionReport]:
    out = []
    for k, dim in enumerate(params.dimensions.values()):
        counts = Counter(r[k + 1] for r in conv.records)
        items = conv.items.get(dim.obj_id, [])
        ranked = sorted(items, key=lambda i: -counts.get(i.code, 0))[:TOP_ITEMS]
        order = {i.code: n for n, i in enumerate(items)}
        top = sorted(ranked, key=lambda i: order[i.code])
        out.append(
            DimensionReport(
                obj_id=dim.obj_id,
                name=dim.name,
                source=dim.source,
                items=len(items),
                top=[ItemCount(code=i.code, name=i.name, observations=counts.get(i.code, 0)) for i in top],
            )
        )
    return out


def _first_rows(conv: Converted) -> list[Cell]:
    names = {o: {i.code: i.name for i in conv.items.get(o, [])} for o in conv.dims}
    cells = []
    for rec in conv.records[:FIRST_ROWS]:
        codes = dict(zip(conv.dims, rec[1 : 1 + len(conv.dims)], strict=True))
        unit, value, raw, note = rec[1 + len(conv.dims) :]
        cells.append(
            Cell(
                codes=codes,
                names={o: names[o].get(c, c) for o, c in codes.items()},
                unit=unit,
                value=None if value is None else str(value),
                raw=raw,
                annotation=note,
            )
        )
    return cells
