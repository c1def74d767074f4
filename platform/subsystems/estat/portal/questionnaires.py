"""ESTAT-4 アンケート: the operator builds a questionnaire (single choice, multiple choice, free
text; required or not), publishes it, closes it and reads the results; anyone (or only registered
users) answers it once.

"Once" is per respondent: a registered user is its user id; an anonymous browser is a random
cookie, kept here only as a keyed hash ("anon:<sha256>"). The respondent acts as itself for the
answer (app.actor), so row-level security lets it write and read its own response only, and only
while the questionnaire is published; the unique (questionnaire, respondent) key refuses a second
response even from two requests at once. Results (counts per choice, free texts) are the
operator's; counts alone may be shown to the public when the operator says so (show_results) —
read then in the platform scope, aggregated, never a single response.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from typing import Any

from govstat.platform.db.rows import columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import Conflict, FieldError, Forbidden, InvalidInput, InvalidTransition, NotFound
from govstat.platform.events.audit import audit
from govstat.platform.security import Scope
from govstat.platform.settings import get_settings
from govstat.platform.subsystems.estat.portal.rows import (
    Question,
    Questionnaire,
    QuestionnaireDetail,
    QuestionnaireListed,
    Shown,
)
from govstat.platform.subsystems.estat.portal.schemas import QuestionnaireIn

MODULE = "estat"
KINDS = {"single": "単一回答 / single choice", "multiple": "複数回答 / multiple choice", "text": "自由記述 / free text"}
STATUS = {"draft": "作成中 / draft", "published": "公開中 / open", "closed": "終了 / closed"}
MAX_TEXT = 4000


def anonymous_respondent(token: str) -> str:
    digest = hmac.new(get_settings().secret_key.encode(), token.encode(), hashlib.sha256).hexdigest()
    return f"anon:{digest}"


async def create(uow: UnitOfWork, data: QuestionnaireIn) -> QuestionnaireDetail:
    errors = []
    for n, q in enumerate(data.questions, start=1):
        choices = [c.strip() for c in q.choices if c.strip()]
        if q.kind == "text" and choices:
            errors.append(
                FieldError(f"questions[{n}].choices", "自由記述に選択肢は不要です / free text has no choices")
            )
        if q.kind != "text" and len(choices) < 2:
            errors.append(FieldError(f"questions[{n}].choices", "選択肢を2つ以上 / at least two choices"))
        if len(set(choices)) != len(choices):
            errors.append(FieldError(f"questions[{n}].choices", "選択肢が重複しています / duplicate choices"))
    if errors:
        raise InvalidInput("; ".join(f"{e.field}: {e.message}" for e in errors), errors=errors)
    qid = uuid.uuid4()
    await uow.execute(
        "INSERT INTO estat_questionnaire (id, title, description, audience, show_results, created_by)"
        " VALUES ($1, $2, $3, $4, $5, $6)",
        qid,
        data.title.strip(),
        data.description.strip(),
        data.audience,
        data.show_results,
        uow.scope.actor,
    )
    for n, q in enumerate(data.questions, start=1):
        await uow.execute(
            "INSERT INTO estat_question (id, questionnaire_id, position, kind, text, required, choices)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)",
            uuid.uuid4(),
            qid,
            n,
            q.kind,
            q.text.strip(),
            q.required,
            json.dumps([c.strip() for c in q.choices if c.strip()], ensure_ascii=False),
        )
    await audit(
        uow,
        "estat.questionnaire.created",
        tenant_id=None,
        target_type="estat_questionnaire",
        target_id=qid,
        module=MODULE,
        title=data.title,
        questions=len(data.questions),
    )
    return await get(uow, qid)


async def get(uow: UnitOfWork, qid: uuid.UUID) -> QuestionnaireDetail:
    row = await uow.row(
        QuestionnaireDetail, f"SELECT {columns(Questionnaire)} FROM estat_questionnaire WHERE id = $1", qid
    )
    if row is None:
        raise NotFound("アンケートが見つかりません / questionnaire not found")
    row.questions = await uow.rows(
        Question,
        f"SELECT {columns(Question)} FROM estat_question WHERE questionnaire_id = $1 ORDER BY position",
        qid,
    )
    return row


async def list_all(uow: UnitOfWork, *, status: str | None = None) -> list[QuestionnaireListed]:
    w = Where().eq("q.status", status)
    return await uow.rows(
        QuestionnaireListed,
        f"SELECT {columns(Questionnaire, 'q.')},"
        " (SELECT count(*) FROM estat_response r WHERE r.questionnaire_id = q.id) AS responses"
        f" FROM estat_questionnaire q WHERE {w} ORDER BY q.created_at DESC",
        *w.args,
    )


async def transition(uow: UnitOfWork, qid: uuid.UUID, to: str) -> QuestionnaireDetail:
    row = await uow.fetchrow("SELECT status FROM estat_questionnaire WHERE id = $1 FOR UPDATE", qid)
    if row is None:
        raise NotFound("アンケートが見つかりません / questionnaire not found")
    allowed = {"published": "draft", "closed": "published"}
    if allowed.get(to) != row["status"]:
        raise InvalidTransition(
            f"{STATUS[row['status']]} から {STATUS[to]} にはできません / cannot go from {row['status']} to {to}"
        )
    column = "published_at" if to == "published" else "closed_at"
    await uow.execute(f"UPDATE estat_questionnaire SET status = $2, {column} = now() WHERE id = $1", qid, to)
    await audit(
        uow,
        f"estat.questionnaire.{to}",
        tenant_id=None,
        target_type="estat_questionnaire",
        target_id=qid,
        module=MODULE,
    )
    return await get(uow, qid)


async def answered(uow: UnitOfWork, qid: uuid.UUID) -> bool:
    """Whether the unit of work's actor (the respondent) has answered already."""
    return bool(
        await uow.fetchval(
            "SELECT 1 FROM estat_response WHERE questionnaire_id = $1 AND respondent = $2", qid, uow.scope.actor
        )
    )


