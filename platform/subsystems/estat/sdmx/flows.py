"""Published tables as SDMX dataflows: each table's class objects are its dimensions (time becomes
TIME_PERIOD), their items its codelists. Read through statdb's read interface (published.py) and
e-Stat's published-table query (api/table_refs.py): a draft or a table not yet due is never a flow.

Labels come in Japanese and English from one structure: English from an English field when the
table or master has one, else the Japanese, as e-Stat's lang=E does."""

from __future__ import annotations

import json
from typing import Any

import msgspec

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.subsystems.estat.api import table_refs
from govstat.platform.subsystems.estat.api.faults import EstatFault
from govstat.platform.subsystems.estat.api.rows import PublishedTable
from govstat.platform.subsystems.estat.sdmx import periods
from govstat.platform.subsystems.statdb import flags
from govstat.platform.subsystems.statdb import published as statdb

AGENCY = "GOVSTAT"
VERSION = "1.0"
TIME = "TIME_PERIOD"
MAX_FLOWS = 20_000  # a dataflow list longer than this answers 413: name an agency's statistic


class Label(msgspec.Struct, frozen=True):
    ja: str
    en: str


def label(ja: str, en: str | None = None) -> Label:
    return Label(ja, en or ja)


class Code(msgspec.Struct, frozen=True):
    id: str
    name: Label
    parent: str | None = None


class Dim(msgspec.Struct, frozen=True):
    id: str  # TAB, CAT01, AREA, TIME_PERIOD
    obj_id: str  # statdb's column: tab, cat01, area, time
    name: Label
    codes: list[Code]


class Flow(msgspec.Struct, frozen=True):
    table: PublishedTable
    dims: list[Dim]  # the series key, in the table's order
    time: Dim | None  # e-Stat time codes; None: the survey date is every cell's period
    notes: dict[str, str]  # special character -> meaning

    @property
    def id(self) -> str:
        return self.table.stats_data_id

    @property
    def name(self) -> Label:
        return table_name(self.table)

    def period_of(self, code: str | None) -> str:
        return periods.period(code) if code else survey_period(self.table.survey_date)


def _en(row: Any, field: str) -> str | None:
    """An English field beside a Japanese one (`title_en`, `name_en`), where statdb has it."""
    value = getattr(row, f"{field}_en", None)
    return value if isinstance(value, str) and value else None


def survey_period(survey_date: str) -> str:
    """e-Stat's SURVEY_DATE (2020, 202010, 20201001) as a period."""
    if len(survey_date) >= 6 and survey_date[:6].isdigit() and 1 <= int(survey_date[4:6]) <= 12:
        return f"{survey_date[:4]}-{survey_date[4:6]}"
    return survey_date[:4] if survey_date[:4].isdigit() else "9999"


def table_name(t: PublishedTable) -> Label:
    return label(t.title, _en(t, "title") or _english(t, "title"))


def _english(row: Any, field: str) -> str | None:
    """An English name kept in the row's `english` JSON text ({"title": ...}), where it has one."""
    raw = getattr(row, "english", None)
    if not (isinstance(raw, str) and raw.startswith("{")):
        return None
    value = json.loads(raw).get(field)
    return value if isinstance(value, str) and value else None


def agency_label(t: PublishedTable) -> Label:
    return label(t.agency_name, t.agency_name_en)


async def load(uow: UnitOfWork, flow_id: str) -> Flow | None:
    """The published table `flow_id` (its statsDataId) as a flow, or None."""
    if not (flow_id.isdigit() and len(flow_id) <= 20):
        return None
    try:
        t = await table_refs.published(uow, flow_id)
    except EstatFault:
        return None
    dims: list[Dim] = []
    time: Dim | None = None
    for o in await statdb.classes(uow, t.id):
        codes = [Code(i.code, label(i.name, _en(i, "name")), i.parent_code) for i in o.items]
        if o.obj_id == "time":
            codes = [Code(periods.period(c.id), c.name) for c in codes]
            time = Dim(TIME, "time", label(o.name, _en(o, "name")), codes)
        else:
            dims.append(Dim(o.obj_id.upper(), o.obj_id, label(o.name, _en(o, "name")), codes))
    return Flow(t, dims, time, flags.notes_map(t.notes))


async def listed(uow: UnitOfWork) -> list[PublishedTable]:
    """Every published and due table, oldest first (the dataflow list)."""
    rows = await table_refs.listed(uow, table_refs.SELECT + f" ORDER BY t.id LIMIT {MAX_FLOWS + 1}")
    return rows
