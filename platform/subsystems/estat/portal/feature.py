"""What the portal adds to the estat module: its pages, the operator's pages, its JSON API, the map
boundaries, the release-notice jobs and the release calendar's consumer."""

from govstat.platform.module import Feature
from govstat.platform.subsystems.estat.portal.common import OPERATIONS
from govstat.platform.subsystems.estat.portal.notify import JOBS
from govstat.platform.subsystems.estat.portal.pages import (
    admin,
    calendar,
    downloads,
    help,
    mypage,
    questionnaires,
    regional,
    search,
    table,
)
from govstat.platform.subsystems.estat.portal.releases import ReleaseConsumer
from govstat.platform.subsystems.estat.portal.routes import api, geo

PAGES = (search, table, downloads, regional, calendar, help, questionnaires, mypage, admin)

feature = Feature(
    name="portal",
    routers=(*(p.router for p in PAGES), api.router, geo.router),
    operations=OPERATIONS,
    jobs=JOBS,
    consumers=(ReleaseConsumer,),
    nav=(("/estat", "統計を探す / Find statistics"),),
)
