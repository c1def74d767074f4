"""A large upload with several value columns (総数/男/女 side by side, each fixing cat01's code) is
streamed too (pieces.py): the observations row by row, the value columns in order, the same seq,
items, units and annotations as the two steps store for the same file, in UTF-8 with a BOM and in
cp932. A duplicate met only across pieces, or a bad value in the last column of the last row,
answers 422 naming its line and field with nothing written. Thresholds lowered as in
test_statdb_streamed.py."""

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import ingest, service, streamed
from govstat.platform.subsystems.statdb.problems import Problems
from tests.platform.subsystems.statdb.statdb_support import agency, counts, multipart
from tests.support.factories import api_key
from tests.support.statdb_factories import BY_SEX, SEX, count_paths, params, small_pieces, stored_rows, wide_csv

ROWS = 1_500  # x 3 value columns


def _params(n: int, encoding: str) -> bytes:
    special = {"-": "該当なし", "x": "秘匿"}
    return params(n, title="男女別", prefix="V", encoding=encoding, data=BY_SEX, cat01=SEX, special=special)


def _data(encoding: str, *, last: str = "") -> bytes:
    return wide_csv(encoding, rows=ROWS, last=last)


@pytest.fixture(autouse=True)
def _small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    small_pieces(monkeypatch)


@pytest.mark.parametrize("encoding", ["utf-8", "cp932"])
async def test_several_value_columns_are_streamed_and_stored_as_the_two_steps_store(monkeypatch, encoding):
    owner = await agency()
    data = _data(encoding)
    assert len(data) > streamed.MIN_BYTES
    read, wrote = count_paths(monkeypatch)
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        fast = await service.register(uow, service.Upload(_params(1, encoding), data, "a.csv"), test_mode=True)
    assert len(read) > 5 and fast.total_number == 3 * ROWS and not wrote  # streamed, not the two steps
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        p = Problems()
        prep = await ingest.prepare(uow, _params(2, encoding), data, "b.csv", p)
        assert prep is not None, p
        slow = await ingest.write(uow, prep, test_mode=True)
    got, want = await stored_rows(fast.id), await stored_rows(slow.id)
    assert got == want and len(got[3]) == 3 * ROWS and got[0] == (3 * ROWS, 1)
    assert got[3][:3] == [  # line 2: 総数, 男 (秘匿), 女; the row's own unit and annotation
        (1, "0", "00000", "2000", "千人", "4000", None, "†"),
        (2, "1", "00000", "2000", "千人", None, "x", "†"),
        (3, "2", "00000", "2000", "千人", "2000", None, "†"),
    ]
    assert got[3][3] == (4, "0", "00001", "2000", "人", "4002", None, None)  # the item's unit
    assert got[3][4][4] is None  # 男 has no unit of its own


@pytest.mark.parametrize(
    ("last", "field"),
    [
        ('00499,市町村499,2002,"6,998",3499,12a,,', "data line 1501: column 6"),  # the last value column
        ("00000,市町村0,2000,1,2,3,,", "data line 1501"),  # line 2's cells again, found across pieces
    ],
)
async def test_a_bad_last_cell_or_a_duplicate_answers_422_naming_its_line_with_nothing_written(client, last, field):
    owner = await agency()
    before = await counts()
    files, form = multipart([(_params(3, "cp932"), _data("cp932", last=last), "d.csv")])
    r = await client.post("/api/statdb/tables", files=files, data=form, headers={"x-api-key": await api_key(owner.id)})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    assert any(e["field"].startswith(field) for e in r.json()["errors"]), r.text
    assert await counts() == before
    async with UnitOfWork(Scope.system("test")) as uow:
        assert await uow.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'statdb_load'") == 0
