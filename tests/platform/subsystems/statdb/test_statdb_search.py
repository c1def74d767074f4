"""ESTAT-1 / issue 14: a table's words are searched through statdb_search() (migration statdb_0006),
which applies stat_table's policies itself: its owner's drafts to its owner, published and due
tables to everyone, nothing of another tenant's drafts; the copy it reads is out of the app's reach."""

import datetime as dt

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import service
from govstat.platform.text import japanese
from tests.platform.subsystems.statdb.statdb_support import agency, small_csv, small_params


async def _found(scope: Scope, word: str) -> set[int]:
    async with UnitOfWork(scope) as uow:
        rows = await uow.fetch("SELECT statdb_search($1) AS id", japanese.tsquery(word))
    return {r["id"] for r in rows}


async def test_search_sees_what_the_caller_may_see_and_follows_publication():
    owner, other = await agency(), await agency()
    word = f"秘匿語{owner.code}"
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        params = small_params(1).replace("テスト表 1".encode(), f"人口の{word}".encode())
        table = await service.register(uow, service.Upload(params, small_csv(4), "t.csv"))
    assert table.id in await _found(Scope.tenant(owner.id), word)
    assert table.id in await _found(Scope.tenant(owner.id), "じんこう")  # by reading
    assert table.id not in await _found(Scope.tenant(other.id), word)
    assert table.id not in await _found(Scope(), word)
    async with UnitOfWork(Scope.system("test")) as uow:  # published ahead of its time: still hidden
        await uow.execute(
            "UPDATE stat_table SET status = 'published', publish_at = $2, published_at = now() WHERE id = $1",
            table.id,
            dt.datetime.now(dt.UTC) + dt.timedelta(hours=1),
        )
    assert table.id not in await _found(Scope(), word)
    async with UnitOfWork(Scope.system("test")) as uow:
        await uow.execute("UPDATE stat_table SET publish_at = now() - interval '1 minute' WHERE id = $1", table.id)
        assert await uow.fetchval("SELECT area_level FROM table_area_level WHERE table_id = $1", table.id) == 1
    assert table.id in await _found(Scope(), word)
    assert table.id in await _found(Scope.tenant(other.id), word)
    with pytest.raises(NotFound):  # permission denied for schema statdb_partition
        async with UnitOfWork(Scope.tenant(owner.id)) as uow:
            await uow.fetchval("SELECT count(*) FROM statdb_partition.stat_table_search")
