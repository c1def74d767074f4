"""Inline SVG line charts for the SLA page: geometry here, markup in templates/sla/_chart.html.

Server-drawn SVG needs no script, prints, and reads the same in every browser;
days without calls leave a gap in the line instead of a misleading zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import msgspec

WIDTH, HEIGHT = 960, 200
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 24


class Chart(msgspec.Struct, kw_only=True):
    title: str
    width: int = WIDTH
    height: int = HEIGHT
    segments: list[str]  # "x,y x,y ..." polylines (gaps between them)
    dots: list[tuple[float, float, str]]  # x, y, tooltip
    ref_y: float | None = None  # the target / threshold line
    ref_label: str = ""
    y_labels: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]
    empty: bool = False


def line_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    lo: float,
    hi: float,
    ref: float | None = None,
    ref_label: str = "",
    unit: str = "",
) -> Chart:
    if hi <= lo:
        hi = lo + 1
    span_x = WIDTH - LEFT - RIGHT
    span_y = HEIGHT - TOP - BOTTOM
    step = span_x / max(len(values) - 1, 1)

    def y_of(v: float) -> float:
        return round(TOP + span_y * (1 - (min(max(v, lo), hi) - lo) / (hi - lo)), 1)

    segments, current, dots = [], [], []
    for i, v in enumerate(values):
        if v is None:
            if current:
                segments.append(" ".join(current))
            current = []
            continue
        x, y = round(LEFT + i * step, 1), y_of(v)
        current.append(f"{x},{y}")
        dots.append((x, y, f"{labels[i]}: {v:,.3f}{unit}"))
    if current:
        segments.append(" ".join(current))
    ticks = [lo + (hi - lo) * k / 4 for k in range(5)]
    return Chart(
        title=title,
        segments=segments,
        dots=dots,
        ref_y=y_of(ref) if ref is not None else None,
        ref_label=ref_label,
        y_labels=[(y_of(t), f"{t:,.{_digits(hi - lo)}f}") for t in ticks],
        x_labels=[(round(LEFT + i * step, 1), labels[i]) for i in range(0, len(values), 5)],
        empty=not dots,
    )


def _digits(span: float) -> int:
    return 0 if span >= 20 else 1 if span >= 2 else 2 if span >= 0.2 else 3


def availability_chart(labels: Sequence[str], values: Sequence[float | None], target: float) -> Chart:
    present = [v for v in values if v is not None]
    lowest = min([*present, target])
    lo = max(math.floor((lowest - (100 - lowest) * 0.25) * 10) / 10, 0.0)
    return line_chart(
        "日別可用性 / Availability by day (%)",
        labels,
        values,
        lo=lo,
        hi=100.0,
        ref=target,
        ref_label=f"目標 / target {target:g}%",
        unit="%",
    )


def p95_chart(labels: Sequence[str], values: Sequence[float | None], threshold_ms: float) -> Chart:
    present = [v for v in values if v is not None]
    hi = max([*present, threshold_ms]) * 1.15
    return line_chart(
        "日別 p95 応答時間 / p95 latency by day (ms)",
        labels,
        values,
        lo=0.0,
        hi=hi,
        ref=threshold_ms,
        ref_label=f"閾値 / threshold {threshold_ms:g} ms",
        unit=" ms",
    )
