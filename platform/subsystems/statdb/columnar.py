"""The fast path of conversion: a CSV data file read and checked column by column with pyarrow.

`convert.convert` reads a file row by row in Python and names each error's line and column; most
files have no error, and for them this path does the same work on whole columns (Arrow's CSV reader
and compute kernels, in C++): the codes are present and known, each value is a number or a declared
special character, no two values share their codes. It answers None as soon as anything is not
plainly right (another format, an undecodable byte or a 外字, ragged rows, an empty code, an unknown
item, a bad value,
a duplicate, a dimension whose errors need lines: `area_codes`), and the row-by-row path then runs
and reports every error with its line and field, exactly as before. On success it returns the same
`Converted` as that path (the same records in the same order, the same items and first-seen codes),
its observations kept as Arrow columns (`Converted.columns`): the write copies them to PostgreSQL
as CSV (`copy_columns.py`) without making a Python object per cell.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from govstat.platform.subsystems.statdb.convert import Converted, OutItem
from govstat.platform.subsystems.statdb.fallback import Fallback
from govstat.platform.subsystems.statdb.params_model import NUMBER, Params
from govstat.platform.subsystems.statdb.reader import data_format
from govstat.platform.subsystems.statdb.transcode import Utf8Reader

BOM = b"\xef\xbb\xbf"
UTF8 = ("utf-8", "utf-8-sig")
ENCODINGS = (*UTF8, "cp932", "shift_jis", "euc-jp")  # those read here (the others transcoded first)
# 外字 in a UTF-8 file: U+E000-U+EFFF (lead byte EE), U+F000-U+F8FF (EF 80-A3), and U+F0000-U+F00FF
# (decode.py's markers); the row-by-row path reports each by line and column (decode.check)
_PRIVATE_F = re.compile(rb"\xef[\x80-\xa3]")
_MARKER = re.compile(rb"\xf3\xb0[\x80-\x83]")
MIN_BYTES = 64 * 1024  # below this the row-by-row path is as fast: not worth the set-up


def convert(params: Params, filename: str, content: bytes) -> Converted | None:
    """The converted file, or None: let the row-by-row path read it (and name its errors)."""
    found = eligible(params, filename, content)
    if found is None:
        return None
    try:
        body, width = found
        if params.layout.encoding not in UTF8:  # Shift_JIS and the like: Arrow reads UTF-8 only
            body = Utf8Reader(body, params.layout.encoding).read()
        return _convert(params, body, width)
    except Fallback:
        return None


def eligible(params: Params, filename: str, content: bytes) -> tuple[bytes, int] | None:
    """(the CSV body without its BOM, its number of columns) when this path may read the file (a
    Shift_JIS, cp932 or EUC-JP body is given as it is: the caller transcodes it, transcode.py)."""
    lay, dims = params.layout, list(params.dimensions.values())
    if (
        len(content) < MIN_BYTES
        or data_format(lay, filename, content) != "csv"
        or lay.encoding not in ENCODINGS
        or any(d.source == "area_codes" for d in dims)
        or (lay.options is not None and lay.options.active)  # options for real files: transform.rows applies them
    ):
        return None
    body = content[len(BOM) :] if content.startswith(BOM) and lay.encoding in UTF8 else content
    if lay.encoding in UTF8 and private_use(body):
        return None
    width = _width(body, lay.skip_rows, "utf-8" if lay.encoding in UTF8 else lay.encoding)
    return None if width is None else (body, width)


def private_use(body: bytes) -> bool:
    """Whether a UTF-8 file may hold a 外字 (one pass of `find` and a regex: ~0.1 s per 50 MB)."""
    return body.find(b"\xee") >= 0 or _PRIVATE_F.search(body) is not None or _MARKER.search(body) is not None


def csv_options(skip: int, names: list[str], **read: Any) -> dict[str, Any]:
    """Arrow's CSV options: every cell a string, never null (an empty cell is "")."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return {
        "read_options": pacsv.ReadOptions(skip_rows=skip, column_names=names, **read),
        "parse_options": pacsv.ParseOptions(newlines_in_values=True),
        "convert_options": pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names}, strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    }


def _width(body: bytes, skip: int, encoding: str) -> int | None:
    """The number of columns of the first data row; None when the rows skipped might span lines.
    (In Shift_JIS and EUC-JP no byte of a two-byte character is a newline or a quote.)"""
    head = body[: 64 * 1024]
    lines = head.split(b"\n", skip + 1)
    if len(lines) <= skip or any(b'"' in line for line in lines[:skip]):
        return None
    try:
        first = next(csv.reader(io.StringIO(lines[skip].decode(encoding))))
    except (StopIteration, UnicodeDecodeError, csv.Error):
        return None
    return len(first)


