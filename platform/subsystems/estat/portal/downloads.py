"""ESTAT-2 downloads of a table page's current selection: CSV (streamed) and XLSX (openpyxl).

Both hold exactly the selected cells, one row each, with every dimension's code and name, the
unit, the value and its annotation — the layout of statdb's CSV download. The XLSX adds a second
sheet with the table's information, the selection and the credit line (出典).
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from typing import Any

from litestar.response import Response, Stream

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.estat.api.rows import PublishedTable
from govstat.platform.subsystems.estat.portal import tableview
from govstat.platform.subsystems.estat.portal.common import CREDIT, jst, plain
from govstat.platform.subsystems.statdb.notes import decode as decode_notes
from govstat.platform.subsystems.statdb.render import number as raw_number
from govstat.platform.subsystems.statdb.rows import Cell
from govstat.platform.web.spreadsheet import csv_writer, xlsx_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header(dims: list[tableview.Dim]) -> list[str]:
    out = []
    for d in dims:
        out += [f"{d.name} コード", d.name]
    return [*out, "単位", "値", "注記"]


def _cells(row: Cell, dims: list[tableview.Dim], names: dict[str, dict[str, str]]) -> list[Any]:
    out: list[Any] = []
    for d in dims:
        code = getattr(row, d.obj_id)
        out += [code, names[d.obj_id].get(code, "")]
    return out


def csv_response(scope: Scope, table: PublishedTable, dims: list[tableview.Dim], sel: tableview.Selection) -> Stream:
    return Stream(
        _csv(scope, table, dims, sel),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{table.stats_data_id}.csv"'},
    )


async def _csv(
    scope: Scope, table: PublishedTable, dims: list[tableview.Dim], sel: tableview.Selection
) -> AsyncIterator[bytes]:
    names = {d.obj_id: d.names() for d in dims}
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(header(dims))
    yield ("\ufeff" + out.getvalue()).encode()
    async for rows in tableview.stream(lambda: UnitOfWork.for_stream(scope), table.id, dims, sel):
        out.seek(0)
        out.truncate()
        for r in rows:
            writer.writerow([*_cells(r, dims, names), r.unit or "", raw_number(r.value, r.raw), r.annotation or ""])
        yield out.getvalue().encode()


async def xlsx_rows(
    uow: UnitOfWork, table: PublishedTable, dims: list[tableview.Dim], sel: tableview.Selection
) -> list[Cell]:
    return (await tableview.fetch(uow, table.id, dims, sel, limit=tableview.MAX_DOWNLOAD)).rows


async def xlsx_response(
    table: PublishedTable, dims: list[tableview.Dim], sel: tableview.Selection, rows: list[Cell]
) -> Response:
    """Built in a worker thread, with no database connection held (the caller's read has ended)."""
    content = await asyncio.to_thread(workbook, table, dims, sel, rows)
    return Response(
        content,
        media_type=XLSX,
        headers={"content-disposition": f'attachment; filename="{table.stats_data_id}.xlsx"'},
    )


def workbook(table: PublishedTable, dims: list[tableview.Dim], sel: tableview.Selection, rows: list[Cell]) -> bytes:
    from openpyxl import Workbook

    names = {d.obj_id: d.names() for d in dims}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("データ")
    ws.append(xlsx_row(ws, header(dims)))
    for r in rows:
        value = plain(r.value) if r.value is not None else (r.raw or "")
        ws.append(xlsx_row(ws, [*_cells(r, dims, names), r.unit or "", value, r.annotation or ""]))
    about = wb.create_sheet("表情報")
    for line in (
        ("統計表ID / statsDataId", table.stats_data_id),
        ("政府統計名 / Statistic", f"{table.stat_name}（{table.gov_stat_code}）"),
        ("統計表 / Title", table.title),
        ("表番号 / Table no.", table.table_no),
        ("作成機関 / Agency", table.agency_name),
        ("調査年月 / Survey date", table.survey_date),
        ("公開日 / Released", jst(table.publish_at, "%Y-%m-%d")),
        ("選択 / Selection", "&".join(f"{k}={v}" for k, v in sel.values.items()) or "すべて / all cells"),
        ("件数 / Cells", len(rows)),
        ("出典 / Source", f"{CREDIT}（{table.stat_name}「{table.title}」）"),
    ):
        about.append(xlsx_row(about, line))
    for note in decode_notes(table.notes):
        about.append(xlsx_row(about, [f"記号「{note['char']}」", note.get("text", "")]))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