def check(
    questionnaire: QuestionnaireDetail, answers: dict[str, list[int] | str]
) -> list[tuple[uuid.UUID, int | None, str | None]]:
    """The answer rows, or InvalidInput naming each question that is wrong (unknown ones too)."""
    errors: list[FieldError] = []
    rows: list[tuple[uuid.UUID, int | None, str | None]] = []
    known = {str(q.id) for q in questionnaire.questions}
    for key in answers:
        if key not in known:
            errors.append(FieldError(key, "この設問はありません / no such question"))
    for q in questionnaire.questions:
        key, given = str(q.id), answers.get(str(q.id))
        label = f"問{q.position}"
        if q.kind == "text":
            text = given.strip() if isinstance(given, str) else ""
            if len(text) > MAX_TEXT:
                errors.append(FieldError(key, f"{label}: {MAX_TEXT}文字までです / at most {MAX_TEXT} characters"))
            elif text:
                rows.append((q.id, None, text))
            elif q.required:
                errors.append(FieldError(key, f"{label}: 回答してください / required"))
            continue
        picked = given if isinstance(given, list) else ([] if given in (None, "") else None)
        if picked is None or any(not isinstance(c, int) or not 0 <= c < len(q.choices) for c in picked):
            errors.append(FieldError(key, f"{label}: 選択肢から選んでください / pick from the choices"))
            continue
        picked = sorted(set(picked))
        if q.kind == "single" and len(picked) > 1:
            errors.append(FieldError(key, f"{label}: 1つだけ選んでください / pick one"))
        elif not picked and q.required:
            errors.append(FieldError(key, f"{label}: 回答してください / required"))
        else:
            rows += [(q.id, c, None) for c in picked]
    if errors:
        raise InvalidInput("; ".join(e.message for e in errors), errors=errors)
    return rows


