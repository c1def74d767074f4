"""The demo's enumerators: two for Kobe City (神戸市), each with a ward of the 2025 census (called by
`govstat seed --demo`, in Kobe's own scope: nobody else may write its enumerators)."""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.enumerators import assignments, service
from govstat.platform.subsystems.enumerators.schemas import AssignmentIn, EnumeratorIn

PEOPLE = [("神戸 一郎", "こうべ いちろう", "28101"), ("灘 花子", "なだ はなこ", "28102")]


async def seed_demo(tenant_id: uuid.UUID) -> None:
    async with UnitOfWork(Scope.tenant(tenant_id, role="agency", actor="seed")) as uow:
        for name, kana, ward in PEOPLE:
            row = await service.create(
                uow,
                EnumeratorIn(
                    name=name, name_kana=kana, appointed_from=dt.date(2025, 8, 1), appointed_to=dt.date(2025, 11, 30)
                ),
            )
            await assignments.assign(
                uow,
                row.id,
                AssignmentIn(survey_name="令和7年国勢調査", survey_date=dt.date(2025, 10, 1), area_code=ward),
            )
