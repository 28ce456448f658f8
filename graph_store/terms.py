"""rdflib terms -> pyoxigraph terms (the store speaks pyoxigraph)."""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from budgetkg.ontology.identity import Triple


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


def triples_to_quads(triples: Iterable[Triple], graph_name: URIRef) -> list[ox.Quad]:
    """Triples (an rdflib Graph or any iterable of rdflib terms) -> quads in ``graph_name``.

    Terms repeat a lot (predicates, classes, the disclosure IRI), so each distinct
    term is converted once.
    """
    g = ox.NamedNode(str(graph_name))
    seen: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def convert(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = seen.get(term)
        if found is None:
            found = seen[term] = rdflib_to_oxigraph(term)
        return found

    return [ox.Quad(convert(s), convert(p), convert(o), g) for s, p, o in triples]  # type: ignore[arg-type]


def quads_to_insert_data(quads: Iterable[ox.Quad]) -> str:
    """INSERT DATA body; terms are serialised by pyoxigraph (N-Triples escaping)."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    return " ".join(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items())
