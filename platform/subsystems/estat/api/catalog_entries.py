"""getDataCatalog's entries: database tables and table files in one shape (t), read through the
views their owners publish (statdb published_table, tables published_file, tenants
directory_statistic), so stats_list.filters applies to both."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.subsystems.estat.api.catalog_dataset import dataset, landing_page
from govstat.platform.subsystems.estat.api.inf import english_names, iso_day, survey_date_field

# t.format: DB for a database table (which also offers CSV), else the file's own (CSV, XLS)
SOURCE = """
(SELECT st.id, st.stats_data_id::text AS catalog_id, st.stats_data_id::text AS stats_data_id, 'DB'::text AS format,
        st.gov_stat_code, st.table_no, st.title, st.statistics_name, st.cycle, st.survey_date, st.open_date,
        st.explanation, st.publish_at, st.updated_at, ''::text AS filename, coalesce(d.english, '{}')::text AS english
   FROM published_table st LEFT JOIN published_table_detail d ON d.id = st.id
 UNION ALL
 SELECT NULL::bigint, tf.id::text, NULL::text, CASE lower(tf.format) WHEN 'csv' THEN 'CSV' ELSE 'XLS' END,
        tf.gov_stat_code, tf.table_no, tf.title, '', '', tf.survey_date, NULL::date, tf.notes, tf.publish_at,
        tf.updated_at, tf.filename, '{}'::text
   FROM published_file tf) t
JOIN directory_statistic g ON g.code = t.gov_stat_code"""
COLUMNS = """t.catalog_id, t.stats_data_id, t.format, t.gov_stat_code, t.table_no, t.title, t.statistics_name, t.cycle,
 t.survey_date, t.publish_at, t.updated_at, t.filename, g.name_ja AS stat_name, g.agency_code, g.agency_name,
 g.agency_name_en, t.explanation, t.english"""
# dataType -> the entries' formats that offer it (a database table offers DB and CSV)
FORMATS: dict[str, list[str]] = {
    "DB": ["DB"],
    "CSV": ["DB", "CSV"],
    "XLS": ["XLS"],
    "PDF": [],
    "XML": [],
    "XLS_REP": [],
}
LICENSE = "政府標準利用規約（第2.0版）準拠 / CC BY 4.0 compatible"


class Entry(msgspec.Struct, kw_only=True):
    catalog_id: str
    stats_data_id: str | None
    format: str
    gov_stat_code: str
    table_no: str
    title: str
    statistics_name: str
    cycle: str
    survey_date: str
    publish_at: dt.datetime | None
    updated_at: dt.datetime
    filename: str
    stat_name: str
    agency_code: str
    agency_name: str
    agency_name_en: str | None
    explanation: str = ""  # a table's DESCRIPTION; a file's notes
    english: str = "{}"  # a database table's English names (the parameter file's `*_en`); a file has none


def names(t: Entry, lang: str) -> dict[str, str]:
    """The entry's names in `lang`: under lang=E each English name the parameter file gave, the
    Japanese where it gave none (as e-Stat falls back), and always the Japanese for a table file."""
    ja = {
        "title": t.title,
        "statistics_name": t.statistics_name,
        "stat_name": t.stat_name,
        "explanation": t.explanation,
    }
    if lang != "E":
        return ja
    return {**ja, **{k: v for k, v in english_names(t.english).items() if k in ja}}


def catalog_of(resource_id: str) -> str:
    """The catalogue entry of a resource: `<statsDataId>-db` / `-csv`, or a file's id."""
    head, _, tail = resource_id.rpartition("-")
    return head if tail in ("db", "csv") and head.isdigit() else resource_id


async def page(uow: UnitOfWork, w: Where, *, start: int, limit: int) -> tuple[int, list[Entry]]:
    total: int = await uow.fetchval(f"SELECT count(*) FROM {SOURCE} WHERE {w}", *w.args)
    rows = await uow.rows(
        Entry,
        f"SELECT {COLUMNS} FROM {SOURCE} WHERE {w}"
        f" ORDER BY t.publish_at DESC, t.catalog_id DESC OFFSET {int(start) - 1} LIMIT {int(limit)}",
        *w.args,
    )
    return total, rows


def entry(
    t: Entry, base_url: str, *, lang: str, data_type: str, resource: str, explanation: bool = True
) -> dict[str, Any]:
    agency = (lang == "E" and t.agency_name_en) or t.agency_name
    n = names(t, lang)
    released, modified = iso_day(t.publish_at), iso_day(t.updated_at)
    title = {"NAME": n["title"], "TABLE_NO": t.table_no}
    if t.stats_data_id:
        sid = t.stats_data_id
        resources = [
            {"@id": f"{sid}-db", "URL": f"{base_url}/estat/tables/{sid}", "FORMAT": "DB"},
            {"@id": f"{sid}-csv", "URL": f"{base_url}/estat/tables/{sid}/download.csv", "FORMAT": "CSV"},
        ]
    else:
        resources = [{"@id": t.catalog_id, "URL": f"{base_url}/estat/files/{t.catalog_id}", "FORMAT": t.format}]
    picked = [
        {
            "@id": r["@id"],
            "TITLE": title,
            "URL": r["URL"],
            "DESCRIPTION": "",
            "FORMAT": r["FORMAT"],
            "RELEASE_DATE": released,
            "LAST_MODIFIED_DATE": modified,
            "RESOURCE_LICENSE": LICENSE,
        }
        for r in resources
        if (not data_type or r["FORMAT"] == data_type) and (not resource or r["@id"] == resource)
    ]
    return {
        "@id": t.catalog_id,
        "DATASET": {
            **dataset(
                {
                    "STAT_NAME": {"@code": t.gov_stat_code, "$": n["stat_name"]},
                    "ORGANIZATION": {"@code": t.agency_code, "$": agency},
                    "TITLE": {"NAME": n["title"], "TABULATION_CATEGORY": n["statistics_name"]},
                },
                agency=agency,
                explanation=n["explanation"],
                cycle=t.cycle,
                released=released,
                modified=modified,
                landing_page=landing_page(base_url, t.stats_data_id, t.catalog_id),
                with_explanation=explanation,
            ),
            "LANGUAGE": "日本語" if lang != "E" else "Japanese",
            "CYCLE": t.cycle or "-",
            "SURVEY_DATE": survey_date_field(t.survey_date),
        },
        "RESOURCES": {"RESOURCE": picked[0] if len(picked) == 1 else picked},
    }
