"""A published statdb table on the map: which cells (one item of each dimension but area), their values
by area code, and the class breaks of a choropleth (quantiles, natural breaks, equal intervals).

Only cells with a numeric value are used: suppressed or confidential cells (a special character such
as "***" or "x" instead of a number) and missing ones never reach a tile, a popup or a legend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import InvalidInput, NotFound
from govstat.platform.subsystems.statdb import published as statdb

Method = Literal["quantile", "jenks", "equal"]
METHOD_NAMES = {"quantile": "分位数", "jenks": "自然分類（Jenks）", "equal": "等間隔"}
# ColorBrewer YlOrRd, 3-7 classes
PALETTES = {
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
    6: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"],
    7: ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"],
}


class Dimension(msgspec.Struct, kw_only=True):
    obj_id: str
    name: str
    code: str  # the chosen item
    item: str  # its name
    unit: str | None = None


class Choice(msgspec.Struct, kw_only=True):
    stats_data_id: str
    table_id: int
    title: str
    published_at: dt.datetime | None
    dims: list[Dimension]

    def label(self) -> str:
        return " / ".join(f"{d.name}: {d.item}" for d in self.dims)

    def unit(self) -> str:
        return next((d.unit for d in self.dims if d.unit), "")


class Narrow(msgspec.Struct, kw_only=True):
    """One dimension fixed to one code (statdb.published.Narrowing)."""

    obj_id: str
    codes: list[str]
    code_from: str | None = None
    code_to: str | None = None
    level: str | None = None

    def level_range(self) -> tuple[int | None, int | None]:
        return None, None


async def choose(uow: UnitOfWork, stats_data_id: str, picks: Mapping[str, str]) -> Choice:
    """The table (published, with an area dimension) and one item of each other dimension: the one
    named in `picks` (by obj_id), else the dimension's first item."""
    ref = await statdb.table_ref(uow, stats_data_id)
    if ref is None or not ref.published:
        raise NotFound(f"統計表 {stats_data_id} は公開されていません / table {stats_data_id} not found")
    dims = []
    has_area = False
    for obj in await statdb.classes(uow, ref.id):
        if obj.obj_id == "area":
            has_area = True
            continue
        if not obj.items:
            continue
        want = picks.get(obj.obj_id)
        item = next((i for i in obj.items if i.code == want), None) if want else obj.items[0]
        if item is None:
            raise InvalidInput.field(
                obj.obj_id, f"{want!r} は{obj.name}の項目にありません / not an item of {obj.obj_id}"
            )
        dims.append(Dimension(obj_id=obj.obj_id, name=obj.name, code=item.code, item=item.name, unit=item.unit))
    if not has_area:
        raise InvalidInput.field("table", "地域事項のない統計表は地図にできません / the table has no area dimension")
    return Choice(
        stats_data_id=ref.stats_data_id, table_id=ref.id, title=ref.title, published_at=ref.published_at, dims=dims
    )


async def values(uow: UnitOfWork, choice: Choice) -> dict[str, float]:
    """The chosen cells' numeric values by area code (suppressed and missing cells left out)."""
    all_dims = await statdb.dims_of(uow, choice.table_id)
    sel = statdb.select(choice.table_id, all_dims, [Narrow(obj_id=d.obj_id, codes=[d.code]) for d in choice.dims])
    if sel is None:
        return {}
    return {r.area: float(r.value) for r in await statdb.area_values(uow, sel) if r.value is not None}


def breaks(data: list[float], method: Method, classes: int) -> list[float]:
    """Upper bounds of each class but the last (k - 1 thresholds, ascending, distinct)."""
    xs = sorted(data)
    if len(set(xs)) < 2:
        return []
    k = min(classes, len(set(xs)))
    if method == "equal":
        lo, hi = xs[0], xs[-1]
        cuts = [lo + (hi - lo) * i / k for i in range(1, k)]
    elif method == "quantile":
        cuts = [xs[min(len(xs) - 1, round(len(xs) * i / k))] for i in range(1, k)]
    else:
        import jenkspy  # on first use: it brings numpy, which few requests need (issue 15, the base RSS)

        cuts = [float(b) for b in jenkspy.jenks_breaks(xs, n_classes=k)[1:-1]]
    return sorted(set(cuts))
