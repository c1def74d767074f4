"""What the report pages chart (Chart.js reads this JSON from the page; ops/static/reports/charts.js)."""

from __future__ import annotations

from typing import Any

from govstat.ops.reports import labels
from govstat.ops.reports.models import AnnualReport, MicReport, Plan


def _chart(
    canvas: str, labels_: list[str], datasets: list[dict[str, Any]], *, stacked: bool = False, y: str = ""
) -> dict[str, Any]:
    return {"canvas": canvas, "labels": labels_, "datasets": datasets, "stacked": stacked, "y": y}


def annual(r: AnnualReport) -> list[dict[str, Any]]:
    months = [labels.month_header(m) for m in r.months]
    return [
        _chart(
            "chart-calls",
            months,
            [{"label": s.name_ja, "data": [c.calls for c in s.monthly]} for s in r.subsystems],
            stacked=True,
            y="呼出し数 / calls",
        ),
        _chart(
            "chart-incidents",
            months,
            [{"label": "障害件数 / incidents", "data": r.incidents_per_month}],
            y="件 / incidents",
        ),
    ]


def mic(r: MicReport) -> list[dict[str, Any]]:
    return [
        _chart(
            "chart-usage",
            [s.name_ja for s in r.usage],
            [{"label": "呼出し数 / calls", "data": [s.total.calls for s in r.usage]}],
            y="呼出し数 / calls",
        )
    ]


def plan(p: Plan) -> list[dict[str, Any]]:
    months = [labels.month_header(m) for m in p.months]
    return [
        _chart(
            "chart-load",
            months,
            [{"label": x.name_ja, "data": x.monthly_calls} for x in p.loads],
            stacked=True,
            y="呼出し数（見込み） / expected calls",
        ),
        _chart(
            "chart-briefings",
            months,
            [{"label": "開催希望 / wishes", "data": p.briefing_requests_per_month}],
            y="件 / wishes",
        ),
    ]


CHARTS = {"annual": annual, "mic": mic, "plan": plan}
