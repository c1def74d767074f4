"""Burn-rate evaluation: start, keep, escalate and resolve alerts; raise incidents (GOV-12).

One alert per module at a time (the SRE workbook's page is one alert: "1h/5m OR
6h/30m"); it records the most severe rule that fired. The alert row and its
incident event are written in one transaction, so an incident is raised exactly
when an alert starts, and a re-run while it is active raises nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import msgspec

from govstat.gateway.sla.burn import RULES, Rule, burn_rates, firing, rule_named
from govstat.gateway.sla.rows import AlertRow
from govstat.gateway.sla.slo import default_for, ensure_default_slos, load_slos
from govstat.gateway.sla.windows import utcnow, window_counts
from govstat.platform.catalog import Catalog
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import IncidentPayload, new_event
from govstat.platform.security import Scope

LOCK = "SELECT pg_advisory_xact_lock(hashtext('govstat.gateway.sla.burn_rate'))"


class Evaluation(msgspec.Struct, kw_only=True):
    module: str
    burn: dict[str, float]
    rule: str | None = None  # the rule firing now
    action: str = "none"  # none | started | active | escalated | resolved
    alert_id: uuid.UUID | None = None


async def evaluate(
    catalog: Catalog, at: dt.datetime | None = None, *, actor: str = "sla-burn-rate"
) -> list[Evaluation]:
    """Evaluate every module as of `at` (now by default) in one transaction."""
    async with UnitOfWork(Scope.system(actor)) as uow:
        await uow.execute(LOCK)  # the cron job and `govstat sla evaluate` never interleave
        await ensure_default_slos(uow, catalog.subsystem_keys)
        return await evaluate_in(uow, catalog, at or utcnow())


async def evaluate_in(uow: UnitOfWork, catalog: Catalog, at: dt.datetime) -> list[Evaluation]:
    slos = await load_slos(uow)
    counts = await window_counts(uow, at)
    active = {
        r.module_key: r
        for r in await uow.rows(AlertRow, "SELECT * FROM sla_alert WHERE resolved_at IS NULL FOR UPDATE")
    }
    results = []
    for key in sorted(set(slos) | set(active)):
        slo = slos.get(key) or default_for(key)
        rates = burn_rates(counts.get(key, {}), slo.availability_target)
        rule = firing(rates)
        alert = active.get(key)
        names = catalog.names(key)
        result = Evaluation(module=key, burn=rates, rule=rule.name if rule else None)
        if rule and alert is None:
            started = await _start(uow, names, key, rule, rates, at, slo.availability_target)
            result.alert_id, result.action = started, "started"
        elif rule and alert is not None:
            result.alert_id = alert.id
            result.action = await _keep(uow, names, alert, rule, rates, at)
        elif alert is not None:
            result.alert_id, result.action = alert.id, "resolved"
            await _resolve(uow, names, alert, rates, at)
        results.append(result)
    return results


def _title(names: tuple[str, str], rule: Rule) -> str:
    ja, en = names
    if rule.severity == "critical":
        return f"{ja}：エラー予算を急速に消費中（{rule.name}）/ {en}: error budget burning fast ({rule.name})"
    return f"{ja}：エラー予算を消費中（{rule.name}）/ {en}: error budget burning ({rule.name})"


async def _incident(
    uow: UnitOfWork, alert_id: uuid.UUID, key: str, state: str, severity: str, title: str, **detail
) -> None:
    await uow.record(
        new_event(
            IncidentPayload(
                incident_id=str(alert_id),
                module=key,
                state=state,
                severity=severity,
                title=title,
                detail=msgspec.to_builtins(detail),
            ),
            None,
        )
    )


async def _start(
    uow: UnitOfWork,
    names: tuple[str, str],
    key: str,
    rule: Rule,
    rates: dict[str, float],
    at: dt.datetime,
    target: float,
) -> uuid.UUID:
    alert_id = uuid.uuid4()
    await uow.execute(
        "INSERT INTO sla_alert (id, module_key, rule, severity, started_at, burn_5m, burn_30m, burn_1h, burn_6h,"
        " last_burn, evaluated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $5)",
        alert_id,
        key,
        rule.name,
        rule.severity,
        at,
        rates["5m"],
        rates["30m"],
        rates["1h"],
        rates["6h"],
        json.dumps(rates),
    )
    await _incident(
        uow,
        alert_id,
        key,
        "detected",
        rule.severity,
        _title(names, rule),
        rule=rule.name,
        factor=rule.factor,
        burn_rates=rates,
        availability_target=target,
        started_at=at,
    )
    return alert_id


async def _keep(
    uow: UnitOfWork, names: tuple[str, str], alert: AlertRow, rule: Rule, rates: dict[str, float], at: dt.datetime
) -> str:
    """Still firing: no new incident; escalate once if a more severe rule fires now."""
    current = rule_named(alert.rule)
    escalate = current is not None and RULES.index(rule) < RULES.index(current)
    await uow.execute(
        "UPDATE sla_alert SET last_burn = $2::jsonb, evaluated_at = $3, rule = $4, severity = $5 WHERE id = $1",
        alert.id,
        json.dumps(rates),
        at,
        rule.name if escalate else alert.rule,
        rule.severity if escalate else alert.severity,
    )
    if not escalate:
        return "active"
    await _incident(
        uow,
        alert.id,
        alert.module_key,
        "escalated",
        rule.severity,
        _title(names, rule),
        rule=rule.name,
        factor=rule.factor,
        burn_rates=rates,
    )
    return "escalated"


async def _resolve(
    uow: UnitOfWork, names: tuple[str, str], alert: AlertRow, rates: dict[str, float], at: dt.datetime
) -> None:
    resolved = max(at, alert.started_at)
    await uow.execute(
        "UPDATE sla_alert SET resolved_at = $2, last_burn = $3::jsonb, evaluated_at = $4 WHERE id = $1",
        alert.id,
        resolved,
        json.dumps(rates),
        at,
    )
    ja, en = names
    # GOV-12: agencies are told after recovery too; the operator closes the incident once the cause is known.
    await _incident(
        uow,
        alert.id,
        alert.module_key,
        "monitoring",
        alert.severity,
        f"{ja}：回復しました（監視継続）/ {en}: recovered, monitoring",
        rule=alert.rule,
        burn_rates=rates,
        started_at=alert.started_at,
        resolved_at=resolved,
    )
