"""The application's state machine: every step is a state with who and when (frame_step, append-only),
an audit event and a notice (ApplicationStepped) in the same transaction.

    applied -> returned -> applied (resubmitted) ...
    applied -> approved -> extracted -> sampled (if a sample was asked for) -> delivered
    applied -> rejected
"""

from __future__ import annotations

import datetime as dt
import uuid

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import InvalidInput, InvalidTransition
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.frame import draws, queries
from govstat.platform.subsystems.frame import service as surveys
from govstat.platform.subsystems.frame.applications import delivery
from govstat.platform.subsystems.frame.events import ApplicationStepped
from govstat.platform.subsystems.frame.rows import ApplicationRow, DeliveryRow, Progress, StepRow
from govstat.platform.subsystems.frame.schemas import ApplicationIn, DrawIn, Population, ReviewIn

FROM = {
    "resubmit": ("returned",),
    "approve": ("applied",),
    "return": ("applied",),
    "reject": ("applied",),
    "extract": ("approved",),
    "sample": ("extracted",),
    "deliver": ("extracted", "sampled"),
}
TO = {"resubmit": "applied", "approve": "approved", "return": "returned", "reject": "rejected",
      "extract": "extracted", "sample": "sampled", "deliver": "delivered"}  # fmt: skip
LABELS = {"applied": "申請", "returned": "差戻し", "approved": "承認", "rejected": "却下", "extracted": "抽出（母集団）",
          "sampled": "標本抽出", "delivered": "提供"}  # fmt: skip


async def get(uow: UnitOfWork, app_id: uuid.UUID, *, for_update: bool = False) -> ApplicationRow:
    w = Where(args=[app_id]).scoped(uow)
    lock = " FOR UPDATE" if for_update else ""
    return await uow.one(
        ApplicationRow, f"SELECT * FROM frame_application WHERE id = $1 AND {w}{lock}", *w.args, what="申請"
    )


async def _step(uow: UnitOfWork, app: ApplicationRow, action: str, note: str = "", **changes: object) -> ApplicationRow:
    if app.status not in FROM[action]:
        raise InvalidTransition(
            f"{LABELS[app.status]}の申請には実行できません / cannot {action} an application that is {app.status}"
        )
    status = TO[action]
    sets = ", ".join(f"{k} = ${i}" for i, k in enumerate(changes, start=3))
    row = await uow.row(ApplicationRow, f"UPDATE frame_application SET status = $2, updated_at = now()"
                        f"{', ' + sets if sets else ''} WHERE id = $1 RETURNING *", app.id, status, *changes.values())  # fmt: skip
    assert row is not None
    await record(uow, row, note)
    return row


async def record(uow: UnitOfWork, app: ApplicationRow, note: str = "") -> None:
    """The step's who and when, its audit event and its notice."""
    await uow.execute("INSERT INTO frame_step (application_id, tenant_id, status, actor, note) VALUES ($1, $2, $3, $4, $5)",
                      app.id, app.tenant_id, app.status, uow.scope.actor, note)  # fmt: skip
    await audit(uow, f"frame.application.{app.status}", tenant_id=app.tenant_id, target_type="frame_application",
                target_id=app.id, module="frame", note=note)  # fmt: skip
    event = ApplicationStepped(
        application_id=app.id, survey_id=app.survey_id, status=app.status, actor=uow.scope.actor, note=note
    )
    await emit(uow, event, tenant_id=app.tenant_id)


async def apply(uow: UnitOfWork, data: ApplicationIn) -> ApplicationRow:
    survey = await surveys.survey(uow, data.survey_id)
    if survey.tenant_id != uow.scope.tenant_id:
        raise InvalidInput.field("survey_id", "自機関の調査ではありません / not your agency's survey")
    if data.reference_date > dt.date.today():
        raise InvalidInput.field("reference_date", "基準日は今日以前です / the reference date is not in the future")
    row = await uow.row(ApplicationRow, "INSERT INTO frame_application (id, tenant_id, survey_id, purpose, reference_date,"
                        " draw_sample, design, status, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, 'applied', $8)"
                        " RETURNING *", uuid.uuid4(), survey.tenant_id, survey.id, data.purpose, data.reference_date,
                        data.draw_sample, data.design, uow.scope.actor)  # fmt: skip
    assert row is not None
    await record(uow, row, data.purpose[:200])
    return row


async def resubmit(uow: UnitOfWork, app_id: uuid.UUID, purpose: str) -> ApplicationRow:
    app = await get(uow, app_id, for_update=True)
    return await _step(uow, app, "resubmit", purpose[:200], purpose=purpose or app.purpose)


async def review(uow: UnitOfWork, app_id: uuid.UUID, data: ReviewIn) -> ApplicationRow:
    if data.decision in ("return", "reject") and not data.comment:
        raise InvalidInput.field("comment", "差戻し・却下には理由が必要です / say why")
    app = await get(uow, app_id, for_update=True)
    return await _step(uow, app, data.decision, data.comment, comment=data.comment)


async def extract(uow: UnitOfWork, app_id: uuid.UUID) -> ApplicationRow:
    """The population: the survey's filter over the register as of the reference date."""
    app = await get(uow, app_id, for_update=True)
    survey = await surveys.survey(uow, app.survey_id)
    units = await queries.units(uow, Population(**survey.population), app.reference_date)
    return await _step(uow, app, "extract", f"{len(units)}事業所", population_count=len(units))


async def sample(uow: UnitOfWork, app_id: uuid.UUID, data: DrawIn) -> ApplicationRow:
    app = await get(uow, app_id, for_update=True)
    if not app.draw_sample:
        raise InvalidTransition("標本抽出の申請ではありません / this application asked for the whole population")
    if app.status != "extracted":
        return await _step(uow, app, "sample")  # refused with the state's reason
    survey = await surveys.survey(uow, app.survey_id)
    row, _ = await draws.draw(uow, survey, reference_date=app.reference_date, design=app.design,  # type: ignore[arg-type]
                              burden=data.burden, test=data.test, cycle=data.cycle, application_id=app.id)  # fmt: skip
    return await _step(uow, app, "sample", f"{row.sample_count}事業所（除外{row.skipped_count}）", draw_id=row.id)


async def deliver(uow: UnitOfWork, app_id: uuid.UUID) -> list[DeliveryRow]:
    app = await get(uow, app_id, for_update=True)
    if app.draw_sample and app.status == "extracted":
        raise InvalidTransition("標本抽出の後に提供します / draw the sample first")
    survey = await surveys.survey(uow, app.survey_id)
    files = await delivery.build(uow, app, survey)
    await _step(uow, app, "deliver", ", ".join(f.filename for f in files))
    return files


async def progress(uow: UnitOfWork, status: str | None = None, limit: int = 200) -> list[Progress]:
    """Every application the caller may see with its survey and agency, newest change first (FRAME-3)."""
    w = Where().scoped(uow, "a.").eq("a.status", status)
    return await uow.rows(Progress, "SELECT a.*, s.name AS survey_name, t.name_ja AS tenant_name FROM frame_application a"
                          " JOIN frame_survey s ON s.id = a.survey_id JOIN directory_tenant t ON t.id = a.tenant_id"
                          f" WHERE {w} ORDER BY a.updated_at DESC LIMIT {int(limit)}", *w.args)  # fmt: skip


async def steps(uow: UnitOfWork, app_id: uuid.UUID) -> list[StepRow]:
    await get(uow, app_id)
    return await uow.rows(
        StepRow, "SELECT status, actor, at, note FROM frame_step WHERE application_id = $1 ORDER BY id", app_id
    )
