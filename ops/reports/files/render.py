"""A report (live or issued) as CSV or XLSX bytes, with its file name."""

from __future__ import annotations

from govstat.ops.reports import labels
from govstat.ops.reports.annual import layouts as annual_layout
from govstat.ops.reports.files import sheets
from govstat.ops.reports.files.sheets import Sheet
from govstat.ops.reports.mic import layouts as mic_layout
from govstat.ops.reports.models import AnnualReport, MicReport, Report
from govstat.ops.reports.plan import layouts as plan_layout

MEDIA = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def layout(report: Report) -> list[Sheet]:
    if isinstance(report, AnnualReport):
        return annual_layout.annual(report)
    if isinstance(report, MicReport):
        return mic_layout.mic(report)
    return plan_layout.plan(report)


def title(report: Report, version: int | None = None) -> str:
    text = labels.title(report.kind, report.fiscal_year)
    return f"{text}（第{version}版 / version {version}）" if version else f"{text}（速報・未発行 / live, not issued）"


def file_name(report: Report, fmt: str, version: int | None = None) -> str:
    suffix = f"-v{version}" if version else ""
    return f"govstat-{report.kind}-fy{report.fiscal_year}{suffix}.{fmt}"


def render(report: Report, fmt: str, version: int | None = None) -> bytes:
    tables = layout(report)
    if fmt == "csv":
        return sheets.to_csv(title(report, version), tables)
    # Imported on first use: a heavy library few requests need (issue 15, the app's base RSS)
    from govstat.ops.reports.files import xlsx

    return xlsx.to_xlsx(title(report, version), tables)
