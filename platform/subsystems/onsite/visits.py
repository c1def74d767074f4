"""On-site sessions: bound to a facility (the request's address within its ranges, and the device
credential its terminal holds), to a live grant, and ended by inactivity. Every request of a session
is admitted here again, so a grant that expires, a terminal that moves or a session left idle stops
the next query. Refusals are answered, audited and committed (not raised: the audit must stay)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.subsystems.onsite import facilities, grants, trail
from govstat.platform.subsystems.onsite.rows import GrantRow, VisitRow

MODULE = "onsite"
IDLE = dt.timedelta(minutes=15)
DEVICE_HEADER = "x-onsite-device"
COLUMNS = columns(VisitRow, "v.")


@dataclass(frozen=True)
class Refused:
    reason: str  # outside_facility | device | grant_not_live | idle_timeout | closed
    detail: str


MESSAGES = {
    "outside_facility": "施設のネットワークの外からは利用できません / not from inside the facility's network",
    "device": "施設の端末の認証がありません / this terminal's device credential is missing or wrong",
    "grant_not_live": "有効な利用承認がありません（期限切れ等）/ no live grant (expired, refused or not started)",
    "idle_timeout": "一定時間操作がなかったため終了しました / the session ended after inactivity",
    "closed": "このセッションは終了しています / this session has ended",
}


async def _refuse(uow: UnitOfWork, reason: str, *, owner: uuid.UUID, target: uuid.UUID, address: str) -> Refused:
    await trail.record(
        uow,
        "onsite.session.refused",
        owner=owner,
        target_type="onsite_visit",
        target_id=target,
        outcome="denied",
        reason=reason,
        address=address,
    )
    return Refused(reason, MESSAGES[reason])


async def _where_allowed(
    uow: UnitOfWork, grant: GrantRow, address: str, credential: str
) -> tuple[str, uuid.UUID, uuid.UUID]:
    """('', facility, device) when the terminal may be used for the grant, else (reason, ...)."""
    nil = uuid.UUID(int=0)
    device = await facilities.device_for(uow, credential)
    if device is None or str(device.facility_id) not in grant.facility_ids:
        return "device", nil, nil
    facility = await facilities.get(uow, device.facility_id)
    if not facilities.address_in(facility.ranges, address):
        return "outside_facility", facility.id, device.id
    return "", facility.id, device.id


async def open_visit(uow: UnitOfWork, grant_id: uuid.UUID, address: str, credential: str) -> VisitRow | Refused:
    grant = await grants.of_researcher(uow, grant_id)
    if not grants.is_live(grant):
        return await _refuse(uow, "grant_not_live", owner=grant.tenant_id, target=grant.id, address=address)
    reason, facility_id, device_id = await _where_allowed(uow, grant, address, credential)
    if reason:
        return await _refuse(uow, reason, owner=grant.tenant_id, target=grant.id, address=address)
    row = await uow.row(
        VisitRow,
        "INSERT INTO onsite_visit (id, tenant_id, grant_id, researcher_id, facility_id, device_id, client_ip)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
        uuid.uuid4(),
        grant.tenant_id,
        grant.id,
        grant.researcher_id,
        facility_id,
        device_id,
        address,
    )
    assert row is not None
    await trail.record(
        uow,
        "onsite.session.opened",
        owner=grant.tenant_id,
        target_type="onsite_visit",
        target_id=row.id,
        grant_id=grant.id,
        facility_id=facility_id,
        address=address,
    )
    return row


async def mine(uow: UnitOfWork, visit_id: uuid.UUID) -> VisitRow:
    row = await uow.row(
        VisitRow,
        f"SELECT {COLUMNS} FROM onsite_visit v WHERE v.id = $1 AND v.researcher_id::text = $2",
        visit_id,
        uow.scope.actor,
    )
    if row is None:
        raise NotFound("セッションが見つかりません / session not found")
    return row


async def admit(
    uow: UnitOfWork, visit_id: uuid.UUID, address: str, credential: str
) -> tuple[VisitRow, GrantRow] | Refused:
    visit = await mine(uow, visit_id)
    grant = await grants.of_researcher(uow, visit.grant_id)
    now = dt.datetime.now(dt.UTC)
    reason = ""
    if visit.closed_at is not None:
        reason = "closed"
    elif now - visit.last_seen_at > IDLE:
        reason = "idle_timeout"
    elif not grants.is_live(grant, now):
        reason = "grant_not_live"
    else:
        reason, facility_id, device_id = await _where_allowed(uow, grant, address, credential)
        if not reason and (facility_id, device_id) != (visit.facility_id, visit.device_id):
            reason = "device"  # the session stays on the terminal that opened it
    if reason:
        if reason != "closed":
            await close(uow, visit.id, reason)
        return await _refuse(uow, reason, owner=visit.tenant_id, target=visit.id, address=address)
    await uow.execute("UPDATE onsite_visit SET last_seen_at = now() WHERE id = $1", visit.id)
    return visit, grant


async def close(uow: UnitOfWork, visit_id: uuid.UUID, reason: str = "closed_by_user") -> VisitRow:
    visit = await mine(uow, visit_id)
    if visit.closed_at is None:
        await uow.execute(
            "UPDATE onsite_visit SET closed_at = now(), close_reason = $2 WHERE id = $1", visit_id, reason
        )
        await trail.record(
            uow,
            "onsite.session.closed",
            owner=visit.tenant_id,
            target_type="onsite_visit",
            target_id=visit_id,
            reason=reason,
        )
    return await mine(uow, visit_id)
