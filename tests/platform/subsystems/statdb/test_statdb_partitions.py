"""STATDB-1 / PLAT-1: observations are loaded and dropped only by the owner's functions: a small
table's into the shared partition of `observation`, a large table's (at least
statdb_own_partition_min_rows() observations) into a partition of its own (migrations statdb_0002,
statdb_0005). Tenancy holds through them: the load function refuses another tenant's table,
another tenant sees nothing of a partition, the public sees it only once the table is published
and due, and deleting the table drops its partition or its shared rows."""

import datetime as dt

import asyncpg
import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import Conflict, NotFound
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import queries, service
from govstat.platform.subsystems.statdb.rows import Registered
from tests.platform.subsystems.estat.estat_support import app_id_for
from tests.platform.subsystems.statdb.statdb_support import agency, multipart, run_publish_jobs, small_csv, small_params
from tests.support.factories import api_key

SCHEMA = "statdb_partition"
SHARED = "observation_shared"
LARGE = 25_000  # CSV rows of two cells each: 50,000 observations, a partition of their own
OPEN = "SELECT statdb_stage_open(ARRAY['cat01', 'area', 'time'])"
FORGED = "INSERT INTO statdb_stage VALUES (1, '001', '99999', '2020', '人', '666', NULL, NULL)"


async def _register(tenant_id, n: int = 1, rows: int = 20) -> Registered:
    async with UnitOfWork(Scope.tenant(tenant_id)) as uow:
        return await service.register(uow, service.Upload(small_params(n), small_csv(rows), f"t{n}.csv"))


async def _partition(table_id: int) -> str | None:
    """The partition's name if it exists (the catalog is readable by everyone)."""
    async with UnitOfWork(Scope.system("test")) as uow:
        return await uow.fetchval(
            "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = $1 AND c.relname = $2",
            SCHEMA,
            f"observation_{table_id}",
        )


async def _forge_load(scope: Scope, table_id: int) -> None:
    """What a compromised caller could try: stage rows of its own, then load them into `table_id`."""
    async with UnitOfWork(scope) as uow:
        await uow.execute(OPEN)
        await uow.execute(FORGED)
        await uow.fetchval("SELECT statdb_load_observations($1)", table_id)


async def test_the_load_function_refuses_another_tenants_table():
    owner, other = await agency(), await agency()
    table = await _register(owner.id)
    mine = await _register(other.id, n=2)
    # another tenant's table, unpublished: refused (answered as not found)
    with pytest.raises(NotFound):
        await _forge_load(Scope.tenant(other.id), table.id)
    # published and due, so visible to everyone under row-level security: still not theirs to write
    async with UnitOfWork(Scope.system("test")) as uow:
        await uow.execute(
            "UPDATE stat_table SET status = 'published', publish_at = now() - interval '1 minute',"
            " published_at = now() WHERE id = $1",
            table.id,
        )
    with pytest.raises(NotFound):
        await _forge_load(Scope.tenant(other.id), table.id)
    with pytest.raises(NotFound):  # no scope at all
        await _forge_load(Scope(), table.id)
    # its own table is loaded already: a second load is refused
    with pytest.raises(Conflict):
        await _forge_load(Scope.tenant(other.id), mine.id)
    async with UnitOfWork(Scope.system("test")) as uow:
        assert await uow.fetchval("SELECT count(*) FROM observation WHERE area = '99999'") == 0
        assert await uow.fetchval("SELECT count(*) FROM observation WHERE table_id = $1", table.id) == 40
    # the owner's helpers are not the app's to call
    for helper in ("statdb_partition_create", "statdb_partition_attach"):
        with pytest.raises(NotFound):  # permission denied
            async with UnitOfWork(Scope.tenant(other.id)) as uow:
                await uow.fetchval(f"SELECT {helper}($1)", mine.id + 1000)


