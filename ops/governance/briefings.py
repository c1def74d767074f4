"""Operation briefings (説明会, GOV-10, 約款 5(2)): the yearly briefing of each subsystem and briefings
on request; their sessions (date, place or online, capacity), registrations by agency users and
the attendance the operator records."""

from __future__ import annotations

import uuid

import msgspec

from govstat.ops.governance import schemas
from govstat.ops.governance.common import aware, now
from govstat.ops.governance.rows import BriefingRequestRow, BriefingRow, RegistrationRow, SessionRow
from govstat.ops.governance.schemas import BriefingOverview, BriefingView, SessionView
from govstat.ops.governance.tables import Briefing, BriefingRegistration, BriefingRequest, BriefingSession
from govstat.ops.helpdesk.subsystems import check_subsystem
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from govstat.platform.events.audit import audit
from govstat.platform.security import Principal, Role
from govstat.tenants import directory


async def request(uow: UnitOfWork, principal: Principal, data: schemas.BriefingRequestIn) -> BriefingRequestRow:
    """An agency asks for a briefing (利用機関等からの要請)."""
    check_subsystem("module_key", data.module_key)
    row = await uow.repo(BriefingRequest, BriefingRequestRow).add(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        module_key=data.module_key,
        topic=data.topic,
        note=data.note,
        requested_by=principal.subject,
        requested_at=now(),
    )
    await audit(
        uow,
        "briefing.requested",
        tenant_id=row.tenant_id,
        target_type="briefing_request",
        target_id=row.id,
        module="ops",
        topic=data.topic,
    )
    return row


async def decline(uow: UnitOfWork, request_id: uuid.UUID, note: str) -> BriefingRequestRow:
    requests = uow.repo(BriefingRequest, BriefingRequestRow)
    req = await requests.get(request_id, for_update=True)
    if req.state != "requested":
        raise InvalidTransition(f"decline: 状態 {req.state} では実行できません / not allowed in state {req.state}")
    row = await requests.update(request_id, state="declined", decided_at=now())
    await audit(
        uow,
        "briefing.request_declined",
        tenant_id=req.tenant_id,
        target_type="briefing_request",
        target_id=request_id,
        module="ops",
        note=note,
    )
    return row


async def create(uow: UnitOfWork, data: schemas.BriefingIn) -> BriefingRow:
    check_subsystem("module_key", data.module_key)
    if data.kind == "annual" and data.module_key is None:
        raise InvalidInput.field(
            "module_key", "年次の操作説明会はサブシステムごと / the yearly briefing is per subsystem"
        )
    if (data.kind == "on_request") != (data.request_id is not None):
        raise InvalidInput.field("request_id", "要請による説明会にのみ、必須 / required for, and only for, on_request")
    req, requests = None, uow.repo(BriefingRequest, BriefingRequestRow)
    if data.request_id is not None:
        req = await requests.first(BriefingRequest.id == data.request_id)
        if req is None:
            raise InvalidInput.field("request_id", "要請が見つかりません / no such request")
        if req.state != "requested":
            raise InvalidTransition(f"要請は {req.state} です / the request is {req.state}")
        await requests.update(req.id, state="scheduled", decided_at=now())
    row = await uow.repo(Briefing, BriefingRow).add(
        id=uuid.uuid4(),
        kind=data.kind,
        fiscal_year=data.fiscal_year,
        module_key=data.module_key,
        title=data.title,
        description=data.description,
        request_id=data.request_id,
        created_by=uow.scope.actor,
        created_at=now(),
    )
    await audit(
        uow,
        "briefing.created",
        tenant_id=req.tenant_id if req else None,
        target_type="briefing",
        target_id=row.id,
        module="ops",
        kind=data.kind,
        fiscal_year=data.fiscal_year,
        module_key=data.module_key,
    )
    return row


async def add_session(uow: UnitOfWork, briefing_id: uuid.UUID, data: schemas.SessionIn) -> SessionRow:
    await uow.repo(Briefing, BriefingRow).get(briefing_id)
    starts, ends = aware("starts_at", data.starts_at), aware("ends_at", data.ends_at)
    if ends <= starts:
        raise InvalidInput.field("ends_at", "開始より後にしてください / must be after starts_at")
    if not data.online and not data.place.strip():
        raise InvalidInput.field("place", "会場かオンラインのどちらかが必要 / a place, or online")
    row = await uow.repo(BriefingSession, SessionRow).add(
        id=uuid.uuid4(),
        briefing_id=briefing_id,
        starts_at=starts,
        ends_at=ends,
        place=data.place,
        online=data.online,
        online_url=data.online_url,
        capacity=data.capacity,
        created_at=now(),
    )
    await audit(
        uow,
        "briefing.session_added",
        tenant_id=None,
        target_type="briefing_session",
        target_id=row.id,
        module="ops",
        briefing_id=briefing_id,
        starts_at=starts,
        capacity=data.capacity,
    )
    return row


