"""Web pages of the classification database (Japanese first, English beside it)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from litestar import MediaType, Request, Router, get
from litestar.params import QueryParameter

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.errors import GovstatError
from govstat.platform.module import public
from govstat.platform.subsystems.classification import queries, service
from govstat.platform.subsystems.classification.correspondence import KIND_NAMES, KIND_NAMES_EN, KINDS
from govstat.platform.subsystems.classification.rows import ChangeSummary
from govstat.platform.web.deps import set_units
from govstat.platform.web.pages import page

HTML = {"include_in_schema": False, "media_type": MediaType.HTML}  # pages are HTML, not JSON
PAGE = 50
CHANGES_PAGE = 100
LEVEL_NAMES = {1: "大分類", 2: "中分類", 3: "小分類", 4: "細分類"}
PageNo = Annotated[int, QueryParameter(name="page", ge=1, le=10_000)]


def _level(value: str, errors: list[str]) -> int | None:
    if not value:
        return None
    if value in ("1", "2", "3", "4"):
        return int(value)
    errors.append(f"階層は1〜4で指定してください / level must be 1 to 4: {value}")
    return None


@get("/", opt=public("classification.search"), **HTML)
async def search_page(
    request: Request,
    uow: UnitOfWork,
    q: str = "",
    code: str = "",
    classification: str = "",
    version: str = "",
    level: str = "",
    descriptions: str = "",
    page_no: PageNo = 1,
) -> Any:
    errors: list[str] = []
    lvl = _level(level, errors)
    if code and not re.fullmatch(r"[A-Za-z0-9]{1,4}", code):
        errors.append(f"コードは英数字4文字までです / a code is up to 4 letters or digits: {code}")
        code = ""
    catalogue = await service.catalogue(uow)
    searched = bool(q or code or lvl or classification or version)
    total, rows = 0, []
    if searched and not errors:
        try:
            total, rows = await service.search(
                uow,
                q=q[:100],
                code=code or None,
                classification=classification or None,
                version=version or None,
                level=lvl,
                descriptions=bool(descriptions),
                limit=PAGE,
                offset=(page_no - 1) * PAGE,
            )
        except GovstatError as exc:
            errors.append(exc.detail)
    set_units(request, len(rows))
    return page(
        request,
        "classification/search.html",
        q=q,
        code=code,
        classification=classification,
        version=version,
        level=lvl,
        descriptions=bool(descriptions),
        rows=rows,
        total=total,
        searched=searched,
        page_no=page_no,
        pages=max((total + PAGE - 1) // PAGE, 1),
        errors=errors,
        versions=catalogue.versions,
        correspondences=catalogue.correspondences,
        level_names=LEVEL_NAMES,
    )


@get("/versions/{version:str}", opt=public("classification.read"), **HTML)
async def version_page(request: Request, uow: UnitOfWork, version: str) -> Any:
    try:
        v = await service.version_detail(uow, version)
    except GovstatError as exc:
        return page(request, "classification/not_found.html", status_code=exc.status, message=exc.detail)
    return page(request, "classification/version.html", v=v)


@get("/versions/{version:str}/items/{code:str}", opt=public("classification.read"), **HTML)
async def item_page(request: Request, uow: UnitOfWork, version: str, code: str) -> Any:
    try:
        item = await service.item_detail(uow, version, code)
    except GovstatError as exc:
        return page(request, "classification/not_found.html", status_code=exc.status, message=exc.detail)
    return page(request, "classification/item.html", item=item, v=item.version, kind_names=KIND_NAMES)


@get("/changes", opt=public("classification.changes"), **HTML)
async def changes_page(
    request: Request,
    uow: UnitOfWork,
    from_version: Annotated[str, QueryParameter(name="from")] = "jsic-13",
    to_version: Annotated[str, QueryParameter(name="to")] = "jsic-14",
    kind: str = "changed",
    level: str = "",
    page_no: PageNo = 1,
) -> Any:
    """What a revision changed: counts per kind and level (table and chart), then the rows."""
    errors: list[str] = []
    lvl = _level(level, errors)
    if kind not in (*KINDS, "changed", "all"):
        errors.append(f"変更区分が正しくありません / unknown kind: {kind}")
        kind = "changed"
    try:
        summary = await service.change_summary(uow, from_version, to_version)
    except GovstatError as exc:
        return page(request, "classification/not_found.html", status_code=exc.status, message=exc.detail)
    kinds = {"changed": [k for k in KINDS if k != "unchanged"], "all": None}.get(kind, [kind])
    total, rows = await service.change_list(
        uow, from_version, to_version, kinds=kinds, level=lvl, limit=CHANGES_PAGE, offset=(page_no - 1) * CHANGES_PAGE
    )
    pairs = await queries.correspondence_pairs(uow)
    return page(
        request,
        "classification/changes.html",
        s=summary,
        rows=rows,
        total=total,
        kind=kind,
        level=lvl,
        errors=errors,
        page_no=page_no,
        pages=max((total + CHANGES_PAGE - 1) // CHANGES_PAGE, 1),
        kind_names=KIND_NAMES,
        kind_names_en=KIND_NAMES_EN,
        kinds=KINDS,
        pairs=pairs,
        chart=_chart(summary),
    )


COLORS = {1: "#0b5cad", 2: "#2f8f5b", 3: "#c27c0e", 4: "#b42318"}


def _chart(summary: ChangeSummary) -> dict[str, Any]:
    """Horizontal stacked bars: one bar per change kind (unchanged left out: it dwarfs the rest),
    one segment per level."""
    bars, top = [], 1
    changed = [k for k in KINDS if k != "unchanged"]
    for k in changed:
        top = max(top, summary.totals[k])
    width = 360
    for i, k in enumerate(changed):
        x, segments = 0.0, []
        for lv in summary.levels:
            n = summary.counts[k][str(lv.level)]
            if n:
                w = n / top * width
                segments.append(
                    {
                        "x": round(x, 1),
                        "w": round(w, 1),
                        "n": n,
                        "level": lv.level,
                        "name": lv.name_ja,
                        "color": COLORS.get(lv.level, "#5c6670"),
                    }
                )
                x += w
        bars.append({"kind": k, "y": 10 + i * 30, "segments": segments, "total": summary.totals[k], "end": round(x, 1)})
    return {"bars": bars, "width": width, "height": 20 + len(changed) * 30, "colors": COLORS}


pages = Router(path="/classification", route_handlers=[search_page, version_page, item_page, changes_page])
__all__ = ["pages"]
