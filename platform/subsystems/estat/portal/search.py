"""ESTAT-1: find published statistics by conditions and keywords (with the operator's synonyms).

The portal searches both kinds of what e-Stat provides: database tables (statdb, shown as tables
and graphs) and table files (tables, downloaded as they were registered). The conditions are the
e-Stat API's (api/stats_list.filters: searchWord with synonyms, surveyYears, statsField, statsCode,
collectArea), so the portal and getStatsList always agree on what a search finds. Row-level
security hides what is not published and due, and the condition says so once more: an agency's
own drafts never show up here, even to its staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgspec

from govstat.platform import directory
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.subsystems.estat.api import search as words_sql
from govstat.platform.subsystems.estat.api import stats_list
from govstat.platform.subsystems.estat.api.faults import EstatFault
from govstat.platform.subsystems.estat.portal import keywords
from govstat.platform.subsystems.estat.portal.rows import SearchItem, StatisticDetail, StatisticSummary


def source(db: str = "true", file: str = "true") -> str:
    """Database tables and table files in one shape (t), with their statistic, agency and field (g):
    the views their owners publish (statdb published_table, tables published_file, tenants
    directory_statistic). `db` and `file`: conditions inside each branch, on st and tf (keywords:
    each kind is matched its own way, the tables through their index)."""
    return f"""
(SELECT 'db'::text AS kind, st.id, st.stats_data_id::text AS stats_data_id, NULL::uuid AS file_id, st.status,
        st.gov_stat_code, st.table_no, st.title, st.statistics_name, st.cycle, st.survey_date, st.open_date,
        st.explanation, st.total_number, st.publish_at, st.updated_at, NULL::text AS format
   FROM published_table st WHERE {db}
 UNION ALL
 SELECT 'file', NULL::bigint, NULL::text, tf.id, tf.status, tf.gov_stat_code, tf.table_no, tf.title, '', '',
        tf.survey_date, NULL::date, tf.notes, 0::bigint, tf.publish_at, tf.updated_at, tf.format
   FROM published_file tf WHERE {file}) t
JOIN directory_statistic g ON g.code = t.gov_stat_code
"""


SOURCE = source()
COLUMNS = """t.kind, t.stats_data_id, t.file_id, t.gov_stat_code, t.table_no, t.title, t.statistics_name, t.cycle,
 t.survey_date, t.open_date, t.total_number, t.publish_at, t.updated_at, t.format, g.name_ja AS stat_name,
 g.agency_code, g.agency_name, g.agency_name_en, coalesce(g.field_code, '99') AS field_code,
 coalesce(g.field_name, 'その他') AS field_name,
 (SELECT l.area_level FROM table_area_level l WHERE l.table_id = t.id) AS area_level"""

AREA_LEVELS = {"1": "全国 / Nation", "2": "都道府県 / Prefectures", "3": "市区町村 / Municipalities"}
KINDS = {"db": "データベース / Database", "file": "ファイル / File"}
SORTS = {"new": "t.publish_at DESC, t.title", "survey": "t.survey_date DESC, t.publish_at DESC", "title": "t.title"}


@dataclass
class Conditions:
    """The search form (each field is optional)."""

    q: str = ""  # keywords: spaces = AND, "OR" between alternatives, synonyms expanded
    field: str = ""  # 統計分野 (2 digits)
    stat: str = ""  # 政府統計コード (8 digits)
    agency: str = ""  # 作成機関 (agency code)
    survey: str = ""  # 調査年月: yyyy, yyyymm or a range (yyyy-yyyy)
    area: str = ""  # 集計地域区分: 1 nation, 2 prefectures, 3 municipalities
    kind: str = ""  # db | file
    sort: str = "new"

    @classmethod
    def of(cls, q: dict[str, str]) -> Conditions:
        return cls(**{k: q.get(k, "").strip() for k in cls.__dataclass_fields__ if q.get(k)})

    def estat_params(self) -> dict[str, str]:
        """The e-Stat API's names for the same conditions (getStatsList)."""
        out = {
            "searchWord": self.q,
            "statsField": self.field,
            "statsCode": self.stat or "",
            "surveyYears": self.survey,
            "collectArea": self.area,
        }
        return {k: v for k, v in out.items() if v}

    def query(self, **override: Any) -> dict[str, str]:
        values = {k: getattr(self, k) for k in self.__dataclass_fields__}
        values.update(override)
        return {k: str(v) for k, v in values.items() if v and not (k == "sort" and v == "new")}


@dataclass
class Result:
    total: int = 0
    items: list[SearchItem] = field(default_factory=list)
    error: str = ""
    words: list[list[str]] = field(default_factory=list)  # the keyword groups after synonym expansion


