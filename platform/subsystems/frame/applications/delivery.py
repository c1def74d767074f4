"""The delivered files (提供): the population or the sample as CSV (UTF-8 with BOM, for Excel) and
XLSX, every cell through platform/web/spreadsheet.py, downloadable until they expire."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError
from govstat.platform.subsystems.frame import queries
from govstat.platform.subsystems.frame.rows import ApplicationRow, DeliveryRow, SurveyRow
from govstat.platform.subsystems.frame.schemas import Population
from govstat.platform.web.spreadsheet import csv_writer, xlsx_row

KEEP = dt.timedelta(days=14)  # a delivery can be downloaded for two weeks
HEADER = ("事業所番号", "法人番号", "事業所名", "地域コード", "郵便番号", "所在地", "産業分類（第14回改定）", "従業者数",
          "恒久乱数", "抽出確率", "抽出ウェイト")  # fmt: skip
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


class Expired(GovstatError):
    status, slug, title = 410, "expired", "提供期限が過ぎました / The download has expired"


async def table(uow: UnitOfWork, app: ApplicationRow, survey: SurveyRow) -> list[tuple[object, ...]]:
    units = await queries.units(uow, Population(**survey.population), app.reference_date)
    if app.draw_id is None:
        return [(u.id, u.corporate_number or "", u.name, u.area_code, u.postal_code, u.address, u.jsic14, u.employees,
                 round(u.prn, 8), 1.0, 1.0) for u in units]  # fmt: skip
    pis = {int(r[0]): float(r[1]) for r in await uow.fetch(
        "SELECT establishment_id, pi FROM frame_selection WHERE draw_id = $1 AND selected", app.draw_id)}  # fmt: skip
    return [(u.id, u.corporate_number or "", u.name, u.area_code, u.postal_code, u.address, u.jsic14, u.employees,
             round(u.prn, 8), round(pis[u.id], 8), round(1 / pis[u.id], 4)) for u in units if u.id in pis]  # fmt: skip


def as_csv(rows: list[tuple[object, ...]]) -> bytes:
    out = io.StringIO()
    w = csv_writer(out)
    w.writerow(HEADER)
    w.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def as_xlsx(rows: list[tuple[object, ...]], title: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title="母集団")
    sheet.append(xlsx_row(sheet, [title]))
    sheet.append(xlsx_row(sheet, HEADER))
    for r in rows:
        sheet.append(xlsx_row(sheet, r))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def build(uow: UnitOfWork, app: ApplicationRow, survey: SurveyRow) -> list[DeliveryRow]:
    rows = await table(uow, app, survey)
    stem = f"frame-{app.reference_date:%Y%m%d}-{str(app.id)[:8]}"
    out = []
    for fmt, content in (
        ("csv", as_csv(rows)),
        ("xlsx", as_xlsx(rows, f"{survey.name}（基準日 {app.reference_date}）")),
    ):
        row = await uow.row(DeliveryRow, "INSERT INTO frame_delivery (id, tenant_id, application_id, format, filename,"
                            " sha256, content, rows, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + $9)"
                            " RETURNING id, application_id, format, filename, sha256, rows, expires_at, downloads, created_at",
                            uuid.uuid4(), app.tenant_id, app.id, fmt, f"{stem}.{fmt}", hashlib.sha256(content).hexdigest(),
                            content, len(rows), KEEP)  # fmt: skip
        assert row is not None
        out.append(row)
    return out


async def deliveries(uow: UnitOfWork, app_id: uuid.UUID) -> list[DeliveryRow]:
    return await uow.rows(DeliveryRow, "SELECT id, application_id, format, filename, sha256, rows, expires_at, downloads,"
                          " created_at FROM frame_delivery WHERE application_id = $1 ORDER BY format", app_id)  # fmt: skip


async def download(uow: UnitOfWork, delivery_id: uuid.UUID) -> tuple[DeliveryRow, bytes]:
    """The file if the caller's tenant holds it (404 otherwise) and it has not expired (410)."""
    from govstat.platform.db.where import Where

    w = Where(args=[delivery_id]).scoped(uow)
    row = await uow.one(DeliveryRow, "SELECT id, application_id, format, filename, sha256, rows, expires_at, downloads,"
                        f" created_at FROM frame_delivery WHERE id = $1 AND {w}", *w.args, what="提供ファイル")  # fmt: skip
    if row.expires_at <= dt.datetime.now(dt.UTC):
        raise Expired(f"{row.filename}: {row.expires_at:%Y-%m-%d %H:%M} UTC に期限切れ / expired")
    await uow.execute("UPDATE frame_delivery SET downloads = downloads + 1 WHERE id = $1", delivery_id)
    return row, bytes(await uow.fetchval("SELECT content FROM frame_delivery WHERE id = $1", delivery_id))