async def respond(uow: UnitOfWork, qid: uuid.UUID, answers: dict[str, list[int] | str], *, registered: bool) -> dict:
    """Store one response. The unit of work acts as the respondent (a user id or "anon:<hash>")."""
    questionnaire = await get(uow, qid)
    if questionnaire.status != "published":
        raise InvalidTransition("このアンケートは回答を受け付けていません / this questionnaire is not open")
    if questionnaire.audience == "registered" and not registered:
        raise Forbidden("登録利用者の方が回答できます。サインインしてください / for registered users: sign in first")
    rows = check(questionnaire, answers)
    response_id = uuid.uuid4()
    status = await uow.execute(
        "INSERT INTO estat_response (id, questionnaire_id, respondent) VALUES ($1, $2, $3)"
        " ON CONFLICT (questionnaire_id, respondent) DO NOTHING",
        response_id,
        qid,
        uow.scope.actor,
    )
    if status.endswith(" 0"):
        raise Conflict("回答済みです。回答は1回だけです / you have answered this questionnaire already")
    if rows:
        await uow.connection.executemany(
            "INSERT INTO estat_answer (response_id, question_id, choice, text) VALUES ($1, $2, $3, $4)",
            [(response_id, q, c, t) for q, c, t in rows],
        )
    return {"id": response_id, "questionnaire_id": qid}


async def results(uow: UnitOfWork, qid: uuid.UUID, *, texts: bool = True) -> dict[str, Any]:
    """Counts per choice of every question, the number of respondents, and (for the operator) the texts."""
    questionnaire = await get(uow, qid)
    respondents = await uow.fetchval("SELECT count(*) FROM estat_response WHERE questionnaire_id = $1", qid)
    counts = await uow.fetch(
        "SELECT a.question_id, a.choice, count(*) AS n FROM estat_answer a JOIN estat_question q"
        " ON q.id = a.question_id WHERE q.questionnaire_id = $1 AND a.choice IS NOT NULL"
        " GROUP BY a.question_id, a.choice",
        qid,
    )
    answered_by = await uow.fetch(
        "SELECT a.question_id, count(DISTINCT a.response_id) AS n FROM estat_answer a"
        " JOIN estat_question q ON q.id = a.question_id WHERE q.questionnaire_id = $1"
        " GROUP BY a.question_id",
        qid,
    )
    by = {(r["question_id"], r["choice"]): r["n"] for r in counts}
    answered_n = {r["question_id"]: r["n"] for r in answered_by}
    free: dict[uuid.UUID, list[dict[str, Any]]] = {}
    if texts:
        for r in await uow.fetch(
            "SELECT a.question_id, a.text, r.answered_at FROM estat_answer a"
            " JOIN estat_response r ON r.id = a.response_id WHERE r.questionnaire_id = $1"
            " AND a.text IS NOT NULL ORDER BY r.answered_at",
            qid,
        ):
            free.setdefault(r["question_id"], []).append({"text": r["text"], "answered_at": r["answered_at"]})
    out = []
    for q in questionnaire.questions:
        item: dict[str, Any] = {
            "id": q.id,
            "position": q.position,
            "kind": q.kind,
            "text": q.text,
            "required": q.required,
            "answered": answered_n.get(q.id, 0),
        }
        if q.kind == "text":
            if texts:
                item["texts"] = free.get(q.id, [])
        else:
            item["choices"] = [
                {"choice": n, "label": label, "count": by.get((q.id, n), 0)} for n, label in enumerate(q.choices)
            ]
        out.append(item)
    return {
        "id": qid,
        "title": questionnaire.title,
        "status": questionnaire.status,
        "respondents": respondents,
        "questions": out,
    }


async def public_results(qid: uuid.UUID) -> dict[str, Any] | None:
    """Counts only, when the operator lets the public see them (platform scope, aggregates only)."""
    async with UnitOfWork(Scope.system("estat.portal.questionnaire")) as uow:
        q = await uow.row(Shown, "SELECT show_results, status FROM estat_questionnaire WHERE id = $1", qid)
        if q is None or not q.show_results or q.status == "draft":
            return None
        return await results(uow, qid, texts=False)
