"""Regulations (規程類, GOV-8; 基本規程 第9条2, 第10条; 約款 第4): versioned documents such as the
operation rules (運用管理規程) and the usage rules (利用要領).

    draft --put in force--> in_force --(next version in force)--> superseded

A version of a regulation that binds agencies goes through the council: it is put in force only
with an approved council decision on 'regulation' (checked here and by a trigger in the database).
Each tenant acknowledges the binding version in force; the operator lists who has not.
"""

from __future__ import annotations

import uuid

import msgspec

from govstat.ops.governance import council, schemas
from govstat.ops.governance.common import now
from govstat.ops.governance.rows import (
    AcknowledgementRow,
    RegulationRow,
    Unacknowledged,
    VersionHeader,
    VersionRow,
)
from govstat.ops.governance.schemas import RegulationView, VersionView
from govstat.ops.governance.tables import Acknowledgement, Regulation, RegulationVersion
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidTransition
from govstat.platform.events.audit import audit
from govstat.platform.security import Principal


async def create(uow: UnitOfWork, data: schemas.RegulationIn) -> RegulationRow:
    row = await uow.repo(Regulation, RegulationRow).add(
        id=uuid.uuid4(),
        code=data.code,
        kind=data.kind,
        title_ja=data.title_ja,
        title_en=data.title_en,
        binds_agencies=data.binds_agencies,
        created_at=now(),
    )
    await audit(
        uow,
        "regulation.created",
        tenant_id=None,
        target_type="regulation",
        target_id=row.id,
        module="ops",
        code=data.code,
        binds_agencies=data.binds_agencies,
    )
    return row


async def add_version(uow: UnitOfWork, regulation_id: uuid.UUID, data: schemas.VersionIn) -> VersionRow:
    await uow.repo(Regulation, RegulationRow).get(regulation_id)
    if data.council_decision_id is not None:
        await council.decision(uow, data.council_decision_id, subject="regulation", outcome="approved")
    row = await uow.repo(RegulationVersion, VersionRow).add(
        id=uuid.uuid4(),
        regulation_id=regulation_id,
        version=data.version,
        body=data.body,
        effective_on=data.effective_on,
        council_decision_id=data.council_decision_id,
        state="draft",
        created_by=uow.scope.actor,
        created_at=now(),
    )
    await audit(
        uow,
        "regulation.version_drafted",
        tenant_id=None,
        target_type="regulation_version",
        target_id=row.id,
        module="ops",
        regulation_id=regulation_id,
        version=data.version,
    )
    return row


async def _draft(uow: UnitOfWork, version_id: uuid.UUID, action: str) -> VersionRow:
    version = await uow.repo(RegulationVersion, VersionRow).get(version_id, for_update=True)
    if version.state != "draft":
        raise InvalidTransition(
            f"{action}: 状態 {version.state} では実行できません / not allowed in state {version.state}",
            state=version.state,
            action=action,
        )
    return version


async def attach_decision(uow: UnitOfWork, version_id: uuid.UUID, data: schemas.VersionDecisionIn) -> VersionRow:
    """The council deliberated the draft: record which decision approved it."""
    await _draft(uow, version_id, "attach_decision")
    decision = await council.decision(uow, data.council_decision_id, subject="regulation", outcome="approved")
    row = await uow.repo(RegulationVersion, VersionRow).update(version_id, council_decision_id=decision.id)
    await audit(
        uow,
        "regulation.decision_attached",
        tenant_id=None,
        target_type="regulation_version",
        target_id=version_id,
        module="ops",
        council_decision_id=decision.id,
        reference=decision.reference,
    )
    return row