def _convert(params: Params, body: bytes, width: int) -> Converted:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    lay, dims = params.layout, list(params.dimensions.values())
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(pa.py_buffer(body), **csv_options(lay.skip_rows, names))
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:  # ragged rows, bad UTF-8, ...
        raise Fallback from exc
    raw_cols = [table.column(n).combine_chunks() for n in names]
    nonempty = pc.not_equal(raw_cols[0], "")
    for col in raw_cols[1:]:
        nonempty = pc.or_(nonempty, pc.not_equal(col, ""))
    if not pc.all(nonempty).as_py():  # wholly empty rows are left out, as the row-by-row path does
        raw_cols = [pc.filter(c, nonempty) for c in raw_cols]
    rows = len(raw_cols[0])
    if rows == 0:
        raise Fallback
    cells = Trimmed(raw_cols)

    obj_ids = [d.obj_id for d in dims]
    codes: list[Any] = []
    encoded: list[Any] = []  # each code column dictionary-encoded (None: one constant code)
    seen: dict[str, dict[str, tuple[str, int]]] = {}
    for d in dims:
        col = lay.code_columns.get(d.obj_id, 0) - 1
        if col < 0:  # fixed, or filled by the value columns (else NULL, as the row-by-row path stores it)
            codes.append(pa.repeat(pa.scalar(d.fixed, pa.string()), rows))
            encoded.append(None)
            continue
        code, enc = cells.codes(col)
        known = enc.dictionary.to_pylist()  # the distinct codes: a few, checked in Python
        if "" in known:
            raise Fallback
        if d.source == "items" and not set(known) <= {i.code for i in d.items}:
            raise Fallback
        if d.source != "items":
            seen[d.obj_id] = first_seen(enc, known, cells, lay.name_columns.get(d.obj_id, 0) - 1, lay.skip_rows)
        codes.append(code)
        encoded.append(enc)

    unit_col, note_col = (lay.unit_column or 0) - 1, (lay.annotation_column or 0) - 1
    unit_cell = cells[unit_col] if 0 <= unit_col < width else None
    note = cells[note_col] if 0 <= note_col < width else None
    special = pa.array(list(params.special), pa.string())
    parts = []
    for k, vc in enumerate(lay.values):
        if vc.column - 1 >= width:
            raise Fallback
        cell = cells[vc.column - 1]
        is_special = pc.is_in(cell, value_set=special)
        number = pc.replace_substring(cell, lay.thousands, "") if lay.thousands else cell
        if not pc.all(pc.or_(is_special, pc.match_substring_regex(number, NUMBER.pattern))).as_py():
            raise Fallback
        these = list(codes)
        for obj_id, code in vc.codes.items():
            these[obj_ids.index(obj_id)] = pa.repeat(pa.scalar(code, pa.string()), rows)
        parts.append((k, these, pc.if_else(is_special, None, number), pc.if_else(is_special, cell, None)))
    return _records(params, obj_ids, parts, rows, unit_cell, note, seen, encoded)


class Trimmed:
    """The columns' cells without surrounding blanks, trimmed when first used (most files have
    columns govstat never reads: names beside codes, totals)."""

    def __init__(self, raw: list[Any]) -> None:
        self.raw: list[Any] = raw
        self.done: list[Any] = [None] * len(raw)

    def __len__(self) -> int:
        return len(self.raw)

    def __getitem__(self, k: int) -> Any:
        import pyarrow.compute as pc

        if self.done[k] is None:
            self.done[k] = pc.utf8_trim_whitespace(self.raw[k])
        return self.done[k]

    def codes(self, k: int) -> tuple[Any, Any]:
        """Column k trimmed and dictionary-encoded (the codes numbered in the order they first
        appear). A code column holds a few distinct codes: they are trimmed in the dictionary, and
        the whole column only when one of them had blanks around it (rare)."""
        import pyarrow.compute as pc

        if self.done[k] is None:
            enc = pc.dictionary_encode(self.raw[k])
            if pc.all(pc.equal(pc.utf8_trim_whitespace(enc.dictionary), enc.dictionary)).as_py() is not False:
                self.done[k] = self.raw[k]
                return self.raw[k], enc
        return self[k], pc.dictionary_encode(self[k])

    def taken(self, k: int, rows: Any) -> Any:
        """Only these rows of column k, trimmed."""
        import pyarrow.compute as pc

        done = self.done[k]
        return done.take(rows) if done is not None else pc.utf8_trim_whitespace(self.raw[k].take(rows))


