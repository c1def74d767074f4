"""STATDB-1 / issue 14: a file read column by column (columnar.py) is written from its Arrow
columns (copy_columns.py, CSV COPY) and stores exactly the observations the row-by-row path stores;
a bad cell in a file large enough for the columnar path still answers 422 naming its line and field."""

import asyncpg
import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import NotFound
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import columnar, ingest
from govstat.platform.subsystems.statdb.problems import Problems
from tests.platform.subsystems.statdb.statdb_support import agency, counts, multipart, small_csv, small_params
from tests.support.factories import api_key

ROWS = 25_000  # 50,000 observations: a partition of its own, copied straight into it (statdb_0009)
OBSERVATIONS = "SELECT seq, cat01, area, time, unit, value::text, raw, annotation FROM observation WHERE table_id = $1"


def _params(n: int) -> bytes:
    return small_params(n).replace(b"  skip_rows: 1\n", b"  skip_rows: 1\n  annotation_column: 6\n")


def _data() -> bytes:
    """small_csv with a sixth column of notes: empty, or text with a comma, quotes and an empty-looking cell."""
    lines = small_csv(ROWS).decode().splitlines()
    notes = ["", '"注, ""推計"""', "x", '" "']
    return ("\n".join(f"{line},{notes[i % 4] if i else '注記'}" for i, line in enumerate(lines)) + "\n").encode()


async def _register(tenant_id, n: int) -> tuple[int, bool]:
    async with UnitOfWork(Scope.tenant(tenant_id)) as uow:
        p = Problems()
        prep = await ingest.prepare(uow, _params(n), _data(), f"t{n}.csv", p)
        assert prep is not None and not p, p
        columns = prep.converted.rows is None and prep.converted.columns is not None
        row = await ingest.write(uow, prep, test_mode=True)
    return row.id, columns


async def _observations(table_id: int) -> list[tuple]:
    async with UnitOfWork(Scope.system("test")) as uow:
        return [tuple(r) for r in await uow.fetch(OBSERVATIONS + " ORDER BY seq", table_id)]


async def test_the_columnar_write_stores_exactly_what_the_row_by_row_write_stores(monkeypatch: pytest.MonkeyPatch):
    owner = await agency()
    assert len(_data()) > columnar.MIN_BYTES
    fast_id, fast_columns = await _register(owner.id, 1)
    monkeypatch.setattr(ingest.columnar, "convert", lambda *_args: None)  # the row-by-row reading and write
    slow_id, slow_columns = await _register(owner.id, 2)
    assert fast_columns and not slow_columns
    fast, slow = await _observations(fast_id), await _observations(slow_id)
    assert len(fast) == 2 * ROWS and fast == slow
    async with UnitOfWork(Scope.system("test")) as uow:  # both in a partition of their own
        own = "SELECT count(*) FROM pg_class WHERE relname = ANY($1::text[]) AND relispartition"
        assert await uow.fetchval(own, [f"observation_{fast_id}", f"observation_{slow_id}"]) == 2
    by_key = {(r[1], r[2]): r for r in fast}
    # line 1234 of the file: "2,232" people (thousands removed), '-' households, a note with a comma and quotes
    assert by_key[("001", "01232")][4:] == ("人", "2232", None, '注, "推計"')
    assert by_key[("002", "01232")][4:] == ("世帯", None, "-", '注, "推計"')
    assert by_key[("001", "01231")][7] is None and by_key[("001", "01233")][7] == "x"


async def test_only_the_owning_scope_opens_a_partition_and_only_its_observation_columns():
    owner, other = await agency(), await agency()
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        table_id = await uow.fetchval(
            "INSERT INTO stat_table (tenant_id, gov_stat_code, title, params, params_sha256, data_sha256)"
            " VALUES (govstat_scope_tenant(), '00200521', 'x', '', repeat('0', 64), repeat('0', 64)) RETURNING id"
        )
    with pytest.raises(NotFound):  # another tenant: refused, as the staged load is
        async with UnitOfWork(Scope.tenant(other.id)) as uow:
            await uow.fetchval("SELECT statdb_partition_open($1, ARRAY['area'])", table_id)
    with pytest.raises(asyncpg.PostgresError) as err:  # nothing opened in this transaction: nothing to load
        async with UnitOfWork(Scope.tenant(owner.id)) as uow:
            await uow.connection.fetchval("SELECT statdb_load_partition($1)", table_id)
    assert err.value.sqlstate == "42P01"
    forged = f"INSERT INTO statdb_load.observation_{table_id} (seq, area, tenant_id) VALUES (1, 'x', $1)"
    with pytest.raises(NotFound) as denied:  # the tenant and table columns are the defaults'
        async with UnitOfWork(Scope.tenant(owner.id)) as uow:
            await uow.fetchval("SELECT statdb_partition_open($1, ARRAY['area'])", table_id)
            await uow.connection.execute(forged, other.id)
    assert isinstance(denied.value.__cause__, asyncpg.InsufficientPrivilegeError)


async def test_a_bad_cell_in_a_file_read_by_columns_answers_422_naming_line_and_field(client):
    owner = await agency()
    h = {"x-api-key": await api_key(owner.id)}
    before = await counts()
    data = small_csv(4000, bad_last=True)  # the last row's household cell is '12a'
    assert len(data) > columnar.MIN_BYTES
    files, form = multipart([(small_params(3), data, "d.csv")])
    r = await client.post("/api/statdb/tables", files=files, data=form, headers=h)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    error = r.json()["errors"][0]
    assert error["field"] == "data line 4001: column 5" and "12a" in error["message"]
    assert await counts() == before
