"""What the portal adds to the estat module: its pages, the operator's pages, its JSON API, the map
boundaries, the release-notice jobs and the release calendar's consumer."""

from govstat.platform.module import Feature
from govstat.platform.subsystems.estat.portal.admin import router as admin_router
from govstat.platform.subsystems.estat.portal.api import router as api_router
from govstat.platform.subsystems.estat.portal.common import OPERATIONS
from govstat.platform.subsystems.estat.portal.geo import router as geo_router
from govstat.platform.subsystems.estat.portal.notify import JOBS
from govstat.platform.subsystems.estat.portal.pages import router as pages_router
from govstat.platform.subsystems.estat.portal.releases import ReleaseConsumer

feature = Feature(
    name="portal",
    routers=(pages_router, admin_router, api_router, geo_router),
    operations=OPERATIONS,
    jobs=JOBS,
    consumers=(ReleaseConsumer,),
    nav=(("/estat", "統計を探す / Find statistics"),),
)
