"""A large Shift_JIS / cp932 upload is streamed too (statdb/transcode.py: each megabyte turned into
UTF-8 as Arrow reads it) and a smaller one read column-wise (columnar.py), with the real files'
ways: a header row, names in Japanese, quoted numbers with thousands separators, "-", "…" and "x"
(秘匿) as special characters. Both store exactly what the row-by-row path stores for the same file;
an undecodable byte or a 外字 in the last piece answers 422 naming its line and column with nothing
written. Thresholds lowered as in test_statdb_streamed.py."""

import pytest

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from govstat.platform.subsystems.statdb import columnar, ingest, service, streamed, transcode
from govstat.platform.subsystems.statdb.problems import Problems
from tests.platform.subsystems.statdb.statdb_support import agency, counts, multipart
from tests.support.factories import api_key
from tests.support.statdb_factories import ROWS, count_paths, long_csv, params, small_pieces, stored_rows

SPECIAL = {"-": "該当なし", "…": "不詳", "x": "秘匿"}
NAMES = {"cp932": "奈良県髙取町{}～", "euc-jp": "奈良県高取町{}〜", "utf-8": "奈良県髙取町{}～"}  # 髙 ～: cp932's


def _params(n: int, encoding: str = "cp932") -> bytes:
    return params(n, title="文字コード", prefix="E", encoding=encoding, special=SPECIAL)


def _data(encoding: str = "cp932", *, last: bytes = b"") -> bytes:
    name, header = NAMES[encoding], "項目,地域コード,地域名,年,値"
    return long_csv(special=tuple(SPECIAL), name=name, header=header, newline="\r\n", encoding=encoding, last=last)


@pytest.fixture(autouse=True)
def _small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    small_pieces(monkeypatch)


@pytest.mark.parametrize("encoding", ["cp932", "euc-jp"])
async def test_a_cp932_upload_is_streamed_and_stores_what_the_row_by_row_path_stores(monkeypatch, encoding):
    owner, other = await agency(), await agency()
    data = _data(encoding)
    assert len(data) > streamed.MIN_BYTES
    read, wrote = count_paths(monkeypatch)
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:
        fast = await service.register(uow, service.Upload(_params(1, encoding), data, "a.csv"), test_mode=True)
    assert len(read) > 10 and fast.total_number == ROWS and not wrote  # streamed, not the two steps
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:  # column-wise (columnar.py transcodes it whole)
        p = Problems()
        prep = await ingest.prepare(uow, _params(2, encoding), data, "b.csv", p)
        assert prep is not None and prep.converted.columns is not None, p
        columns = await ingest.write(uow, prep, test_mode=True)
    monkeypatch.setattr(columnar, "convert", lambda *_a: None)
    async with UnitOfWork(Scope.tenant(owner.id)) as uow:  # and row by row, the reference
        p = Problems()
        prep = await ingest.prepare(uow, _params(3, encoding), data, "c.csv", p)
        assert prep is not None and prep.converted.columns is None, p
        slow = await ingest.write(uow, prep, test_mode=True)
    assert await stored_rows(columns.id) == await stored_rows(slow.id)
    got, want = await stored_rows(fast.id), await stored_rows(slow.id)
    assert got == want and len(got[3]) == ROWS and got[0] == (ROWS, 1)
    assert got[3][0] == (1, "002", "00000", "2000", "世帯", None, "-", None)
    assert got[3][11] == (12, "001", "00005", "2000", "人", None, "x", None)
    assert got[3][22] == (23, "002", "00011", "2000", "世帯", None, "…", None)
    assert got[3][1] == (2, "001", "00000", "2000", "人", "1001", None, None)
    assert ("area", "00007", NAMES[encoding].format(7)) in {i[:3] for i in got[2]}
    async with UnitOfWork(Scope.tenant(other.id)) as uow:  # another agency does not see it (RLS)
        assert await uow.fetchval("SELECT count(*) FROM stat_table WHERE id = $1", fast.id) == 0


@pytest.mark.parametrize(
    ("encoding", "last", "field", "said"),
    [
        ("cp932", b"001,00499,\x8d\x82\xff,2002,5", "data line 3001: column 3", "0xFF"),  # not cp932
        ("cp932", b"001,00499,\xf0\x40,2002,5", "data line 3001: column 3", "外字"),  # user-defined area (U+E000)
        # a UTF-8 file's 外字 too (columnar.private_use): before, the column-wise paths let it through
        ("utf-8", "001,00499,地域\ue000,2002,5".encode(), "data line 3001: column 3", "外字"),
    ],
)
async def test_a_bad_byte_or_gaiji_in_the_last_piece_answers_422_naming_it_with_nothing_written(
    client, encoding, last, field, said
):
    owner = await agency()
    before = await counts()
    files, form = multipart([(_params(4, encoding), _data(encoding, last=last), "d.csv")])
    r = await client.post("/api/statdb/tables", files=files, data=form, headers={"x-api-key": await api_key(owner.id)})
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json"), r.text
    errors = [e for e in r.json()["errors"] if e["field"].startswith(field)]
    assert errors and said in errors[0]["message"], r.text
    assert await counts() == before
    async with UnitOfWork(Scope.system("test")) as uow:  # no partition left behind either
        assert await uow.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'statdb_load'") == 0


def test_the_transcoder_holds_a_chunk_at_a_time(monkeypatch: pytest.MonkeyPatch):
    """Memory beside the upload: one decoded chunk (as UTF-8), never the file; a character split
    across two chunks comes out whole."""
    monkeypatch.setattr(transcode, "CHUNK", 1001)  # odd: two-byte characters straddle the chunks
    text = "".join(f'{i},髙取町～,"1,234"\r\n' for i in range(20_000))
    reader = transcode.Utf8Reader(text.encode("cp932"), "cp932")
    out, held = [], 0
    while piece := reader.read(4096):
        out.append(piece)
        held = max(held, len(reader._out))
    assert b"".join(out).decode() == text and held <= 2 * 1001
