"""The incident lifecycle (GOV-12) as a state machine.

detected -> investigating -> identified -> monitoring -> recovered -> review -> closed

A fault that stops by itself may go straight to monitoring (the SLA alert clears), and one that
comes back (monitoring) or whose cause proves wrong (identified) goes back to investigating.
Recovered is the step agencies are told about; review needs the post-incident review; closed is final.
"""

from __future__ import annotations

from typing import Literal

from govstat.platform.errors import InvalidTransition

State = Literal["detected", "investigating", "identified", "monitoring", "recovered", "review", "closed"]
STATES: tuple[str, ...] = ("detected", "investigating", "identified", "monitoring", "recovered", "review", "closed")

TRANSITIONS: dict[str, frozenset[str]] = {
    "detected": frozenset({"investigating", "identified", "monitoring"}),
    "investigating": frozenset({"identified", "monitoring"}),
    "identified": frozenset({"investigating", "monitoring"}),
    "monitoring": frozenset({"investigating", "recovered"}),
    "recovered": frozenset({"review"}),
    "review": frozenset({"closed"}),
    "closed": frozenset(),
}

# The service is still affected (the status page shows these).
ACTIVE: frozenset[str] = frozenset({"detected", "investigating", "identified"})
OPEN: frozenset[str] = ACTIVE | {"monitoring"}

LABELS: dict[str, tuple[str, str]] = {
    "detected": ("検知", "Detected"),
    "investigating": ("調査中", "Investigating"),
    "identified": ("原因特定", "Identified"),
    "monitoring": ("監視中", "Monitoring"),
    "recovered": ("復旧", "Recovered"),
    "review": ("事後検証", "Post-incident review"),
    "closed": ("終了", "Closed"),
}

SEVERITIES: tuple[str, ...] = ("minor", "major", "critical")
SEVERITY_LABELS: dict[str, tuple[str, str]] = {
    "minor": ("軽微", "Minor"),
    "major": ("重大", "Major"),
    "critical": ("緊急", "Critical"),
}


def allowed(state: str) -> list[str]:
    """Next states, in lifecycle order."""
    return [s for s in STATES if s in TRANSITIONS.get(state, frozenset())]


def check(current: str, to: str) -> None:
    if to not in TRANSITIONS:
        raise InvalidTransition(f"未知の状態です / unknown state {to!r}")
    if to not in TRANSITIONS[current]:
        nexts = ", ".join(allowed(current)) or "なし / none"
        raise InvalidTransition(
            f"{LABELS[current][0]}から{LABELS[to][0]}へは移れません / cannot go from {current} to {to}"
            f" (allowed: {nexts})",
            state=current,
            to=to,
            allowed=allowed(current),
        )


def more_severe(a: str, b: str) -> str:
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    return a if rank.get(a, 0) >= rank.get(b, 0) else b


def label(state: str) -> str:
    ja, en = LABELS.get(state, (state, state))
    return f"{ja} / {en}"
