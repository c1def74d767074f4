"""Select lists from a row type, and wide pages built without a dict per row (docs/decisions/0007)."""

from __future__ import annotations

import msgspec
import pytest
from msgspec import UNSET, UnsetType

from govstat.platform.db.rows import build_all, columns
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope


class Cell(msgspec.Struct, kw_only=True):
    seq: int
    area: str | UnsetType | None = UNSET
    time: str | UnsetType | None = UNSET
    value: str | None


def test_columns_spell_the_fields_once_with_a_joins_expressions():
    assert columns(Cell) == "seq, area, time, value"
    assert columns(Cell, "o.", value="o.value::text") == "o.seq, o.area, o.time, o.value::text AS value"
    with pytest.raises(ValueError, match="no field"):
        columns(Cell, nope="1")


async def test_build_all_answers_the_same_rows_as_decoding_and_leaves_absent_columns_unset():
    async with UnitOfWork(Scope.system("test")) as uow:
        records = await uow.fetch("SELECT g AS seq, 'a' || g AS area, NULL::text AS value FROM generate_series(1, 3) g")
    built = build_all(Cell, records, ["seq", "area", "value"])
    assert built == [msgspec.convert(dict(r), Cell) for r in records]
    assert built[0] == Cell(seq=1, area="a1", value=None) and built[0].time is UNSET
    assert msgspec.json.decode(msgspec.json.encode(built[0])) == {"seq": 1, "area": "a1", "value": None}
    with pytest.raises(ValueError, match="no field"):
        build_all(Cell, records, ["seq", "nope", "value"])
