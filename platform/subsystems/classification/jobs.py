"""Jobs of the classification module: (re)load the shipped classifications and correspondences."""

from __future__ import annotations

from govstat.platform.jobs.reload import Reload
from govstat.platform.subsystems.classification.loader import load_into
from govstat.platform.subsystems.classification.parsing import CORRESPONDENCES, load_all

RELOAD = Reload(
    module="classification",
    label="統計分類読込 / loading classifications",
    about="Load the shipped classifications and recompute the correspondences (replaces the previous load).",
    target=("classification_data", "shipped"),
    read=load_all,
    load=load_into,
    # cleared, classifications and versions, one step per version's items, one per correspondence
    steps=lambda data: 2 + len(data.versions) + len(CORRESPONDENCES),
)
