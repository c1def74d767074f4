"""A published table as an RDF Data Cube (https://www.w3.org/TR/vocab-data-cube/).

One qb:DataSet per table with one qb:DataStructureDefinition: a dimension per class object
(tab, cat01.., area, time), each coded by the table's own code list (a skos:ConceptScheme that is
also a qb:HierarchicalCodeList, the items' parent codes giving skos:broader/narrower); one measure,
sdmx-measure:obsValue; two optional attributes, sdmx-attribute:unitMeasure and
sdmx-attribute:obsStatus.

A cell that holds a special character instead of a number ("x" 秘匿, "-" 該当なし) carries its
status (statdb/flags.py: the same flag SDMX and the e-Stat API read) and no number: its
obsValue is "NaN"^^xsd:double, as SDMX writes a missing value, because the Data Cube's IC-14
requires every observation to have every measure (docs/decisions/0013).

The graph is written already normalised (the spec's section 10.1): every component
specification names its qb:componentProperty and every property its type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

import msgspec
import pyoxigraph as ox

from govstat.platform.subsystems.estat.lod import vocab as v
from govstat.platform.subsystems.statdb import flags

DIM_EN = {"tab": "Tabulation item", "area": "Area", "time": "Time"}
SUPER = {"area": v.SDMX_DIM + "refArea", "time": v.SDMX_DIM + "refPeriod"}
NAN = ox.Literal("NaN", datatype=v.DOUBLE)


class Item(Protocol):
    code: str
    name: str
    parent_code: str | None


class ClassObj(Protocol):
    obj_id: str
    name: str

    @property
    def items(self) -> Sequence[Item]: ...


class CellLike(Protocol):
    seq: int
    unit: str | None
    value: Decimal | None
    raw: str | None


class TableFacts(msgspec.Struct, kw_only=True):
    """What the cube says of the table itself (estat's PublishedTable has every field)."""

    stats_data_id: str
    title: str
    gov_stat_code: str
    stat_name: str
    agency_name: str
    agency_name_en: str | None = None
    survey_date: str = ""
    publish_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    notes: list[dict[str, str]] = []


def _day(value: dt.datetime | None) -> ox.Literal | None:
    return None if value is None else ox.Literal(value.date().isoformat(), datatype=v.DATE)


def dim_name_en(obj: ClassObj) -> str:
    named: str = getattr(obj, "name_en", "") or ""  # English names come with the class objects when given
    if named:
        return named
    if obj.obj_id.startswith("cat"):
        return f"Category {obj.obj_id[3:]}"
    return DIM_EN.get(obj.obj_id, obj.obj_id)


class Uris:
    def __init__(self, stats_data_id: str) -> None:
        self.table = v.table_uri(stats_data_id)
        self.dataset = v.n(self.table)
        self.dsd = v.n(f"{self.table}/structure")

    def dim(self, obj_id: str) -> ox.NamedNode:
        return v.n(f"{self.table}/dimension/{obj_id}")

    def scheme(self, obj_id: str) -> ox.NamedNode:
        return v.n(f"{self.table}/code/{obj_id}")

    def code(self, obj_id: str, code: str) -> ox.NamedNode:
        return v.n(f"{self.table}/code/{obj_id}/{v.code_part(code)}")

    def obs(self, seq: int) -> ox.NamedNode:
        return v.n(f"{self.table}/obs/{seq}")


def dataset(t: TableFacts, objs: Sequence[ClassObj]) -> v.Triples:
    """The data set, its structure, its dimensions and their code lists (everything but cells)."""
    u = Uris(t.stats_data_id)
    T = ox.Triple
    out: v.Triples = [
        T(u.dataset, v.A, v.qb("DataSet")),
        T(u.dataset, v.qb("structure"), u.dsd),
        T(u.dataset, v.n(v.DCT + "identifier"), v.plain(t.stats_data_id)),
        T(u.dataset, v.n(v.DCT + "title"), v.ja(t.title)),
        T(u.dataset, v.n(v.DCT + "source"), v.ja(t.stat_name)),
        *v.labels(u.dataset, t.title, pred=v.LABEL),
        *v.labels(u.dataset, t.agency_name, t.agency_name_en or "", pred=v.n(v.DCT + "publisher")),
        T(u.dsd, v.A, v.qb("DataStructureDefinition")),
        *v.labels(u.dsd, f"{t.title} の構造", f"Structure of {t.stats_data_id}", pred=v.LABEL),
    ]
    for pred, day in (("issued", _day(t.publish_at)), ("modified", _day(t.updated_at))):
        if day is not None:
            out.append(T(u.dataset, v.n(v.DCT + pred), day))
    for order, obj in enumerate(objs, start=1):
        spec = v.n(f"{u.table}/structure/{obj.obj_id}")
        prop = u.dim(obj.obj_id)
        out += [
            T(u.dsd, v.qb("component"), spec),
            T(spec, v.A, v.qb("ComponentSpecification")),
            T(spec, v.qb("dimension"), prop),
            T(spec, v.qb("componentProperty"), prop),
            T(spec, v.qb("order"), ox.Literal(str(order), datatype=v.n(v.XSD + "integer"))),
            T(prop, v.A, v.qb("DimensionProperty")),
            T(prop, v.A, v.qb("CodedProperty")),
            T(prop, v.A, v.n(v.RDF + "Property")),
            T(prop, v.n(v.RDFS + "range"), v.CONCEPT),
            T(prop, v.qb("codeList"), u.scheme(obj.obj_id)),
            *v.labels(prop, obj.name, dim_name_en(obj), pred=v.LABEL),
        ]
        if obj.obj_id in SUPER:
            out.append(T(prop, v.n(v.RDFS + "subPropertyOf"), v.n(SUPER[obj.obj_id])))
        out += code_list(u, obj)
    out += _measure_and_attributes(u)
    return out


def code_list(u: Uris, obj: ClassObj) -> v.Triples:
    """The dimension's items as a concept scheme and hierarchy (roots: items without a parent in it)."""
    T = ox.Triple
    scheme = u.scheme(obj.obj_id)
    out: v.Triples = [
        T(scheme, v.A, v.SCHEME),
        T(scheme, v.A, v.qb("HierarchicalCodeList")),
        T(scheme, v.qb("parentChildProperty"), v.NARROWER),
        *v.labels(scheme, obj.name, dim_name_en(obj), pred=v.LABEL),
    ]
    codes = {i.code for i in obj.items}
    for i in obj.items:
        c = u.code(obj.obj_id, i.code)
        out += [
            T(c, v.A, v.CONCEPT),
            T(c, v.IN_SCHEME, scheme),
            T(c, v.NOTATION, v.plain(i.code)),
            *v.labels(c, i.name, getattr(i, "name_en", "") or ""),
        ]
        if i.parent_code and i.parent_code in codes:
            parent = u.code(obj.obj_id, i.parent_code)
            out += [T(c, v.BROADER, parent), T(parent, v.NARROWER, c)]
        else:
            out += [
                T(scheme, v.qb("hierarchyRoot"), c),
                T(scheme, v.TOP, c),
                T(c, v.n(v.SKOS + "topConceptOf"), scheme),
            ]
        if obj.obj_id == "area" and len(i.code) == 5 and i.code.isdigit():
            out.append(T(c, v.n(v.SKOS + "exactMatch"), v.n(v.area_uri(i.code))))
    return out


def _measure_and_attributes(u: Uris) -> v.Triples:
    T = ox.Triple
    out: v.Triples = []
    measure = v.n(f"{u.table}/structure/measure")
    out += [
        T(u.dsd, v.qb("component"), measure),
        T(measure, v.A, v.qb("ComponentSpecification")),
        T(measure, v.qb("measure"), v.OBS_VALUE),
        T(measure, v.qb("componentProperty"), v.OBS_VALUE),
        T(v.OBS_VALUE, v.A, v.qb("MeasureProperty")),
        T(v.OBS_VALUE, v.A, v.n(v.RDF + "Property")),
        *v.labels(v.OBS_VALUE, "観測値", "Observation value", pred=v.LABEL),
    ]
    for name, prop in (("unit", v.UNIT), ("status", v.OBS_STATUS)):
        spec = v.n(f"{u.table}/structure/{name}")
        out += [
            T(u.dsd, v.qb("component"), spec),
            T(spec, v.A, v.qb("ComponentSpecification")),
            T(spec, v.qb("attribute"), prop),
            T(spec, v.qb("componentProperty"), prop),
            T(spec, v.qb("componentRequired"), ox.Literal("false", datatype=v.BOOLEAN)),
            T(spec, v.qb("componentAttachment"), v.qb("Observation")),
            T(prop, v.A, v.qb("AttributeProperty")),
            T(prop, v.A, v.n(v.RDF + "Property")),
        ]
    out += [
        *v.labels(v.UNIT, "単位", "Unit of measure", pred=v.LABEL),
        *v.labels(v.OBS_STATUS, "観測値の状態", "Observation status", pred=v.LABEL),
        T(v.OBS_STATUS, v.A, v.qb("CodedProperty")),
        T(v.OBS_STATUS, v.qb("codeList"), v.n(v.status_scheme_uri())),
        *status_scheme(),
    ]
    return out


def status_scheme() -> v.Triples:
    """The observation statuses (statdb/flags.py) as a concept scheme."""
    scheme = v.n(v.status_scheme_uri())
    out: v.Triples = [
        ox.Triple(scheme, v.A, v.SCHEME),
        *v.labels(scheme, "観測値の状態", "Observation status", pred=v.LABEL),
    ]
    for code, (name_ja, name_en) in flags.STATUSES.items():
        c = v.n(v.status_uri(code))
        out += [
            ox.Triple(c, v.A, v.CONCEPT),
            ox.Triple(c, v.IN_SCHEME, scheme),
            ox.Triple(c, v.NOTATION, v.plain(code)),
            *v.labels(c, name_ja, name_en),
        ]
    return out


def observations(t: TableFacts, dims: Sequence[str], cells: Iterable[CellLike]) -> v.Triples:
    """One qb:Observation per cell: its codes, its value (or NaN and its status), its unit."""
    u = Uris(t.stats_data_id)
    T = ox.Triple
    notes = flags.notes_map(t.notes)
    props = [(d, u.dim(d)) for d in dims]
    is_obs, in_ds = v.qb("Observation"), v.qb("dataSet")
    out: v.Triples = []
    for cell in cells:
        o = u.obs(cell.seq)
        out += [T(o, v.A, is_obs), T(o, in_ds, u.dataset)]
        out += [T(o, prop, u.code(d, getattr(cell, d))) for d, prop in props]
        if cell.value is not None:
            out.append(T(o, v.OBS_VALUE, ox.Literal(format(cell.value, "f"), datatype=v.DECIMAL)))
        else:
            out.append(T(o, v.OBS_VALUE, NAN))
            code = flags.status(cell.raw or "", notes) or "O"
            out.append(T(o, v.OBS_STATUS, v.n(v.status_uri(code))))
        if cell.unit:
            out.append(T(o, v.UNIT, v.plain(cell.unit)))
    return out
