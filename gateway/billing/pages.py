"""Billing pages (Japanese first, English beside it): the invoice list with a chart of the last
twelve months, one invoice, and its CSV (UTF-8 with BOM, so spreadsheet software reads the kanji)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

from litestar import MediaType, Request, Response, Router, get

from govstat.gateway.billing import queries
from govstat.gateway.billing.periods import GRACE, JST, Period
from govstat.gateway.billing.routes import ADMIN, OP, access
from govstat.gateway.billing.schemas import InvoiceOut
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError, InvalidInput, NotFound
from govstat.platform.web.pages import page
from govstat.platform.web.spreadsheet import csv_writer

STATUS = {"draft": "下書き / Draft", "final": "確定 / Final"}
KINDS = {
    "annual_fee": "年額利用料 / Annual fee",
    "base_fee": "基本料金 / Base fee",
    "usage": "従量料金 / Metered",
    "extra": "個別費用 / Other charge",
}


def jst_time(moment: dt.datetime | None) -> str:
    """Times on pages are Japan time, whatever the database session's zone."""
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M") if moment else ""


def price(text: str) -> str:
    """A unit price for people: thousands separators, fractions of a yen kept ("50,000", "0.3333")."""
    whole, _, fraction = text.partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


HELPERS = {"jst_time": jst_time, "price": price}
CSV_HEADER = [
    "請求書番号",
    "機関コード",
    "機関名",
    "対象月",
    "状態",
    "行",
    "区分",
    "サブシステム",
    "操作",
    "内容",
    "数量",
    "単価（円）",
    "金額（円）",
]


@get("/billing", opt=access(OP, ADMIN, op="billing.pages"), include_in_schema=False, media_type=MediaType.HTML)
async def billing_page(request: Request, uow: UnitOfWork, period: str = "") -> Any:
    error = ""
    try:
        chosen = Period.parse(period) if period else None
    except InvalidInput as exc:
        chosen, error = None, exc.detail
    invoices = await queries.list_invoices(uow, period=chosen)
    last = await queries.latest_period(uow) or Period.containing(dt.datetime.now(JST)).previous()
    months = await queries.monthly_totals(uow, last)
    return page(
        request,
        "billing/list.html",
        invoices=invoices,
        months=months,
        period=period,
        error=error,
        status=STATUS,
        max_total=max([m.total for m in months] + [1]),
        grace_days=GRACE.days,
        **HELPERS,
    )


@get(
    "/billing/invoices/{ref:str}",
    opt=access(OP, ADMIN, op="billing.pages"),
    include_in_schema=False,
    media_type=MediaType.HTML,
)
async def invoice_page(request: Request, uow: UnitOfWork, ref: str) -> Any:
    """`/billing/invoices/<id>` is the page, `/billing/invoices/<id>.csv` the same invoice as CSV."""
    as_csv = ref.endswith(".csv")
    try:
        invoice = await queries.get_invoice(uow, _invoice_id(ref.removesuffix(".csv")))
    except GovstatError as exc:
        if as_csv:
            raise
        return page(request, "billing/not_found.html", status_code=exc.status, message=exc.detail)
    if as_csv:
        return invoice_csv(invoice)
    return page(
        request,
        "billing/invoice.html",
        inv=invoice,
        status=STATUS,
        kinds=KINDS,
        period=Period.parse(invoice.period),
        **HELPERS,
    )


def _invoice_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(f"請求書 {text} が見つかりません / invoice not found") from None


def invoice_csv(inv: InvoiceOut) -> Response:
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    head = [str(inv.id), inv.tenant_code, inv.tenant_name, inv.period, STATUS[inv.status]]
    for line in inv.lines or []:
        writer.writerow(
            [
                *head,
                line.position,
                KINDS[line.kind],
                line.module_key,
                line.operation,
                line.description,
                line.quantity,
                line.unit_price_yen,
                line.amount_yen,
            ]
        )
    writer.writerow([*head, "", "合計 / Total", "", "", "", "", "", inv.total_yen])
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv",
        headers={  # Litestar adds charset=utf-8
            "content-disposition": f'attachment; filename="invoice-{inv.tenant_code}-{inv.period}.csv"'
        },
    )


pages = Router(path="/", route_handlers=[billing_page, invoice_page])
