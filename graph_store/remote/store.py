"""A remote SPARQL 1.1 endpoint as a budgetkg store (Oxigraph server, Virtuoso, or any other).

Same interface as the embedded store (graph_store.base.GraphStore). What differs
between engines, and how it is handled here:

- Default graph. Named queries match documents inside ``GRAPH ?g`` but read derived and
  ontology facts from the default graph, which the embedded store makes the union of
  all graphs. Virtuoso's default graph is already every graph it holds (its own system
  graphs, virtrdf, ldp, ..., included), as is that of ``budgetkg serve`` (Oxigraph with
  ``--union-default-graph``); a plain Oxigraph server's is empty. Once per store, one
  probe asks whether the default graph holds the ontology graph's version marker: if
  so, queries go as written; if not, each query that names no dataset is sent with a
  protocol dataset (``default-graph-uri`` + ``named-graph-uri``) listing budgetkg's
  graphs. (Always sending that list would be simpler, but Virtuoso 7.2.5's server
  process dies on a query with about a hundred of them.) System graphs never match
  the named queries' patterns; ``documents``, ``export`` and the graph list keep to
  budgetkg's graph namespace.
- Results are read as SPARQL JSON and normalised (graph_store.remote.results): Virtuoso's ``typed-literal`` is a
  literal, a literal without datatype or language is an ``xsd:string``, language tags
  are lower case (as Oxigraph stores them). Numbers come back in canonical form
  from both engines ("12.50" -> "12.5").
- Exports fetch each graph (Graph Store Protocol GET, else a SELECT) and re-serialise it
  with pyoxigraph, so ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes that Virtuoso writes in Turtle
  and N-Triples, and surrogate pairs in its JSON, come out as plain UTF-8 text,
  the same bytes as an embedded export.
- Writes: a document's graph is replaced by one Graph Store Protocol PUT, which both
  engines apply atomically. Without a graph store endpoint, a small graph is one update
  (DROP + INSERT DATA); a large one is written in batches into a staging graph outside
  budgetkg's namespace and then MOVEd over the target in one operation, so a failure
  at any point leaves the target graph as it was.
- Ordering. Virtuoso orders stored strings and IRIs by their internal ids past a short
  inline prefix, not by their text (three organization names sharing an 11-character
  prefix come back in load order). SPARQL orders them by code point. The outermost
  ORDER BY of every query is therefore sent (graph_store.remote.rewrite) with each plain variable key ``?v`` written
  as two keys, ``(IF(isNumeric(?v), ?v, 0)) STR(?v)``: numbers by value, everything else
  by its text; the same order as before on a conforming engine, and the text's order on
  Virtuoso (which orders a computed STR() correctly, but not an IF() returning one). Keys that are
  projection aliases (``(SAMPLE(?x) AS ?v)``) are left alone: Virtuoso does not accept
  an expression over an aggregate's alias there; write ``SAMPLE(STR(?x))`` in such a
  query so the value is computed text, which Virtuoso orders correctly.
- Blank nodes: Virtuoso refuses them in INSERT DATA, so without a graph store endpoint
  the triples that have blank nodes go in one ``INSERT { ... } WHERE {}`` request
  (each label stays one node within a request).
- Result-size caps (Virtuoso's ResultSetMaxRows) silently cut results: exports check
  the count they received against a COUNT and fail loudly if it is short.
- Long text in sorted results: Virtuoso 7 cannot sort rows holding a value of more than
  about 4 KB (SR319 / SR478; a long GROUP_CONCAT list, e.g. `issuers` over a hundred
  organizations). Where the outermost ORDER BY is plain variables the query is sent again
  without it and the rows are sorted here (``sort_result``); otherwise the error names
  the limit (ENGINE_ERROR_HINTS).

The pieces: endpoint configuration (config), HTTP, authentication and error lines (http),
SPARQL text for engine differences (rewrite), reading answers (results); this module
decides what to send. Credentials come only from the environment (see ``Endpoint.from_env``).
"""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from contextlib import suppress

import pyoxigraph as ox
from rdflib.term import Node

