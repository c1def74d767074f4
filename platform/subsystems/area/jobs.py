"""Jobs of the area module: (re)load the published e-Stat data."""

from __future__ import annotations

from govstat.platform.jobs.reload import Reload
from govstat.platform.subsystems.area.history import load_all
from govstat.platform.subsystems.area.loader import load_into

RELOAD = Reload(
    module="area",
    label="標準地域コード読込 / loading area codes",
    about="Load the shipped e-Stat area data (replaces the previous load), with progress.",
    target=("area_data", "e-stat"),
    read=load_all,
    load=load_into,
    steps=lambda data: 4,  # cleared, changes, versions, links
)
