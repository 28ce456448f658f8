"""One preferred name per organization across all documents.

Document graphs label an organization with every name it is printed with
(rdfs:label); one organization printed two ways (山西转型综改示范区… / 示范区…) would
otherwise carry two skos:prefLabel. The most frequent printed name becomes the
skos:prefLabel, the others skos:altLabel (see labels.preferred for the tie-breaks).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import URIRef

from budgetkg.derive import Select, Triple, deriver
from budgetkg.derivers.labels import Printed, label_triples
from budgetkg.ontology import terms as T

PRINTED_NAMES = """
PREFIX bk: <https://w3id.org/budgetkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?org ?name (COUNT(DISTINCT ?g) AS ?n) (MAX(?y) AS ?year) WHERE {
  GRAPH ?g {
    ?org a bk:Organization ; rdfs:label ?label .
    OPTIONAL { ?d a bk:Disclosure ; bk:fiscalYear/bk:yearNumber ?y }
  }
  BIND(STR(?label) AS ?name)
}
GROUP BY ?org ?name
"""

# Every organization and every org:subOrganizationOf edge, from any graph.
HIERARCHY = """
PREFIX bk: <https://w3id.org/budgetkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT DISTINCT ?node ?up WHERE {
  { ?node a bk:Organization } UNION { ?node org:subOrganizationOf ?up } UNION { ?child org:subOrganizationOf ?node }
}
"""


def ancestors_or_self(parents: dict[str, set[str]], node: str) -> set[str]:
    """``node org:subOrganizationOf* ?a``: the node and everything above it."""
    seen, todo = {node}, [node]
    while todo:
        for up in parents.get(todo.pop(), ()):
            if up not in seen:
                seen.add(up)
                todo.append(up)
    return seen


@deriver("organizations")
def organization_labels(select: Select) -> Iterable[Triple]:
    names: dict[str, list[Printed]] = defaultdict(list)
    for row in select(PRINTED_NAMES).dicts():
        names[row["org"]].append(Printed(row["name"], int(row["n"]), int(row["year"] or 0)))
    for org, printed in names.items():
        yield from label_triples(URIRef(org), printed)
    # The hierarchy closed, so named queries need no + / * paths (Virtuoso 7 answers those
    # differently inside OPTIONAL and sub-selects, and they scale badly on every engine).
    parents: dict[str, set[str]] = defaultdict(set)
    nodes: set[str] = set()
    for row in select(HIERARCHY).dicts():
        nodes.add(row["node"])
        if row["up"]:
            parents[row["node"]].add(row["up"])
    for node in nodes:
        for above in ancestors_or_self(parents, node):
            yield URIRef(node), T.withinOrganization, URIRef(above)
