"""A clean CSV data file read and checked a piece (a block of rows) at a time (issue 14 §5).

`columnar.convert` reads the whole file before anything is written; for a large upload the write
(`streamed.py`) instead copies each piece to PostgreSQL while Arrow parses the next one, so that
the ingestion takes about as long as the COPY rather than the parse plus the COPY. Every piece is
checked as `columnar.py` checks the whole file (codes present and known, values numbers or declared
special characters), the codes first seen are gathered in file order with their lines, and the
check for two cells with the same codes runs at the end over the whole file (each dimension's codes
numbered across pieces). Anything not plainly right raises `columnar.Fallback` (the writer then
rolls the partial COPY back and the row-by-row path names each error's line and field).

Files in UTF-8, Shift_JIS, cp932 or EUC-JP (transcoded a chunk at a time, `transcode.py`) with one
value column (the common long format) are read this way; `Reader.output`
gives the same rows, in the same order and with the same seq, as `columnar.convert`'s table."""

from __future__ import annotations

from typing import Any

from govstat.platform.subsystems.statdb.columnar import Fallback, Trimmed, csv_options, first_seen
from govstat.platform.subsystems.statdb.convert import Converted, OutItem
from govstat.platform.subsystems.statdb.params_model import NUMBER, Params
from govstat.platform.subsystems.statdb.transcode import UTF8, Utf8Reader

BLOCK = 4 << 20  # bytes of CSV per piece: about 100,000 observations of a long-format file


