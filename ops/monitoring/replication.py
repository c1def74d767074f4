"""The replication check (issue 15 §5, docs/reliability.md): every minute the worker reads the
primary's replication slots and standbys (the platform's interface, platform/db/replication_health.py,
under its own statement timeout) and holds them against the thresholds of the settings:

- a slot whose xmin (hot_standby_feedback) is older than `replication_max_xmin_age` transactions:
  vacuum is held back in every database of the cluster;
- a slot keeping more WAL than `replication_max_retained_bytes`, or, inactive (its replica died or
  stopped), more than `replication_inactive_max_retained_bytes`: the disk fills;
- a standby replaying more than `replication_max_replay_lag_ms` behind.

Any of them starts one alert (an incident of module "database", source "check", through the same
alert path as the SLA's: planned maintenance of the whole platform suppresses it, and a second
finding while it is open joins it); a check that finds none clears it (the incident moves to
monitoring, the operator closes it). A read that failed changes nothing. Alert and incident are
written in the check's one transaction, under an advisory lock, so two workers never raise two.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from govstat.ops.incidents.alerts import receive_alert
from govstat.platform.catalog import Catalog
from govstat.platform.db.replication_health import ReplicationHealth, replication_health
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.envelope import IncidentPayload
from govstat.platform.settings import Settings, get_settings

LOCK = "SELECT pg_advisory_xact_lock(hashtext('govstat.ops.replication_check'))"
MODULE_KEY = "database"  # not a subsystem: no agency subscribes to it, so none is notified
CHECK = "replication"
REF_PREFIX = "replication:"
TITLE = "レプリケーション：スロットまたはスタンバイに異常があります / replication: a slot or standby needs attention"


class Thresholds(msgspec.Struct, kw_only=True, frozen=True):
    max_xmin_age: int
    max_retained_bytes: int
    inactive_max_retained_bytes: int
    max_replay_lag_ms: int
    timeout_ms: int

    @classmethod
    def of(cls, s: Settings) -> Thresholds:
        return cls(
            max_xmin_age=s.replication_max_xmin_age,
            max_retained_bytes=s.replication_max_retained_bytes,
            inactive_max_retained_bytes=s.replication_inactive_max_retained_bytes,
            max_replay_lag_ms=s.replication_max_replay_lag_ms,
            timeout_ms=s.replication_check_timeout_ms,
        )


class Finding(msgspec.Struct, kw_only=True):
    subject: str  # slot:<name> | standby:<application_name>@<addr>
    measure: str  # xmin_age | retained_bytes | replay_lag_ms
    value: float
    limit: int
    text: str  # for the operator: Japanese with the technical terms


class Outcome(msgspec.Struct, kw_only=True):
    health: ReplicationHealth
    thresholds: Thresholds
    findings: list[Finding]
    action: str  # none | started | active | resolved | unknown (the read failed: nothing changed)
    alert: str | None = None  # the active alert's reference after the check


def findings(health: ReplicationHealth, t: Thresholds) -> list[Finding]:
    out: list[Finding] = []
    for slot in health.slots:
        subject, state = f"slot:{slot.slot_name}", "アクティブ" if slot.active else "非アクティブ"
        if slot.xmin_age > t.max_xmin_age:
            out.append(
                Finding(
                    subject=subject,
                    measure="xmin_age",
                    value=slot.xmin_age,
                    limit=t.max_xmin_age,
                    text=f"スロット {slot.slot_name}（{state}）の xmin が {slot.xmin_age:,} トランザクション前のまま"
                    f"（上限 {t.max_xmin_age:,}）：全データベースの VACUUM を妨げています",
                )
            )
        limit = t.max_retained_bytes if slot.active else t.inactive_max_retained_bytes
        if slot.retained_bytes > limit:
            out.append(
                Finding(
                    subject=subject,
                    measure="retained_bytes",
                    value=slot.retained_bytes,
                    limit=limit,
                    text=f"スロット {slot.slot_name}（{state}）が WAL を {slot.retained_bytes:,} バイト保持"
                    f"（restart_lsn から。上限 {limit:,}）",
                )
            )
    for sb in health.standbys:
        if sb.replay_lag_ms is not None and sb.replay_lag_ms > t.max_replay_lag_ms:
            out.append(
                Finding(
                    subject=f"standby:{sb.application_name}@{sb.client_addr}",
                    measure="replay_lag_ms",
                    value=sb.replay_lag_ms,
                    limit=t.max_replay_lag_ms,
                    text=f"スタンバイ {sb.application_name}（{sb.client_addr}）の replay_lag が"
                    f" {sb.replay_lag_ms:,.0f} ms（上限 {t.max_replay_lag_ms:,} ms）",
                )
            )
    return out


async def observe(uow: UnitOfWork, thresholds: Thresholds | None = None) -> Outcome:
    """The figures, what exceeds the thresholds and the active alert, changing nothing (/ops)."""
    t = thresholds or Thresholds.of(get_settings())
    health = await replication_health(uow, t.timeout_ms)
    active: str | None = await uow.fetchval(
        "SELECT external_ref FROM incident_alert WHERE module_key = $1 AND starts_with(external_ref, $2)"
        " AND cleared_at IS NULL ORDER BY detected_at LIMIT 1",
        MODULE_KEY,
        REF_PREFIX,
    )
    if health.error:
        return Outcome(health=health, thresholds=t, findings=[], action="unknown", alert=active)
    return Outcome(health=health, thresholds=t, findings=findings(health, t), action="none", alert=active)


async def check(
    uow: UnitOfWork, catalog: Catalog, *, thresholds: Thresholds | None = None, at: dt.datetime | None = None
) -> Outcome:
    """One round of the check in the caller's (system-scope) unit of work: raises or clears the alert."""
    at = at or dt.datetime.now(dt.UTC)
    await uow.execute(LOCK)
    seen = await observe(uow, thresholds)
    found, active = seen.findings, seen.alert
    if seen.action == "unknown":
        return seen
    if found and active is None:
        ref = f"{REF_PREFIX}{uuid.uuid4()}"
        detail = {"check": CHECK, "findings": msgspec.to_builtins(found), "started_at": at.isoformat()}
        await receive_alert(uow, catalog, _payload(ref, "detected", "\n".join(f.text for f in found), detail), at)
        return msgspec.structs.replace(seen, action="started", alert=ref)
    if found:
        return msgspec.structs.replace(seen, action="active")
    if active is not None:
        title = "レプリケーション：回復しました（監視継続）/ replication: recovered, monitoring"
        await receive_alert(uow, catalog, _payload(active, "monitoring", title, {"check": CHECK}), at)
        return msgspec.structs.replace(seen, action="resolved", alert=None)
    return seen


def _payload(ref: str, state: str, body: str, detail: dict[str, object]) -> IncidentPayload:
    title = TITLE if state == "detected" else body
    return IncidentPayload(
        incident_id=ref,
        module=MODULE_KEY,
        state=state,
        severity="major",
        title=title,
        detail={**detail, "summary": body} if state == "detected" else detail,
    )
