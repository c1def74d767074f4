"""Regulations (規程類, GOV-8; 基本規程 第9条2, 第10条; 約款 第4): versioned documents such as the
operation rules (運用管理規程) and the usage rules (利用要領).

    draft --put in force--> in_force --(next version in force)--> superseded

A version of a regulation that binds agencies goes through the council: it is put in force only
with an approved council decision on 'regulation' (checked here and by a trigger in the database).
Each tenant acknowledges the binding version in force; the operator lists who has not.
"""

from __future__ import annotations

import uuid
from typing import Any

from govstat.ops.governance import council, schemas
from govstat.ops.governance.common import now
from govstat.ops.governance.tables import Acknowledgement, Regulation, RegulationVersion
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidTransition
from govstat.platform.events.audit import audit
from govstat.platform.security import Principal


async def create(uow: UnitOfWork, data: schemas.RegulationIn) -> dict[str, Any]:
    row = await uow.repo(Regulation).add(
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
        target_id=row["id"],
        module="ops",
        code=data.code,
        binds_agencies=data.binds_agencies,
    )
    return row


async def add_version(uow: UnitOfWork, regulation_id: uuid.UUID, data: schemas.VersionIn) -> dict[str, Any]:
    await uow.repo(Regulation).get(regulation_id)
    if data.council_decision_id is not None:
        await council.decision(uow, data.council_decision_id, subject="regulation", outcome="approved")
    row = await uow.repo(RegulationVersion).add(
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
        target_id=row["id"],
        module="ops",
        regulation_id=regulation_id,
        version=data.version,
    )
    return row


async def _draft(uow: UnitOfWork, version_id: uuid.UUID, action: str) -> dict[str, Any]:
    version = await uow.repo(RegulationVersion).get(version_id, for_update=True)
    if version["state"] != "draft":
        raise InvalidTransition(
            f"{action}: 状態 {version['state']} では実行できません / not allowed in state {version['state']}",
            state=version["state"],
            action=action,
        )
    return version


async def attach_decision(uow: UnitOfWork, version_id: uuid.UUID, data: schemas.VersionDecisionIn) -> dict[str, Any]:
    """The council deliberated the draft: record which decision approved it."""
    await _draft(uow, version_id, "attach_decision")
    decision = await council.decision(uow, data.council_decision_id, subject="regulation", outcome="approved")
    row = await uow.repo(RegulationVersion).update(version_id, council_decision_id=decision.id)
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


async def put_in_force(uow: UnitOfWork, version_id: uuid.UUID) -> dict[str, Any]:
    version = await _draft(uow, version_id, "put_in_force")
    regulation = await uow.repo(Regulation).get(version["regulation_id"])
    if regulation["binds_agencies"] and version["council_decision_id"] is None:
        raise InvalidTransition(
            "利用機関が遵守すべき規程は協議会に諮ってから施行します / a version binding agencies"
            " needs its council decision before it is put in force (GOV-8)",
            state="draft",
            action="put_in_force",
        )
    versions, at = uow.repo(RegulationVersion), now()
    current = await versions.first(
        RegulationVersion.regulation_id == regulation["id"], RegulationVersion.state == "in_force", for_update=True
    )
    if current is not None:
        await versions.update(current["id"], state="superseded", superseded_at=at)
    row = await versions.update(version_id, state="in_force", in_force_at=at)
    await audit(
        uow,
        "regulation.version_in_force",
        tenant_id=None,
        target_type="regulation_version",
        target_id=version_id,
        module="ops",
        regulation=regulation["code"],
        version=version["version"],
        superseded=str(current["id"]) if current else None,
    )
    return row


async def acknowledge(uow: UnitOfWork, principal: Principal, version_id: uuid.UUID) -> dict[str, Any]:
    """A tenant confirms it follows the version in force (基本規程 第10条)."""
    version = await uow.repo(RegulationVersion).get(version_id)
    regulation = await uow.repo(Regulation).get(version["regulation_id"])
    if version["state"] != "in_force" or not regulation["binds_agencies"]:
        raise InvalidTransition(
            "施行中の、利用機関が遵守すべき版のみ確認できます / only the version in force of a"
            " regulation binding agencies is acknowledged",
            state=version["state"],
        )
    row = await uow.repo(Acknowledgement).add(
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
        regulation=regulation["code"],
        version=version["version"],
    )
    return row


async def catalogue(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Every regulation with its versions (newest first) and whether the caller's tenant acknowledged them."""
    regulations = await uow.repo(Regulation).find(order_by=Regulation.code)
    versions = await uow.repo(RegulationVersion).find(order_by=RegulationVersion.created_at, ascending=False)
    acked = (
        {
            a["version_id"]
            for a in await uow.repo(Acknowledgement).find(Acknowledgement.tenant_id == uow.scope.tenant_id)
        }
        if uow.scope.tenant_id
        else set()
    )
    for r in regulations:
        r["versions"] = [
            {k: v for k, v in ver.items() if k != "body"} | {"acknowledged": ver["id"] in acked}
            for ver in versions
            if ver["regulation_id"] == r["id"]
        ]
        r["in_force"] = next((v for v in r["versions"] if v["state"] == "in_force"), None)
    return regulations


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


async def unacknowledged(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Active agencies that have not acknowledged a binding version in force (an agency sees its own)."""
    return [dict(r) for r in await uow.fetch(UNACKNOWLEDGED)]
