"""What the estat subsystem declares to the platform (PLAT-2): its tables, and its features' routes,
operations, jobs and consumers."""

from govstat.platform.module import Module
from govstat.platform.subsystems.estat.api.feature import feature as api
from govstat.platform.subsystems.estat.lod.feature import feature as lod
from govstat.platform.subsystems.estat.portal.feature import feature as portal
from govstat.platform.subsystems.estat.sdmx.feature import feature as sdmx
from govstat.platform.subsystems.estat.tables import ALL

module = Module(
    key="estat",
    name_ja="政府統計の総合窓口",
    name_en="e-Stat portal",
    users="public, agencies",
    tables=tuple(ALL),
    events=(),
    piccolo_app="govstat.platform.subsystems.estat.piccolo_app",
    probe="/rest/3.0/app/json/getStatsList?limit=1",
    features=(api, lod, portal, sdmx),
)
