"""The embedded store: pyoxigraph on disk, one named graph per source document.

Writing a document's graph never leaves it half-written: a new graph is bulk-loaded
and removed again if anything fails; an existing graph is changed by one SPARQL
update (DELETE DATA + INSERT DATA of the difference), which Oxigraph applies as a
single transaction.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from budgetkg.graph_store.base import DOCUMENTS_QUERY, QueryRejected, StoredDocument, StoreError, result_to_documents
from budgetkg.graph_store.results import Result, solutions_to_result
from budgetkg.graph_store.terms import Triple, quads_to_insert_data, triples_to_quads
from budgetkg.ontology import ONTOLOGY_TTL, iris

DEFAULT_STORE = "budgetkg-data"
STORE_ENV = "BUDGETKG_STORE"
SHA256 = ox.NamedNode("https://w3id.org/budgetkg/ontology#sha256")


def default_store_path() -> str:
    return os.environ.get(STORE_ENV) or DEFAULT_STORE


class EmbeddedStore:
    """An Oxigraph store in a directory. ``read_only`` opens a shared read view."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path or default_store_path())
        try:
            if read_only:
                if not self.path.exists():
                    raise StoreError(f"{self.path}: no store here yet (run `budgetkg ingest` first)")
                self.store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self.store = ox.Store(str(self.path))
        except OSError as err:
            raise StoreError(f"{self.path}: cannot open store ({err})") from err

    def describe(self) -> str:
        return str(self.path)

    # --- writing -------------------------------------------------------------------
    def replace_graph(self, graph_name: URIRef, graph: Iterable[Triple]) -> int:
        """Make ``graph_name`` hold exactly ``graph`` (an rdflib Graph or a set of
        triples), in one transaction; return its size.

        A new graph is bulk-written (and removed again on failure); an existing one gets
        one SPARQL update with the difference (nothing at all when re-ingesting unchanged data).
        """
        quads = triples_to_quads(graph, graph_name)
        g = ox.NamedNode(str(graph_name))
        if not self.store.contains_named_graph(g):
            self._add_new_graph(g, quads)
            return len(quads)
        old = set(self.store.quads_for_pattern(None, None, None, g))
        new = set(quads)
        removed, added = old - new, new - old
        if removed or added:
            parts = []
            if removed:
                parts.append(f"DELETE DATA {{ {quads_to_insert_data(removed)} }}")
            if added:
                parts.append(f"INSERT DATA {{ {quads_to_insert_data(added)} }}")
            self.store.update(" ;\n".join(parts))
        return len(quads)

    def _add_new_graph(self, g: ox.NamedNode, quads: list[ox.Quad]) -> None:
        """Write a graph the store does not hold yet.

        ``bulk_extend`` writes sorted files and ingests them into every index at once,
        about 3x faster than a transactional ``extend`` on disk (0.09 s vs 0.3 s for
        12k quads). It is not one transaction, but the graph is new: removing it on
        any failure restores the store exactly as it was.
        """
        try:
            self.store.bulk_extend(quads)
        except BaseException:
            self.store.remove_graph(g)
            raise

    def ensure_ontology(self) -> None:
        """Load the ontology into its own graph unless this exact version is there.

        The version is the Turtle file's SHA-256, stated in the ontology graph, so
        re-ingesting never rewrites it (its blank nodes would get new labels).
        """
        data = ONTOLOGY_TTL.read_bytes()
        digest = ox.Literal(hashlib.sha256(data).hexdigest())
        g = ox.NamedNode(str(iris.ONTOLOGY_GRAPH))
        marker = ox.Quad(g, SHA256, digest, g)
        if marker in self.store:
            return
        if self.store.contains_named_graph(g):
            self.store.remove_graph(g)
        self.store.load(data, format=ox.RdfFormat.TURTLE, to_graph=g)
        self.store.add(marker)

    def delete_document(self, document_id: str) -> bool:
        g = ox.NamedNode(str(iris.graph(document_id)))
        if not self.store.contains_named_graph(g):
            return False
        self.store.update(f"DROP GRAPH {g}")
        return True

    def graph_names(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))

    def drop_graph(self, graph_name: URIRef) -> None:
        g = ox.NamedNode(str(graph_name))
        if self.store.contains_named_graph(g):
            self.store.update(f"DROP GRAPH {g}")

    def flush(self) -> None:
        self.store.flush()

    def close(self) -> None:
        """Release the files (and the writer's directory lock) now rather than whenever
        the garbage collector gets to this object: a reference cycle anywhere would
        otherwise keep the next writer in this process out."""
        self.store = None  # type: ignore[assignment]

    # --- reading -------------------------------------------------------------------
    def query(self, sparql: str):  # noqa: ANN201 - pyoxigraph result types
        return self.store.query(sparql, use_default_graph_as_union=True)

    def select(self, sparql: str) -> Result:
        """A SELECT over the union of graphs, as a backend-neutral Result."""
        try:
            solutions = self.query(sparql)
        except SyntaxError as err:
            raise QueryRejected(f"SPARQL syntax error: {err}") from err
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryRejected("only SELECT queries produce tables")
        return solutions_to_result(solutions)

    def documents(self) -> list[StoredDocument]:
        return result_to_documents(self.select(DOCUMENTS_QUERY))

    def dump(self, fmt: ox.RdfFormat, document_id: str | None = None, prefixes: dict[str, str] | None = None) -> bytes:
        if document_id is None:
            if fmt in (ox.RdfFormat.TURTLE,):
                # Turtle has no graphs: the union of all document graphs.
                data = ox.Store()
                data.extend(ox.Quad(q.subject, q.predicate, q.object) for q in self.store)
                return data.dump(format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)
            return self.store.dump(format=fmt, prefixes=prefixes if fmt == ox.RdfFormat.TRIG else None)
        g = ox.NamedNode(str(iris.graph(document_id)))
        if not self.store.contains_named_graph(g):
            raise StoreError(f"no document {document_id!r} in {self.path}")
        if fmt in (ox.RdfFormat.TURTLE,):
            return self.store.dump(format=fmt, from_graph=g, prefixes=prefixes)
        data = ox.Store()
        data.extend(self.store.quads_for_pattern(None, None, None, g))
        return data.dump(format=fmt, prefixes=prefixes if fmt == ox.RdfFormat.TRIG else None)

