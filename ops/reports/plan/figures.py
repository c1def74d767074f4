"""The annual operation plan (運用管理計画, GOV-14), drawn from the agencies' answers to the survey.

Expected load of a subsystem in a month = the sum over the answers of the calls of an ordinary month,
or of a heavy month for the agencies that named it heavy (their peak figure when they gave one).
The briefing schedule proposes, per subsystem and month wished for, enough sessions for the
participants announced; a subsystem nobody asked about still gets its yearly briefing (GOV-10),
its month left to be set.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable

from govstat.ops.reports import periods, usage
from govstat.ops.reports.models import Comment, Plan, PlannedLoad, ProposedSession, SurveyStatus
from govstat.ops.reports.plan import survey
from govstat.ops.reports.plan.rows import CommentRow, TenantWish, UseRow
from govstat.platform.catalog import Catalog
from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork

DEFAULT_SESSION_CAPACITY = 50
STEPS = 2


async def build(
    uow: UnitOfWork,
    catalog: Catalog,
    fy: int,
    capacity: int = DEFAULT_SESSION_CAPACITY,
    step: Callable[[str], None] | None = None,
) -> Plan:
    tell = step or (lambda name: None)
    months = periods.months(fy)
    found = await survey.survey_for_year(uow, fy)
    status: SurveyStatus | None = None
    uses: list[UseRow] = []
    wishes: list[TenantWish] = []
    comments: list[Comment] = []
    if found is not None:
        s = await survey.status(uow, found.id)
        status = SurveyStatus(
            survey_id=str(s.id),
            title=s.title,
            deadline=s.deadline,
            asked=s.asked,
            answered=len(s.answered),
            missing=[a.name_ja for a in s.missing],
        )
        uses = await uow.rows(
            UseRow,
            f"SELECT {columns(UseRow, 'u.')} FROM plan_response_use u JOIN plan_response r ON r.id = u.response_id"
            " WHERE r.survey_id = $1",
            found.id,
        )
        wishes = await uow.rows(
            TenantWish,
            f"SELECT {columns(TenantWish, 'b.')} FROM plan_response_briefing b JOIN plan_response r"
            " ON r.id = b.response_id WHERE r.survey_id = $1",
            found.id,
        )
        comments = [
            Comment(tenant=r.name_ja, text=r.comments)
            for r in await uow.rows(
                CommentRow,
                "SELECT t.name_ja, r.comments FROM plan_response r JOIN directory_tenant t ON t.id = r.tenant_id"
                " WHERE r.survey_id = $1 AND btrim(r.comments) <> '' ORDER BY t.code",
                found.id,
            )
        ]
    tell("回答 / answers")
    names = usage.subsystem_names(catalog)
    previous = {s.key: s.total.calls for s in await usage.year_usage(uow, catalog, fy - 1, with_tenants=False)}
    tell("前年度実績 / last year's usage")
    keys = usage.listed_keys(catalog, {u.module_key for u in uses} | {w.module_key for w in wishes})
    return Plan(
        fiscal_year=fy,
        months=months,
        generated_at=periods.now(),
        survey=status,
        loads=[_load(k, names[k][0], [u for u in uses if u.module_key == k], previous.get(k, 0)) for k in keys],
        briefings=_sessions(keys, names, wishes, capacity, fy),
        briefing_requests_per_month=[sum(w.preferred_month == m for w in wishes) for m in periods.FY_MONTHS],
        session_capacity=capacity,
        comments=comments,
    )


def monthly_load(answer: UseRow, month: int) -> int:
    """What one answer expects in calendar month `month`."""
    if month in answer.heavy_months and answer.peak_calls_per_month is not None:
        return answer.peak_calls_per_month
    return answer.calls_per_month or 0


def _load(key: str, name: str, answers: list[UseRow], previous_calls: int) -> PlannedLoad:
    monthly = [sum(monthly_load(a, m) for a in answers) for m in periods.FY_MONTHS]
    return PlannedLoad(
        key=key,
        name_ja=name,
        monthly_calls=monthly,
        total_calls=sum(monthly),
        heavy_tenants=[sum(m in a.heavy_months for a in answers) for m in periods.FY_MONTHS],
        tenants_planning=sum(a.level != "none" for a in answers),
        levels=dict(Counter(a.level for a in answers)),
        without_figures=sum(
            a.level != "none" and a.calls_per_month is None and a.peak_calls_per_month is None for a in answers
        ),
        previous_year_calls=previous_calls,
    )


def _sessions(
    keys: list[str], names: dict[str, tuple[str, str]], wishes: list[TenantWish], capacity: int, fy: int
) -> list[ProposedSession]:
    grouped: dict[tuple[str, int], list[TenantWish]] = defaultdict(list)
    for w in wishes:
        grouped[(w.module_key, w.preferred_month)].append(w)
    order = {m: i for i, m in enumerate(periods.FY_MONTHS)}
    out = []
    for (key, month), ws in sorted(grouped.items(), key=lambda kv: (order[kv[0][1]], kv[0][0])):
        participants = sum(w.participants for w in ws)
        out.append(
            ProposedSession(
                key=key,
                name_ja=names.get(key, (key, key))[0],
                month=periods.month_label(fy, month),
                requests=len({w.tenant_id for w in ws}),
                participants=participants,
                sessions=math.ceil(participants / capacity),
            )
        )
    wished = {key for key, _ in grouped}
    out += [
        ProposedSession(key=k, name_ja=names[k][0], month=None, requests=0, participants=0, sessions=1)
        for k in keys
        if k not in wished
    ]
    return out
