"""Use cases of the standard area codes (AREA-1, AREA-2, AREA-3)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from govstat.platform.db.repository import Repository
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.area import queries
from govstat.platform.subsystems.area.events import ChangeDeleted, ChangeRegistered, ChangeUpdated
from govstat.platform.subsystems.area.parsing import split_code, with_check_digit
from govstat.platform.subsystems.area.rows import (
    AreaChangeRow,
    AreaCode,
    AreaLinkRow,
    AreaVersionRow,
    ChangeDetail,
    CodeDetail,
)
from govstat.platform.subsystems.area.schemas import ChangeIn, ChangePatch
from govstat.platform.subsystems.area.tables import AreaChange, AreaLink, AreaVersion

MODULE = "area"


def code5(value: str, field: str = "code") -> str:
    """A 5-digit code from a 5- or 6-digit one; a wrong check digit is a 422 naming the field."""
    try:
        return split_code(value)
    except ValueError as exc:
        raise InvalidInput.field(field, str(exc)) from None


async def codes_on(
    uow: UnitOfWork,
    day: dt.date,
    *,
    pref: str | None = None,
    q: str | None = None,
    level: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[int, list[AreaCode]]:
    return await queries.codes_on(uow, day, pref=pref, q=q, level=level, limit=limit, offset=offset)


async def code_detail(uow: UnitOfWork, code: str) -> CodeDetail:
    c = code5(code)
    versions = await _versions(uow).find(AreaVersion.code == c, order_by=AreaVersion.valid_from)
    if not versions:
        raise NotFound(f"地域コード {code} は登録されていません / area code {code} not found")
    return CodeDetail(
        code=c,
        code6=with_check_digit(c),
        versions=versions,
        forward=await queries.follow(uow, c, "forward"),
        backward=await queries.follow(uow, c, "backward"),
    )


def _changes(uow: UnitOfWork) -> Repository[AreaChange, AreaChangeRow]:
    return uow.repo(AreaChange, AreaChangeRow)


def _versions(uow: UnitOfWork) -> Repository[AreaVersion, AreaVersionRow]:
    return uow.repo(AreaVersion, AreaVersionRow)


async def change_detail(uow: UnitOfWork, change_id: uuid.UUID) -> ChangeDetail:
    change = await _changes(uow).get(change_id)
    links = await uow.repo(AreaLink, AreaLinkRow).find(AreaLink.change_id == change_id, order_by=AreaLink.id)
    return ChangeDetail(**msgspec.structs.asdict(change), links=links)


async def register_change(uow: UnitOfWork, data: ChangeIn) -> AreaChangeRow:
    subject = code5(data.code, "code")
    ends = [code5(c, f"ends[{i}]") for i, c in enumerate(data.ends)]
    starts = [(code5(s.code, f"starts[{i}].code"), s) for i, s in enumerate(data.starts)]
    links = [
        (code5(l.old_code, f"links[{i}].old_code"), code5(l.new_code, f"links[{i}].new_code"), l)
        for i, l in enumerate(data.links)
    ]
    change_id = uuid.uuid4()
    pref_name = await queries.pref_name(uow, subject[:2])
    if pref_name is None:
        raise InvalidInput.field("code", f"都道府県コード {subject[:2]} が存在しません / no prefecture {subject[:2]}")
    await _changes(uow).add(
        id=change_id,
        code=subject,
        pref_name=pref_name,
        name=data.name,
        name_kana=data.name_kana,
        effective_on=data.effective_on,
        reason=data.reason,
        kind=data.kind,
        source="gazette",
        gazette_ref=data.gazette_ref,
        effects={},
    )
    ended = []
    for i, c in enumerate(ends):
        version = await queries.current_version(uow, c, data.effective_on)
        if version is None:
            raise InvalidInput.field(f"ends[{i}]", f"{c} は {data.effective_on} に有効ではありません / not valid then")
        await _versions(uow).update(version.id, valid_to=data.effective_on)
        ended.append(version.id)
    started = []
    for c, s in starts:
        row = await _versions(uow).add(
            code=c,
            code6=with_check_digit(c),
            pref_code=c[:2],
            pref_name=pref_name,
            desig_name=s.desig_name,
            desig_kana=s.desig_kana,
            name=s.name,
            name_kana=s.name_kana,
            level=s.level,
            valid_from=data.effective_on,
            valid_to=None,
            source="gazette",
            change_id=change_id,
        )
        started.append(row.id)
    for old, new, link in links:
        await uow.repo(AreaLink, AreaLinkRow).add(
            change_id=change_id,
            old_code=old,
            new_code=new,
            old_name=link.old_name,
            new_name=link.new_name,
            effective_on=data.effective_on,
        )
    change = await _changes(uow).update(change_id, effects={"ended": ended, "started": started})
    await audit(
        uow,
        "area.change.registered",
        tenant_id=None,
        target_type="area_change",
        target_id=change_id,
        module=MODULE,
        code=subject,
        effective_on=data.effective_on,
        gazette_ref=data.gazette_ref,
    )
    await emit(
        uow,
        ChangeRegistered(
            change_id=change_id, code=subject, effective_on=data.effective_on, ends=ends, starts=[c for c, _ in starts]
        ),
    )
    return change


async def update_change(uow: UnitOfWork, change_id: uuid.UUID, data: ChangePatch) -> AreaChangeRow:
    values = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    await _changes(uow).get(change_id)
    if not values:
        return await _changes(uow).get(change_id)
    row = await _changes(uow).update(change_id, updated_at=dt.datetime.now(dt.UTC), **values)
    await audit(
        uow,
        "area.change.updated",
        tenant_id=None,
        target_type="area_change",
        target_id=change_id,
        module=MODULE,
        fields=sorted(values),
    )
    await emit(uow, ChangeUpdated(change_id=change_id, fields=sorted(values)))
    return row


async def delete_change(uow: UnitOfWork, change_id: uuid.UUID) -> None:
    """Undo what the change did to the code versions, then remove it (links and versions cascade)."""
    change = await _changes(uow).get(change_id, for_update=True)
    for version_id in change.effects.get("ended", []):
        await uow.execute(
            "UPDATE area_version SET valid_to = NULL WHERE id = $1 AND valid_to = $2",
            version_id,
            change.effective_on,
        )
    await _changes(uow).delete(change_id)
    await audit(
        uow,
        "area.change.deleted",
        tenant_id=None,
        target_type="area_change",
        target_id=change_id,
        module=MODULE,
        code=change.code,
        effective_on=change.effective_on,
        source=change.source,
    )
    await emit(uow, ChangeDeleted(change_id=change_id, code=change.code))
