"""What Linked Open Data adds to the estat module."""

from govstat.platform.module import Feature, Operation
from govstat.platform.subsystems.estat.lod.routes import lod

feature = Feature(name="lod", routers=(lod,), operations=(Operation("estat.lod", "Linked Open Data"),))
