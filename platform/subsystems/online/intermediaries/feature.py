"""The intermediaries feature of the online survey system (ONLINE-2)."""

from govstat.platform.module import Feature, Operation
from govstat.platform.subsystems.online.intermediaries.pages import pages
from govstat.platform.subsystems.online.intermediaries.routes import api

feature = Feature(
    name="intermediaries",
    routers=(api, pages),
    operations=(Operation("online.paper_entry", "紙の調査票の入力・完了報告（経由機関）"),),
    nav=(("/online/intermediary", "経由機関の業務 / Intermediary"),),
)
