"""rdflib terms -> pyoxigraph terms (the store speaks pyoxigraph)."""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node


def rdflib_to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term {term!r}")


def graph_to_quads(graph: Graph, graph_name: URIRef) -> list[ox.Quad]:
    g = ox.NamedNode(str(graph_name))
    return [ox.Quad(rdflib_to_oxigraph(s), rdflib_to_oxigraph(p), rdflib_to_oxigraph(o), g)  # type: ignore[arg-type]
            for s, p, o in graph]


def quads_to_insert_data(quads: Iterable[ox.Quad]) -> str:
    """INSERT DATA body; terms are serialised by pyoxigraph (N-Triples escaping)."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return " ".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())
