"""The one list of subsystem modules. A new subsystem adds its package and one line here."""

from govstat.platform.module import Module
from govstat.platform.subsystems.area.module import module as area
from govstat.platform.subsystems.classification.module import module as classification
from govstat.platform.subsystems.estat.module import module as estat
from govstat.platform.subsystems.metadata.module import module as metadata
from govstat.platform.subsystems.onsite.module import module as onsite
from govstat.platform.subsystems.statdb.module import module as statdb
from govstat.platform.subsystems.tables.module import module as tables

MODULES: tuple[Module, ...] = (
    area,
    classification,
    tables,
    statdb,
    estat,
    metadata,
    onsite,
)


def module_by_key(key: str) -> Module:
    for m in MODULES:
        if m.key == key:
            return m
    raise KeyError(key)
