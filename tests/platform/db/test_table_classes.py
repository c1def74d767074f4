"""Every Piccolo table class matches the migrated database (issue 9 section 1).

The SQL migrations are the schema (docs/decisions/0001); the table classes repeat it for the
repositories and Piccolo queries. Nothing else checks that the two agree, so a column added,
renamed or made nullable in a migration and not in its class would only fail where that column is
used. This test reads information_schema.columns (as the tables' owner: it sees every column) and
compares each class with its table: the same column names, a compatible type, the same nullability.
"""

from __future__ import annotations

import importlib
import os
import pkgutil

import asyncpg
from piccolo import columns as c
from piccolo.table import Table

from govstat.platform.root.catalog import CATALOG
from govstat.platform.subsystems.gis.tables import Geometry

PARTS = ("govstat.platform", "govstat.tenants", "govstat.gateway", "govstat.ops")

# Piccolo column class -> information_schema data_type (udt_name for arrays)
TYPES: dict[type[c.Column], set[str]] = {
    c.Varchar: {"character varying"},
    c.Char: {"character"},
    c.Text: {"text"},
    c.UUID: {"uuid"},
    c.BigSerial: {"bigint"},
    c.BigInt: {"bigint"},
    c.Serial: {"integer"},
    c.Integer: {"integer"},
    c.SmallInt: {"smallint"},
    c.Boolean: {"boolean"},
    c.Timestamptz: {"timestamp with time zone"},
    c.Timestamp: {"timestamp without time zone"},
    c.Date: {"date"},
    c.Time: {"time without time zone"},
    c.Interval: {"interval"},
    c.Numeric: {"numeric"},
    c.Real: {"real"},
    c.Float: {"double precision"},  # Piccolo writes FLOAT, which PostgreSQL reads as double precision
    c.DoublePrecision: {"double precision"},
    c.JSON: {"json"},
    c.JSONB: {"jsonb"},
    c.Bytea: {"bytea"},
    c.Array: {"ARRAY"},
    Geometry: {"USER-DEFINED"},  # PostGIS (udt_name geometry)
}
ARRAY_BASE: dict[type[c.Column], str] = {c.Text: "_text", c.Varchar: "_varchar", c.Integer: "_int4", c.BigInt: "_int8"}


def table_classes() -> dict[str, type[Table]]:
    """Every Table subclass defined in a `tables` module of the four parts, by table name."""
    found: dict[str, type[Table]] = {}
    for part in PARTS:
        package = importlib.import_module(part)
        for info in pkgutil.walk_packages(package.__path__, part + "."):
            if info.name.rsplit(".", 1)[-1] != "tables" or ".piccolo_migrations" in info.name:
                continue
            module = importlib.import_module(info.name)
            for value in vars(module).values():
                if isinstance(value, type) and issubclass(value, Table) and value.__module__ == module.__name__:
                    found[value._meta.tablename] = value
    return found


def _type_problem(column: c.Column, data_type: str, udt_name: str, length: int | None) -> str | None:
    kind = type(column)
    allowed = next((types for k, types in TYPES.items() if kind is k), None)
    if allowed is None:
        return f"no known database type for {kind.__name__}"
    if data_type not in allowed:
        return f"{kind.__name__} but the database has {data_type}"
    if isinstance(column, (c.Varchar, c.Char)) and column.length != length:
        return f"{kind.__name__}({column.length}) but the database has {data_type}({length})"
    if isinstance(column, c.Array):
        base = ARRAY_BASE.get(type(column.base_column))
        if base != udt_name:
            return f"Array({type(column.base_column).__name__}) but the database has {udt_name}"
    return None


async def _database_columns() -> dict[str, dict[str, asyncpg.Record]]:
    conn = await asyncpg.connect(os.environ["GOVSTAT_MIGRATION_DATABASE_URL"])
    try:
        rows = await conn.fetch(
            "SELECT table_name, column_name, data_type, udt_name, is_nullable, character_maximum_length"
            " FROM information_schema.columns WHERE table_schema = 'public'"
        )
    finally:
        await conn.close()
    out: dict[str, dict[str, asyncpg.Record]] = {}
    for r in rows:
        out.setdefault(r["table_name"], {})[r["column_name"]] = r
    return out


def test_every_modules_tables_are_found_in_a_tables_module():
    classes = set(table_classes().values())
    declared = {t for m in CATALOG.modules for t in m.tables}
    assert declared - classes == set(), "a Module declares a table class outside a tables.py"
    assert len(classes) > 40


async def test_every_table_class_matches_the_migrated_database():
    database = await _database_columns()
    problems = []
    for name, table in sorted(table_classes().items()):
        actual = database.get(name)
        if actual is None:
            problems.append(f"{table.__name__}: no table {name}")
            continue
        declared = {col._meta.db_column_name: col for col in table._meta.columns}
        for missing in sorted(set(actual) - set(declared)):
            problems.append(f"{name}.{missing}: in the database, not in {table.__name__}")
        for extra in sorted(set(declared) - set(actual)):
            problems.append(f"{name}.{extra}: in {table.__name__}, not in the database")
        for col_name, col in declared.items():
            db = actual.get(col_name)
            if db is None:
                continue
            problem = _type_problem(col, db["data_type"], db["udt_name"], db["character_maximum_length"])
            if problem:
                problems.append(f"{name}.{col_name}: {problem}")
            nullable = db["is_nullable"] == "YES"
            if col._meta.null != nullable:
                problems.append(
                    f"{name}.{col_name}: {'nullable' if col._meta.null else 'NOT NULL'} in {table.__name__},"
                    f" {'nullable' if nullable else 'NOT NULL'} in the database"
                )
    assert problems == [], "\n".join(problems)
