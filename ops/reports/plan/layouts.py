"""The annual operation plan as sheets of tables."""

from __future__ import annotations

from govstat.ops.reports import labels
from govstat.ops.reports.annual.layouts import NAME, about
from govstat.ops.reports.files.sheets import Chart, Col, Sheet, Table, jst
from govstat.ops.reports.models import Plan


def _survey(p: Plan) -> Table:
    s = p.survey
    rows = (
        [["照会 / Survey", "未実施 / not opened"]]
        if s is None
        else [
            ["照会 / Survey", s.title],
            ["回答期限 / Deadline (JST)", jst(s.deadline)],
            ["照会先 / Agencies asked", str(s.asked)],
            ["回答 / Answered", str(s.answered)],
            ["未回答 / Not answered", "、".join(s.missing) or "なし / none"],
        ]
    )
    return Table(
        "利用機関への照会 / Survey of the agencies", [Col("項目 / Item", width=26), Col("内容 / Value", width=60)], rows
    )


def _loads(p: Plan) -> list[Table]:
    month_cols = [Col(labels.month_header(m), "int", 11) for m in p.months]
    calls = Table(
        "サブシステム別・月別の利用見込み（回答の合計、呼出し数） / Expected calls per month (sum of answers)",
        [NAME, *month_cols, Col("合計 / Total", "int"), Col("前年度実績 / Last year", "int")],
        [[x.name_ja, *x.monthly_calls, x.total_calls, x.previous_year_calls] for x in p.loads],
        Chart("月別の利用見込み / Expected calls per month", 2, len(p.months) + 1, y_title="呼出し数 / calls"),
    )
    heavy = Table(
        "繁忙月とした機関数 / Agencies naming the month heavy",
        [NAME, *month_cols],
        [[x.name_ja, *x.heavy_tenants] for x in p.loads],
    )
    levels = Table(
        "利用予定の程度 / Planned level of use",
        [
            NAME,
            *(Col(f"{ja} / {k}", "int", 10) for k, ja in labels.LEVELS.items()),
            Col("利用予定の機関 / Agencies planning use", "int"),
            Col("数値なし / Without figures", "int"),
        ],
        [
            [x.name_ja, *(x.levels.get(k, 0) for k in labels.LEVELS), x.tenants_planning, x.without_figures]
            for x in p.loads
        ],
    )
    return [calls, heavy, levels]


def _briefings(p: Plan) -> list[Table]:
    sessions = Table(
        f"説明会の開催案（1回の定員 {p.session_capacity} 人） / Proposed briefing sessions",
        [
            NAME,
            Col("開催月 / Month", width=14),
            Col("要望機関数 / Agencies asking", "int"),
            Col("参加予定者数 / Participants", "int"),
            Col("開催回数 / Sessions", "int"),
        ],
        [
            [
                b.name_ja,
                labels.month_header(b.month) if b.month else "未定（年次） / to be set",
                b.requests,
                b.participants,
                b.sessions,
            ]
            for b in p.briefings
        ],
    )
    per_month = Table(
        "月別の開催希望件数 / Briefing wishes per month",
        [Col("区分 / Item", width=16), *(Col(labels.month_header(m), "int", 11) for m in p.months)],
        [["開催希望 / Wishes", *p.briefing_requests_per_month]],
        Chart("月別の開催希望 / Briefing wishes per month", 2, len(p.months) + 1, y_title="件 / wishes"),
    )
    return [sessions, per_month]


def plan(p: Plan) -> list[Sheet]:
    comments = Table(
        "利用機関の意見 / Comments",
        [Col("利用機関 / Agency", width=30), Col("意見 / Comment", width=80)],
        [[c.tenant, c.text] for c in p.comments],
    )
    return [
        Sheet("概要", [about(p, "plan"), _survey(p)]),
        Sheet("利用見込み", _loads(p)),
        Sheet("説明会", _briefings(p)),
        Sheet("意見", [comments]),
    ]
