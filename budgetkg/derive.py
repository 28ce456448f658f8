"""Cross-document facts: computed from the document graphs, stored in derived graphs.

A document graph holds only what its own file states. Facts that need several
documents at once (the same organization across years, one SKOS concept per
subject code with its most frequent name, a title-only citation resolved to the
numbered document another disclosure names) are *derived*: each deriver reads the
store through SPARQL and returns triples; ``refresh`` replaces every derived graph
(``iris.derived_graph(name)``) after each ingest or delete, so they never go stale
and deleting a document takes its contributions with it.

Register a deriver with ``@deriver("name")``; it receives a ``select`` function
(SPARQL SELECT text -> Result) so it works on any store backend.

``refresh(store)`` recomputes everything from scratch (the recovery of an interrupted change
uses it). ``update(store, changed_document_ids)`` is the incremental form after an ingest or
a delete: a deriver registered with ``@updater("name")`` as well recomputes only what the
changed documents touch, from its previous graph and the changed graphs; the others are
recomputed whole. Either way a derived graph is written as the difference to what it holds
(one update on the embedded store), and ``update`` gives exactly the graphs ``refresh`` would
(tests/test_derive_incremental.py).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from budgetkg.graph_store.results import Result
from budgetkg.graph_store.results import Term as ResultTerm
from budgetkg.ontology import iris
from budgetkg.ontology.identity import Triple

Select = Callable[[str], Result]
Deriver = Callable[[Select], Iterable[Triple]]
# (select, IRIs of the changed document graphs, the deriver's graph before) -> its graph after
Updater = Callable[[Select, set[str], set[Triple]], Iterable[Triple]]

DERIVERS: dict[str, Deriver] = {}
UPDATERS: dict[str, Updater] = {}


class DerivableStore(Protocol):
    def select(self, sparql: str) -> Result: ...
    def replace_graph(self, graph_name: Node, graph: Graph) -> int: ...
    def drop_graph(self, graph_name: Node) -> None: ...


def deriver(name: str) -> Callable[[Deriver], Deriver]:
    def register(fn: Deriver) -> Deriver:
        DERIVERS[name] = fn
        return fn

    return register


def updater(name: str) -> Callable[[Updater], Updater]:
    """Register the incremental form of the deriver ``name``."""
    def register(fn: Updater) -> Updater:
        UPDATERS[name] = fn
        return fn

    return register


# The order the derivers run in: a later one may read what an earlier one wrote (issuers counts
# through the policies graph's bk:countsAs and names issuers by the organizations graph's labels).
DERIVATION_ORDER = ("organizations", "policies", "projects", "schemes", "issuers", "headlines")


def load_derivers() -> None:
    """Import the modules that register derivers (kept here so the list is in one place) and
    put them in DERIVATION_ORDER."""
    from budgetkg.derivers import headlines, issuers, organizations, policies, projects, schemes  # noqa: F401

    ordered = {name: DERIVERS[name] for name in DERIVATION_ORDER if name in DERIVERS}
    ordered.update(DERIVERS)  # one not listed runs last
    DERIVERS.clear()
    DERIVERS.update(ordered)


def derived_graphs() -> list[URIRef]:
    """The IRIs of every derived graph (some may be empty, hence absent from a store)."""
    load_derivers()
    return [iris.derived_graph(name) for name in DERIVERS]


def write(store: DerivableStore, name: str, triples: Iterable[Triple]) -> int:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    if len(graph):
        return store.replace_graph(iris.derived_graph(name), graph)
    store.drop_graph(iris.derived_graph(name))
    return 0


def refresh(store: DerivableStore) -> dict[str, int]:
    """Recompute every derived graph from scratch; return triples per deriver."""
    load_derivers()
    return {name: write(store, name, fn(store.select)) for name, fn in DERIVERS.items()}


# Every triple of one derived graph (its IRI filled in).
DERIVED_TRIPLES = "SELECT ?s ?p ?o WHERE { GRAPH <%s> { ?s ?p ?o } }"


def to_rdflib(term: ResultTerm) -> Node:
    if term.type == "uri":
        return URIRef(term.value)
    if term.type == "bnode":
        return BNode(term.value)
    plain = term.lang or term.datatype in (None, str(XSD.string))
    return Literal(term.value, lang=term.lang, datatype=None if plain else URIRef(term.datatype or ""))


def derived_triples(store: DerivableStore, name: str) -> set[Triple]:
    """What the derived graph ``name`` holds now."""
    result = store.select(DERIVED_TRIPLES % iris.derived_graph(name))
    return {(to_rdflib(s), to_rdflib(p), to_rdflib(o)) for s, p, o in result.rows  # type: ignore[misc]
            if s is not None and p is not None and o is not None}


def update(store: DerivableStore, changed_document_ids: Iterable[str]) -> dict[str, int]:
    """The derived graphs after the documents ``changed_document_ids`` were ingested, replaced or
    deleted: what ``refresh`` gives, recomputing incrementally where a deriver can."""
    load_derivers()
    graphs = {str(iris.graph(doc)) for doc in changed_document_ids}
    sizes: dict[str, int] = {}
    for name, fn in DERIVERS.items():
        if name in UPDATERS:
            sizes[name] = write(store, name, UPDATERS[name](store.select, graphs, derived_triples(store, name)))
        else:
            sizes[name] = write(store, name, fn(store.select))
    return sizes
