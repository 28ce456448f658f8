"""One preferred name per organization across all documents.

Document graphs label an organization with every name it is printed with
(rdfs:label); one organization printed two ways (山西转型综改示范区… / 示范区…) would
otherwise carry two skos:prefLabel. The most frequent printed name becomes the
skos:prefLabel, the others skos:altLabel (see labels.preferred for the tie-breaks).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from budgetkg.derive import Select, Triple, deriver
from budgetkg.derivers.labels import Printed, label_triples, preferred
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

# The path of the organization tree joins its names with this; its lists (names, years, codes) with LIST_SEPARATOR.
PATH_SEPARATOR = " / "
LIST_SEPARATOR = "; "
# The kind organization-tree gives an internal unit.
INTERNAL_UNIT_KIND = "内设机构"

# Every name an organization or internal unit is printed with, per graph, and that graph's year.
TREE_NAMES = """
PREFIX bk: <https://w3id.org/budgetkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?node ?up ?name ?g ?year WHERE {
  GRAPH ?g {
    { ?node a bk:Organization ; rdfs:label ?label } UNION { ?up bk:hasInternalUnit ?node . ?node skos:prefLabel ?label }
    OPTIONAL { ?d a bk:Disclosure ; bk:fiscalYear/bk:yearNumber ?year }
  }
  BIND(STR(?label) AS ?name)
}
"""
# Roles (示范区, 管委会 …), the kinds disclosures print for their publisher, and codes per year.
TREE_FACTS = """
PREFIX bk: <https://w3id.org/budgetkg/ontology#>
SELECT DISTINCT ?node ?role ?publisherKind ?code WHERE {
  { ?node bk:organizationRole ?role }
  UNION { GRAPH ?g { ?d bk:publishedBy ?node ; bk:organizationKind ?publisherKind } }
  UNION { ?node bk:hasCode ?assignment . ?assignment bk:codeValue ?c ; bk:codeYear/bk:yearNumber ?codeYear .
          BIND(CONCAT(STR(?codeYear), ":", ?c) AS ?code) }
}
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
    facts = list(organization_facts(select))
    return facts + list(tree_order(facts))


def organization_facts(select: Select) -> Iterable[Triple]:
    names: dict[str, list[Printed]] = defaultdict(list)
    for row in select(PRINTED_NAMES).dicts():
        names[row["org"]].append(Printed(row["name"], int(row["n"]), int(row["year"] or 0)))
    for org, printed in names.items():
        yield from label_triples(URIRef(org), printed)
    pref = {org: preferred(printed)[0] for org, printed in names.items()}
    # The hierarchy closed, so named queries need no + / * paths (Virtuoso 7 answers those
    # differently inside OPTIONAL and sub-selects, and they scale badly on every engine).
    parents: dict[str, set[str]] = defaultdict(set)
    nodes: set[str] = set()
    for row in select(HIERARCHY).dicts():
        nodes.add(row["node"])
        if row["up"]:
            parents[row["node"]].add(row["up"])
    closure = {node: ancestors_or_self(parents, node) for node in nodes}
    for node, above_all in closure.items():
        for above in above_all:
            yield URIRef(node), T.withinOrganization, URIRef(above)
    # organization-tree's order and depth, so the query joins no ancestor lists at scale
    for node, above_all in closure.items():
        if node not in pref:
            continue  # an IRI only named as a parent, never described: no row of its own
        depth = {a: len(closure.get(a, {a})) - 1 for a in above_all}
        path = [pref[a] for a in sorted(above_all, key=lambda a: (depth[a], pref.get(a, ""))) if a in pref]
        yield URIRef(node), T.treeDepth, Literal(depth[node], datatype=XSD.integer)
        yield URIRef(node), T.treePath, Literal(PATH_SEPARATOR.join(path))
    yield from tree_rows(select, pref, parents, closure)


def tree_order(rows: list[Triple]) -> Iterable[Triple]:
    """bk:treeOrder: each row's place in the organization-tree order (its path, then its kind,
    then its IRI), for every node with both (the rows of organization-tree). Oxigraph sorts long
    texts by looking each up again at every comparison (0.3 s for the 5,500 rows of ten million
    triples); an integer it compares in place."""
    paths = {s: str(o) for s, p, o in rows if p == T.treePath}
    kinds = {s: str(o) for s, p, o in rows if p == T.treeKind and s in paths}
    ordered = sorted(kinds, key=lambda node: (paths[node], kinds[node], str(node)))
    for place, node in enumerate(ordered, start=1):
        yield node, T.treeOrder, Literal(place, datatype=XSD.integer)


