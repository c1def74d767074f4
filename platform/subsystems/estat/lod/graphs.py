"""The linked-data read model: each published table's RDF, kept in step with publications.

The `estat-lod` consumer follows statdb's domain events (TablePublished, TableScheduled,
TableDeleted) and writes the table's *current* state: its whole Data Cube (cube.py) while it is
published and due, nothing (data NULL) once it is not. A redelivered or late event can only bring
the row up to date. Every write takes a new generation; each app process's SPARQL store
(store.py) loads what changed since the generation it holds (docs/decisions/0013)."""

from __future__ import annotations

import gzip
import logging
from typing import Any

import msgspec
import pyoxigraph as ox

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.events.consumer import Consumer
from govstat.platform.events.envelope import Envelope
from govstat.platform.subsystems.estat.lod import source
from govstat.platform.subsystems.statdb.events import (
    TableDeleted,
    TablePublished,
    TableRevised,
    TableScheduled,
    TableWithdrawn,
)

log = logging.getLogger("govstat.estat.lod")

UPSERT = """
INSERT INTO estat_lod_graph (stats_data_id, data, triples, generation, updated_at)
VALUES ($1, $2, $3, nextval('estat_lod_generation'), now())
ON CONFLICT (stats_data_id) DO UPDATE SET data = excluded.data, triples = excluded.triples,
  generation = excluded.generation, updated_at = now()
"""


class Change(msgspec.Struct, kw_only=True):
    stats_data_id: str
    generation: int
    data: bytes | None = None


async def refresh(uow: UnitOfWork, stats_data_id: str) -> int:
    """Write the table's graph as it is now (empty when it is not published); its triple count."""
    triples = await source.whole(uow, stats_data_id)
    if triples is None:
        await uow.execute(UPSERT, stats_data_id, None, 0)
        return 0
    data = gzip.compress(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", compresslevel=5)
    await uow.execute(UPSERT, stats_data_id, data, len(triples))
    log.info("lod: %s written (%d triples)", stats_data_id, len(triples))
    return len(triples)


async def changes(uow: UnitOfWork, after: int, *, limit: int = 200) -> list[Change]:
    """The graphs written after generation `after`, oldest first."""
    return await uow.rows(
        Change,
        "SELECT stats_data_id, generation, data FROM estat_lod_graph WHERE generation > $1"
        f" ORDER BY generation LIMIT {int(limit)}",
        after,
    )


async def latest(uow: UnitOfWork) -> int:
    found: int = await uow.fetchval("SELECT coalesce(max(generation), 0) FROM estat_lod_graph")
    return found


class LodConsumer(Consumer):
    name = "estat-lod"
    topic_suffixes = ("domain",)

    async def handle(self, uow: UnitOfWork, event: Envelope[Any]) -> None:
        match event.payload:
            case (
                TablePublished(stats_data_id=sid)
                | TableScheduled(stats_data_id=sid)
                | TableDeleted(stats_data_id=sid)
                | TableRevised(stats_data_id=sid)
                | TableWithdrawn(stats_data_id=sid)
            ) if sid:
                await refresh(uow, sid)
