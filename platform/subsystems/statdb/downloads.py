"""The CSV download of a database table: streamed in pages, each page in its own short
transaction (the request's unit of work has committed by the time the body streams)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

from litestar.response import Stream

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import queries
from govstat.platform.subsystems.statdb.render import number
from govstat.platform.subsystems.statdb.rows import ClassObj, StatTableRow
from govstat.platform.web.spreadsheet import csv_writer

PAGE = 50_000


def csv_response(scope: Scope, table: StatTableRow, objs: list[ClassObj]) -> Stream:
    return Stream(
        _rows(scope, table.id, objs),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{table.stats_data_id}.csv"'},
    )


async def _rows(scope: Scope, table_id: int, objs: list[ClassObj]) -> AsyncIterator[bytes]:
    dims = queries.dims_of(objs)
    names = {o.obj_id: {i.code: i.name for i in o.items} for o in objs}
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    header = []
    for o in objs:
        header += [f"{o.name} コード", o.name]
    writer.writerow([*header, "単位", "値", "注記"])
    yield ("\ufeff" + out.getvalue()).encode()
    start: int | None = 1
    while start is not None:
        async with UnitOfWork.for_stream(scope) as uow:
            _, rows, start = await queries.observations(uow, table_id, objs, {}, start=start, limit=PAGE, count=False)
        out.seek(0)
        out.truncate()
        for r in rows:
            cells = []
            for d in dims:
                code = getattr(r, d)
                cells += [code, names[d].get(code, "")]
            writer.writerow([*cells, r.unit or "", number(r.value, r.raw), r.annotation or ""])
        yield out.getvalue().encode()