@dataclass(slots=True)
class Named:
    """Where a tree node is named: its names (with the first year each is printed) and years."""

    names: dict[str, int] = field(default_factory=dict)
    years: set[int] = field(default_factory=set)
    graphs_without_year: int = 0
    up: str | None = None  # an internal unit's organization


def tree_rows(select: Select, pref: dict[str, str], parents: dict[str, set[str]],
              closure: dict[str, set[str]]) -> Iterable[Triple]:
    """One organization-tree row per organization and internal unit: what the named query would
    otherwise join from every document that names them, computed once here."""
    named: dict[str, Named] = defaultdict(Named)
    seen_graphs: set[tuple[str, str]] = set()
    for row in select(TREE_NAMES).dicts():
        entry = named[row["node"]]
        year = int(row["year"]) if row["year"] else None
        first = entry.names.get(row["name"])
        entry.names[row["name"]] = min(first, year or 0) if first is not None else (year or 0)
        if row["up"]:
            entry.up = row["up"]
        if (row["node"], row["g"]) not in seen_graphs:
            seen_graphs.add((row["node"], row["g"]))
            if year is None:
                entry.graphs_without_year += 1
        if year is not None:
            entry.years.add(year)
    roles: dict[str, set[str]] = defaultdict(set)
    printed_kinds: dict[str, set[str]] = defaultdict(set)
    codes: dict[str, set[str]] = defaultdict(set)
    for row in select(TREE_FACTS).dicts():
        for key, into in (("role", roles), ("publisherKind", printed_kinds), ("code", codes)):
            if row[key]:
                into[row["node"]].add(row[key])
    depth = {node: len(above) - 1 for node, above in closure.items()}

    def root_name(node: str) -> str | None:
        roots = [pref[a] for a in closure.get(node, {node}) if not parents.get(a) and a in pref]
        return min(roots) if roots else None

    for node, entry in named.items():
        subject = URIRef(node)
        if entry.up is not None:  # an internal unit, one level below its organization
            if entry.up not in pref or entry.up not in depth:
                continue
            name = min(entry.names)
            up_path = PATH_SEPARATOR.join(pref[a] for a in sorted(
                closure[entry.up], key=lambda a: (depth.get(a, 0), pref.get(a, ""))) if a in pref)
            path, row_depth, parent, kind = f"{up_path}{PATH_SEPARATOR}{name}", depth[entry.up] + 1, pref[entry.up], \
                INTERNAL_UNIT_KIND
            zone = root_name(entry.up)
        else:
            if node not in pref:
                continue
            name, row_depth = pref[node], depth[node]
            path = PATH_SEPARATOR.join(pref[a] for a in sorted(
                closure[node], key=lambda a: (depth.get(a, 0), pref.get(a, ""))) if a in pref)
            # the nearest parent: one no other parent of the node lies below
            nearest = [up for up in parents.get(node, ()) if up in pref and not any(
                other != up and up in closure.get(other, ()) for other in parents[node])]
            parent = min(pref[up] for up in nearest) if nearest else None
            kind = min(roles[node]) if roles.get(node) else min(printed_kinds[node]) if printed_kinds.get(node) else ""
            zone = root_name(node)
        yield subject, T.treeName, Literal(name)
        yield subject, T.treeKind, Literal(kind)
        yield subject, T.treeNames, Literal(LIST_SEPARATOR.join(sorted(entry.names, key=lambda n: (entry.names[n], n))))
        if entry.up is not None:
            yield subject, T.treeDepth, Literal(row_depth, datatype=XSD.integer)
            yield subject, T.treePath, Literal(path)
        if parent is not None:
            yield subject, T.treeParent, Literal(parent)
        if zone is not None:
            yield subject, T.treeZone, Literal(zone)
        if entry.years and not entry.graphs_without_year:
            yield subject, T.treeYears, Literal(LIST_SEPARATOR.join(str(y) for y in sorted(entry.years)))
        if codes.get(node) and entry.up is None:
            yield subject, T.treeCodes, Literal(LIST_SEPARATOR.join(sorted(codes[node])))
