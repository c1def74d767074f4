"""What Linked Open Data adds to the estat module: the RDF documents, the SPARQL endpoint and the
consumer that keeps the SPARQL store's read model in step with publications."""

from govstat.platform.module import Feature, Operation
from govstat.platform.subsystems.estat.lod.graphs import LodConsumer
from govstat.platform.subsystems.estat.lod.routes.rdf import lod
from govstat.platform.subsystems.estat.lod.routes.sparql import sparql

feature = Feature(
    name="lod",
    routers=(lod, sparql),
    operations=(Operation("estat.lod", "Linked Open Data"),),
    consumers=(LodConsumer,),
)
