"""What the builder adds to the items module: its pages."""

from govstat.platform.module import Feature
from govstat.platform.subsystems.items.builder.pages import pages
from govstat.platform.subsystems.items.builder.routes import edits

feature = Feature(name="builder", routers=(pages, edits))
