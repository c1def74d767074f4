"""The hand-off after the deadline (ONLINE-3): each unit's latest answers aggregated by the
definition's columns into a table of the statistical database, registered in test mode through
statdb's own use case (the agency checks it there and promotes it), by area.

The columns come from the questionnaire, never written twice: the number of units answering, then
for each number question its total, for each code question one count per code, for each yes/no
question the count of yes. Hidden (skipped) and empty answers count nowhere."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections import defaultdict
from decimal import Decimal

import yaml

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, InvalidTransition
from govstat.platform.events.audit import audit, emit
from govstat.platform.subsystems.area import published as area
from govstat.platform.subsystems.items.definition import Definition, questions
from govstat.platform.subsystems.online import forms, keys, surveys
from govstat.platform.subsystems.online.events import HandedOff
from govstat.platform.subsystems.online.rows import SurveyRow
from govstat.platform.subsystems.statdb import service as statdb
from govstat.platform.web.spreadsheet import csv_writer

LATEST = (
    "SELECT DISTINCT ON (s.unit_id) s.id, u.area_code FROM online_submission s JOIN online_unit u ON u.id = s.unit_id"
    " WHERE s.survey_id = $1 ORDER BY s.unit_id, s.version_no DESC"
)


def columns(d: Definition) -> list[tuple[str, str, str, str, str]]:
    """(code, name, unit, item id, what): what is `count`, `sum`, or `=<code>` (count of that answer)."""
    cols = [("000", "回答数", "件", "", "count")]
    lists = {c.id: c for c in d.code_lists}
    for q in questions(d):
        if q.answer_type in ("integer", "decimal"):
            cols.append((f"{len(cols):03d}", f"{q.label_ja} 合計", q.unit, q.item_id, "sum"))
        elif q.answer_type == "code" and q.code_list in lists:
            for o in lists[q.code_list].options:
                cols.append((f"{len(cols):03d}", f"{q.label_ja}：{o.label_ja}", "件", q.item_id, f"={o.code}"))
        elif q.answer_type == "boolean":
            cols.append((f"{len(cols):03d}", f"{q.label_ja}：はい", "件", q.item_id, "=1"))
    return cols


async def aggregate(uow: UnitOfWork, survey_id: uuid.UUID, d: Definition) -> dict[str, list[Decimal]]:
    cols = columns(d)
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0)] * len(cols))
    aes = await keys.data_key(uow, survey_id)
    for sub in await uow.fetch(LATEST, survey_id):
        rows = await uow.fetch("SELECT item_id, value FROM online_answer WHERE submission_id = $1", sub["id"])
        values = {
            r["item_id"]: keys.unseal(aes, bytes(r["value"]), forms.aad(sub["id"], r["item_id"])).decode() for r in rows
        }
        acc = totals[sub["area_code"]]
        for i, (_, _, _, item, what) in enumerate(cols):
            if what == "count" or (what.startswith("=") and values.get(item) == what[1:]):
                acc[i] += 1
            elif what == "sum" and item in values:
                acc[i] += Decimal(values[item])
    return totals


def params(survey: SurveyRow, d: Definition, gov_stat_code: str) -> bytes:
    cols = columns(d)
    doc = {
        "format": "1",
        "table": {
            "gov_stat_code": gov_stat_code,
            "table_no": survey.code[:16],
            "title": f"{survey.name_ja} 回答集計（{survey.cycle or survey.opens_at.year}）",
            "statistics_name": survey.name_ja,
            "survey_date": survey.opens_at.strftime("%Y%m"),
            "explanation": f"オンライン調査の回答（調査票 {d.title_ja} 第{d.version}版）を地域別に集計したもの。",
        },
        "data": {
            "format": "csv",
            "skip_rows": "1",
            "columns": {"area": {"code": "1", "name": "2"}, "time": {"code": "3", "name": "4"}},
            "values": [{"column": str(5 + i), "cat01": c[0]} for i, c in enumerate(cols)],
        },
        "dimensions": {
            "cat01": {"name": "集計項目", "items": [{"code": c[0], "name": c[1], "unit": c[2] or "-"} for c in cols]},
            "area": {"name": "地域", "items": "data"},
            "time": {"name": "時間軸", "items": "data"},
        },
    }
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()


def data(survey: SurveyRow, totals: dict[str, list[Decimal]], names: dict[str, str]) -> bytes:
    out = io.StringIO()
    w = csv_writer(out)
    w.writerow(
        ["地域コード", "地域", "時間軸コード", "時間軸", *(f"v{i}" for i in range(len(next(iter(totals.values())))))]
    )
    time = f"{survey.opens_at.year}000000"
    for code in sorted(totals):
        w.writerow([code, names.get(code, code), time, f"{survey.opens_at.year}年", *(str(v) for v in totals[code])])
    return out.getvalue().encode()


async def run(uow: UnitOfWork, survey_id: uuid.UUID, now: dt.datetime | None = None) -> str:
    """Aggregate and register; answers the new table's statsDataId. Refused before the deadline and
    when already handed off (the job runs it once per survey)."""
    now = now or dt.datetime.now(dt.UTC)
    survey = await surveys.get(uow, survey_id)
    if survey.handed_off_at is not None:
        raise InvalidTransition(f"引渡し済みです（{survey.stats_data_id}）/ already handed off")
    if now < survey.deadline_at:
        raise InvalidTransition("締切前は引き渡せません / not before the deadline")
    if survey.gov_stat_code is None:
        raise InvalidInput.field("gov_stat_code", "政府統計コードが設定されていません / the survey names no statistic")
    d = await forms.definition(uow, survey)
    totals = await aggregate(uow, survey_id, d)
    if not totals:
        raise InvalidTransition("回答がありません / no answers to hand off")
    names = {c: a.name for c, a in (await area.valid_on(uow, survey.opens_at.date())).items() if c in totals}
    upload = statdb.Upload(params(survey, d, survey.gov_stat_code), data(survey, totals, names), "answers.csv")
    table = await statdb.register(uow, upload, test_mode=True)
    await uow.execute(
        "UPDATE online_survey SET handed_off_at = $2, stats_data_id = $3 WHERE id = $1",
        survey_id,
        now,
        table.stats_data_id,
    )
    units = int(sum(t[0] for t in totals.values()))
    await emit(
        uow, HandedOff(survey_id=survey_id, stats_data_id=table.stats_data_id, units=units), tenant_id=survey.tenant_id
    )
    await audit(
        uow,
        "online.handed_off",
        tenant_id=survey.tenant_id,
        target_type="online_survey",
        target_id=survey_id,
        module="online",
        stats_data_id=table.stats_data_id,
        units=units,
    )
    return table.stats_data_id
