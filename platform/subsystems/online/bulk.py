"""Bulk submission (ONLINE-1): an enterprise answering for many establishments sends one CSV or XLSX
laid out by the questionnaire (a column per item id, a row per unit), validated row by row with line
and item errors; nothing is stored unless every row is valid, then each row is a submission
(channel `bulk`) on its unit's latest version."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import FieldError, InvalidInput
from govstat.platform.subsystems.items.definition import Definition, questions
from govstat.platform.subsystems.items.validation import clean
from govstat.platform.subsystems.online import answering, forms, roster, submissions
from govstat.platform.subsystems.online.rows import SubmissionRow, UnitRow
from govstat.platform.web import xlsx_bounds
from govstat.platform.web.spreadsheet import SafeWriter

KEY = "unit_id"
MAX_ROWS = 10_000
MAX_INFLATED = 128 * 1024 * 1024  # an XLSX's parts inflated: far above 10,000 rows of any questionnaire
# its shared strings, all read at open (the rows stream): ~600,000 distinct texts, some seconds to read
MAX_SHARED_STRINGS = 16 * 1024 * 1024
BOUNDS = xlsx_bounds.Bounds(shared_strings=MAX_SHARED_STRINGS, other_xml=MAX_SHARED_STRINGS, inflated=MAX_INFLATED)


def template(d: Definition, units: list[UnitRow]) -> bytes:
    """The CSV to fill in: a column per item (the first header row, item ids), labels in the second
    (a line that starts with '#', skipped on upload), a row per unit with its pre-printed values."""
    qs = questions(d)
    out = io.StringIO()
    w = SafeWriter(out, lineterminator="\r\n")
    w.writerow([KEY, "unit_name", *(q.item_id for q in qs)])
    w.writerow(["#調査単位ID", "調査単位名", *(q.label_ja + (f"（{q.unit}）" if q.unit else "") for q in qs)])
    for u in units:
        w.writerow([u.unit_code, u.unit_name, *(str(u.preprint.get(q.item_id, "")) for q in qs)])
    return ("\ufeff" + out.getvalue()).encode()


def _rows(data: bytes, filename: str) -> Iterator[list[str]]:
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        # openpyxl reads every shared string when the workbook opens (read-only mode too): a small
        # upload that inflates to hundreds of MiB would hold the process's memory and CPU (review h20)
        xlsx_bounds.check(data, BOUNDS, name=filename)
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception:
            raise InvalidInput.field("file", "XLSXとして読めません / not a readable XLSX file") from None
        for row in sheet.iter_rows(values_only=True):
            yield ["" if v is None else str(v) for v in row]
    else:
        yield from csv.reader(io.StringIO(roster.decode(data)))


async def submit_file(uow: UnitOfWork, data: bytes, filename: str) -> list[SubmissionRow]:
    survey, units = await answering.my_units(uow)
    d = await forms.definition(uow, survey)
    by_code = {u.unit_code: u for u in units}
    rows = _rows(data, filename)
    header = [roster.norm(h) for h in next(rows, [])]
    if KEY not in header:
        raise InvalidInput.field("line 1.unit_id", "unit_id の列が必要です / the unit_id column is required")
    items = {q.item_id for q in questions(d)}
    unknown = [h for h in header if h and h not in items and h not in (KEY, "unit_name")]
    errors = [FieldError(f"line 1.{h}", "調査票にない項目です / not an item of the questionnaire") for h in unknown]
    todo: list[tuple[UnitRow, dict[str, str]]] = []
    for n, raw in enumerate(rows, start=2):
        if n > MAX_ROWS + 1:
            raise InvalidInput.field("file", f"{MAX_ROWS}行までにしてください / at most {MAX_ROWS} rows")
        cells = dict(zip(header, raw, strict=False))
        code = roster.norm(cells.get(KEY, ""))
        if not any(v.strip() for v in raw) or code.startswith("#"):
            continue
        u = by_code.get(code)
        if u is None:
            errors.append(
                FieldError(f"line {n}.unit_id", f"あなたの調査単位ではありません: {code} / not one of your units")
            )
            continue
        answers = {k: v for k, v in cells.items() if k in items}
        result = clean(d, answers, forms.preprinted(d, u))
        errors += [FieldError(f"line {n}.{e.item_id}", f"{e.message_ja} / {e.message_en}") for e in result.errors]
        todo.append((u, answers))
    if errors:
        raise InvalidInput(f"{len(errors)} 件の誤りがあります / the file has errors", errors=errors[:500])
    if not todo:
        raise InvalidInput.field("file", "回答の行がありません / no rows to submit")
    return [
        await submissions.submit(uow, u.id, answers, base_version=u.last_version or 0, channel="bulk")
        for u, answers in todo
    ]