async def where(uow: UnitOfWork, c: Conditions) -> Where:
    """The SQL conditions but the keywords (api/stats_list.filters plus the agency and the kind)."""
    w = await stats_list.filters(uow, {k: v for k, v in c.estat_params().items() if k != "searchWord"})
    w.eq("g.agency_code", c.agency)
    if c.kind in KINDS:
        w.eq("t.kind", c.kind)
    return w


async def search(uow: UnitOfWork, c: Conditions, *, limit: int = 20, offset: int = 0) -> Result:
    try:
        w = await where(uow, c)
        words = await _expanded(uow, c.q)
    except EstatFault as fault:
        return Result(error=f"検索条件に誤りがあります / invalid condition: {fault.message}")
    order = SORTS.get(c.sort, SORTS["new"]) + ", t.stats_data_id, t.file_id"
    if keywords_only(c):  # statdb's search table counts and orders the tables (keywords.py)
        total, items = await keywords.search(
            uow,
            w,
            words,
            kind=c.kind,
            survey=c.survey,
            source=source,
            columns=COLUMNS,
            order=order,
            limit=limit,
            offset=offset,
        )
        return Result(total=total, items=items, words=words)
    db, file = ["true"], ["true"]
    for g in words:
        codes = await words_sql.statistic_codes(uow, g)
        db.append(words_sql.db_match(g, codes, w, "st"))
        file.append(words_sql.file_match(g, codes, w, "tf"))
    cond, args, src = str(w), w.args, source(" AND ".join(db), " AND ".join(file))
    total = await uow.fetchval(f"SELECT count(*) FROM {src} WHERE {cond}", *args)
    rows = await uow.rows(
        SearchItem,
        f"SELECT {COLUMNS} FROM {src} WHERE {cond} ORDER BY {order} LIMIT {int(limit)} OFFSET {int(offset)}",
        *args,
    )
    return Result(total=total, items=rows, words=words)


def keywords_only(c: Conditions) -> bool:
    """Keywords with at most a survey period and a kind, newest first: what keywords.search answers."""
    return (
        bool(c.q.strip())
        and not (c.field or c.stat or c.agency or c.area)
        and c.kind in ("", *KINDS)
        and c.sort == "new"
    )


async def _expanded(uow: UnitOfWork, q: str) -> list[list[str]]:
    return await words_sql.expand(uow, words_sql.parse(q)) if q.strip() else []


class Choices(msgspec.Struct, kw_only=True):
    """The masters for the search form: fields, statistics, agencies that own statistics."""

    fields: list[directory.Field]
    stats: list[directory.Statistic]
    agencies: list[directory.Agency]


async def choices(uow: UnitOfWork) -> Choices:
    return Choices(
        fields=await directory.fields(uow),
        stats=await directory.statistics(uow),
        agencies=await directory.agencies(uow, with_statistics=True),
    )


async def statistics(uow: UnitOfWork, *, field_code: str = "", agency: str = "") -> list[StatisticSummary]:
    """Government statistics with the number of published tables and files of each."""
    w = Where().eq("coalesce(g.field_code, '99')", field_code).eq("g.agency_code", agency)
    return await uow.rows(
        StatisticSummary,
        f"""
        SELECT g.code, g.name_ja, g.cycle, g.agency_code, g.agency_name, coalesce(g.field_code, '99') AS field_code,
               coalesce(g.field_name, 'その他') AS field_name,
               (SELECT count(*) FROM published_table st WHERE st.gov_stat_code = g.code) AS db_tables,
               (SELECT count(*) FROM published_file tf WHERE tf.gov_stat_code = g.code) AS files,
               (SELECT max(st.publish_at) FROM published_table st WHERE st.gov_stat_code = g.code) AS last_published
        FROM directory_statistic g
        WHERE {w} ORDER BY coalesce(g.field_code, '99'), g.code""",
        *w.args,
    )


async def statistic(uow: UnitOfWork, code: str) -> StatisticDetail | None:
    return await uow.row(
        StatisticDetail,
        """
        SELECT g.code, g.name_ja, g.cycle, g.agency_code, g.agency_name, g.agency_name_en,
               coalesce(g.field_code, '99') AS field_code, coalesce(g.field_name, 'その他') AS field_name,
               coalesce(g.field_name_en, 'Other') AS field_name_en
        FROM directory_statistic g WHERE g.code = $1""",
        code,
    )


async def divisions(uow: UnitOfWork, agency_code: str) -> list[str]:
    return await directory.divisions(uow, agency_code)
