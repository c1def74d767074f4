"""The linked-data routes: the RDF documents (rdf.py) and the SPARQL endpoint (sparql.py)."""
