"""The agency's API for intermediaries: grant a survey to another tenant and assign it units by area."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec
from litestar import Router, get, put

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.online.intermediaries import service
from govstat.platform.subsystems.online.intermediaries.service import GrantView

AGENCY = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF)
Area = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{5}$")]


class GrantIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    area_codes: Annotated[list[Area], msgspec.Meta(max_length=2000)]


@put(
    "/surveys/{survey_id:uuid}/intermediaries/{code:str}",
    opt=access(Role.AGENCY_ADMIN, op="online.survey_manage", audit=True),
)
async def grant(uow: UnitOfWork, survey_id: uuid.UUID, code: str, data: GrantIn) -> GrantView:
    """Grant the survey to the tenant `code` (a prefecture, a contractor) as its intermediary and assign
    it the units in `area_codes`; it then sees only those."""
    return await service.grant(uow, survey_id, code[:64], data.area_codes)


@get("/surveys/{survey_id:uuid}/intermediaries", opt=access(*AGENCY, op="online.survey_read"))
async def grants(uow: UnitOfWork, survey_id: uuid.UUID) -> list[GrantView]:
    """The survey's intermediaries with their units, answers received and completion reports."""
    return await service.grants(uow, survey_id)


api = Router(path="/api/online", route_handlers=[grant, grants])
