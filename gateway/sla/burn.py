"""Error budgets and multi-window burn rates (Google SRE workbook, "Alerting on SLOs").

burn rate = error ratio / (1 - target): 1 spends exactly the window's budget by the
end of the window; 14.4 spends 2 % of a 30-day budget in one hour. A rule fires
only when a long window (enough budget spent to matter) AND a short window (it
is still happening) both burn at its factor, so an alert starts within minutes
and clears soon after recovery instead of staying on for the whole long window.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

# Windows evaluated, in minutes (the keys of a Windows mapping).
WINDOWS: dict[str, int] = {"5m": 5, "30m": 30, "1h": 60, "6h": 360}


class Rule(msgspec.Struct, frozen=True):
    name: str  # "1h/5m"
    long: str  # key of WINDOWS
    short: str
    factor: float
    severity: str  # severity of the incident it raises


# Most severe first: when several fire, the alert carries the first (one alert per module).
RULES: tuple[Rule, ...] = (
    Rule("1h/5m", "1h", "5m", 14.4, "critical"),  # 2 % of a 30-day budget in 1 h: page now
    Rule("6h/30m", "6h", "30m", 6.0, "major"),  # 5 % in 6 h: page
)


class Counts(msgspec.Struct, frozen=True):
    calls: int = 0
    errors: int = 0


def burn_rate(counts: Counts, availability_target: float) -> float:
    """Error ratio over the budgeted ratio; 0 when nothing was called (no data is no evidence)."""
    if counts.calls <= 0:
        return 0.0
    allowed = 1 - availability_target / 100
    return (counts.errors / counts.calls) / allowed


def burn_rates(windows: Mapping[str, Counts], availability_target: float) -> dict[str, float]:
    return {name: round(burn_rate(windows.get(name, Counts()), availability_target), 4) for name in WINDOWS}


def firing(rates: Mapping[str, float]) -> Rule | None:
    """The most severe rule whose long and short windows both burn at its factor."""
    for rule in RULES:
        if rates[rule.long] >= rule.factor and rates[rule.short] >= rule.factor:
            return rule
    return None


def rule_named(name: str) -> Rule | None:
    return next((r for r in RULES if r.name == name), None)


def error_budget_left(calls: int, errors: int, availability_target: float) -> float:
    """1 - bad / allowed bad over a window: 1.0 untouched, 0 spent, below 0 overspent.

    Allowed bad calls scale with traffic: (1 - target) x calls. No calls: nothing spent."""
    allowed_bad = (1 - availability_target / 100) * calls
    if allowed_bad <= 0:
        return 1.0 if errors == 0 else 0.0
    return 1 - errors / allowed_bad