async def test_the_load_function_reads_only_the_stage_it_made():
    owner = await agency()
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:  # a table with no observations yet
        table_id = await uow.fetchval(
            "INSERT INTO stat_table (tenant_id, gov_stat_code, title, params, params_sha256, data_sha256)"
            " VALUES (govstat_scope_tenant(), '00200521', 'x', '', repeat('0', 64), repeat('0', 64)) RETURNING id"
        )
    # a table or view of the caller's own in the stage's place would run policies, rules or a
    # security_invoker view as the owner: refused (and one cannot open a stage over it either)
    own_stages = [
        "CREATE TEMP TABLE statdb_stage (seq integer, unit text, value text, raw text, annotation text)",
        "CREATE TEMP VIEW statdb_stage WITH (security_invoker) AS SELECT 1 AS seq, 'x' AS unit, '1' AS value,"
        " NULL::text AS raw, NULL::text AS annotation",
    ]
    for ddl in own_stages:
        for call in ("SELECT statdb_load_observations($1)", "SELECT statdb_stage_open(ARRAY['area'])"):
            with pytest.raises(asyncpg.PostgresError) as err:
                async with UnitOfWork(Scope.tenant(owner.id)) as uow:
                    await uow.execute(ddl)
                    await uow.fetchval(call, *([table_id] if "$1" in call else []))
            assert err.value.sqlstate in ("42P01", "42P07"), err.value  # undefined / duplicate table
    # the stage is the owner's: the caller may fill it, not change it
    for sql in (
        "ALTER TABLE statdb_stage ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE statdb_stage ADD COLUMN x text",
        "CREATE RULE r AS ON INSERT TO statdb_stage DO INSTEAD NOTHING",
        "DROP TABLE statdb_stage",
    ):
        with pytest.raises(NotFound) as err:  # must be owner of table statdb_stage
            async with UnitOfWork(Scope.tenant(owner.id)) as uow:
                await uow.execute(OPEN)
                await uow.execute(sql)
        assert isinstance(err.value.__cause__, asyncpg.InsufficientPrivilegeError)
    with pytest.raises(asyncpg.InvalidParameterValueError):  # only dimension names make columns
        async with UnitOfWork(Scope.tenant(owner.id)) as uow:
            await uow.execute("SELECT statdb_stage_open(ARRAY['area', 'seq text); DROP TABLE stat_table; --'])")
    assert await _partition(table_id) is None


async def test_another_tenant_sees_nothing_of_a_loaded_partition():
    owner, other = await agency(), await agency()
    table = await _register(owner.id)
    assert await _partition(table.id) is None  # a small table: its rows are in the shared partition
    part = SHARED
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        assert await uow.fetchval("SELECT count(*) FROM observation WHERE table_id = $1", table.id) == 40
    # raw SQL in the other tenant's scope: nothing through the parent, no way into the partition
    async with UnitOfWork(Scope.tenant(other.id)) as uow:
        assert await uow.fetchval("SELECT count(*) FROM observation WHERE table_id = $1", table.id) == 0
        assert await uow.fetchval("SELECT count(*) FROM observation WHERE tenant_id = $1", owner.id) == 0
        assert await uow.execute("UPDATE observation SET value = 0 WHERE table_id = $1", table.id) == "UPDATE 0"
        assert await uow.execute("DELETE FROM observation WHERE table_id = $1", table.id) == "DELETE 0"
    for sql in (
        f"SELECT count(*) FROM {SCHEMA}.{part}",
        f"DELETE FROM {SCHEMA}.{part}",
        f"INSERT INTO {SCHEMA}.{part} (table_id, tenant_id, seq, value) VALUES ({table.id}, '{other.id}', 99, 1)",
    ):
        with pytest.raises(NotFound) as err:  # permission denied for schema statdb_partition
            async with UnitOfWork(Scope.tenant(other.id)) as uow:
                await uow.connection.execute(sql)
        assert isinstance(err.value.__cause__, asyncpg.InsufficientPrivilegeError)
    # the owner's own rows are untouched
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        assert (
            await uow.fetchval("SELECT count(*) FROM observation WHERE table_id = $1 AND value IS NOT NULL", table.id)
            == 40 - 3
        )  # small_csv: every 7th household cell is '-'


