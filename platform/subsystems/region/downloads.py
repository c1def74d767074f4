"""An item's series or ranking as CSV (UTF-8 with BOM) or XLSX: every cell through
platform/web/spreadsheet.py. A recombined value names the old codes it came from."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from govstat.platform.subsystems.region.rows import RankingOut, SeriesOut
from govstat.platform.web.spreadsheet import csv_writer, xlsx_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CREDIT = "出典：政府統計の総合窓口(e-Stat)（https://www.e-stat.go.jp/）を加工して作成"
SERIES_HEAD = [
    "項目コード",
    "項目",
    "地域コード",
    "地域",
    "年",
    "値",
    "単位",
    "組替え",
    "組替え元（旧地域）",
    "注記",
    "統計表ID",
]
RANKING_HEAD = ["項目コード", "項目", "年", "順位", "地域コード", "地域", "値", "単位", "組替え", "注記"]


def _num(v: float | None) -> Any:
    if v is None:
        return ""
    return int(v) if v.is_integer() else round(v, 4)


def series_rows(out: SeriesOut) -> Iterator[list[Any]]:
    i = out.indicator
    for s in out.series:
        for p in s.points:
            parts = " + ".join(f"{x.code} {x.name}" for x in p.parts)
            value = _num(p.value) if p.value is not None else (p.raw or "")
            yield [
                i.code,
                i.name_ja,
                s.area,
                s.name,
                p.year,
                value,
                i.unit,
                "○" if p.recombined else "",
                parts,
                " / ".join(p.flags),
                p.table,
            ]


def ranking_rows(out: RankingOut) -> Iterator[list[Any]]:
    i = out.indicator
    for r in out.rows:
        yield [
            i.code,
            i.name_ja,
            out.year,
            r.rank or "",
            r.area,
            r.name,
            _num(r.value),
            i.unit,
            "○" if r.recombined else "",
            " / ".join(r.flags),
        ]


def csv_bytes(head: list[str], rows: Iterator[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv_writer(buf, lineterminator="\r\n")
    w.writerow(head)
    for r in rows:
        w.writerow(r)
    w.writerow([CREDIT])
    return ("\ufeff" + buf.getvalue()).encode()


def xlsx_bytes(head: list[str], rows: Iterator[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("データ")
    ws.append(xlsx_row(ws, head))
    for r in rows:
        ws.append(xlsx_row(ws, r))
    ws.append(xlsx_row(ws, [CREDIT]))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
