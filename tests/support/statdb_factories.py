"""Statdb factories: the params.yaml and CSV files of the streamed-upload tests (statdb/streamed.py,
pieces.py, transcode.py), the lowered thresholds that cut them into pieces, and what a table stored.

`params` writes one table's params.yaml from its parts (the data layout, cat01's items, the special
characters); `long_csv` one value a row (cat01 in a column), `wide_csv` three value columns a row
(総数/男/女, each fixing cat01's code) with a unit and an annotation column."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import columnar, ingest, pieces, streamed, transcode

ROWS = 3_000
NOT_APPLICABLE = {"-": "該当なし"}  # special characters: mark -> what it stands for
ONE_VALUE = """  columns: {cat01: 1, area: {code: 2, name: 3}, time: 4}
  values: [{column: 5}]"""
POPULATION = """  cat01:
    name: 項目
    items:
      - {code: "001", name: 人口, unit: 人}
      - {code: "002", name: 世帯数, unit: 世帯}"""
BY_SEX = """  columns: {area: {code: 1, name: 2}, time: 3}
  values:
    - {column: 4, cat01: "0"}
    - {column: 5, cat01: "1"}
    - {column: 6, cat01: "2"}
  unit_column: 7
  annotation_column: 8"""
SEX = """  cat01:
    name: 男女
    items:
      - {code: "0", name: 総数, unit: 人}
      - {code: "1", name: 男}
      - {code: "2", name: 女}"""

OBSERVATIONS = "SELECT seq, cat01, area, time, unit, value::text, raw, annotation FROM observation WHERE table_id = $1"
ITEMS = "SELECT obj_id, code, name, level, unit, position FROM class_item WHERE table_id = $1 ORDER BY obj_id, position"
OBJS = "SELECT obj_id, indexed FROM class_obj WHERE table_id = $1 ORDER BY position"


def params(
    n: int,
    *,
    title: str = "分割表",
    prefix: str = "S",
    encoding: str = "",
    data: str = ONE_VALUE,
    cat01: str = POPULATION,
    special: Mapping[str, str] = NOT_APPLICABLE,
) -> bytes:
    """Table `n` of 00200521 (titled `title n`, numbered `prefix-n`) with cat01, area and time, the
    last two's items read from the data."""
    declared = f"  encoding: {encoding}\n" if encoding else ""
    marks = ", ".join(f'"{mark}": {name}' for mark, name in special.items())
    return f"""format: 1
table: {{gov_stat_code: "00200521", title: {title} {n}, table_no: {prefix}-{n}}}
data:
{declared}  skip_rows: 1
{data}
dimensions:
{cat01}
  area: {{name: 地域, items: data}}
  time: {{name: 時間軸, items: data}}
special: {{{marks}}}
""".encode()


def long_csv(
    *,
    rows: int = ROWS,
    times: int = 3,
    special: tuple[str, ...] = ("-",),
    name: str = "地域{}",
    header: str = "項目,地域コード,地域,年,値",
    newline: str = "\n",
    encoding: str = "utf-8",
    last: str | bytes = "",
) -> bytes:
    """`rows` rows: `times` years one after the other (the first piece sees few of them), in each year
    the areas (rows / times / 2 of them, named `name`) and in each area two items. Every 11th value
    is one of `special` in turn, the others quoted with thousands separators; `last` replaces the
    last line (bytes: as they are, for bytes the encoding cannot make)."""
    lines = [header]
    areas = rows // times // 2
    for i in range(rows):
        value = special[i % len(special)] if i % 11 == 0 else f'"{1000 + i:,}"'
        area = i // 2 % areas
        lines.append(f"{'001' if i % 2 else '002'},{area:05d},{name.format(area)},{2000 + i * times // rows},{value}")
    return _encoded(lines, newline, encoding, last)


def wide_csv(encoding: str, *, rows: int = 1_500, last: str = "") -> bytes:
    """`rows` rows of 総数, 男 (every 13th 秘匿 "x") and 女 over rows / 3 areas and three years; every
    7th row has a unit of its own (千人), every 17th an annotation; a BOM before UTF-8."""
    lines = ["地域コード,地域名,年,総数,男,女,単位,注記"]
    areas = rows // 3
    for i in range(rows):
        area, year = i % areas, 2000 + i // areas
        men = "x" if i % 13 == 0 else f'"{2000 + i:,}"'
        unit = "千人" if i % 7 == 0 else ""
        note = "†" if i % 17 == 0 else ""
        lines.append(f'{area:05d},市町村{area},{year},"{4000 + 2 * i:,}",{men},{2000 + i},{unit},{note}')
    body = _encoded(lines, "\r\n", encoding, last)
    return b"\xef\xbb\xbf" + body if encoding == "utf-8" else body


def _encoded(lines: list[str], newline: str, encoding: str, last: str | bytes) -> bytes:
    body = (newline.join(lines) + newline).encode(encoding)
    if last:
        tail = last if isinstance(last, bytes) else last.encode(encoding)
        body = body[: body.rstrip(b"\r\n").rfind(b"\n") + 1] + tail + newline.encode()
    return body


def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Thresholds lowered so that a 100 kB file is streamed in a dozen pieces (8 kB each) and a
    Shift_JIS, cp932 or EUC-JP one transcoded 4 kB at a time."""
    monkeypatch.setattr(streamed, "MIN_BYTES", columnar.MIN_BYTES)
    monkeypatch.setattr(pieces, "BLOCK", 8 * 1024)
    monkeypatch.setattr(transcode, "CHUNK", 4 * 1024)


def count_paths(monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], list[int]]:
    """(read, wrote): a 1 in `read` for each piece the streamed path parses (pieces.Reader), in
    `wrote` for each table the two steps write (ingest.write), from now to the test's end."""
    read: list[int] = []
    wrote: list[int] = []
    monkeypatch.setattr(ingest, "write", lambda *a, real=ingest.write, **k: wrote.append(1) or real(*a, **k))
    monkeypatch.setattr(
        pieces.Reader, "_piece", lambda self, b, real=pieces.Reader._piece: read.append(1) or real(self, b)
    )
    return read, wrote


async def stored_rows(table_id: int) -> tuple:
    """What a table stored: (total_number, area_level), its objects, items and observations."""
    async with UnitOfWork(Scope.system("test")) as uow:
        table = await uow.fetchrow("SELECT total_number, area_level FROM stat_table WHERE id = $1", table_id)
        return (
            tuple(table),
            [tuple(r) for r in await uow.fetch(OBJS, table_id)],
            [tuple(r) for r in await uow.fetch(ITEMS, table_id)],
            [tuple(r) for r in await uow.fetch(OBSERVATIONS + " ORDER BY seq", table_id)],
        )
