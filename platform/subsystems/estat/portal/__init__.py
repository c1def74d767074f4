"""政府統計の総合窓口 (e-Stat) — the public portal pages (ESTAT-1..4).

  search.py, contacts.py      ESTAT-1 search by conditions and keywords (synonyms), overviews and contacts
  synonyms.py                 ESTAT-1 the operator's synonym list (page + API, audited)
  tableview.py, downloads.py  ESTAT-2 a table with pickers, a graph, CSV/XLSX downloads of the selection
  regional.py                 ESTAT-2 regional statistics: prefectures / municipalities ranked
  releases.py, notify.py      ESTAT-3 the release calendar read model, new arrivals, e-mail to subscribers
  questionnaires.py, mypage.py ESTAT-4 questionnaires, My page (subscriptions, saved queries)
  pages.py, admin.py, api.py  the routes: public pages, the operator's pages, the JSON API

Exports what the estat module assembles: ROUTERS, OPERATIONS, JOBS, CONSUMERS, NAV.
"""

from govstat.platform.subsystems.estat.portal.admin import router as admin_router
from govstat.platform.subsystems.estat.portal.api import router as api_router
from govstat.platform.subsystems.estat.portal.common import OPERATIONS
from govstat.platform.subsystems.estat.portal.geo import router as geo_router
from govstat.platform.subsystems.estat.portal.notify import JOBS
from govstat.platform.subsystems.estat.portal.pages import router as pages_router
from govstat.platform.subsystems.estat.portal.releases import ReleaseConsumer

ROUTERS = (pages_router, admin_router, api_router, geo_router)
CONSUMERS = (ReleaseConsumer,)
NAV = (("/estat", "統計を探す / Find statistics"),)

__all__ = ["CONSUMERS", "JOBS", "NAV", "OPERATIONS", "ROUTERS"]