async def test_the_public_sees_a_partition_only_once_the_table_is_published(client):
    owner = await agency()
    table = await _register(owner.id)
    sid, key = table.stats_data_id, await api_key(owner.id)

    async def public_rows() -> int:
        async with UnitOfWork(Scope()) as uow:
            return await uow.fetchval("SELECT count(*) FROM observation WHERE table_id = $1", table.id)

    assert await public_rows() == 0
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()
    r = await client.post(f"/api/statdb/tables/{sid}/schedule", json={"publish_at": soon}, headers={"x-api-key": key})
    assert r.status_code == 200, r.text
    await run_publish_jobs()
    assert await public_rows() == 0  # scheduled, not due
    async with UnitOfWork(Scope.system("test")) as uow:  # marked published ahead of its time: still hidden
        await uow.execute("UPDATE stat_table SET status = 'published', published_at = now() WHERE id = $1", table.id)
    assert await public_rows() == 0
    app_id = await app_id_for(client)
    r = await client.get("/rest/3.0/app/json/getStatsData", params={"appId": app_id, "statsDataId": sid})
    assert r.json()["GET_STATS_DATA"]["RESULT"]["STATUS"] not in (0, 100)  # no such published table
    async with UnitOfWork(Scope.system("test")) as uow:
        await uow.execute(
            "UPDATE stat_table SET status = 'scheduled', published_at = NULL,"
            " publish_at = now() - interval '1 second' WHERE id = $1",
            table.id,
        )
    await run_publish_jobs()
    assert await public_rows() == 40
    r = await client.get(
        "/rest/3.0/app/json/getStatsData", params={"appId": app_id, "statsDataId": sid, "cdArea": "00003,00007"}
    )
    body = r.json()["GET_STATS_DATA"]
    assert body["RESULT"]["STATUS"] == 0 and body["STATISTICAL_DATA"]["RESULT_INF"]["TOTAL_NUMBER"] == 4


async def test_delete_drops_the_partition(client):
    owner, other = await agency(), await agency()
    table = await _register(owner.id, rows=LARGE)
    sid = table.stats_data_id
    assert await _partition(table.id)
    assert (
        await client.delete(f"/api/statdb/tables/{sid}", headers={"x-api-key": await api_key(other.id)})
    ).status_code == 404
    async with UnitOfWork(Scope.tenant(other.id)) as uow:  # raw SQL in another scope: RLS lets no DELETE through
        assert await uow.execute("DELETE FROM stat_table WHERE id = $1", table.id) == "DELETE 0"
    assert await _partition(table.id)
    r = await client.delete(f"/api/statdb/tables/{sid}", headers={"x-api-key": await api_key(owner.id)})
    assert r.status_code in (200, 204), r.text
    assert await _partition(table.id) is None
    async with UnitOfWork(Scope.system("test")) as uow:
        assert await uow.fetchval("SELECT count(*) FROM observation WHERE table_id = $1", table.id) == 0
        assert await uow.fetchval("SELECT count(*) FROM stat_table WHERE id = $1", table.id) == 0


async def test_delete_waits_at_most_a_second_for_readers(client):
    """Dropping a partition locks observation until commit; behind a long read it gives up after
    1 s (lock_timeout) with 503 rather than queue every other reader behind it."""
    from govstat.platform.db.engine import DB

    owner = await agency()
    table = await _register(owner.id, rows=LARGE)
    h = {"x-api-key": await api_key(owner.id)}
    async with DB.pool.acquire() as reader, reader.transaction():  # a read of some other table, still open
        await reader.fetchval("SELECT count(*) FROM observation WHERE table_id = 1")
        r = await client.delete(f"/api/statdb/tables/{table.stats_data_id}", headers=h)
        assert r.status_code == 503, r.text
    assert await _partition(table.id)
    assert (await client.delete(f"/api/statdb/tables/{table.stats_data_id}", headers=h)).status_code == 204
    assert await _partition(table.id) is None


