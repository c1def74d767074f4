"""Response flags of the survey history (調査履歴: selected, responded): after a survey's collection the
operator records, per draw, which selected units responded and which did not. The burden ledger and
a unit's history show them; a unit the draw did not select is refused, naming its place in the list."""

from __future__ import annotations

import uuid
from typing import Annotated

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.events.audit import audit

Ids = Annotated[list[Annotated[int, msgspec.Meta(ge=1, le=10**15)]], msgspec.Meta(max_length=100_000)]


class ResponsesIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    responded: Ids = []
    not_responded: Ids = []


class ResponsesOut(msgspec.Struct, kw_only=True):
    draw_id: uuid.UUID
    responded: int
    not_responded: int
    unknown: int  # selected units with no flag yet


async def record(uow: UnitOfWork, draw_id: uuid.UUID, data: ResponsesIn) -> ResponsesOut:
    if not await uow.fetchval("SELECT 1 FROM frame_draw WHERE id = $1 AND NOT test", draw_id):
        raise NotFound(f"抽出 {draw_id} はありません（試行抽出は調査履歴に残りません） / no such real draw")
    both = set(data.responded) & set(data.not_responded)
    if both:
        raise InvalidInput.field("not_responded", f"回答と無回答の両方にあります / in both lists: {min(both)}")
    selected = {r[0] for r in await uow.fetch("SELECT establishment_id FROM frame_burden WHERE draw_id = $1", draw_id)}
    for field, ids in (("responded", data.responded), ("not_responded", data.not_responded)):
        for i, unit in enumerate(ids):
            if unit not in selected:
                raise InvalidInput.field(f"{field}[{i}]", f"{unit} はこの抽出で選ばれていません / not selected")
    for flag, ids in ((True, data.responded), (False, data.not_responded)):
        if ids:
            await uow.execute("UPDATE frame_burden SET responded = $3 WHERE draw_id = $1"
                              " AND establishment_id = ANY($2::bigint[])", draw_id, list(ids), flag)  # fmt: skip
    counts = await uow.fetchrow("SELECT count(*) FILTER (WHERE responded) AS yes, count(*) FILTER (WHERE NOT responded)"
                                " AS no, count(*) FILTER (WHERE responded IS NULL) AS open FROM frame_burden"
                                " WHERE draw_id = $1", draw_id)  # fmt: skip
    assert counts is not None
    await audit(uow, "frame.draw.responses", tenant_id=None, target_type="frame_draw", target_id=draw_id,
                module="frame", responded=len(data.responded), not_responded=len(data.not_responded))  # fmt: skip
    return ResponsesOut(draw_id=draw_id, responded=counts["yes"], not_responded=counts["no"], unknown=counts["open"])
