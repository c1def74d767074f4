"""Issue 14 §5: a large upload is copied piece by piece while the next piece is parsed
(statdb/streamed.py, pieces.py). It stores exactly what the two steps (prepare, then write) store;
a bad cell or a duplicate in the last piece still answers 422 naming line and field with nothing
written; a dimension that turns out to need an index the first piece did not show goes the usual way.
The thresholds are lowered so that a 100 kB file comes in a dozen pieces."""

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import ingest, pieces, service, streamed
from govstat.platform.subsystems.statdb.problems import Problems
from tests.platform.subsystems.statdb.statdb_support import agency, counts, multipart
from tests.support.factories import api_key
from tests.support.statdb_factories import ROWS, count_paths, long_csv, params, small_pieces, stored_rows


@pytest.fixture(autouse=True)
def _small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    small_pieces(monkeypatch)


async def test_a_streamed_upload_stores_exactly_what_the_two_steps_store(monkeypatch: pytest.MonkeyPatch):
    owner = await agency()
    data = long_csv()  # 3 years (no index), 500 areas (indexed: the first piece shows 16 already)
    assert len(data) > streamed.MIN_BYTES
    read, wrote = count_paths(monkeypatch)
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        fast = await service.register(uow, service.Upload(params(1), data, "a.csv"), test_mode=True)
    async with UnitOfWork(Scope.system("test")) as uow:  # its event, recorded in the same transaction
        events = await uow.fetchval(
            "SELECT array_agg(kind || ':' || topic_suffix ORDER BY seq) FROM outbox WHERE position($1::bytea IN payload) > 0",
            fast.stats_data_id.encode(),
        )
    assert len(read) > 10 and fast.total_number == ROWS and not wrote
    assert [e.split(":")[0] for e in events] == ["audit", "domain"]
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        p = Problems()
        prep = await ingest.prepare(uow, params(2), data, "b.csv", p)
        assert prep is not None and prep.converted.columns is not None, p
        slow = await ingest.write(uow, prep, test_mode=True)
    assert wrote == [1]
    got, want = await stored_rows(fast.id), await stored_rows(slow.id)
    assert got == want and len(got[3]) == ROWS and got[0] == (ROWS, 1)
    assert got[1] == [("cat01", False), ("area", True), ("time", False)]
    assert got[3][0] == (1, "002", "00000", "2000", "世帯", None, "-", None)
    assert got[3][1] == (2, "001", "00000", "2000", "人", "1001", None, None)


@pytest.mark.parametrize(
    ("last", "field"),
    [
        ("001,00499,地域499,2002,12a", "data line 3001: column 5"),  # a value that is not a number
        ("002,00499,地域499,2002,5", "data line 3001"),  # the cell of line 3000 again
    ],
)
async def test_an_error_in_the_last_piece_answers_422_naming_its_line_with_nothing_written(client, last, field):
    owner = await agency()
    before = await counts()
    files, form = multipart([(params(3), long_csv(last=last), "d.csv")])
    r = await client.post("/api/statdb/tables", files=files, data=form, headers={"x-api-key": await api_key(owner.id)})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    assert any(e["field"].startswith(field) for e in r.json()["errors"]), r.text
    assert await counts() == before
    async with UnitOfWork(Scope.system("test")) as uow:  # no partition left behind either
        assert await uow.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'statdb_load'") == 0


async def test_an_index_the_first_piece_did_not_show_sends_the_file_the_usual_way(monkeypatch: pytest.MonkeyPatch):
    owner = await agency()
    monkeypatch.setattr(pieces, "BLOCK", 2 * 1024)  # the first piece sees one of the 30 years
    _, wrote = count_paths(monkeypatch)
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        row = await service.register(uow, service.Upload(params(4), long_csv(times=30), "e.csv"), test_mode=True)
    stored = await stored_rows(row.id)
    assert wrote == [1] and stored[0] == (ROWS, 1) and len(stored[3]) == ROWS
    assert stored[1] == [("cat01", False), ("area", True), ("time", True)]


async def test_the_dimension_indexes_come_after_commit_and_reads_are_the_same_before_and_after(
    monkeypatch: pytest.MonkeyPatch,
):
    from govstat.platform.jobs.spec import JobContext
    from govstat.platform.subsystems.statdb import queries
    from govstat.platform.subsystems.statdb.index_job import IndexArgs, index_partitions_job

    owner = await agency()
    monkeypatch.setattr(pieces, "BLOCK", 256 * 1024)
    data = long_csv(times=2, rows=ingest.OWN_PARTITION_MIN_ROWS)  # a partition of its own
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        row = await service.register(uow, service.Upload(params(5), data, "f.csv"), test_mode=True)
    indexes = "SELECT array_agg(indexname::text ORDER BY indexname) FROM pg_indexes WHERE tablename = $1"
    part = f"observation_{row.id}"

    async def narrowed() -> tuple:
        async with UnitOfWork(Scope.tenant(owner.id)) as uow:
            objs = await queries.classes(uow, row.id)
            total, rows, _ = await queries.observations(uow, row.id, objs, {"area": ["00007", "00400"]}, limit=10)
            return total, [(r.seq, r.area, r.value) for r in rows]

    async with UnitOfWork(Scope.system("test")) as uow:
        assert await uow.fetchval(indexes, part) == [f"{part}_pkey"]  # the key only, at commit
    before = await narrowed()
    with pytest.raises(NotFound):  # a tenant may not run the builds (insufficient_privilege)
        async with UnitOfWork(Scope.tenant(owner.id)) as uow:
            await uow.fetchval("SELECT statdb_index_next()")
    built = await index_partitions_job(JobContext(raw={}), IndexArgs(job_id="t"))
    assert row.id in built
    async with UnitOfWork(Scope.system("test")) as uow:
        assert await uow.fetchval(indexes, part) == [f"{part}_area", f"{part}_pkey"]  # time: 2 codes, cat01: 2
    assert await index_partitions_job(JobContext(raw={}), IndexArgs(job_id="t")) == []  # nothing left to build
    assert await narrowed() == before and before[0] == 8
