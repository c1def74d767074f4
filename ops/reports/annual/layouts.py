"""The yearly reports as sheets of tables (files/sheets.py): what the CSV and the XLSX files contain."""

from __future__ import annotations

import datetime as dt

from govstat.ops.reports import labels, periods
from govstat.ops.reports.files.sheets import Chart, Col, Format, Sheet, Table, jst
from govstat.ops.reports.models import AnnualReport, Counts, Report, SubsystemUsage

NAME = Col("サブシステム / Subsystem", width=30)
INT: Format = "int"


def about(report: Report, kind: str) -> Table:
    start, end = periods.bounds(report.fiscal_year)
    last_day = (end - dt.timedelta(days=1)).date()
    rows = [
        ["年度 / Fiscal year", f"{periods.era(report.fiscal_year)} (FY{report.fiscal_year})"],
        ["対象期間 / Period (JST)", f"{start.date().isoformat()} – {last_day.isoformat()}"],
        ["作成日時 / Generated (JST)", jst(report.generated_at)],
        ["報告 / Report", labels.title(kind, report.fiscal_year)],
    ]
    return Table("報告の概要 / About this report", [Col("項目 / Item", width=26), Col("内容 / Value", width=60)], rows)


def _subsystem_summary(subs: list[SubsystemUsage], total: Counts) -> Table:
    cols = [
        NAME,
        Col("呼出し数 / Calls", INT),
        Col("単位数 / Units", INT),
        Col("エラー(5xx) / Errors", INT),
        Col("4xx", INT),
        Col("可用性 / Availability", "pct"),
        Col("目標 / Target", "pct"),
        Col("障害件数 / Incidents", INT),
        Col("停止時間(分) / Outage (min)", "min"),
    ]
    rows = [
        [
            s.name_ja,
            s.total.calls,
            s.total.units,
            s.total.errors,
            s.total.client_errors,
            s.availability.availability if s.availability else None,
            s.availability.target if s.availability else None,
            s.incidents,
            s.outage_minutes,
        ]
        for s in subs
    ]
    rows.append(
        [
            "合計 / Total",
            total.calls,
            total.units,
            total.errors,
            total.client_errors,
            None,
            None,
            sum(s.incidents for s in subs),
            round(sum(s.outage_minutes for s in subs), 1),
        ]
    )
    return Table("サブシステム別の概要 / Per subsystem", cols, rows)


def _monthly(report: AnnualReport, field: str, title: str) -> Table:
    months = report.months
    cols = [NAME, *(Col(labels.month_header(m), INT, 11) for m in months), Col("合計 / Total", INT)]
    rows = [[s.name_ja, *(getattr(c, field) for c in s.monthly), getattr(s.total, field)] for s in report.subsystems]
    rows.append(["合計 / Total", *(getattr(c, field) for c in report.monthly_total), getattr(report.total, field)])
    chart = (
        Chart(
            "月別呼出し数 / Calls per month",
            2,
            len(months) + 1,
            y_title="呼出し数 / calls",
            rows=len(report.subsystems),
        )
        if field == "calls"
        else None
    )
    return Table(title, cols, rows, chart)


def _by_tenant(report: AnnualReport) -> Table:
    cols = [
        NAME,
        Col("機関コード / Code"),
        Col("利用機関 / Tenant", width=30),
        Col("呼出し数 / Calls", INT),
        Col("単位数 / Units", INT),
        Col("エラー(5xx) / Errors", INT),
        Col("4xx", INT),
    ]
    rows = [
        [s.name_ja, t.code, t.name, t.calls, t.units, t.errors, t.client_errors]
        for s in report.subsystems
        for t in s.tenants
    ]
    return Table("利用機関別の利用状況 / Usage by tenant", cols, rows)


def _incident_list(report: AnnualReport) -> Table:
    cols = [
        Col("番号 / Ref", width=12),
        Col("サブシステム / Subsystem", width=26),
        Col("件名 / Title", width=36),
        Col("重要度 / Severity", width=8),
        Col("状態 / State", width=8),
        Col("検知方法 / Detected by", width=18),
        Col("検知 / Detected", "dt", 17),
        Col("障害停止 / Mitigated", "dt", 17),
        Col("復旧 / Recovered", "dt", 17),
        Col("継続時間(分) / Duration (min)", "min"),
        Col("影響機関数 / Agencies", INT),
        Col("発生時連絡 / Told on detection", INT),
        Col("復旧後連絡 / Told on recovery", INT),
        Col("原因 / Cause", width=40),
        Col("再発防止策 / Prevention", width=40),
        Col("担当 / Owner"),
        Col("期限 / Due", "date", 12),
        Col("公表した経過 / Public updates", width=60),
    ]
    rows = [
        [
            i.ref,
            i.module_name,
            i.title,
            labels.severity(i.severity),
            labels.state(i.state),
            labels.SOURCES.get(i.source, i.source),
            i.detected_at,
            i.mitigated_at,
            i.recovered_at,
            i.duration_minutes,
            i.affected_tenants,
            i.notified_detected,
            i.notified_recovered,
            i.cause,
            i.prevention,
            i.review_owner,
            i.review_due_on,
            "\n".join(f"{jst(u.at)} [{labels.state(u.state)}] {u.body}" for u in i.updates),
        ]
        for i in report.incidents
    ]
    return Table("障害の発生・対応状況 / Incidents and their handling", cols, rows)


def annual(report: AnnualReport) -> list[Sheet]:
    months = report.months
    per_month = Table(
        "月別障害件数 / Incidents per month",
        [
            Col("区分 / Item", width=16),
            *(Col(labels.month_header(m), INT, 11) for m in months),
            Col("合計 / Total", INT),
        ],
        [["障害件数 / Incidents", *report.incidents_per_month, sum(report.incidents_per_month)]],
        Chart("月別障害件数 / Incidents per month", 2, len(months) + 1, y_title="件 / incidents"),
    )
    availability = [t for t in [_availability(report)] if t is not None]
    return [
        Sheet("概要", [about(report, "annual"), _subsystem_summary(report.subsystems, report.total)]),
        Sheet(
            "利用状況",
            [
                _monthly(report, "calls", "月別呼出し数 / Calls per month"),
                _monthly(report, "units", "月別単位数 / Units per month"),
                _monthly(report, "errors", "月別エラー数(5xx) / Server errors per month"),
                *availability,
                _by_tenant(report),
            ],
        ),
        Sheet("障害", [per_month, _incident_list(report)]),
    ]


def _availability(report: AnnualReport) -> Table | None:
    if not report.sla_available:
        return None
    cols = [
        NAME,
        *(Col(labels.month_header(m), "pct", 11) for m in report.months),
        Col("年間 / Year", "pct"),
        Col("目標 / Target", "pct"),
    ]
    rows = [
        [s.name_ja, *s.availability.monthly, s.availability.availability, s.availability.target]
        for s in report.subsystems
        if s.availability
    ]
    return Table("月別可用性(SLA計測) / Availability per month (SLA)", cols, rows)