async def test_partitions_are_closed_to_the_app_role():
    owner = await agency()
    table = await _register(owner.id, rows=LARGE)
    async with UnitOfWork(Scope.system("test")) as uow:
        assert not await uow.fetchval("SELECT has_schema_privilege('govstat_app', $1, 'USAGE')", SCHEMA)
        rows = await uow.fetch(
            "SELECT c.relname, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced, pg_get_userbyid(c.relowner) AS owner,"
            " has_table_privilege('govstat_app', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE') AS app,"
            " c.relispartition AS attached"
            " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
            SCHEMA,
        )
        assert {f"observation_{table.id}", SHARED} <= {r["relname"] for r in rows}
        # the search words' copy (statdb_0006) has no row-level security by design (an index the
        # policies would keep out of plans); it is the owner's alone, read through statdb_search()
        search = [r for r in rows if r["relname"] == "stat_table_search"]
        assert search and not search[0]["app"] and search[0]["owner"] != "govstat_app"
        rows = [r for r in rows if r["relname"] != "stat_table_search"]
        assert all(
            r["rls"] and r["forced"] and not r["app"] and r["owner"] != "govstat_app" and r["attached"] for r in rows
        ), [dict(r) for r in rows if not (r["rls"] and r["forced"] and not r["app"])]
        # the app may open a stage and load it, and run none of the owner's helpers
        granted = await uow.fetch(
            "SELECT p.proname FROM pg_proc p WHERE p.proname LIKE 'statdb\\_%'"
            " AND has_function_privilege('govstat_app', p.oid, 'EXECUTE') ORDER BY 1"
        )
        assert [r["proname"] for r in granted] == [
            "statdb_index_next",  # statdb_0016: the job's, refused outside the system scope
            "statdb_load_observations",
            "statdb_load_partition",  # a large table copied straight into its new partition
            "statdb_load_partition",  # statdb_0016: (id, indexes) leaving the dimension indexes to the job
            "statdb_partition_open",
            "statdb_search",
            "statdb_search_hits",
            "statdb_stage_open",
        ]
        # that partition left statdb_load (where the app could only INSERT into it) at its load
        assert not await uow.fetchval(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'statdb_load'"
        )
        # a partition has the primary key and the index of each dimension with enough codes (area here)
        indexes = await uow.fetch(
            "SELECT ic.relname::text AS name FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid"
            " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = $1 AND c.relname = $2",
            SCHEMA,
            f"observation_{table.id}",
        )
        assert sorted(r["name"] for r in indexes) == sorted(
            [f"observation_{table.id}_pkey", f"observation_{table.id}_area"]
        )


async def test_reads_plan_on_the_one_partition():
    """The table id is a literal in the observation queries: even the generic plan PostgreSQL makes
    from the sixth run of a prepared statement reads (and locks) only that table's partition."""
    owner = await agency()
    first, second = await _register(owner.id, rows=LARGE), await _register(owner.id, n=2, rows=LARGE)
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        objs = await queries.classes(uow, first.id)
        for _ in range(8):
            total, rows, _ = await queries.observations(uow, first.id, objs, {"area": ["00001", "00002"]}, limit=3)
            assert total == 4 and len(rows) == 3
        locked = await uow.fetch(
            "SELECT DISTINCT c.relname::text AS name FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE l.pid = pg_backend_pid() AND n.nspname = $1"
            " AND c.relkind = 'r'",
            SCHEMA,
        )
    # at most the shared partition and the table's own: never the other large table's
    assert {r["name"] for r in locked} <= {f"observation_{first.id}", SHARED}, second
    assert f"observation_{first.id}" in {r["name"] for r in locked}


async def test_a_bulk_request_holds_at_most_max_pairs(client):
    """Each table's partition is created in the request's transaction, which keeps its locks until
    it commits: a bulk request is capped so that several fit in PostgreSQL's shared lock table."""
    from govstat.platform.subsystems.statdb.schemas import MAX_PAIRS

    owner = await agency()
    files, form = multipart([(small_params(n), small_csv(2), f"t{n}.csv") for n in range(MAX_PAIRS + 1)])
    r = await client.post(
        "/api/statdb/tables/bulk", files=files, data=form, headers={"x-api-key": await api_key(owner.id)}
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "params", r.text


async def test_small_tables_share_a_partition_and_leave_it_with_their_rows(client):
    """Registering a small table creates no relation (the cost stays flat as tables accumulate);
    deleting it removes its rows from the shared partition, and no one else's."""
    owner = await agency()
    h = {"x-api-key": await api_key(owner.id)}

    async def relations() -> int:
        async with UnitOfWork(Scope.system("test")) as uow:
            return await uow.fetchval("SELECT count(*) FROM pg_class")

    before = await relations()
    first, second = await _register(owner.id), await _register(owner.id, n=2)
    assert await relations() == before
    r = await client.delete(f"/api/statdb/tables/{first.stats_data_id}", headers=h)
    assert r.status_code == 204, r.text
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        assert await uow.fetchval(f"SELECT count(*) FROM observation WHERE {queries.of_table(first.id)}") == 0
        assert await uow.fetchval(f"SELECT count(*) FROM observation WHERE {queries.of_table(second.id)}") == 40
