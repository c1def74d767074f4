"""The register's upkeep as a feature of the frame module."""

from govstat.platform.module import Feature, Operation
from govstat.platform.subsystems.frame.maintenance.consumer import AreaChangeConsumer
from govstat.platform.subsystems.frame.maintenance.jobs import MAINTAIN_JOB
from govstat.platform.subsystems.frame.maintenance.routes import api

feature = Feature(
    name="maintenance",
    routers=(api,),
    operations=(Operation("frame.maintain", "母集団情報の維持管理"),),
    jobs=(MAINTAIN_JOB,),
    consumers=(AreaChangeConsumer,),
)