from budgetkg.graph_store.base import DOCUMENTS_QUERY, QueryRejected, StoredDocument, StoreError, result_to_documents
from budgetkg.graph_store.remote.config import Endpoint
from budgetkg.graph_store.remote.http import SORT_LIMIT_ERROR, Http, detail
from budgetkg.graph_store.remote.results import parse_select, parse_triples, parse_turtle, sort_result
from budgetkg.graph_store.remote.rewrite import (
    INSERT_BATCH,
    has_dataset_clause,
    inserts,
    query_form,
    split_order_by,
    text_order,
)
from budgetkg.graph_store.results import Result
from budgetkg.graph_store.terms import Triple, triples_to_quads
from budgetkg.ontology import ONTOLOGY_TTL, iris

SHA256 = "https://w3id.org/budgetkg/ontology#sha256"
# Staging graphs live outside budgetkg's graph namespace, so no read ever includes them.
STAGING_GRAPH = "urn:budgetkg:staging:"
# budgetkg's graphs: everything this store writes is under iris.GRAPH.
LIST_GRAPHS = f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{iris.GRAPH}")) }}"""
# The same from the engine's list of graphs (an empty pattern in GRAPH matches every graph, SPARQL
# 1.1 18.6): no scan of every quad (3 ms against 59 ms on an Oxigraph server holding the samples).
# Virtuoso 7 answers it with no rows, so no rows means: ask LIST_GRAPHS.
LIST_GRAPHS_QUICKLY = f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ }} FILTER(STRSTARTS(STR(?g), "{iris.GRAPH}")) }}"""


class RemoteStore:
    """budgetkg's graphs on a SPARQL endpoint."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._http = Http(endpoint)
        self._graphs: set[str] | None = None
        self._union_default: bool | None = None

    def describe(self) -> str:
        return self.endpoint.query

    # --- queries -----------------------------------------------------------------------
    def _select(self, text: str, dataset: Iterable[str] | None) -> Result:
        if query_form(text) not in (None, "SELECT"):
            raise QueryRejected("only SELECT queries produce tables")
        body = self._http.query(text, dataset)
        try:
            return parse_select(body)
        except (SyntaxError, ValueError):
            raise self._not_results(body) from None

    def _not_results(self, body: bytes) -> StoreError:
        return StoreError(f"{self.endpoint.query}: the answer is not SPARQL JSON results ({detail(body) or 'empty'})")

    # --- which graphs are ours -------------------------------------------------------
    def _our_graphs(self) -> set[str]:
        if self._graphs is None:
            rows = self._select(LIST_GRAPHS_QUICKLY, None).rows or self._select(LIST_GRAPHS, None).rows
            self._graphs = {row[0].value for row in rows if row[0] is not None}
        return self._graphs

    def graph_names(self) -> list[str]:
        return sorted(self._our_graphs())

    def _has_graph(self, graph: str) -> bool:
        return bool(self._select(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT 1", [graph]).rows)

    # --- writing ---------------------------------------------------------------------
    def replace_graph(self, graph_name: Node, graph: Iterable[Triple]) -> int:
        quads = triples_to_quads(graph, graph_name)  # type: ignore[arg-type]
        self._put(str(graph_name), [ox.Triple(q.subject, q.predicate, q.object) for q in quads])
        return len(quads)

    def _put(self, graph: str, triples: list[ox.Triple]) -> None:
        """Make ``graph`` hold exactly ``triples``: all or nothing."""
        if self.endpoint.graph_store:
            self._http.graph_store("PUT", graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
        elif len(triples) <= INSERT_BATCH:
            self._http.update(" ;\n".join([f"DROP SILENT GRAPH <{graph}>", *inserts(graph, triples)]))
        else:
            staging = f"{STAGING_GRAPH}{uuid.uuid4()}"
            try:
                for update in inserts(staging, triples):
                    self._http.update(update)
                self._http.update(f"MOVE SILENT <{staging}> TO <{graph}>")
            except BaseException:
                with suppress(StoreError):  # the first error is the one to report
                    self._http.update(f"DROP SILENT GRAPH <{staging}>")
                raise
        if self._graphs is not None:
            self._graphs.add(graph)

    def ensure_ontology(self) -> None:
        data = ONTOLOGY_TTL.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        g = str(iris.ONTOLOGY_GRAPH)
        check = f'SELECT ?g WHERE {{ GRAPH <{g}> {{ <{g}> <{SHA256}> "{digest}" }} BIND(<{g}> AS ?g) }}'
        if self._select(check, [g]).rows:
            return
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
        triples.append(ox.Triple(ox.NamedNode(g), ox.NamedNode(SHA256), ox.Literal(digest)))
        self._put(g, triples)

    def drop_graph(self, graph_name: Node) -> None:
        self._http.update(f"DROP SILENT GRAPH <{graph_name}>")
        if self._graphs is not None:
            self._graphs.discard(str(graph_name))

    def delete_document(self, document_id: str) -> bool:
        g = iris.graph(document_id)
        if not self._has_graph(str(g)):
            return False
        self.drop_graph(g)
        return True

    def flush(self) -> None:
        """Nothing to do: the engine commits each request."""

    def close(self) -> None:
        """Close the pooled HTTP connections (the store stays usable: a later request reconnects)."""
        self._http.close()

    # --- reading ---------------------------------------------------------------------
    def select(self, sparql: str) -> Result:
        """A SELECT over the union of budgetkg's graphs (or over the query's own FROM clauses)."""
        dataset = None if has_dataset_clause(sparql) else self._read_dataset()
        try:
            return self._select(text_order(sparql), dataset)
        except StoreError as err:
            # Virtuoso cannot sort rows holding a long text (a long GROUP_CONCAT list): where
            # the outermost ORDER BY is plain variables, the rows are fetched unsorted and
            # sorted here, as SPARQL orders them.
            split = split_order_by(sparql) if SORT_LIMIT_ERROR.search(str(err)) else None
            if split is None:
                raise
            unordered, keys = split
            result = self._select(unordered, dataset)
            if any(name not in result.columns for name, _ in keys):
                raise  # ordered by a variable the rows do not carry: only the engine can
            return sort_result(result, keys)

    def _read_dataset(self) -> list[str] | None:
        """None where the engine's default graph already is the union of the graphs, else
        budgetkg's graphs as a protocol dataset (see the module docstring)."""
        if self._union_default is None:
            g = str(iris.ONTOLOGY_GRAPH)
            probe = f"SELECT ?v WHERE {{ <{g}> <{SHA256}> ?v }} LIMIT 1"
            self._union_default = bool(self._select(probe, None).rows)
        if self._union_default:
            return None
        return sorted(self._our_graphs()) or [str(iris.ONTOLOGY_GRAPH)]

    def documents(self) -> list[StoredDocument]:
        return result_to_documents(self.select(DOCUMENTS_QUERY))

    def _graph_triples(self, graph: str) -> list[ox.Triple]:
        """All triples of one graph, checked against its COUNT (result caps cut silently)."""
        count = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", [graph])
        expected = int(count.rows[0][0].value)  # type: ignore[union-attr]
        if self.endpoint.graph_store:
            body = self._http.graph_store("GET", graph, accept="application/n-triples, text/turtle;q=0.9")
            try:
                triples = parse_turtle(body)
            except SyntaxError as err:
                raise StoreError(f"{self.endpoint.graph_store}: unreadable Turtle for <{graph}> ({err})") from None
        else:
            query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
            body = self._http.query(query, [graph])
            try:
                triples = parse_triples(body)
            except (SyntaxError, ValueError, TypeError):
                raise self._not_results(body) from None
        if len(set(triples)) < expected:
            raise StoreError(f"{self.endpoint.query}: got {len(set(triples))} of the {expected} triples of <{graph}>: "
                             f"the endpoint caps result sizes (Virtuoso: [SPARQL] ResultSetMaxRows in virtuoso.ini)")
        return triples

    def dump(self, fmt: ox.RdfFormat, document_id: str | None = None,
             prefixes: dict[str, str] | None = None) -> bytes:
        if document_id is not None:
            g = str(iris.graph(document_id))
            if not self._has_graph(g):
                raise StoreError(f"no document {document_id!r} at {self.endpoint.query}")
            graphs = [g]
        else:
            graphs = self.graph_names()
        data = ox.Store()
        for g in graphs:
            # Turtle has no graphs: the union, as the embedded store exports it.
            target = ox.DefaultGraph() if fmt == ox.RdfFormat.TURTLE else ox.NamedNode(g)
            data.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in self._graph_triples(g))
        if fmt == ox.RdfFormat.TURTLE:
            return data.dump(format=fmt, from_graph=ox.DefaultGraph(), prefixes=prefixes)
        return data.dump(format=fmt, prefixes=prefixes if fmt == ox.RdfFormat.TRIG else None)
