"""What every store backend offers: the embedded Oxigraph store and a remote SPARQL endpoint.

``budgetkg.api`` and ``budgetkg.derive`` only use this interface, so ingest, query,
export, documents and the derived graphs work the same on either backend. Reads see
the union of budgetkg's own graphs (documents, ontology, derived); named queries
match each document inside ``GRAPH ?g { ... }`` so they never rely on how an engine
defines its default graph.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib.term import Node

from budgetkg.graph_store.results import Result
from budgetkg.graph_store.terms import Triple
from budgetkg.ontology import iris


class StoreError(Exception):
    """The store cannot be opened, reached or written. The message is one line for the user."""


class QueryRejected(StoreError):
    """The store refused to run a query: a syntax error, or not a SELECT where a table is wanted."""


@dataclass(frozen=True, slots=True)
class StoredDocument:
    document_id: str
    graph: str
    triples: int
    organization: str | None
    year: int | None
    source_file: str | None
    kind: str | None = None  # 部门预算 / 单位预算: a 部门 and a 单位 disclosure of one year are two disclosures


@runtime_checkable
class GraphStore(Protocol):
    """A place holding one named graph per document, the ontology graph and the derived graphs."""

    def describe(self) -> str:
        """Where the graph lives, for messages: a directory or an endpoint URL."""
        ...

    def replace_graph(self, graph_name: Node, graph: Iterable[Triple]) -> int:
        """Make ``graph_name`` hold exactly ``graph`` (an rdflib Graph or triples), all or nothing;
        return its size."""
        ...

    def ensure_ontology(self) -> None: ...
    def delete_document(self, document_id: str) -> bool: ...
    def drop_graph(self, graph_name: Node) -> None: ...
    def graph_names(self) -> list[str]: ...
    def select(self, sparql: str) -> Result:
        """A SELECT over the union of budgetkg's graphs. Raises QueryRejected, StoreError."""
        ...

    def documents(self) -> list[StoredDocument]: ...
    def dump(self, fmt: ox.RdfFormat, document_id: str | None = None,
             prefixes: dict[str, str] | None = None) -> bytes: ...
    def flush(self) -> None: ...
    def close(self) -> None:
        """Release what the store holds (an embedded store's directory lock)."""
        ...


# One row per graph: its size and, for a document graph, what the disclosure says about itself.
DOCUMENTS_QUERY = """
PREFIX bk: <https://w3id.org/budgetkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?g ?n ?org ?year ?file ?kind WHERE {
  { SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g }
  OPTIONAL { GRAPH ?g { ?d a bk:Disclosure ; bk:sourceFile ?file ; bk:fiscalYear/bk:yearNumber ?year ;
                          bk:organizationName ?org . OPTIONAL { ?d bk:disclosureKind ?kind } } }
}
"""


def result_to_documents(result: Result) -> list[StoredDocument]:
    """DOCUMENTS_QUERY rows -> documents; graphs that are not document graphs are skipped
    (the ontology, derived graphs, and whatever else an engine keeps, e.g. Virtuoso's)."""
    found: dict[str, StoredDocument] = {}
    for row in result.dicts():
        graph = row["g"]
        if not iris.is_document_graph(graph) or graph in found:
            continue
        found[graph] = StoredDocument(
            document_id=iris.graph_to_document_id(graph), graph=graph, triples=int(row["n"]),
            organization=row["org"] or None, year=int(row["year"]) if row["year"] else None,
            source_file=row["file"] or None, kind=row.get("kind") or None,
        )
    return sorted(found.values(), key=lambda d: d.document_id)
