"""The reception feature of the online survey system: the agency's pages and the read model's consumer."""

from govstat.platform.module import Feature
from govstat.platform.subsystems.online.reception.consumers import ReceptionConsumer
from govstat.platform.subsystems.online.reception.pages import agency_pages

feature = Feature(name="reception", routers=(agency_pages,), consumers=(ReceptionConsumer,))
