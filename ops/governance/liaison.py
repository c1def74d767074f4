"""The liaison meeting (担当者会議, GOV-7; 基本規程 第15条): each tenant's primary contact and the
operator's, with the operator as secretariat.

The members are never copied into a table: they are read from tenants' contacts (valid primary
contacts of the active tenants, the operator's own tenant included; tenants/directory.py), so a
change of contact (GOV-6) changes the membership at once. Meetings keep their date, agenda, minutes and attendance.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from govstat.ops.governance import schemas
from govstat.ops.governance.common import aware, now
from govstat.ops.governance.rows import AgendaItemRow, AttendanceRow, MeetingRow, Member
from govstat.ops.governance.schemas import MeetingView, NewMeeting
from govstat.ops.governance.tables import AgendaItem, Attendance, LiaisonMeeting
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition
from govstat.platform.events.audit import audit
from govstat.tenants import directory


async def members(uow: UnitOfWork, at: dt.datetime | None = None) -> list[Member]:
    """The members now, or as of `at` (a past meeting's date); the operator is the secretariat."""
    return [
        Member(**msgspec.structs.asdict(c), secretariat=c.tenant_kind == "operator")
        for c in await directory.primary_contacts(uow, at)
    ]


async def create_meeting(uow: UnitOfWork, data: schemas.MeetingIn) -> NewMeeting:
    held_at = aware("held_at", data.held_at)
    meeting = await uow.repo(LiaisonMeeting, MeetingRow).add(
        id=uuid.uuid4(),
        title=data.title,
        held_at=held_at,
        place=data.place,
        minutes="",
        created_by=uow.scope.actor,
        created_at=now(),
    )
    items = [
        await uow.repo(AgendaItem, AgendaItemRow).add(
            id=uuid.uuid4(),
            meeting_id=meeting.id,
            position=i,
            kind=item.kind,
            title=item.title,
            presenter=item.presenter,
        )
        for i, item in enumerate(data.agenda, start=1)
    ]
    await audit(
        uow,
        "liaison.meeting_created",
        tenant_id=None,
        target_type="liaison_meeting",
        target_id=meeting.id,
        module="ops",
        held_at=held_at,
        agenda=len(items),
    )
    return NewMeeting(**msgspec.structs.asdict(meeting), agenda=items)


async def record_minutes(uow: UnitOfWork, meeting_id: uuid.UUID, data: schemas.MinutesIn) -> MeetingRow:
    meetings = uow.repo(LiaisonMeeting, MeetingRow)
    meeting = await meetings.get(meeting_id, for_update=True)
    if meeting.held_at > now():
        raise InvalidTransition("まだ開催されていません / the meeting has not been held")
    row = await meetings.update(meeting_id, minutes=data.minutes, minutes_recorded_at=now())
    await audit(
        uow,
        "liaison.minutes_recorded",
        tenant_id=None,
        target_type="liaison_meeting",
        target_id=meeting_id,
        module="ops",
        replaced=meeting.minutes_recorded_at is not None,
    )
    return row


async def record_attendance(uow: UnitOfWork, meeting_id: uuid.UUID, data: schemas.MeetingAttendanceIn) -> AttendanceRow:
    """Whether a member tenant attended (its primary contact, or whom it sent instead)."""
    meeting = await uow.repo(LiaisonMeeting, MeetingRow).get(meeting_id)
    if meeting.held_at > now():
        raise InvalidTransition("まだ開催されていません / the meeting has not been held")
    member = next((m for m in await members(uow, meeting.held_at) if m.tenant_id == data.tenant_id), None)
    if member is None:
        raise InvalidInput.field("tenant_id", "開催日の構成員ではありません / not a member on the meeting's date")
    row = await uow.one(
        AttendanceRow,
        "INSERT INTO liaison_attendance (id, meeting_id, tenant_id, contact_person_id, attended, attendee_name,"
        " recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())"
        " ON CONFLICT (meeting_id, tenant_id) DO UPDATE SET attended = excluded.attended,"
        " attendee_name = excluded.attendee_name, recorded_by = excluded.recorded_by, recorded_at = now()"
        " RETURNING *",
        uuid.uuid4(),
        meeting_id,
        data.tenant_id,
        member.contact_person_id,
        data.attended,
        data.attendee_name or (member.name if data.attended else ""),
        uow.scope.actor,
    )
    await audit(
        uow,
        "liaison.attendance_recorded",
        tenant_id=data.tenant_id,
        target_type="liaison_meeting",
        target_id=meeting_id,
        module="ops",
        attended=data.attended,
    )
    return row


async def meetings(uow: UnitOfWork) -> list[MeetingView]:
    """Meetings, newest first, with agenda and the attendance the caller may see."""
    rows = await uow.repo(LiaisonMeeting, MeetingRow).find(order_by=LiaisonMeeting.held_at, ascending=False)
    agenda = await uow.repo(AgendaItem, AgendaItemRow).find(order_by=AgendaItem.position)
    attendance = await uow.repo(Attendance, AttendanceRow).find(order_by=Attendance.recorded_at)
    return [
        MeetingView(
            **msgspec.structs.asdict(m),
            agenda=[a for a in agenda if a.meeting_id == m.id],
            attendance=[a for a in attendance if a.meeting_id == m.id],
        )
        for m in rows
    ]
