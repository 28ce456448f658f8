"""The description of what a store publishes (DCAT and VoID), included in every export.

- ``record_ingests`` keeps, in the catalog graph (``iris.CATALOG_GRAPH``), when each document
  graph was ingested: ``<graph> prov:generatedAtTime`` and the file it was read from. A file
  ingested again unchanged keeps its first date, so re-ingesting leaves the store as it was.
- ``description`` states the dataset (``iris.DATASET_DESCRIPTION``): a ``dcat:Dataset`` and
  ``void:Dataset`` with its triples, entities and class partitions (disclosures, observations,
  policy documents …), one ``void:subset`` per document graph with its source file
  (``dcterms:source``, a ``bk:SourceFile``) and ingest date, the vocabularies it uses, and the
  rights of the public documents it is read from (``dcterms:rights``).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, PROV, QB, RDF, RDFS, SKOS, VOID, XSD

from budgetkg.graph_store.results import Result
from budgetkg.graph_store.terms import rdflib_to_oxigraph
from budgetkg.ontology import iris
from budgetkg.ontology import terms as T
from budgetkg.ontology.identity import Triple

Select = Callable[[str], Result]

# The rights of the source documents: public government information; no open licence is stated
# by the organizations that publish them.
RIGHTS_ZH = "依《中华人民共和国政府信息公开条例》主动公开的政府信息；发布机关未声明开放许可。"
RIGHTS_EN = ("Government information made public under the Regulations of the People's Republic of China on "
             "the Disclosure of Government Information; the publishing organizations state no open licence.")
TITLE_ZH, TITLE_EN = "预算公开知识图谱", "budgetkg: Chinese public-budget disclosures as linked data"
# Vocabularies the graph uses (void:vocabulary).
VOCABULARIES = (T.BK, ORG, QB, PROV, T.ELI, SKOS, DCTERMS, DCAT, VOID)
# Classes counted in the description (void:classPartition), in this order.
PARTITION_CLASSES = (T.Disclosure, T.Organization, QB.DataSet, QB.Observation, T.Project, T.PerformanceSheet,
                     T.Citation, T.PolicyDocument, T.SubjectCode, T.Finding, T.SourceFile)

PREFIX = "PREFIX bk: <https://w3id.org/budgetkg/ontology#>\nPREFIX prov: <http://www.w3.org/ns/prov#>\n"

# Each document graph with its source file (the one bk:SourceFile it states).
GRAPH_FILES = PREFIX + """
SELECT ?g ?file ?sha WHERE { GRAPH ?g { ?d a bk:Disclosure ; prov:wasDerivedFrom ?file . ?file bk:sha256 ?sha } }
"""
CATALOG = PREFIX + f"""
SELECT ?g ?file ?time WHERE {{
  GRAPH <{iris.CATALOG_GRAPH}> {{ ?g prov:wasDerivedFrom ?file ; prov:generatedAtTime ?time }}
}}
"""


def now() -> Literal:
    return Literal(datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)


def record_ingests(store: object, at: Literal | None = None) -> int:
    """Bring the catalog graph up to date with the document graphs of ``store`` (a GraphStore):
    a graph whose file is new gets the time ``at`` (default now), one whose file is unchanged keeps
    its time, a graph no longer there is dropped. Returns the number of graphs recorded."""
    select: Select = store.select  # type: ignore[attr-defined]
    files = {row["g"]: row["file"] for row in select(GRAPH_FILES).dicts() if iris.is_document_graph(row["g"])}
    recorded = {(row["g"], row["file"]): row["time"] for row in select(CATALOG).dicts()}
    stamp = at if at is not None else now()
    triples: list[Triple] = []
    for graph, file in sorted(files.items()):
        time = recorded.get((graph, file))
        g, f = URIRef(graph), URIRef(file)
        triples += [(g, RDF.type, PROV.Entity), (g, PROV.wasDerivedFrom, f),
                    (g, PROV.generatedAtTime, Literal(time, datatype=XSD.dateTime) if time else stamp)]
    if {(g, f) for g, f in files.items()} != set(recorded) or not triples:
        if triples:
            store.replace_graph(iris.CATALOG_GRAPH, triples)  # type: ignore[attr-defined]
        else:
            store.drop_graph(iris.CATALOG_GRAPH)  # type: ignore[attr-defined]
    return len(files)


def partition_name(cls: URIRef) -> str:
    """qb#Observation -> qb-Observation: the prefix and local name of a partitioned class."""
    for prefix, namespace in T.PREFIXES.items():
        if str(cls).startswith(namespace):
            return f"{prefix}-{str(cls)[len(namespace):]}"
    return iris.key_hash(str(cls))