async def register(
    uow: UnitOfWork, principal: Principal, session_id: uuid.UUID, data: schemas.RegistrationIn
) -> RegistrationRow:
    """An agency user registers (an agency administrator may register a colleague). Seats are
    counted across all agencies with the session row locked, so the last seat goes once."""
    session = await uow.repo(BriefingSession, SessionRow).get(session_id)
    if session.cancelled_at is not None or session.ends_at <= now():
        raise InvalidTransition("この回は受付を終了しています / this session is cancelled or over")
    user_id = data.user_id or _self(principal)
    if user_id != _self(principal) and Role.AGENCY_ADMIN not in principal.roles:
        raise Forbidden("他の職員の登録は管理者のみ / only an administrator registers colleagues")
    user = None if user_id is None else await directory.user_of(uow, user_id, principal.tenant_id)
    if user is None:
        raise InvalidInput.field("user_id", "自機関の利用者が見つかりません / no such user in your organisation")
    seats = await uow.fetchval("SELECT briefing_seats_left($1, true)", session_id)
    if seats is None or seats <= 0:
        raise Conflict("満席です / the session is full", constraint="briefing_session_capacity")
    row = await uow.repo(BriefingRegistration, RegistrationRow).add(
        id=uuid.uuid4(),
        session_id=session_id,
        tenant_id=principal.tenant_id,
        user_id=user_id,
        attendee_name=user.display_name,
        registered_by=principal.subject,
        registered_at=now(),
    )
    await audit(
        uow,
        "briefing.registered",
        tenant_id=principal.tenant_id,
        target_type="briefing_registration",
        target_id=row.id,
        module="ops",
        session_id=session_id,
        user_id=user_id,
    )
    return row


def _self(principal: Principal) -> uuid.UUID | None:
    try:
        return uuid.UUID(principal.subject)
    except ValueError:
        return None


async def cancel_registration(uow: UnitOfWork, registration_id: uuid.UUID) -> RegistrationRow:
    repo = uow.repo(BriefingRegistration, RegistrationRow)
    reg = await repo.get(registration_id, for_update=True)
    if reg.cancelled_at is not None or reg.attended is not None:
        raise InvalidTransition("取消済みか出欠記録済みです / already cancelled or attendance recorded")
    row = await repo.update(registration_id, cancelled_at=now())
    await audit(
        uow,
        "briefing.registration_cancelled",
        tenant_id=reg.tenant_id,
        target_type="briefing_registration",
        target_id=registration_id,
        module="ops",
    )
    return row


async def record_attendance(
    uow: UnitOfWork, session_id: uuid.UUID, items: list[schemas.AttendanceIn]
) -> list[RegistrationRow]:
    session = await uow.repo(BriefingSession, SessionRow).get(session_id)
    if session.starts_at > now():
        raise InvalidTransition("まだ開催されていません / the session has not started")
    repo, at, out = uow.repo(BriefingRegistration, RegistrationRow), now(), []
    for i, item in enumerate(items):
        reg = await repo.first(BriefingRegistration.id == item.registration_id)
        if reg is None or reg.session_id != session_id or reg.cancelled_at is not None:
            raise InvalidInput.field(
                f"[{i}].registration_id", "この回の登録ではありません / not registered for this session"
            )
        out.append(
            await repo.update(
                reg.id, attended=item.attended, attendance_recorded_at=at, attendance_recorded_by=uow.scope.actor
            )
        )
        await audit(
            uow,
            "briefing.attendance_recorded",
            tenant_id=reg.tenant_id,
            target_type="briefing_registration",
            target_id=reg.id,
            module="ops",
            session_id=session_id,
            attended=item.attended,
        )
    return out


async def overview(uow: UnitOfWork) -> BriefingOverview:
    """Briefings with their sessions, seats left, and the registrations the caller may see
    (the operator all, an agency its own)."""
    briefings = await uow.repo(Briefing, BriefingRow).find(order_by=Briefing.fiscal_year, ascending=False)
    sessions = await uow.repo(BriefingSession, SessionRow).find(order_by=BriefingSession.starts_at)
    registrations = await uow.repo(BriefingRegistration, RegistrationRow).find(
        BriefingRegistration.cancelled_at.is_null(), order_by=BriefingRegistration.registered_at
    )
    requests = await uow.repo(BriefingRequest, BriefingRequestRow).find(
        order_by=BriefingRequest.requested_at, ascending=False
    )
    views = [
        SessionView(
            **msgspec.structs.asdict(s),
            seats_left=await uow.fetchval("SELECT briefing_seats_left($1)", s.id),
            registrations=[r for r in registrations if r.session_id == s.id],
        )
        for s in sessions
    ]
    return BriefingOverview(
        briefings=[
            BriefingView(**msgspec.structs.asdict(b), sessions=[s for s in views if s.briefing_id == b.id])
            for b in briefings
        ],
        requests=requests,
    )
