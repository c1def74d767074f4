"""STATDB-1 / issue 14: the columnar reading of a data file (pyarrow) gives exactly what the
row-by-row reading gives, and leaves every file with an error to it, so each error keeps its line
and field."""

from govstat.platform.subsystems.statdb import columnar, reader
from govstat.platform.subsystems.statdb.convert import convert
from govstat.platform.subsystems.statdb.params import parse
from govstat.platform.subsystems.statdb.problems import Problems
from tests.platform.subsystems.statdb.statdb_support import small_csv, small_params

ROWS = 4000  # about 150 kB: over columnar.MIN_BYTES


def _params(extra: str = ""):
    p = Problems()
    params = parse(small_params(1, extra=extra), p)
    assert params is not None and not p, p
    return params


def _both(params, data: bytes):
    slow_p = Problems()
    slow = convert(params, reader.rows(params.layout, "t.csv", data), slow_p)
    return columnar.convert(params, "t.csv", data), slow, slow_p


def test_a_clean_file_converts_the_same_both_ways():
    params = _params()
    data = small_csv(ROWS)
    assert len(data) > columnar.MIN_BYTES
    fast, slow, p = _both(params, data)
    assert fast is not None and not p
    assert fast.dims == slow.dims
    assert fast.records == slow.records  # seq, codes, unit, value (thousands removed), raw '-', note
    assert any(r[-2] == "-" and r[-3] is None for r in fast.records)
    assert {k: [(i.code, i.name) for i in v] for k, v in fast.items.items()} == {
        k: [(i.code, i.name) for i in v] for k, v in slow.items.items()
    }
    assert list(fast.seen["area"]) == list(slow.seen["area"])  # first-seen order of codes from the data


def test_a_file_with_an_error_is_left_to_the_row_by_row_reading_which_names_line_and_field():
    params = _params()
    data = small_csv(ROWS, bad_last=True)  # the last row's household cell is '12a'
    fast, _slow, p = _both(params, data)
    assert fast is None
    assert [e.field for e in p.errors] == [f"data line {ROWS + 1}: column 5"]  # the header is line 1


def test_blank_rows_and_a_byte_order_mark_read_the_same():
    params = _params()
    data = b"\xef\xbb\xbf" + small_csv(ROWS).replace(b"\n00010,", b"\n,,,,\n\n00010,", 1)
    fast, slow, p = _both(params, data)
    assert fast is not None and not p
    assert fast.records == slow.records


def test_duplicate_codes_fall_back():
    params = _params()
    rows = small_csv(ROWS).decode().splitlines()
    duplicate = "\n".join([*rows, rows[5]]) + "\n"
    assert columnar.convert(params, "t.csv", duplicate.encode()) is None
    fast, _slow, p = _both(params, duplicate.encode())
    assert fast is None and [e.field for e in p.errors] == [
        f"data line {ROWS + 2}: column 4",
        f"data line {ROWS + 2}: column 5",
    ]


def test_codes_with_blanks_around_them_read_the_same_both_ways():
    """The codes are trimmed in their dictionary; a code written with blanks takes the whole column's trim."""
    params = _params()
    data = small_csv(ROWS).replace(b"\n00012,", b"\n 00012\xe3\x80\x80,", 1)  # an ASCII and an ideographic space
    fast, slow, p = _both(params, data)
    assert fast is not None and not p
    assert fast.records == slow.records
    assert fast.seen == slow.seen and "00012" in fast.seen["area"]


def test_a_duplicate_hidden_by_blanks_falls_back():
    params = _params()
    rows = small_csv(ROWS).decode().splitlines()
    duplicate = "\n".join([*rows, " " + rows[5]]) + "\n"  # the same codes as line 7, with a blank before
    assert columnar.convert(params, "t.csv", duplicate.encode()) is None


def test_duplicates_are_found_by_counting_and_by_sorting():
    import pyarrow as pa

    small = [pa.array([f"{i % 50}" for i in range(1000)]), pa.array([f"{i // 50}" for i in range(1000)])]
    assert not columnar._has_duplicates(small)  # 1,000 keys in a range of 1,000: counted
    wide = [pa.array([f"{(i * k) % 997}" for i in range(990)]) for k in (1, 3, 7)]  # a range of 10^9: sorted
    assert not columnar._has_duplicates(wide)
    assert columnar._has_duplicates([pa.array([*c.to_pylist(), c[9].as_py()]) for c in wide])
    assert columnar._has_duplicates([pa.array([*c.to_pylist(), c[9].as_py()]) for c in small])
