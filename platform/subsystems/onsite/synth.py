"""Synthetic microdata, deterministic from a seed, whose margins are the real 2020 census figures:
persons by sex and municipality of Nara prefecture (data/census2020_nara_sex.csv, scaled), with an
age group, hours worked and income drawn from declared shares (data/PROVENANCE.md says which parts
are real and which are assumed), and households made of those persons."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa

from govstat.platform.subsystems.onsite.schemas import Variable

DATA = Path(__file__).parent / "data"
# Assumed shares (not from the shipped census file, which has no age): ten-year groups.
AGE_GROUPS = ["00-09", "10-19", "20-29", "30-39", "40-49", "50-59", "60-69", "70-79", "80-89", "90+"]
AGE_SHARES = [0.078, 0.089, 0.096, 0.112, 0.146, 0.131, 0.138, 0.130, 0.068, 0.012]
HOUSEHOLD_SIZES = [1, 2, 3, 4, 5, 6]
HOUSEHOLD_SHARES = [0.38, 0.28, 0.16, 0.12, 0.04, 0.02]

PERSON_VARIABLES = [
    Variable(name="municipality", label="市区町村", kind="category"),
    Variable(name="sex", label="男女（1 男, 2 女）", kind="category", codes=["1", "2"]),
    Variable(name="age_group", label="年齢（10歳階級）", kind="category", codes=AGE_GROUPS),
    Variable(name="household_id", label="世帯番号", kind="category"),
    Variable(name="work_hours", label="週間就業時間", kind="number"),
    Variable(name="income", label="年収（万円）", kind="number"),
]
HOUSEHOLD_VARIABLES = [
    Variable(name="municipality", label="市区町村", kind="category"),
    Variable(name="household_id", label="世帯番号", kind="category"),
    Variable(name="members", label="世帯人員", kind="number"),
    Variable(name="size_class", label="世帯人員（区分）", kind="category", codes=["1", "2", "3", "4", "5+"]),
]


def margins() -> list[tuple[str, str, int, int]]:
    with (DATA / "census2020_nara_sex.csv").open(encoding="utf-8") as f:
        return [(r["code"], r["name"], int(r["male"]), int(r["female"])) for r in csv.DictReader(f)]


def persons(seed: int = 2020, scale: float = 0.01) -> pa.Table:
    """About 1,324,473 × scale persons; the same seed and scale give the same table."""
    rng = np.random.default_rng(seed)
    codes: list[np.ndarray] = []
    sexes: list[np.ndarray] = []
    for code, _, male, female in margins():
        for sex_code, count in (("1", male), ("2", female)):
            k = max(1, round(count * scale))
            codes.append(np.full(k, code))
            sexes.append(np.full(k, sex_code))
    municipality, sex = np.concatenate(codes), np.concatenate(sexes)
    n = len(municipality)
    order = np.lexsort((rng.random(n), municipality))  # men and women mixed within each municipality
    municipality, sex = municipality[order], sex[order]
    age = rng.choice(len(AGE_GROUPS), size=n, p=AGE_SHARES)
    working = (age >= 2) & (age <= 6) & (rng.random(n) < 0.72)
    hours = np.where(working, np.clip(rng.normal(38, 11, n), 1, 80).round(), 0.0)
    income = np.where(working, np.round(rng.lognormal(5.8, 0.6, n)), 0.0)
    household = _households(rng, municipality)
    return pa.table(
        {
            "municipality": municipality,
            "sex": sex,
            "age_group": np.array(AGE_GROUPS)[age],
            "household_id": household,
            "work_hours": hours,
            "income": income,
        }
    )


def households(people: pa.Table) -> pa.Table:
    """One row per household of `persons`: its municipality and size."""
    import duckdb

    con = duckdb.connect()
    con.register("people", people)
    return con.execute(
        "SELECT any_value(municipality) AS municipality, household_id, count(*)::DOUBLE AS members,"
        " CASE WHEN count(*) >= 5 THEN '5+' ELSE count(*)::VARCHAR END AS size_class"
        " FROM people GROUP BY household_id ORDER BY household_id"
    ).to_arrow_table()


def _households(rng: np.random.Generator, municipality: np.ndarray) -> np.ndarray:
    """Consecutive persons of a municipality grouped into households of the declared sizes."""
    n = len(municipality)
    sizes = rng.choice(HOUSEHOLD_SIZES, size=n, p=HOUSEHOLD_SHARES)
    ids = np.empty(n, dtype=object)
    i = h = 0
    for size in sizes:
        if i >= n:
            break
        end = min(i + int(size), n)
        while end > i + 1 and municipality[end - 1] != municipality[i]:
            end -= 1
        ids[i:end] = f"H{h:07d}"
        i, h = end, h + 1
    return ids.astype(str)