async def put_in_force(uow: UnitOfWork, version_id: uuid.UUID) -> VersionRow:
    version = await _draft(uow, version_id, "put_in_force")
    regulation = await uow.repo(Regulation, RegulationRow).get(version.regulation_id)
    if regulation.binds_agencies and version.council_decision_id is None:
        raise InvalidTransition(
            "利用機関が遵守すべき規程は協議会に諮ってから施行します / a version binding agencies"
            " needs its council decision before it is put in force (GOV-8)",
            state="draft",
            action="put_in_force",
        )
    versions, at = uow.repo(RegulationVersion, VersionRow), now()
    current = await versions.first(
        RegulationVersion.regulation_id == regulation.id, RegulationVersion.state == "in_force", for_update=True
    )
    if current is not None:
        await versions.update(current.id, state="superseded", superseded_at=at)
    row = await versions.update(version_id, state="in_force", in_force_at=at)
    await audit(
        uow,
        "regulation.version_in_force",
        tenant_id=None,
        target_type="regulation_version",
        target_id=version_id,
        module="ops",
        regulation=regulation.code,
        version=version.version,
        superseded=str(current.id) if current else None,
    )
    return row


async def acknowledge(uow: UnitOfWork, principal: Principal, version_id: uuid.UUID) -> AcknowledgementRow:
    """A tenant confirms it follows the version in force (基本規程 第10条)."""
    version = await uow.repo(RegulationVersion, VersionRow).get(version_id)
    regulation = await uow.repo(Regulation, RegulationRow).get(version.regulation_id)
    if version.state != "in_force" or not regulation.binds_agencies:
        raise InvalidTransition(
            "施行中の、利用機関が遵守すべき版のみ確認できます / only the version in force of a"
            " regulation binding agencies is acknowledged",
            state=version.state,
        )
    row = await uow.repo(Acknowledgement, AcknowledgementRow).add(
        id=uuid.uuid4(),
        tenant_id=principal.tenant_id,
        version_id=version_id,
        acknowledged_by=principal.subject,
        acknowledged_at=now(),
    )
    await audit(
        uow,
        "regulation.acknowledged",
        tenant_id=principal.tenant_id,
        target_type="regulation_version",
        target_id=version_id,
        module="ops",
        regulation=regulation.code,
        version=version.version,
    )
    return row


async def catalogue(uow: UnitOfWork) -> list[RegulationView]:
    """Every regulation with its versions (newest first) and whether the caller's tenant acknowledged them."""
    regulations = await uow.repo(Regulation, RegulationRow).find(order_by=Regulation.code)
    # the texts stay out: a catalogue lists versions, /versions/{id} answers one with its body
    versions = await uow.repo(RegulationVersion, VersionHeader).find(
        order_by=RegulationVersion.created_at, ascending=False
    )
    acks = uow.repo(Acknowledgement, AcknowledgementRow)
    tenant_id = uow.scope.tenant_id
    acked = {a.version_id for a in await acks.find(Acknowledgement.tenant_id == tenant_id)} if tenant_id else set()
    out = []
    for r in regulations:
        mine = [
            VersionView(**msgspec.structs.asdict(v), acknowledged=v.id in acked)
            for v in versions
            if v.regulation_id == r.id
        ]
        in_force = next((v for v in mine if v.state == "in_force"), None)
        out.append(RegulationView(**msgspec.structs.asdict(r), versions=mine, in_force=in_force))
    return out


UNACKNOWLEDGED = """
SELECT r.code AS regulation, r.title_ja, v.id AS version_id, v.version, v.in_force_at,
       t.id AS tenant_id, t.code AS tenant_code, t.name_ja AS tenant_name
FROM regulation_version v
JOIN regulation r ON r.id = v.regulation_id AND r.binds_agencies
CROSS JOIN directory_tenant t
WHERE v.state = 'in_force' AND t.status = 'active' AND t.kind <> 'operator'
  AND NOT EXISTS (SELECT 1 FROM regulation_acknowledgement a WHERE a.version_id = v.id AND a.tenant_id = t.id)
ORDER BY r.code, t.code
"""


async def unacknowledged(uow: UnitOfWork) -> list[Unacknowledged]:
    """Active agencies that have not acknowledged a binding version in force (an agency sees its own)."""
    return await uow.rows(Unacknowledged, UNACKNOWLEDGED)
