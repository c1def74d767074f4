"""The demo's on-site data: MIC's synthetic 2020 census microdata (persons and households, from the
real margins), the operator's facility at 127.0.0.1 with one terminal, and the demo researcher's
approved grant. Called by the composition root's seed, which makes the researcher's account."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

import pyarrow as pa

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.onsite import datasets, facilities, grants, synth
from govstat.platform.subsystems.onsite.schemas import DatasetIn, DecisionIn, DeviceIn, FacilityIn, GrantIn, Variable

SEED = 2020
SCALE = 0.01  # about 13,000 persons: quick to seed; bench/onsite_aggregate.py uses a million


async def seed(mic: uuid.UUID, researcher: uuid.UUID) -> str:
    """Answers the demo terminal's credential (the `X-Onsite-Device` header)."""
    async with UnitOfWork(Scope(role="operator", actor="seed")) as uow:
        place = await facilities.register(
            uow,
            FacilityIn(
                name="統計センター オンサイト施設（デモ）",
                address="東京都新宿区若松町19-1",
                ranges=["127.0.0.0/8", "::1/128"],
            ),
        )
        credential = (await facilities.issue_device(uow, place.id, DeviceIn(label="デモ端末"))).credential
    people = synth.persons(seed=SEED, scale=SCALE)
    loaded = []
    async with UnitOfWork(Scope.tenant(mic, actor="seed")) as uow:
        units: list[tuple[Literal["person", "household"], str, list[Variable], pa.Table]] = [
            ("person", "令和2年国勢調査 個票（合成・奈良県）世帯員", synth.PERSON_VARIABLES, people),
            (
                "household",
                "令和2年国勢調査 個票（合成・奈良県）世帯",
                synth.HOUSEHOLD_VARIABLES,
                synth.households(people),
            ),
        ]
        for unit, title, variables, table in units:
            row = await datasets.register(
                uow,
                DatasetIn(
                    survey_name="令和2年国勢調査（合成データ）",
                    gov_stat_code="00200521",
                    year=2020,
                    unit_kind=unit,
                    title=title,
                    variables=variables,
                    retention_until=dt.date.today() + dt.timedelta(days=5 * 365),
                ),
            )
            loaded.append(await datasets.store(uow, row, table))
    today = dt.date.today()
    async with UnitOfWork(Scope(role="onsite", actor=str(researcher))) as uow:
        grant = await grants.apply(
            uow,
            GrantIn(
                purpose="奈良県の市区町村別・年齢別人口構成と就業の分析（デモ）",
                dataset_ids=[d.id for d in loaded],
                variables=["municipality", "sex", "age_group", "work_hours", "income", "members", "size_class"],
                facility_ids=[place.id],
                starts_on=today,
                ends_on=today + dt.timedelta(days=365),
            ),
            "オンサイト 研究者",
        )
    async with UnitOfWork(Scope.tenant(mic, actor="seed")) as uow:
        await grants.decide(uow, grant.id, DecisionIn(approve=True, note="デモ用に承認"))
    return credential
