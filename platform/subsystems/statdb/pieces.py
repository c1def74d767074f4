"""A clean CSV data file read and checked a piece (a block of rows) at a time (issue 14 §5).

`columnar.convert` reads the whole file before anything is written; for a large upload the write
(`streamed.py`) instead copies each piece to PostgreSQL while Arrow parses the next one, so that
the ingestion takes about as long as the COPY rather than the parse plus the COPY. Every piece is
checked as `columnar.py` checks the whole file (codes present and known, values numbers or declared
special characters), the codes first seen are gathered in file order with their lines, and the
check for two cells with the same codes runs at the end over the whole file (each dimension's codes
numbered across pieces). Anything not plainly right raises `columnar.Fallback` (the writer then
rolls the partial COPY back and the row-by-row path names each error's line and field).

Files in UTF-8, Shift_JIS, cp932 or EUC-JP (transcoded a chunk at a time, `transcode.py`), with one
value column (the common long format) or several (男/女 side by side; a value column may fix codes),
are read this way; `Reader.output`
gives the same rows, in the same order and with the same seq, as `columnar.convert`'s table."""

from __future__ import annotations

from typing import Any

from govstat.platform.subsystems.statdb.columnar import Trimmed, csv_options, first_seen
from govstat.platform.subsystems.statdb.convert import Converted, OutItem
from govstat.platform.subsystems.statdb.fallback import Fallback
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
        if not self.lay.values or any(vc.column > width for vc in self.lay.values):
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
        self.count = 0  # observations so far: rows times value columns
        self.seen: dict[str, dict[str, tuple[str, int]]] = {d.obj_id: {} for d in self.dims if d.source != "items"}
        self._numbers: list[dict[str | None, int]] = [{} for _ in self.dims]  # code -> its number across pieces
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

        lay, n = self.lay, len(self.lay.values)
        raw_cols = list(batch.columns)
        nonempty = pc.not_equal(raw_cols[0], "")
        for col in raw_cols[1:]:
            nonempty = pc.or_(nonempty, pc.not_equal(col, ""))
        if not pc.all(nonempty).as_py():
            raw_cols = [pc.filter(c, nonempty) for c in raw_cols]
        rows = len(raw_cols[0])
        cells = Trimmed(raw_cols)
        by_row: list[tuple[Any, Any] | None] = []  # per dimension: its code column and code numbers
        for k, d in enumerate(self.dims):
            col = lay.code_columns.get(d.obj_id, 0) - 1
            if col < 0:  # fixed, or filled by the value columns
                by_row.append(None)
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
            index = np.array([self._number(k, c) for c in known], dtype=np.int64)
            by_row.append((code, index[enc.indices.to_numpy(zero_copy_only=False)] if rows else index[:0]))
        # several value columns: row by row, the value columns in order (as columnar.py and the
        # row-by-row path number them); a value column may fix some codes
        order = pa.array(np.arange(rows * n, dtype=np.int64).reshape(n, rows).T.reshape(-1)) if n > 1 else None

        def weave(parts: list[Any]) -> Any:
            return parts[0] if order is None else pa.concat_arrays(parts).take(order)

        codes: list[Any] = []
        for k, d in enumerate(self.dims):
            per_code, per_ids = [], []
            for vc in lay.values:
                given = by_row[k]
                if given is not None and d.obj_id not in vc.codes:
                    per_code.append(given[0])
                    per_ids.append(given[1])
                    continue
                fill = vc.codes.get(d.obj_id, d.fixed)
                per_code.append(pa.repeat(pa.scalar(fill, pa.string()), rows))
                per_ids.append(np.full(rows, self._number(k, fill), dtype=np.int64))
            codes.append(weave(per_code))
            self._ids[k].append(per_ids[0] if n == 1 else np.stack(per_ids, axis=1).reshape(-1))
        special = pa.array(list(self.params.special), pa.string())
        values, raws = [], []
        for vc in lay.values:
            cell = cells[vc.column - 1]
            is_special = pc.is_in(cell, value_set=special)
            number = pc.replace_substring(cell, lay.thousands, "") if lay.thousands else cell
            if not pc.all(pc.or_(is_special, pc.match_substring_regex(number, NUMBER.pattern))).as_py():
                raise Fallback
            values.append(pc.if_else(is_special, None, number))
            raws.append(pc.if_else(is_special, cell, None))
        total = rows * n
        unit = pa.nulls(total, pa.string())
        for k, o in reversed(list(enumerate(self.obj_ids))):  # the first dimension with a unit wins
            if self._units[o]:
                found = pa.array(list(self._units[o].values()), pa.string()).take(
                    pc.index_in(codes[k], value_set=pa.array(list(self._units[o]), pa.string()))
                )
                unit = pc.coalesce(found, unit)
        unit_col, note_col = (lay.unit_column or 0) - 1, (lay.annotation_column or 0) - 1
        if 0 <= unit_col < self.width:
            given_unit = weave([cells[unit_col]] * n)
            unit = pc.if_else(pc.equal(given_unit, ""), unit, given_unit)
        notes = pa.nulls(total, pa.string())
        if 0 <= note_col < self.width:
            given_note = weave([cells[note_col]] * n)
            notes = pc.if_else(pc.equal(given_note, ""), None, given_note)
        seq = pa.array(np.arange(self.count + 1, self.count + total + 1, dtype=np.int64))
        self.rows += rows
        self.count += total
        names = ["seq", *self.obj_ids, "unit", "value", "raw", "annotation"]
        return pa.table([seq, *codes, unit, weave(values), weave(raws), notes], names=names)

    def _number(self, k: int, code: str | None) -> int:
        """Dimension k's number for `code`, the same in every piece (for the duplicate check)."""
        numbers = self._numbers[k]
        return numbers.setdefault(code, len(numbers))

    def finish(self) -> Converted:
        """The whole file's items and first-seen codes (no columns: they went piece by piece);
        Fallback if the file had no rows or two cells share their codes."""
        import numpy as np

        if self.count == 0:
            raise Fallback
        key = np.zeros(self.count, dtype=np.int64)
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
        out = Converted(dims=self.obj_ids, seen=self.seen, count=self.count)
        for d in self.dims:
            if d.source == "items":
                out.items[d.obj_id] = [OutItem(i.code, i.name, i.level, i.unit, i.parent) for i in d.items]
            elif d.source == "data":
                out.items[d.obj_id] = [OutItem(code, name) for code, (name, _) in self.seen[d.obj_id].items()]
        return out
