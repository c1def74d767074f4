"""Jobs of the GIS: (re)load the shipped boundaries."""

from __future__ import annotations

from govstat.platform.jobs.reload import Reload
from govstat.platform.subsystems.gis.loader import load_into, read_all

RELOAD = Reload(
    module="gis",
    label="境界データ読込 / loading boundaries",
    about="Load the shipped N03 boundaries (vintage 2021-01-01; replaces that vintage), with progress.",
    target=("gis_boundary", "N03-2021"),
    read=read_all,
    load=load_into,
    steps=lambda data: 2,  # cleared, boundaries
)
