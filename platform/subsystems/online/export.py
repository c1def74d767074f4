"""The agency's reads of the answers (ONLINE-3): reception status per unit, and the raw answers as a
streamed CSV, long (one line per unit, version and item) with each value's provenance. Every read of
answers is audited by its route (`audit=True`)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import AsyncIterator

import msgspec
from litestar.response import Stream

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.online import forms, keys
from govstat.platform.web.spreadsheet import csv_writer

PAGE = 2_000
JST = dt.timezone(dt.timedelta(hours=9))


class UnitStatus(msgspec.Struct, kw_only=True):
    unit_id: uuid.UUID
    unit_code: str
    unit_name: str
    area_code: str
    respondent_code: str
    version_no: int | None = None
    receipt_no: str | None = None
    channel: str | None = None
    submitted_at: dt.datetime | None = None


STATUS = (
    "SELECT u.id AS unit_id, u.unit_code, u.unit_name, u.area_code, r.respondent_code, b.version_no, b.receipt_no,"
    " b.channel, b.submitted_at FROM online_unit u JOIN online_respondent r ON r.id = u.respondent_id"
    " LEFT JOIN LATERAL (SELECT version_no, receipt_no, channel, submitted_at FROM online_submission s"
    " WHERE s.unit_id = u.id ORDER BY version_no DESC LIMIT 1) b ON true WHERE u.survey_id = $1"
)


async def status(
    uow: UnitOfWork, survey_id: uuid.UUID, *, submitted: bool | None, limit: int, offset: int, extra: str = ""
) -> tuple[int, list[UnitStatus]]:
    cond = {None: "", True: " AND b.version_no IS NOT NULL", False: " AND b.version_no IS NULL"}[submitted] + extra
    total = await uow.fetchval(f"SELECT count(*) FROM ({STATUS}{cond}) x", survey_id)
    rows = await uow.rows(
        UnitStatus,
        f"{STATUS}{cond} ORDER BY u.area_code, u.unit_code LIMIT {int(limit)} OFFSET {int(offset)}",
        survey_id,
    )
    return total, rows


def answers_csv(scope: Scope, survey_id: uuid.UUID, code: str) -> Stream:
    return Stream(
        _answers(scope, survey_id),
        status_code=200,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="answers-{code}.csv"', "cache-control": "no-store"},
    )


ANSWERS = (
    "SELECT s.id, u.unit_code, u.area_code, s.version_no, s.receipt_no, s.channel, s.submitted_at, a.item_id, a.value,"
    " a.provenance FROM online_submission s JOIN online_unit u ON u.id = s.unit_id"
    " JOIN online_answer a ON a.submission_id = s.id WHERE s.survey_id = $1 AND (s.id, a.item_id) > ($2, $3)"
    " ORDER BY s.id, a.item_id LIMIT $4"
)


async def _answers(scope: Scope, survey_id: uuid.UUID) -> AsyncIterator[bytes]:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(
        ["unit_code", "area_code", "version", "receipt_no", "channel", "submitted_at", "item_id", "value", "provenance"]
    )
    yield ("\ufeff" + out.getvalue()).encode()
    after: tuple[uuid.UUID, str] = (uuid.UUID(int=0), "")
    while True:
        async with UnitOfWork.for_stream(scope) as uow:
            aes = await keys.data_key(uow, survey_id)
            rows = await uow.fetch(ANSWERS, survey_id, *after, PAGE)
        if not rows:
            return
        out.seek(0)
        out.truncate()
        for r in rows:
            value = keys.unseal(aes, bytes(r["value"]), forms.aad(r["id"], r["item_id"])).decode()
            when = r["submitted_at"].astimezone(JST).isoformat(timespec="seconds")
            writer.writerow(
                [
                    r["unit_code"],
                    r["area_code"],
                    r["version_no"],
                    r["receipt_no"],
                    r["channel"],
                    when,
                    r["item_id"],
                    value,
                    r["provenance"],
                ]
            )
        yield out.getvalue().encode()
        after = (rows[-1]["id"], rows[-1]["item_id"])
