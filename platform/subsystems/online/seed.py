"""The demo's online survey, end to end (issue 10 §7): MIC builds a household questionnaire from
registered survey items and publishes it, runs a survey cycle with 20 households across Nara's
municipalities, 奈良県 serves five of them as intermediary (paper answers), 18 answer, and after the
deadline the answers are handed off to the statistical database, promoted and published: the
portal shows a table that came from online answers. Everything goes through the modules' own use
cases, in the scopes the real callers have (agency, respondent, intermediary)."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import uuid

from govstat.platform import directory
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.passwords import hash_password
from govstat.platform.security import Scope
from govstat.platform.subsystems.items import questionnaires
from govstat.platform.subsystems.items import service as items
from govstat.platform.subsystems.items.definition import decode_yaml
from govstat.platform.subsystems.items.schemas import CodeListIn, ItemIn
from govstat.platform.subsystems.online import handoff, respondents, submissions, surveys
from govstat.platform.subsystems.online.intermediaries import service as intermediaries
from govstat.platform.subsystems.online.schemas import SurveyIn
from govstat.platform.subsystems.statdb import service as statdb

DEMO_LOGIN = "R00000000001"
NARA = [
    ("29201", "奈良市"), ("29202", "大和高田市"), ("29203", "大和郡山市"), ("29204", "天理市"), ("29205", "橿原市"),
    ("29206", "桜井市"), ("29207", "五條市"), ("29208", "御所市"), ("29209", "生駒市"), ("29210", "香芝市"),
    ("29211", "葛城市"), ("29212", "宇陀市"), ("29342", "平群町"), ("29343", "三郷町"), ("29344", "斑鳩町"),
    ("29361", "川西町"), ("29363", "田原本町"), ("29385", "高取町"), ("29424", "上牧町"), ("29427", "広陵町"),
]  # fmt: skip
VIA_PREFECTURE = ["29342", "29343", "29344", "29361", "29363"]  # the towns 奈良県 serves as intermediary
SILENT = {"29212", "29385"}  # two households that never answer

QUESTIONNAIRE = """
survey: "00200521"
cycle: "2026"
respondent_unit: household
title_ja: 世帯の状況に関する調査票
title_en: Household situation questionnaire
code_lists:
  - {id: demo_sex, name_ja: 男女, options: [{code: "1", label_ja: 男, label_en: Male}, {code: "2", label_ja: 女, label_en: Female}]}
sections:
  - id: household
    title_ja: 世帯について
    title_en: The household
    questions:
      - {item_id: demo_hh_name, label_ja: 世帯主の氏名, label_en: Name of the head, answer_type: text, max_length: 40, preprint: true, locked: true}
      - {item_id: demo_hh_members, label_ja: 世帯員数, label_en: Household members, answer_type: integer, unit: 人, minimum: 1, maximum: 30, required: true}
      - {item_id: demo_hh_male, label_ja: 男の人数, label_en: Males, answer_type: integer, unit: 人, minimum: 0, maximum: 30, required: true}
      - {item_id: demo_hh_female, label_ja: 女の人数, label_en: Females, answer_type: integer, unit: 人, minimum: 0, maximum: 30, required: true}
  - id: head
    title_ja: 世帯主について
    title_en: The head of household
    questions:
      - {item_id: demo_head_sex, label_ja: 世帯主の男女, label_en: Sex of the head, answer_type: code, code_list: demo_sex, required: true}
      - {item_id: demo_head_works, label_ja: 仕事の有無, label_en: Works, answer_type: boolean, required: true}
      - {item_id: demo_head_hours, label_ja: 週間就業時間, label_en: Hours worked per week, answer_type: decimal, unit: 時間, minimum: 0, maximum: 168, required: true, show_if: demo_head_works = true}
edit_checks:
  - {id: members_sum, rule: demo_hh_members == demo_hh_male + demo_hh_female, message_ja: 世帯員数は男女の合計と一致しません, message_en: Members must equal males plus females}
