"""The builder's changes one at a time (changes.py), each validated by the server and stored as the
questionnaire's draft at once: POST /items/builder/{id}/changes takes one change as JSON (the page's
script: drag and drop, the up/down keys, a required flag, range or skip condition edited in place)
and answers the stored order, or RFC 9457 problem details naming the field; POST /items/builder/{id}/add
adds a registered item found by the page's search (a plain form, no JavaScript)."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Request, Router, post
from litestar.response import Redirect

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput
from govstat.platform.module import access
from govstat.platform.security import Role
from govstat.platform.subsystems.items import queries, questionnaires
from govstat.platform.subsystems.items.builder import changes
from govstat.platform.subsystems.items.definition import Definition, decode

BUILDERS = (Role.AGENCY_ADMIN, Role.AGENCY_STAFF, Role.OPERATOR)
MAX_BODY = 64 * 1024


class SectionOrder(msgspec.Struct, kw_only=True):
    id: str
    items: list[str]


class Stored(msgspec.Struct, kw_only=True):
    """The draft after a change: its version and the order of sections and items."""

    version: int
    status: str
    sections: list[SectionOrder]


def stored(d: Definition) -> Stored:
    return Stored(
        version=d.version,
        status="draft",
        sections=[SectionOrder(id=s.id, items=[q.item_id for q in s.questions]) for s in d.sections],
    )


async def save_change(uow: UnitOfWork, questionnaire_id: uuid.UUID, change: changes.Change) -> Definition:
    """Apply one change to the newest version and store the result as the draft (version n+1 when n
    is published: a published version never changes)."""
    latest = await queries.latest(uow, questionnaire_id)  # another tenant's: 404
    return await questionnaires.save_draft(uow, changes.apply(decode(latest.definition), change), questionnaire_id)


@post(
    "/{questionnaire_id:uuid}/changes",
    opt=access(*BUILDERS, op="items.build", audit=True),
    status_code=200,
    include_in_schema=False,
)
async def change(request: Request[Any, Any, Any], uow: UnitOfWork, questionnaire_id: uuid.UUID) -> Stored:
    body = await request.body()
    if len(body) > MAX_BODY:
        raise InvalidInput.field("op", "64KB まで / at most 64 KB")
    return stored(await save_change(uow, questionnaire_id, changes.decode_change(body)))


@post("/{questionnaire_id:uuid}/add", opt=access(*BUILDERS, op="items.build", audit=True), include_in_schema=False)
async def add(request: Request[Any, Any, Any], uow: UnitOfWork, questionnaire_id: uuid.UUID) -> Redirect:
    form = await request.form()
    item_id, section = str(form.get("item_id", ""))[:64], str(form.get("section", ""))[:64]
    await save_change(uow, questionnaire_id, changes.AddItem(item_id=item_id, section=section))
    return Redirect(f"/items/builder/{questionnaire_id}#row-{item_id}", status_code=303)


edits = Router(path="/items/builder", route_handlers=[change, add])
