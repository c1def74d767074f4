"""Crafted files on the streamed upload's path (streamed.py, pieces.py): whatever the file holds, the
answer is the usual path's (stored as it stores it, or 4xx naming the line), never a 500, and nothing
is left half-written."""

import pytest

from tests.platform.subsystems.statdb.statdb_support import agency, counts, multipart
from tests.support.factories import api_key
from tests.support.statdb_factories import long_csv, params, small_pieces, stored_rows


@pytest.fixture(autouse=True)
def _small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    small_pieces(monkeypatch)


def _with_cell(row: int, column: int, inject: str) -> bytes:
    """`long_csv()` with `inject` put in the middle of one cell of data row `row` (its last piece)."""
    lines = long_csv().decode().split("\n")
    cells = lines[row].split(",")
    cells[column] = cells[column][:2] + inject + cells[column][2:]
    lines[row] = ",".join(cells)
    return "\n".join(lines).encode()


@pytest.mark.parametrize("column", [1, 3])  # a code read from the data, a time code
async def test_a_nul_in_a_code_answers_422_with_nothing_written(client, column):
    owner = await agency()
    before = await counts()
    files, form = multipart([(params(31), _with_cell(2990, column, "\x00"), "n.csv")])
    r = await client.post("/api/statdb/tables", files=files, data=form, headers={"x-api-key": await api_key(owner.id)})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    assert await counts() == before


def _quoted(name: str) -> bytes:
    """`long_csv()` with every area name quoted, holding `name` (commas, quotes, newlines)."""
    out = []
    for line in long_csv().decode().split("\n"):
        cells = line.split(",", 3)
        if len(cells) == 4 and cells[0] in ("001", "002"):
            cells[2] = '"' + cells[2] + name.replace('"', '""') + '"'
        out.append(",".join(cells))
    return "\n".join(out).encode()


@pytest.mark.parametrize(
    "name",
    [
        ",\"x\"\n\r\n=cmd|'/c calc'!A1,\n",  # quotes, commas and line breaks: many cross the piece boundary
        "長" * 6_000,  # one line longer than a piece
        "\ufeff@SUM(1+1)",  # a BOM inside a cell, a formula
    ],
)
async def test_quoted_cells_across_the_piece_boundary_are_stored_as_the_two_steps_store(name):
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.statdb import ingest, service
    from govstat.platform.subsystems.statdb.problems import Problems

    owner = await agency()
    data = _quoted(name)
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        fast = await service.register(uow, service.Upload(params(32), data, "q.csv"), test_mode=True)
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        p = Problems()
        prep = await ingest.prepare(uow, params(33), data, "q2.csv", p)
        assert prep is not None, p
        slow = await ingest.write(uow, prep, test_mode=True)
    got, want = await stored_rows(fast.id), await stored_rows(slow.id)
    assert got == want
    assert got[0][0] == 3000


async def _own_partition(owner) -> int:
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.statdb import ingest, pieces, service

    pieces.BLOCK = 256 * 1024  # restored by the autouse fixture's monkeypatch
    data = long_csv(times=2, rows=ingest.OWN_PARTITION_MIN_ROWS)
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        row = await service.register(uow, service.Upload(params(34), data, "p.csv"), test_mode=True)
    return int(row.id)


async def test_another_tenants_table_cannot_be_loaded_or_indexed_by_a_tenant():
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.errors import GovstatError
    from govstat.platform.security import Scope

    owner, other = await agency(), await agency()
    table_id = await _own_partition(owner)
    for sql in ("SELECT statdb_load_partition($1, false)", "SELECT statdb_load_partition($1, true)"):
        with pytest.raises(GovstatError):
            async with UnitOfWork(Scope.tenant(other.id)) as uow:
                await uow.fetchval(sql, table_id)
    with pytest.raises(GovstatError):
        async with UnitOfWork(Scope.tenant(other.id)) as uow:
            await uow.fetchval("SELECT statdb_index_next()")
    async with UnitOfWork(Scope.system("test")) as uow:  # untouched: still the key only
        assert await uow.fetchval(
            "SELECT array_agg(indexname::text) FROM pg_indexes WHERE tablename = $1", f"observation_{table_id}"
        ) == [f"observation_{table_id}_pkey"]


async def test_two_index_jobs_at_once_both_succeed():
    """The every-minute run and the run queued at commit may overlap (two workers): the second waits
    for the first's build and finds the indexes there, instead of failing on the index's name."""
    import asyncio

    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope

    owner = await agency()
    table_id = await _own_partition(owner)

    async def run(delay: float) -> list[int]:
        built = []
        await asyncio.sleep(delay)
        while True:
            async with UnitOfWork(Scope.system("test-index")) as uow:
                got = await uow.fetchval("SELECT statdb_index_next()")
                await uow.execute("SELECT pg_sleep(0.3)")  # the first holds its build uncommitted a while
            if got is None:
                return built
            built.append(got)

    first, second = await asyncio.gather(run(0), run(0.1))
    assert table_id in first + second


@pytest.mark.parametrize("after", [0.05, 0.15, 0.3])
async def test_an_upload_cancelled_mid_copy_leaves_nothing(after):
    """The client goes away (the request's task is cancelled) while pieces are being copied."""
    import asyncio

    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.security import Scope
    from govstat.platform.subsystems.statdb import ingest, pieces, service

    owner = await agency()
    pieces.BLOCK = 16 * 1024
    data = long_csv(times=2, rows=ingest.OWN_PARTITION_MIN_ROWS)
    before = await counts()

    async def upload() -> None:
        async with UnitOfWork(Scope.tenant(owner.id)) as uow:
            await service.register(uow, service.Upload(params(35), data, "c.csv"), test_mode=True)

    task = asyncio.create_task(upload())
    await asyncio.sleep(after)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):  # the cancellation itself, not an error it caused
        await task
    assert await counts() == before
    async with UnitOfWork(Scope.system("test")) as uow:
        assert await uow.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'statdb_load'") == 0
