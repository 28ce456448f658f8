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
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from rdflib import Graph
from rdflib.term import Node

from budgetkg.graph_store.results import Result
from budgetkg.ontology import iris
from budgetkg.ontology.identity import Triple

Select = Callable[[str], Result]
Deriver = Callable[[Select], Iterable[Triple]]

DERIVERS: dict[str, Deriver] = {}


class DerivableStore(Protocol):
    def select(self, sparql: str) -> Result: ...
    def replace_graph(self, graph_name: Node, graph: Graph) -> int: ...
    def drop_graph(self, graph_name: Node) -> None: ...


def deriver(name: str) -> Callable[[Deriver], Deriver]:
    def register(fn: Deriver) -> Deriver:
        DERIVERS[name] = fn
        return fn

    return register


def load_derivers() -> None:
    """Import the modules that register derivers (kept here so the list is in one place)."""
    from budgetkg.derivers import organizations, policies, projects, schemes  # noqa: F401


def refresh(store: DerivableStore) -> dict[str, int]:
    """Recompute every derived graph; return triples per deriver."""
    load_derivers()
    sizes: dict[str, int] = {}
    for name, fn in DERIVERS.items():
        graph = Graph()
        for triple in fn(store.select):
            graph.add(triple)
        if len(graph):
            sizes[name] = store.replace_graph(iris.derived_graph(name), graph)
        else:
            store.drop_graph(iris.derived_graph(name))
            sizes[name] = 0
    return sizes
