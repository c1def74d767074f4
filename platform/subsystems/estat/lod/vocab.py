"""The vocabularies and URIs of govstat's linked data: one place that spells every IRI, so the
documents, the SPARQL store and the tests agree.

URIs live under the deployment's base URL (`<base>/lod/...`): an area code `area/{code}`, a
classification `classifications/{key}`, a table `tables/{statsDataId}` with its structure, code
lists and observations below it. Codes go into a URI percent-encoded (a code is free text)."""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox

from govstat.platform.settings import get_settings

QB = "http://purl.org/linked-data/cube#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
SDMX_DIM = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_ATTR = "http://purl.org/linked-data/sdmx/2009/attribute#"
SDMX_MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
SACS = "http://data.e-stat.go.jp/lod/terms/sacs#"

PREFIXES = {
    "qb": QB,
    "skos": SKOS,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "dcterms": DCT,
    "owl": OWL,
    "sdmx-dimension": SDMX_DIM,
    "sdmx-attribute": SDMX_ATTR,
    "sdmx-measure": SDMX_MEASURE,
    "sacs": SACS,
}

Triples = list[ox.Triple]
Term = ox.NamedNode | ox.Literal | ox.BlankNode


def n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


A = n(RDF + "type")
LABEL = n(RDFS + "label")
PREF = n(SKOS + "prefLabel")
NOTATION = n(SKOS + "notation")
IN_SCHEME = n(SKOS + "inScheme")
TOP = n(SKOS + "hasTopConcept")
BROADER = n(SKOS + "broader")
NARROWER = n(SKOS + "narrower")
CONCEPT = n(SKOS + "Concept")
SCHEME = n(SKOS + "ConceptScheme")
OBS_STATUS = n(SDMX_ATTR + "obsStatus")
UNIT = n(SDMX_ATTR + "unitMeasure")
OBS_VALUE = n(SDMX_MEASURE + "obsValue")
DECIMAL = n(XSD + "decimal")
DOUBLE = n(XSD + "double")
BOOLEAN = n(XSD + "boolean")
DATE = n(XSD + "date")


def qb(name: str) -> ox.NamedNode:
    return n(QB + name)


def ja(text: str) -> ox.Literal:
    return ox.Literal(text, language="ja")


def en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def plain(text: str) -> ox.Literal:
    return ox.Literal(text)


def base() -> str:
    return get_settings().base_url.rstrip("/") + "/lod"


def code_part(code: str) -> str:
    return quote(code, safe="")


def area_uri(code: str) -> str:
    return f"{base()}/area/{code}"


def area_scheme_uri() -> str:
    return f"{base()}/area"


def classification_uri(key: str) -> str:
    return f"{base()}/classifications/{code_part(key)}"


def table_uri(stats_data_id: str) -> str:
    return f"{base()}/tables/{stats_data_id}"


def status_scheme_uri() -> str:
    return f"{base()}/code/obsStatus"


def status_uri(code: str) -> str:
    return f"{status_scheme_uri()}/{code}"


def labels(subject: ox.NamedNode, name_ja: str, name_en: str = "", *, pred: ox.NamedNode = PREF) -> Triples:
    """A Japanese label, and an English one where the English name is known (never the Japanese
    text tagged as English)."""
    out = [ox.Triple(subject, pred, ja(name_ja))] if name_ja else []
    if name_en:
        out.append(ox.Triple(subject, pred, en(name_en)))
    return out