def _has_duplicates(code_cols: list[Any], encoded: list[Any] | None = None) -> bool:
    """Whether two cells share all their codes: each column's codes as small integers (dictionary
    encoding, reused when the caller has it), combined into one int64 key per cell (mixed radix);
    a key met twice is a duplicate (counted in an array of the keys' range when it is small, else
    by sorting). Hashing a million joined strings took most of the conversion's time."""
    import numpy as np
    import pyarrow.compute as pc

    rows = len(code_cols[0])
    key = np.zeros(rows, dtype=np.int64)
    stride = 1
    for k, col in enumerate(code_cols):
        enc = encoded[k] if encoded is not None else pc.dictionary_encode(col, null_encoding="encode")
        if enc is None:  # one constant code
            continue
        n = len(enc.dictionary) + enc.null_count  # a null is its own code
        if n > 1:
            if stride * n >= 2**62:  # too many combinations for one integer: the joined codes
                keys = pc.binary_join_element_wise(*code_cols, "\x1f", null_handling="replace", null_replacement="\x00")
                return bool(pc.count_distinct(keys).as_py() != len(keys))
            ids = enc.indices.fill_null(n - 1) if enc.null_count else enc.indices
            key += ids.to_numpy(zero_copy_only=False).astype(np.int64) * stride
            stride *= n
    if stride <= max(4 * rows, 1 << 20):
        return bool(np.bincount(key, minlength=1).max(initial=0) > 1)
    key.sort()
    return bool((key[1:] == key[:-1]).any())


def first_seen(enc: Any, known: list[str], cells: Any, name_col: int, skip: int) -> dict[str, tuple[str, int]]:
    """code -> (name or code, line) in the order codes first appear (the line assumes one line a row).
    Arrow's dictionary encoding numbers the codes in that order, so a code's first row is where its
    number exceeds every number before it (a running maximum, one pass in numpy)."""
    import numpy as np

    ids = enc.indices.to_numpy(zero_copy_only=False)
    new = np.empty(len(ids), dtype=bool)
    if len(ids):
        new[0] = True
        new[1:] = ids[1:] > np.maximum.accumulate(ids)[:-1]
    first = np.flatnonzero(new)
    rows = first.tolist()
    names = cells.taken(name_col, first).to_pylist() if 0 <= name_col < len(cells) else [""] * len(rows)
    return {c: (name or c, skip + row + 1) for c, row, name in zip(known, rows, names, strict=True)}


def _records(
    params: Params,
    obj_ids: list[str],
    parts: list[tuple[int, list[Any], Any, Any]],
    rows: int,
    unit_cell: Any,
    note: Any,
    seen: dict[str, dict[str, tuple[str, int]]],
    encoded: list[Any],
) -> Converted:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    dims = list(params.dimensions.values())
    n_values = len(parts)
    total = rows * n_values
    # every value cell, in the row-by-row order: row by row, the value columns in order
    order = pa.array(np.arange(total, dtype=np.int64).reshape(n_values, rows).T.reshape(total))

    def column(get: Any) -> Any:
        return get(parts[0]) if n_values == 1 else pa.concat_arrays([get(p) for p in parts]).take(order)

    code_cols = [column(lambda p, k=k: p[1][k]) for k in range(len(obj_ids))]
    if _has_duplicates(code_cols, encoded if n_values == 1 else None):
        raise Fallback
    value, raw = column(lambda p: p[2]), column(lambda p: p[3])
    unit = pa.nulls(total, pa.string())
    units = {d.obj_id: {i.code: i.unit for i in d.items if i.unit} for d in dims}
    for k, o in reversed(list(enumerate(obj_ids))):  # the first dimension with a unit wins
        if units[o]:
            found = pa.array(list(units[o].values()), pa.string()).take(
                pc.index_in(code_cols[k], value_set=pa.array(list(units[o]), pa.string()))
            )
            unit = pc.coalesce(found, unit)
    if unit_cell is not None:
        given = column(lambda _p: unit_cell)
        unit = pc.if_else(pc.equal(given, ""), unit, given)
    notes = pa.nulls(total, pa.string())
    if note is not None:
        given = column(lambda _p: note)
        notes = pc.if_else(pc.equal(given, ""), None, given)
    seq = pa.array(np.arange(1, total + 1, dtype=np.int64))
    names = ["seq", *obj_ids, "unit", "value", "raw", "annotation"]
    table = pa.table([seq, *code_cols, unit, value, raw, notes], names=names)
    out = Converted(dims=obj_ids, seen=seen, columns=table)
    for d in dims:
        if d.source == "items":
            out.items[d.obj_id] = [OutItem(i.code, i.name, i.level, i.unit, i.parent) for i in d.items]
        elif d.source == "data":
            out.items[d.obj_id] = [OutItem(code, name) for code, (name, _) in seen[d.obj_id].items()]
    return out
