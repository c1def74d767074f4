"""postDataset and refDataset: saved narrowing conditions ("datasets") of a registered user."""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api import dataset_areas, params, table_refs
from govstat.platform.subsystems.estat.api.faults import EstatFault, invalid, missing
from govstat.platform.subsystems.estat.api.result import result
from govstat.platform.subsystems.estat.api.rows import Dataset

CONDITION_KEYS = tuple(
    f"{p}{s}{e}" for s in params.DIMENSIONS for p, e in (("lv", ""), ("cd", ""), ("cd", "From"), ("cd", "To"))
)


async def load(uow: UnitOfWork, dataset_id: str) -> Dataset:
    row = await uow.row(
        Dataset,
        "SELECT dataset_id, name, stats_data_id, conditions, public, owner_id FROM estat_dataset WHERE dataset_id = $1",
        dataset_id,
    )
    if row is None:
        raise EstatFault(104, dataset_id)
    return row


async def post_dataset(uow: UnitOfWork, q: Mapping[str, str], *, owner: str, units: list[int]) -> dict[str, Any]:
    mode = q.get("processMode") or "E"
    if mode not in ("E", "D"):
        raise invalid("processMode", mode)
    if mode == "D":
        return await _delete(uow, q, owner=owner, units=units)
    sid = params.stats_data_id(q)
    params.narrowings(q)  # validate the conditions before keeping them
    await table_refs.published(uow, sid)  # type: ignore[arg-type]
    conditions = {k: q[k] for k in CONDITION_KEYS if q.get(k)}
    public = q.get("openSpecified", "0")
    if public not in ("0", "1"):
        raise invalid("openSpecified", public)
    dataset_id = q.get("dataSetId") or "ds" + secrets.token_hex(8)
    name = q.get("dataSetName", "")[:200]
    status = await uow.execute(
        "INSERT INTO estat_dataset (id, dataset_id, owner_id, name, stats_data_id, conditions, public)"
        " VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) ON CONFLICT (dataset_id) DO UPDATE SET name = excluded.name,"
        " stats_data_id = excluded.stats_data_id, conditions = excluded.conditions, public = excluded.public"
        " WHERE estat_dataset.owner_id = excluded.owner_id",
        uuid.uuid4(),
        dataset_id,
        uuid.UUID(owner),
        name,
        sid,
        json.dumps(conditions),
        public == "1",
    )
    if status.endswith(" 0"):
        raise invalid("dataSetId", dataset_id)  # someone else's id
    units.append(1)
    return {
        "POST_DATASET": {
            "RESULT": result(0),
            "PARAMETER": {
                "PROCESS_MODE": "E",
                "DATASET_ID": dataset_id,
                "STATS_DATA_ID": sid,
                **({"DATASET_NAME": name} if name else {}),
            },
            "DATASET_ID": dataset_id,
        }
    }


async def _delete(uow: UnitOfWork, q: Mapping[str, str], *, owner: str, units: list[int]) -> dict[str, Any]:
    """processMode=D: the owner's dataset is deleted; someone else's or an unknown id is an error."""
    dataset_id = q.get("dataSetId") or ""
    if not dataset_id:
        raise missing("dataSetId")
    status = await uow.execute(
        "DELETE FROM estat_dataset WHERE dataset_id = $1 AND owner_id = $2", dataset_id, uuid.UUID(owner)
    )
    if status.endswith(" 0"):
        raise EstatFault(104, dataset_id)
    units.append(1)
    return {
        "POST_DATASET": {
            "RESULT": result(0),
            "PARAMETER": {"PROCESS_MODE": "D", "DATASET_ID": dataset_id},
            "DATASET_ID": dataset_id,
        }
    }


async def ref_dataset(uow: UnitOfWork, q: Mapping[str, str], *, owner: str, units: list[int]) -> dict[str, Any]:
    if q.get("dataSetId"):
        ds = await load(uow, q["dataSetId"])
        rows = [ds]
    else:
        rows = await uow.rows(
            Dataset,
            "SELECT dataset_id, name, stats_data_id, conditions, public FROM estat_dataset WHERE owner_id = $1"
            " ORDER BY created_at",
            uuid.UUID(owner),
        )
    rows = await dataset_areas.narrowed(uow, q, rows)
    items = []
    for r in rows:
        narrowing = {k: v for n in params.narrowings(r.conditions) for k, v in n.echo().items()}
        items.append(
            {
                "@id": r.dataset_id,
                "DATASET_NAME": r.name,
                "PUBLIC_STATE": "yes" if r.public else "no",
                "TABLE_INF": {"@id": r.stats_data_id},
                **({"NARROWING_COND": narrowing} if narrowing else {}),
            }
        )
    units.append(len(items))
    parameter = {
        "DATASET_ID": q.get("dataSetId", ""),
        **({"COLLECT_AREA": q["collectArea"]} if q.get("collectArea") else {}),
    }
    body: dict[str, Any] = {"RESULT": result(0 if items else 1), "PARAMETER": parameter}
    if items:
        body["DATASET_LIST_INF" if not q.get("dataSetId") else "DATASET_INF"] = (
            {"DATASET_INF": items if len(items) > 1 else items[0]} if not q.get("dataSetId") else items[0]
        )
    return {"REF_DATASET": body}
