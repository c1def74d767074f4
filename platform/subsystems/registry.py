"""The one list of subsystem modules. A new subsystem adds its package and one line here."""

from govstat.platform.module import Module
from govstat.platform.subsystems.area.module import module as area
from govstat.platform.subsystems.classification.module import module as classification
from govstat.platform.subsystems.enumerators.module import module as enumerators
from govstat.platform.subsystems.estat.module import module as estat
from govstat.platform.subsystems.frame.module import module as frame
from govstat.platform.subsystems.gis.module import module as gis
from govstat.platform.subsystems.items.module import module as items
from govstat.platform.subsystems.metadata.module import module as metadata
from govstat.platform.subsystems.online.module import module as online
from govstat.platform.subsystems.onsite.module import module as onsite
from govstat.platform.subsystems.portal.module import module as portal
from govstat.platform.subsystems.region.module import module as region
from govstat.platform.subsystems.statdb.module import module as statdb
from govstat.platform.subsystems.tables.module import module as tables

MODULES: tuple[Module, ...] = (
    area,
    classification,
    tables,
    statdb,
    estat,
    metadata,
    gis,
    region,
    portal,
    enumerators,
    frame,
    items,
    online,
    onsite,
)


def module_by_key(key: str) -> Module:
    for m in MODULES:
        if m.key == key:
            return m
    raise KeyError(key)
