"""e-Stat time codes as SDMX periods, and the status flag of special characters (no database)."""

import datetime as dt

from govstat.platform.subsystems.estat.sdmx import periods
from govstat.platform.subsystems.statdb import flags


def test_time_codes_become_sdmx_periods():
    assert periods.period("2020000000") == "2020"
    assert periods.period("2020000303") == "2020-03"
    assert periods.period("2020000103") == "2020-Q1"
    assert periods.period("2020000712") == "2020-S2"
    assert periods.period("2020100000") == "2020-A1"
    assert periods.period("202010") == "2020-10"
    assert periods.period("2020a") == "2020a"
    assert periods.span("2020-A1") == (dt.date(2020, 4, 1), dt.date(2021, 3, 31))
    assert periods.span("2020-Q4") == (dt.date(2020, 10, 1), dt.date(2020, 12, 31))
    assert periods.within("2020-03", periods.span("2020"), None)
    assert not periods.within("2019-A1", periods.span("2020-06"), None)


def test_flags_read_the_notes_meaning_first():
    notes = {"x": "秘匿", "***": "当該数値がないもの", "-": "該当なし", "…": "不詳"}
    assert [flags.status(c, notes) for c in ("x", "***", "-", "…", None)] == ["C", "M", "M", "L", None]
    assert flags.status("X", {}) == "C" and flags.status("?", {}) == "O"
    assert flags.status("***", {"***": "秘匿のため非公表"}) == "C"
