"""Validated upload of a dataset's file (CSV or Parquet) against its declared variables: every error
names its line (or row) and field. What passes becomes one Arrow table, stored as Parquet."""

from __future__ import annotations

import csv
import io
import math

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from govstat.platform.errors import FieldError, InvalidInput
from govstat.platform.subsystems.onsite.schemas import Variable

MAX_ERRORS = 50


def parse(filename: str, content: bytes, variables: list[Variable]) -> pa.Table:
    if not content:
        raise InvalidInput.field("file", "ファイルが空です / the file is empty")
    if content[:4] == b"PAR1" or filename.lower().endswith(".parquet"):
        table, errors = _parquet(content, variables)
    else:
        table, errors = _csv(content, variables)
    if errors:
        raise InvalidInput(
            f"{len(errors)} 件の誤りがあります / {len(errors)} errors (first {MAX_ERRORS} shown)", errors=errors
        )
    assert table is not None
    return table


def to_parquet(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pq.write_table(table, out, compression="zstd")
    return out.getvalue()


def from_parquet(content: bytes) -> pa.Table:
    return pq.read_table(io.BytesIO(content))


def _csv(content: bytes, variables: list[Variable]) -> tuple[pa.Table | None, list[FieldError]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [FieldError("file", f"UTF-8 ではありません / not UTF-8 (byte {exc.start})")]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    names = [v.name for v in variables]
    if [h.strip() for h in header] != names:
        return None, [FieldError("line 1", f"見出しは {','.join(names)} です / the header must be: {','.join(names)}")]
    columns: list[list[str | float]] = [[] for _ in variables]
    errors: list[FieldError] = []
    codes = [set(v.codes) for v in variables]
    for record in reader:
        line = reader.line_num
        if len(record) != len(variables):
            errors.append(
                FieldError(
                    f"line {line}",
                    f"{len(record)} 列（{len(variables)} 列のはず）/ {len(record)} fields, expected {len(variables)}",
                )
            )
        else:
            for j, (v, raw) in enumerate(zip(variables, record, strict=True)):
                value, problem = _value(v, raw.strip(), codes[j])
                if problem:
                    errors.append(FieldError(f"line {line}, {v.name}", problem))
                columns[j].append(value)
        if len(errors) >= MAX_ERRORS:
            break
    if not errors and not columns[0]:
        errors.append(FieldError("file", "データ行がありません / no data rows"))
    if errors:
        return None, errors[:MAX_ERRORS]
    return pa.table(
        {
            v.name: pa.array(col, pa.float64() if v.kind == "number" else pa.string())
            for v, col in zip(variables, columns, strict=True)
        }
    ), []


def _value(v: Variable, raw: str, codes: set[str]) -> tuple[str | float, str]:
    if raw == "":
        return raw, "値がありません / empty"
    if v.kind == "category":
        if len(raw) > 64:
            return raw, "64 文字までです / at most 64 characters"
        if codes and raw not in codes:
            return raw, f"{raw!r} は定義された符号ではありません / not a declared code"
        return raw, ""
    try:
        number = float(raw)
    except ValueError:
        return 0.0, f"{raw[:40]!r} は数値ではありません / not a number"
    if not math.isfinite(number):
        return 0.0, "有限の数値ではありません / not a finite number"
    return number, ""


def _parquet(content: bytes, variables: list[Variable]) -> tuple[pa.Table | None, list[FieldError]]:
    try:
        table = pq.read_table(io.BytesIO(content))
    except (pa.ArrowException, OSError) as exc:
        return None, [FieldError("file", f"Parquet として読めません / not readable as Parquet: {str(exc)[:200]}")]
    names = [v.name for v in variables]
    if table.column_names != names:
        return None, [FieldError("columns", f"列は {','.join(names)} です / the columns must be: {','.join(names)}")]
    errors: list[FieldError] = []
    out = {}
    for v in variables:
        col = table.column(v.name)
        if v.kind == "number":
            if not (pa.types.is_integer(col.type) or pa.types.is_floating(col.type)):
                errors.append(FieldError(v.name, f"数値の列ではありません / not numeric ({col.type})"))
                continue
            col = col.cast(pa.float64())
            bad = pc.invert(pc.fill_null(pc.is_finite(col), False))
        else:
            col = col.cast(pa.string())
            bad = pc.is_null(col)
            if v.codes:
                bad = pc.or_(bad, pc.invert(pc.fill_null(pc.is_in(col, value_set=pa.array(v.codes)), False)))
        for row in pc.indices_nonzero(bad).to_pylist()[:MAX_ERRORS]:
            errors.append(FieldError(f"row {row + 1}, {v.name}", f"値が不正です / invalid value {col[row].as_py()!r}"))
        out[v.name] = col
    if not errors and table.num_rows == 0:
        errors.append(FieldError("file", "データ行がありません / no data rows"))
    return (None, errors[:MAX_ERRORS]) if errors else (pa.table(out), [])
