"""The validation report before registering, as a feature of the statdb module (it uses the
module's statdb.validate operation)."""

from govstat.platform.module import Feature
from govstat.platform.subsystems.statdb.check.pages import check_pages
from govstat.platform.subsystems.statdb.check.routes import check_api

feature = Feature(name="check", routers=(check_api, check_pages))
