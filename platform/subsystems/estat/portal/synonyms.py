"""ESTAT-1: the operator's synonym list (同義語辞書) that keyword search expands words with.

A pair works both ways (api/search.expand): a synonym finds what its word finds and the other
way round. Only the operator changes the list (estat_synonym is shared reference data: everyone
reads it, row-level security lets only the operator write); every change is audited in the
same transaction.
"""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import Conflict, InvalidInput, NotFound
from govstat.platform.events.audit import audit
from govstat.platform.subsystems.estat.portal.rows import Synonym

MODULE = "estat"


def _norm(word: str) -> str:
    return " ".join(word.replace("\u3000", " ").split())


async def list_synonyms(uow: UnitOfWork, q: str = "") -> list[Synonym]:
    w = Where()
    if q:
        w.add("(word ILIKE {0} OR synonym ILIKE {0})", f"%{q}%")
    return await uow.rows(
        Synonym, f"SELECT id, word, synonym, created_at FROM estat_synonym WHERE {w} ORDER BY word, synonym", *w.args
    )


async def add(uow: UnitOfWork, word: str, synonym: str) -> Synonym:
    word, synonym = _norm(word), _norm(synonym)
    if not word or not synonym:
        raise InvalidInput.field("word", "語と同義語を入力してください / give a word and its synonym")
    if " " in word or " " in synonym:
        raise InvalidInput.field(
            "synonym",
            "空白を含まない1語にしてください / one word without spaces (spaces separate keywords in a search)",
        )
    if word == synonym:
        raise InvalidInput.field("synonym", "語と同じです / the same as the word")
    if await uow.fetchval("SELECT 1 FROM estat_synonym WHERE (word, synonym) IN (($1, $2), ($2, $1))", word, synonym):
        raise Conflict(f"「{word}」と「{synonym}」は登録済みです / already in the list")
    row = await uow.one(
        Synonym,
        "INSERT INTO estat_synonym (word, synonym) VALUES ($1, $2) RETURNING id, word, synonym, created_at",
        word,
        synonym,
    )
    await audit(
        uow,
        "estat.synonym.added",
        tenant_id=None,
        target_type="estat_synonym",
        target_id=row.id,
        module=MODULE,
        word=word,
        synonym=synonym,
    )
    return row


async def remove(uow: UnitOfWork, synonym_id: int) -> None:
    row = await uow.fetchrow("DELETE FROM estat_synonym WHERE id = $1 RETURNING word, synonym", synonym_id)
    if row is None:
        raise NotFound("同義語が見つかりません / synonym not found")
    await audit(
        uow,
        "estat.synonym.removed",
        tenant_id=None,
        target_type="estat_synonym",
        target_id=synonym_id,
        module=MODULE,
        word=row["word"],
        synonym=row["synonym"],
    )
