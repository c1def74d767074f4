"""What the report pages chart (Chart.js reads this JSON from the page; ops/static/reports/charts.js)."""

from __future__ import annotations

import msgspec

from govstat.ops.reports import labels
from govstat.ops.reports.models import AnnualReport, MicReport, Plan, Report


class Dataset(msgspec.Struct, kw_only=True):
    label: str
    data: list[int]


class Chart(msgspec.Struct, kw_only=True):
    """One bar chart: the canvas it is drawn on, the categories and a series per dataset."""

    canvas: str
    labels: list[str]
    datasets: list[Dataset]
    stacked: bool = False
    y: str = ""  # the y axis title


def annual(r: AnnualReport) -> list[Chart]:
    months = [labels.month_header(m) for m in r.months]
    return [
        Chart(
            canvas="chart-calls",
            labels=months,
            datasets=[Dataset(label=s.name_ja, data=[c.calls for c in s.monthly]) for s in r.subsystems],
            stacked=True,
            y="呼出し数 / calls",
        ),
        Chart(
            canvas="chart-incidents",
            labels=months,
            datasets=[Dataset(label="障害件数 / incidents", data=r.incidents_per_month)],
            y="件 / incidents",
        ),
    ]


def mic(r: MicReport) -> list[Chart]:
    return [
        Chart(
            canvas="chart-usage",
            labels=[s.name_ja for s in r.usage],
            datasets=[Dataset(label="呼出し数 / calls", data=[s.total.calls for s in r.usage])],
            y="呼出し数 / calls",
        )
    ]


def plan(p: Plan) -> list[Chart]:
    months = [labels.month_header(m) for m in p.months]
    return [
        Chart(
            canvas="chart-load",
            labels=months,
            datasets=[Dataset(label=x.name_ja, data=x.monthly_calls) for x in p.loads],
            stacked=True,
            y="呼出し数（見込み） / expected calls",
        ),
        Chart(
            canvas="chart-briefings",
            labels=months,
            datasets=[Dataset(label="開催希望 / wishes", data=p.briefing_requests_per_month)],
            y="件 / wishes",
        ),
    ]


def of(report: Report) -> list[Chart]:
    if isinstance(report, AnnualReport):
        return annual(report)
    if isinstance(report, MicReport):
        return mic(report)
    return plan(report)
