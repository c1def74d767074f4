"""The report to MIC as sheets of tables."""

from __future__ import annotations

from typing import Any

from govstat.ops.reports import labels
from govstat.ops.reports.annual.layouts import NAME, about
from govstat.ops.reports.files.sheets import Chart, Col, Sheet, Table
from govstat.ops.reports.models import MicReport, TargetFigures

ITEM, COUNT = Col("項目 / Item", width=40), Col("件数 / Count", "int")


def _tenants(r: MicReport) -> list[Table]:
    by_kind = Table(
        "利用機関（種別・状態別、作成時点） / Tenants by kind and status, at generation",
        [Col("種別 / Kind", width=14), Col("状態 / Status", width=14), Col("機関数 / Tenants", "int")],
        [
            [labels.TENANT_KINDS.get(t.kind, t.kind), labels.TENANT_STATUS.get(t.status, t.status), t.tenants]
            for t in r.tenants
        ],
    )
    activated = Table(
        "年度内に利用を開始した機関 / Activated during the year",
        [Col("種別 / Kind", width=14), Col("機関数 / Tenants", "int")],
        [[labels.TENANT_KINDS.get(k, k), n] for k, n in r.tenants_activated.items()],
    )
    c = r.contracts
    contracts = Table(
        "契約 / Contracts",
        [ITEM, COUNT],
        [
            ["一括契約の対象構成府省（利用中） / Constituents under the bulk contract", c.constituents_covered],
            ["承認機関の契約（年度内に有効） / Approved bodies' contracts in force", c.approved_in_force],
            ["承認機関の契約（年度内に締結） / signed in the year", c.approved_signed],
            ["承認機関の契約（年度内に終了） / ended in the year", c.approved_ended],
        ],
    )
    bulk = Table(
        "一括契約（総務省） / MIC's bulk contracts",
        [Col("契約番号 / Reference", width=40)],
        [[ref] for ref in c.bulk_references],
    )
    return [by_kind, activated, contracts, bulk]


def _usage(r: MicReport) -> Table:
    cols = [
        NAME,
        Col("呼出し数 / Calls", "int"),
        Col("単位数 / Units", "int"),
        Col("エラー(5xx) / Errors", "int"),
        Col("4xx", "int"),
    ]
    rows = [[s.name_ja, s.total.calls, s.total.units, s.total.errors, s.total.client_errors] for s in r.usage]
    rows.append(
        ["合計 / Total", r.usage_total.calls, r.usage_total.units, r.usage_total.errors, r.usage_total.client_errors]
    )
    return Table(
        "サブシステム別の利用実績 / Usage per subsystem",
        cols,
        rows,
        Chart("呼出し数 / Calls", column=2, y_title="呼出し数 / calls", rows=len(r.usage)),
    )


def _incidents(r: MicReport) -> list[Table]:
    i = r.incidents
    rows = [
        ["障害件数 / Incidents", i.total],
        *([f"うち{labels.severity(k)} / {k}", n] for k, n in sorted(i.by_severity.items())),
        ["うちシステム全体 / platform-wide", i.platform_wide],
        ["復旧済み / Recovered", i.recovered],
        ["事後検証済み / Reviewed", i.reviewed],
    ]
    table = Table("障害 / Incidents", [ITEM, COUNT], rows)
    outage = Table(
        "停止時間 / Outage",
        [ITEM, Col("分 / Minutes", "min")],
        [["検知から復旧までの合計 / Detection to recovery, summed", i.outage_minutes]],
    )
    return [table, outage]


def _target_row(name: str, t: TargetFigures) -> list[Any]:
    return [name, t.met, t.missed, t.pending, t.met_rate]


def _helpdesk(r: MicReport) -> list[Table]:
    h = r.helpdesk
    counts = Table(
        "問合せ受付件数 / Tickets received",
        [ITEM, COUNT],
        [
            ["合計 / Total", h.tickets],
            *([f"{labels.CHANNELS.get(k, k)} / {k}", n] for k, n in sorted(h.by_channel.items())),
            *([f"{labels.REQUESTERS.get(k, k)} / {k}", n] for k, n in sorted(h.by_requester.items())),
            ["時間外対応（費用負担） / Out-of-hours help charged", h.out_of_hours_charged],
        ],
    )
    targets = Table(
        "目標の達成状況 / Service targets",
        [
            Col("目標 / Target", width=40),
            Col("達成 / Met", "int"),
            Col("未達 / Missed", "int"),
            Col("対応中 / Pending", "int"),
            Col("達成率(%) / Met rate", "min"),
        ],
        [_target_row("一次回答 / First response", h.first_response), _target_row("解決 / Resolution", h.resolution)],
    )
    b, q = r.briefings, r.requests
    briefings = Table(
        "説明会・要望 / Briefings and requests",
        [ITEM, COUNT],
        [
            ["開催した説明会（回） / Briefing sessions held", b.sessions_held],
            *([f"うち{labels.BRIEFING_KINDS.get(k, k)} / {k}", n] for k, n in sorted(b.by_kind.items())),
            ["参加登録 / Registrations", b.registrations],
            ["出席 / Attended", b.attended],
            ["開催要請 / Briefing requests", b.requests],
            ["改善要望の受付 / Improvement requests", q.improvement_submitted],
            ["個別改修等の受付 / Change requests", q.change_submitted],
            ["完了した要望 / Requests completed", q.completed],
        ],
    )
    return [counts, targets, briefings]


def mic(r: MicReport) -> list[Sheet]:
    security = Table("セキュリティ監査 / Security audit", [Col("内容 / Summary", width=90)], [[r.security_audit]])
    return [
        Sheet("概要", [about(r, "mic"), *_tenants(r)]),
        Sheet("利用状況", [_usage(r)]),
        Sheet("障害", _incidents(r)),
        Sheet("ヘルプデスク・説明会", [*_helpdesk(r), security]),
    ]