def count(select: Select, where: str, what: str = "*") -> int:
    rows = select(PREFIX + f"SELECT (COUNT({what}) AS ?n) WHERE {{ {where} }}").dicts()
    return int(rows[0]["n"]) if rows else 0


def description(select: Select, document_graph: str | None = None) -> list[Triple]:
    """The DCAT / VoID description of the store, or of one document graph (``document_graph``)."""
    d = iris.DATASET_DESCRIPTION
    scope = f"GRAPH <{document_graph}> " if document_graph else "GRAPH ?g "
    # Only budgetkg's own graphs: an engine may keep graphs of its own (Virtuoso's system graphs).
    own = "" if document_graph else f' FILTER(STRSTARTS(STR(?g), "{iris.GRAPH}"))'
    out: list[Triple] = [
        (d, RDF.type, DCAT.Dataset), (d, RDF.type, VOID.Dataset), (d, RDF.type, PROV.Entity),
        (d, DCTERMS.title, Literal(TITLE_ZH, lang="zh")), (d, DCTERMS.title, Literal(TITLE_EN, lang="en")),
        (d, RDFS.label, Literal(TITLE_ZH, lang="zh")), (d, RDFS.label, Literal(TITLE_EN, lang="en")),
        (d, DCTERMS.description, Literal(
            "Budget disclosures (部门预算公开 / 单位预算公开) read into RDF: organizations, budget tables as "
            "RDF Data Cube data sets, projects, performance sheets and the policy documents they cite.",
            lang="en")),
        (d, DCTERMS.language, Literal("zh")),
        (d, DCTERMS.rights, iris.RIGHTS), (iris.RIGHTS, RDF.type, DCTERMS.RightsStatement),
        (iris.RIGHTS, RDFS.label, Literal(RIGHTS_ZH, lang="zh")),
        (iris.RIGHTS, RDFS.label, Literal(RIGHTS_EN, lang="en")),
        (d, VOID.triples, Literal(count(select, f"{scope}{{ ?s ?p ?o }}{own}"), datatype=XSD.integer)),
        (d, VOID.entities, Literal(count(select, f"{scope}{{ ?s a ?c }}{own}", "DISTINCT ?s"), datatype=XSD.integer)),
        (d, VOID.uriSpace, Literal(iris.ID)),
    ]
    out += [(d, VOID.vocabulary, URIRef(str(ns))) for ns in VOCABULARIES]
    for cls in PARTITION_CLASSES:
        n = count(select, f"{scope}{{ ?s a <{cls}> }}{own}", "DISTINCT ?s")
        if n:
            part = URIRef(f"{d}/class/{partition_name(cls)}")
            out += [(d, VOID.classPartition, part), (part, VOID["class"], cls),
                    (part, VOID.entities, Literal(n, datatype=XSD.integer))]
    catalog = {row["g"]: row for row in select(CATALOG).dicts()}
    times: list[str] = []
    for row in select(GRAPH_FILES).dicts():
        graph = row["g"]
        if not iris.is_document_graph(graph) or (document_graph and graph != document_graph):
            continue
        g, f = URIRef(graph), URIRef(row["file"])
        out += [(d, VOID.subset, g), (g, RDF.type, VOID.Dataset), (d, DCTERMS.source, f),
                (g, DCTERMS.source, f), (g, PROV.wasDerivedFrom, f), (f, DCTERMS.rights, iris.RIGHTS)]
        time = catalog.get(graph, {}).get("time")
        if time:
            times.append(time)
            out.append((g, PROV.generatedAtTime, Literal(time, datatype=XSD.dateTime)))
            out.append((g, DCTERMS.issued, Literal(time, datatype=XSD.dateTime)))
    if times:
        out.append((d, DCTERMS.modified, Literal(max(times), datatype=XSD.dateTime)))
    return out


def serialise(triples: list[Triple], fmt: ox.RdfFormat, prefixes: dict[str, str]) -> bytes:
    """``triples`` in ``fmt``, to follow a dump of the store: Turtle as it is, TriG and N-Quads
    in the catalog graph. No blank nodes, so nothing can clash with the dump before it."""
    graph = ox.DefaultGraph() if fmt == ox.RdfFormat.TURTLE else ox.NamedNode(str(iris.CATALOG_GRAPH))
    data = ox.Store()
    to_ox = rdflib_to_oxigraph
    data.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in triples)
    if fmt == ox.RdfFormat.TURTLE:
        return data.dump(format=fmt, from_graph=graph, prefixes=prefixes)
    return data.dump(format=fmt, prefixes=prefixes if fmt == ox.RdfFormat.TRIG else None)