"""


async def _questionnaire(uow: UnitOfWork) -> uuid.UUID:
    d = decode_yaml(QUESTIONNAIRE)
    for c in d.code_lists:
        await items.save_code_list(uow, CodeListIn(id=c.id, name_ja=c.name_ja, options=list(c.options)))
    for s in d.sections:
        for q in s.questions:
            await items.save_item(
                uow,
                ItemIn(
                    id=q.item_id, label_ja=q.label_ja, label_en=q.label_en, answer_type=q.answer_type, unit=q.unit,
                    minimum=q.minimum, maximum=q.maximum, max_length=q.max_length, code_list_id=q.code_list,
                ),
            )  # fmt: skip
    draft = await questionnaires.save_draft(uow, d)
    qid = uuid.UUID(draft.questionnaire_id)
    await questionnaires.publish(uow, qid)
    return qid


def _roster() -> bytes:
    lines = ["respondent_id,unit_name,address,area_code,email,pre:demo_hh_name"]
    for i, (code, town) in enumerate(NARA, start=1):
        lines.append(
            f"N{i:03d},世帯{i:02d},奈良県{town}{i}-{i}-{i},{code},household{i:02d}@example.jp,奈良 花子{i:02d}"
        )
    return ("\n".join(lines) + "\n").encode()


def _answers(rng: random.Random, name: str) -> dict[str, str]:
    male, female = rng.randint(0, 3), rng.randint(1, 3)
    works = rng.random() < 0.6
    a = {"demo_hh_name": name, "demo_hh_members": str(male + female), "demo_hh_male": str(male)}
    a |= {
        "demo_hh_female": str(female),
        "demo_head_sex": rng.choice("12"),
        "demo_head_works": "はい" if works else "いいえ",
    }
    return a | ({"demo_head_hours": str(rng.randint(20, 50))} if works else {})


async def seed_demo() -> str:
    """The demo survey of MIC (mic) with 奈良県 (nara-pref) as intermediary; the published statsDataId."""
    async with UnitOfWork(Scope.system("seed")) as uow:
        mic, nara = await directory.tenant_id(uow, "mic"), await directory.tenant_id(uow, "nara-pref")
    assert mic is not None and nara is not None, "the demo tenants mic and nara-pref"
    sid = await seed_online(mic, nara, "nara-pref")
    await asyncio.sleep(1.1)
    async with UnitOfWork(Scope.system("seed")) as uow:
        await statdb.publish_due(uow)
    return sid


async def seed_online(mic: uuid.UUID, nara: uuid.UUID, nara_code: str) -> str:
    """Run the demo survey end to end; answers the statsDataId of its table (scheduled to publish)."""
    agency = Scope.tenant(mic, role="agency", actor="seed")
    now = dt.datetime.now(dt.UTC)
    async with UnitOfWork(agency) as uow:
        qid = await _questionnaire(uow)
        data = SurveyIn(
            code="hh-2026", name_ja="世帯の状況に関する試験調査（令和8年）", name_en="Household situation pilot survey 2026",
            cycle="2026年", gov_stat_code="00200521", questionnaire_id=qid, questionnaire_version=1,
            opens_at=now - dt.timedelta(days=30), deadline_at=now - dt.timedelta(hours=1),
            retention_until=(now + dt.timedelta(days=5 * 365)).date(),
        )  # fmt: skip
        survey = await surveys.create(uow, data)
        letters = await respondents.import_list(uow, survey.id, _roster())
        await uow.execute(
            "UPDATE online_respondent SET login = $2, password_hash = $3, must_change = false WHERE id = $1",
            letters[0].respondent_id,
            DEMO_LOGIN,
            await hash_password(f"{DEMO_LOGIN}-demo-2026!"),
        )
        await intermediaries.grant(uow, survey.id, nara_code, VIA_PREFECTURE)
        units = await uow.fetch(
            "SELECT id, respondent_id, area_code, unit_name FROM online_unit WHERE survey_id = $1", survey.id
        )
    rng = random.Random(2026)
    for u in sorted(units, key=lambda r: r["area_code"]):
        if u["area_code"] in SILENT:
            continue
        paper = u["area_code"] in VIA_PREFECTURE
        scope = (
            Scope.tenant(nara, role="intermediary", actor="seed")
            if paper
            else Scope(tenant_id=mic, role="respondent", actor=str(u["respondent_id"]))
        )
        name = "奈良 花子" + u["unit_name"].removeprefix("世帯")
        when = now - dt.timedelta(days=rng.randint(2, 25), minutes=rng.randint(0, 600))
        async with UnitOfWork(scope) as uow:
            await submissions.submit(
                uow, u["id"], _answers(rng, name), base_version=0, channel="paper" if paper else "web", now=when
            )
    async with UnitOfWork(agency) as uow:
        sid = await handoff.run(uow, survey.id)
        await statdb.promote(uow, sid)
        await statdb.schedule(uow, sid, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    return sid
