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


async def _hits(scope: Scope, groups: list[str], codes: list[str], survey=(None, None)) -> set[int]:
    async with UnitOfWork(scope) as uow:
        rows = await uow.fetch(
            "SELECT table_id FROM statdb_search_hits($1::text[], $2::text[], $3, $4, false)",
            [japanese.tsquery(g) or "" for g in groups],
            codes,
            *survey,
        )
    return {r["table_id"] for r in rows}


async def test_search_hits_answers_published_tables_only_with_every_group_and_the_period():
    """statdb_search_hits (migration statdb_0008) is published_table's condition: an owner's draft
    is not a hit even to its owner, a table published ahead of its time neither; each group matches
    by its words or by its statistic's code; the survey period is surveyYears' overlap."""
    owner = await agency()
    word = f"掲載語{owner.code}"
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        params = small_params(1).replace("テスト表 1".encode(), f"賃金の{word}".encode())
        table = await service.register(uow, service.Upload(params, small_csv(4), "t.csv"))
        code, survey = await uow.fetchrow("SELECT gov_stat_code, survey_date FROM stat_table WHERE id = $1", table.id)
    assert table.id not in await _hits(Scope.tenant(owner.id), [word], [""])  # a draft, even to its owner
    async with UnitOfWork(Scope.system("test")) as uow:
        await uow.execute(
            "UPDATE stat_table SET status = 'published', publish_at = now() + interval '1 hour', published_at = now()"
            " WHERE id = $1",
            table.id,
        )
    assert table.id not in await _hits(Scope(), [word], [""])
    async with UnitOfWork(Scope.system("test")) as uow:
        await uow.execute("UPDATE stat_table SET publish_at = now() - interval '1 minute' WHERE id = $1", table.id)
    assert table.id in await _hits(Scope(), [word], [""])
    assert table.id in await _hits(Scope(), [word, "賃金"], ["", ""])
    assert table.id not in await _hits(Scope(), [word, "存在しない題名語"], ["", ""])
    assert table.id in await _hits(Scope(), [word, "存在しない題名語"], ["", f"00000000,{code}"])  # by its statistic
    year = int(survey[:4])
    assert table.id in await _hits(Scope(), [word], [""], (f"{year}01", f"{year}12"))
    assert table.id not in await _hits(Scope(), [word], [""], (f"{year + 1}01", f"{year + 2}12"))
    async with UnitOfWork(Scope.system("test")) as uow:  # withdrawn: gone from the hits
        await uow.execute(
            "UPDATE stat_table SET withdrawn_at = now(), withdrawn_reason = '試験' WHERE id = $1", table.id
        )
    assert table.id not in await _hits(Scope(), [word], [""])