class Reader:
    """The pieces of one file, in order (`next_piece`), then `finish` for the whole-file checks."""

    def __init__(self, params: Params, body: bytes, width: int, block: int | None = None) -> None:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        self.params, self.width = params, width
        self.lay, self.dims = params.layout, list(params.dimensions.values())
        if len(self.lay.values) != 1 or self.lay.values[0].column > width:
            raise Fallback
        self.obj_ids = [d.obj_id for d in self.dims]
        names = [f"c{i}" for i in range(width)]
        # a Shift_JIS, cp932 or EUC-JP file is turned into UTF-8 as Arrow reads it (transcode.py)
        source = pa.py_buffer(body) if self.lay.encoding in UTF8 else Utf8Reader(body, self.lay.encoding)
        try:
            self._batches = pacsv.open_csv(source, **csv_options(self.lay.skip_rows, names, block_size=block or BLOCK))
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise Fallback from exc
        self.rows = 0  # data rows so far (wholly empty rows left out, as the row-by-row path does)
        self.seen: dict[str, dict[str, tuple[str, int]]] = {d.obj_id: {} for d in self.dims if d.source != "items"}
        self._numbers: list[dict[str, int]] = [{} for _ in self.dims]  # code -> its number across pieces
        self._ids: list[list[Any]] = [[] for _ in self.dims]  # per dimension, each piece's code numbers
        self._allowed = [{i.code for i in d.items} if d.source == "items" else None for d in self.dims]
        self._units = {d.obj_id: {i.code: i.unit for i in d.items if i.unit} for d in self.dims}

    def next_piece(self) -> Any:
        """The next piece's observations as a pyarrow Table (the columns of `Converted.columns`),
        or None at the end of the file."""
        import pyarrow as pa

        try:
            batch = self._batches.read_next_batch()
        except StopIteration:
            return None
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:  # ragged rows, bad UTF-8, ...
            raise Fallback from exc
        return self._piece(batch)

    def _piece(self, batch: Any) -> Any:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        lay = self.lay
        raw_cols = list(batch.columns)
        nonempty = pc.not_equal(raw_cols[0], "")
        for col in raw_cols[1:]:
            nonempty = pc.or_(nonempty, pc.not_equal(col, ""))
        if not pc.all(nonempty).as_py():
            raw_cols = [pc.filter(c, nonempty) for c in raw_cols]
        rows = len(raw_cols[0])
        cells = Trimmed(raw_cols)
        codes: list[Any] = []
        for k, d in enumerate(self.dims):
            col = lay.code_columns.get(d.obj_id, 0) - 1
            if col < 0:  # fixed, or filled by the value column
                fill = lay.values[0].codes.get(d.obj_id, d.fixed)
                codes.append(pa.repeat(pa.scalar(fill, pa.string()), rows))
                continue
            code, enc = cells.codes(col)
            known = enc.dictionary.to_pylist()
            allowed = self._allowed[k]
            if "" in known or (allowed is not None and not set(known) <= allowed):
                raise Fallback
            if d.obj_id in self.seen:
                here = first_seen(enc, known, cells, lay.name_columns.get(d.obj_id, 0) - 1, lay.skip_rows + self.rows)
                seen = self.seen[d.obj_id]
                for c, got in here.items():
                    seen.setdefault(c, got)
            numbers = self._numbers[k]
            index = np.array([numbers.setdefault(c, len(numbers)) for c in known], dtype=np.int64)
            self._ids[k].append(index[enc.indices.to_numpy(zero_copy_only=False)] if rows else index[:0])
            codes.append(code)
        for obj_id, code in lay.values[0].codes.items():  # a value column may fix some codes
            codes[self.obj_ids.index(obj_id)] = pa.repeat(pa.scalar(code, pa.string()), rows)
        cell = cells[lay.values[0].column - 1]
        is_special = pc.is_in(cell, value_set=pa.array(list(self.params.special), pa.string()))
        number = pc.replace_substring(cell, lay.thousands, "") if lay.thousands else cell
        if not pc.all(pc.or_(is_special, pc.match_substring_regex(number, NUMBER.pattern))).as_py():
            raise Fallback
        unit = pa.nulls(rows, pa.string())
        for k, o in reversed(list(enumerate(self.obj_ids))):  # the first dimension with a unit wins
            if self._units[o]:
                found = pa.array(list(self._units[o].values()), pa.string()).take(
                    pc.index_in(codes[k], value_set=pa.array(list(self._units[o]), pa.string()))
                )
                unit = pc.coalesce(found, unit)
        unit_col, note_col = (lay.unit_column or 0) - 1, (lay.annotation_column or 0) - 1
        if 0 <= unit_col < self.width:
            given = cells[unit_col]
            unit = pc.if_else(pc.equal(given, ""), unit, given)
        notes = pa.nulls(rows, pa.string())
        if 0 <= note_col < self.width:
            given = cells[note_col]
            notes = pc.if_else(pc.equal(given, ""), None, given)
        seq = pa.array(np.arange(self.rows + 1, self.rows + rows + 1, dtype=np.int64))
        self.rows += rows
        value, raw = pc.if_else(is_special, None, number), pc.if_else(is_special, cell, None)
        names = ["seq", *self.obj_ids, "unit", "value", "raw", "annotation"]
        return pa.table([seq, *codes, unit, value, raw, notes], names=names)

    def finish(self) -> Converted:
        """The whole file's items and first-seen codes (no columns: they went piece by piece);
        Fallback if the file had no rows or two cells share their codes."""
        import numpy as np

        if self.rows == 0:
            raise Fallback
        key = np.zeros(self.rows, dtype=np.int64)
        stride = 1
        for numbers, ids in zip(self._numbers, self._ids, strict=True):
            if len(numbers) > 1:
                if stride * len(numbers) >= 2**62:
                    raise Fallback  # too many combinations for one integer: columnar.convert decides
                key += np.concatenate(ids) * stride
                stride *= len(numbers)
        if stride <= max(4 * self.rows, 1 << 20):
            if np.bincount(key, minlength=1).max(initial=0) > 1:
                raise Fallback
        else:
            key.sort()
            if (key[1:] == key[:-1]).any():
                raise Fallback
        out = Converted(dims=self.obj_ids, seen=self.seen, count=self.rows)
        for d in self.dims:
            if d.source == "items":
                out.items[d.obj_id] = [OutItem(i.code, i.name, i.level, i.unit, i.parent) for i in d.items]
            elif d.source == "data":
                out.items[d.obj_id] = [OutItem(code, name) for code, (name, _) in self.seen[d.obj_id].items()]
        return out
