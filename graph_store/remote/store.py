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
- Results are read as SPARQL JSON and normalised: Virtuoso's ``typed-literal`` is a
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
  ORDER BY of every query is therefore sent with each plain variable key ``?v`` written
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

Credentials come only from the environment (see ``Endpoint.from_env``).
"""
from __future__ import annotations

import ast
import base64
import hashlib
import http.client
import json
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from budgetkg.graph_store.base import DOCUMENTS_QUERY, QueryRejected, StoredDocument, StoreError, result_to_documents
from budgetkg.graph_store.results import Result, Term
from budgetkg.graph_store.terms import Triple, triples_to_quads
from budgetkg.ontology import ONTOLOGY_TTL, iris
from rdflib.term import Node
from SPARQLWrapper import JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException, Unauthorized

ENDPOINT_ENV = "BUDGETKG_ENDPOINT"
UPDATE_ENDPOINT_ENV = "BUDGETKG_UPDATE_ENDPOINT"
GRAPH_STORE_ENDPOINT_ENV = "BUDGETKG_GRAPH_STORE_ENDPOINT"
USER_ENV = "BUDGETKG_ENDPOINT_USER"
PASSWORD_ENV = "BUDGETKG_ENDPOINT_PASSWORD"
AUTH_ENV = "BUDGETKG_ENDPOINT_AUTH"
TIMEOUT_ENV = "BUDGETKG_ENDPOINT_TIMEOUT"
DEFAULT_TIMEOUT_S = 120.0
AUTH_SCHEMES = ("basic", "digest")
# Triples per INSERT DATA request when there is no graph store endpoint: Virtuoso's SPARQL
# parser runs out of memory near 5,000 lines ("SP030 ... memory exhausted").
INSERT_BATCH = 1_000
# Longest piece of an engine's error body quoted in a message.
DETAIL_CHARS = 300
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
SHA256 = "https://w3id.org/budgetkg/ontology#sha256"
# Staging graphs live outside budgetkg's graph namespace, so no read ever includes them.
STAGING_GRAPH = "urn:budgetkg:staging:"
# budgetkg's graphs: everything this store writes is under iris.GRAPH.
LIST_GRAPHS = f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{iris.GRAPH}")) }}"""
# Dataset clauses in a query: strings, IRIs and comments are blanked first, so that a
# literal, an IRI or a variable called "from" does not count as one.
LEXICAL_NOISE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\''  # long strings
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''  # strings
    r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')  # IRIs, comments
FROM_CLAUSE = re.compile(r"(?<![?$:\w-])FROM(?![\w:-])", re.IGNORECASE)
# The solution modifiers of a query: ORDER BY, and what may follow it.
ORDER_BY = re.compile(r"(?<![?$:\w-])ORDER\s+BY(?![\w:-])", re.IGNORECASE)
PROJECTION_ALIAS = re.compile(r"(?<![\w-])AS\s+[?$]([A-Za-z_0-9\u00B7-\uFFFF]+)", re.IGNORECASE)
AFTER_ORDER_BY = re.compile(r"(?<![?$:\w-])(?:LIMIT|OFFSET|VALUES)(?![\w:-])", re.IGNORECASE)
# One order condition that is a plain variable, bare or in ASC()/DESC().
ORDER_KEY = re.compile(r"(?P<dir>(?:ASC|DESC)\s*\(\s*)?(?P<var>[?$][A-Za-z_0-9\u00B7-\uFFFF]+)(?(dir)\s*\))",
                       re.IGNORECASE)
# HTML error pages (Virtuoso's GSP errors): tags dropped before quoting the text.
HTML_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a remote store is and how to reach it.

    ``query`` answers SPARQL queries; ``update`` takes SPARQL updates (default: the
    query URL, as on Virtuoso's /sparql-auth); ``graph_store`` is a SPARQL 1.1 Graph
    Store Protocol endpoint (Oxigraph: /store, Virtuoso: /sparql-graph-crud-auth).
    """

    query: str
    update: str | None = None
    graph_store: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never printed
    auth: str = "basic"
    timeout: float = DEFAULT_TIMEOUT_S

    @property
    def update_url(self) -> str:
        return self.update or self.query

    @classmethod
    def from_env(cls, query: str | None = None, update: str | None = None, graph_store: str | None = None,
                 environ: dict[str, str] | None = None) -> Endpoint | None:
        """URLs from the arguments, else BUDGETKG_ENDPOINT / _UPDATE_ENDPOINT / _GRAPH_STORE_ENDPOINT;
        credentials only from BUDGETKG_ENDPOINT_USER / _PASSWORD / _AUTH (basic|digest);
        BUDGETKG_ENDPOINT_TIMEOUT in seconds. None when no query endpoint is given."""
        env = os.environ if environ is None else environ
        query = query or env.get(ENDPOINT_ENV) or None
        if not query:
            if update or graph_store:
                raise StoreError("--update-endpoint / --graph-store-endpoint need --endpoint (the query URL) too")
            return None
        auth = (env.get(AUTH_ENV) or "basic").strip().lower()
        if auth not in AUTH_SCHEMES:
            raise StoreError(f"{AUTH_ENV}={auth!r}: expected one of {', '.join(AUTH_SCHEMES)}")
        raw_timeout = env.get(TIMEOUT_ENV)
        try:
            timeout = float(raw_timeout) if raw_timeout else DEFAULT_TIMEOUT_S
        except ValueError:
            raise StoreError(f"{TIMEOUT_ENV}={raw_timeout!r}: expected seconds") from None
        for url in (query, update, graph_store):
            if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise StoreError(f"{url}: an endpoint must be an http:// or https:// URL")
        return cls(query=query, update=update or env.get(UPDATE_ENDPOINT_ENV) or None,
                   graph_store=graph_store or env.get(GRAPH_STORE_ENDPOINT_ENV) or None,
                   user=env.get(USER_ENV) or None, password=env.get(PASSWORD_ENV) or None,
                   auth=auth, timeout=timeout)


class RemoteStore:
    """budgetkg's graphs on a SPARQL endpoint."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._graphs: set[str] | None = None
        self._union_default: bool | None = None
        self._auth = Authenticator(endpoint)

    def describe(self) -> str:
        return self.endpoint.query

    # --- HTTP ----------------------------------------------------------------------
    def _wrapper(self, text: str, *, update: bool) -> SPARQLWrapper:
        e = self.endpoint
        w = SPARQLWrapper(e.query, updateEndpoint=e.update_url)
        w.setMethod(POST)
        w.setTimeout(int(e.timeout))
        w.setQuery(text)
        if not update:
            w.setReturnFormat(JSON)
        header = self._auth.header("POST", e.update_url if update else e.query)
        if header:
            w.addCustomHttpHeader("Authorization", header)
        return w

    def _with_auth_retry(self, url: str, send: Callable[[], bytes]) -> bytes:
        """Send once; on a 401 with credentials set, learn the server's challenge again and resend once."""
        try:
            return send()
        except (Unauthorized, urllib.error.HTTPError) as err:
            status = 401 if isinstance(err, Unauthorized) else err.code  # type: ignore[union-attr]
            if status != 401 or not self._auth.enabled:
                raise
        self._auth.forget(url)
        return send()

    @contextmanager
    def _errors(self, url: str, action: str) -> Iterator[None]:
        """Every way a request can fail -> one StoreError line naming the URL and the cause."""
        try:
            yield
        except StoreError:
            raise
        except SPARQLWrapperException as err:
            raise self._http_error(url, action, _sparqlwrapper_status(err), _sparqlwrapper_body(err)) from None
        except urllib.error.HTTPError as err:
            try:
                body = err.read()
            except OSError:
                body = b""
            raise self._http_error(url, action, err.code, body) from None
        except urllib.error.URLError as err:
            raise StoreError(f"{url}: {action} failed: {_network_reason(err.reason, self.endpoint.timeout)}") from None
        except TimeoutError:
            raise StoreError(f"{url}: {action} failed: no answer within {self.endpoint.timeout:g} s "
                             f"(set {TIMEOUT_ENV} to wait longer)") from None
        except (http.client.HTTPException, ConnectionError) as err:
            raise StoreError(f"{url}: {action} failed: connection lost ({type(err).__name__})") from None

    def _http_error(self, url: str, action: str, status: int, body: bytes) -> StoreError:
        detail = _detail(body)
        suffix = f": {detail}" if detail else ""
        if status == 400:
            return QueryRejected(f"{url}: the endpoint rejected the request (HTTP 400){suffix}")
        if status == 401:
            if self.endpoint.user:
                return StoreError(f"{url}: {action} refused: the credentials in {USER_ENV} / {PASSWORD_ENV} "
                                  f"were not accepted (HTTP 401; {AUTH_ENV}={self.endpoint.auth})")
            return StoreError(f"{url}: {action} needs credentials (HTTP 401): set {USER_ENV} and "
                              f"{PASSWORD_ENV} (and {AUTH_ENV}=digest if the server asks for digest)")
        if status == 403:
            return StoreError(f"{url}: {action} forbidden (HTTP 403): the server or this account may not "
                              f"{action}{suffix}")
        if status == 404:
            return StoreError(f"{url}: no such endpoint (HTTP 404){suffix}")
        if status >= 500:
            hint = next((f" ({h})" for code, h in ENGINE_ERROR_HINTS.items() if code.search(detail)), "")
            return StoreError(f"{url}: {action} failed: server error (HTTP {status}){suffix}{hint}")
        return StoreError(f"{url}: {action} failed (HTTP {status}){suffix}")

    def _select_json(self, text: str, dataset: Iterable[str] | None) -> dict[str, Any]:
        if _query_type(text) != SELECT:
            raise QueryRejected("only SELECT queries produce tables")
        with self._errors(self.endpoint.query, "query"):
            body = self._with_auth_retry(self.endpoint.query, lambda: self._send(text, dataset, update=False))
        try:
            return json.loads(body)
        except ValueError:
            raise StoreError(f"{self.endpoint.query}: the answer is not SPARQL JSON results "
                             f"({_detail(body) or 'empty'})") from None

    def _update(self, text: str) -> None:
        with self._errors(self.endpoint.update_url, "update"):
            self._with_auth_retry(self.endpoint.update_url, lambda: self._send(text, None, update=True))

    def _send(self, text: str, dataset: Iterable[str] | None, *, update: bool) -> bytes:
        """One SPARQLWrapper request with a fresh Authorization header; the raw body."""
        w = self._wrapper(text, update=update)
        for g in dataset or ():
            w.addParameter("default-graph-uri", g)
            w.addParameter("named-graph-uri", g)
        return w.query().response.read()

    def _gsp(self, method: str, graph: str, body: bytes | None = None, accept: str | None = None) -> bytes:
        assert self.endpoint.graph_store
        base = self.endpoint.graph_store
        url = f"{base}{'&' if '?' in base else '?'}graph={urllib.parse.quote(graph, safe='')}"

        def send() -> bytes:
            request = urllib.request.Request(url, data=body, method=method)
            if body is not None:
                request.add_header("Content-Type", "text/turtle; charset=utf-8")  # N-Triples is Turtle
            if accept:
                request.add_header("Accept", accept)
            header = self._auth.header(method, url)
            if header:
                request.add_header("Authorization", header)
            try:
                with urllib.request.urlopen(request, timeout=self.endpoint.timeout) as response:
                    return response.read()
            except (urllib.error.URLError, ConnectionError) as err:
                # A server refusing an unauthenticated upload may close the connection before
                # the body is sent (Virtuoso does, with a 401): ask again without a body so
                # its answer, not a broken pipe, says why.
                cause = err.reason if isinstance(err, urllib.error.URLError) else err
                if (body is not None and header is None
                        and isinstance(cause, (BrokenPipeError, ConnectionResetError))):
                    probe = urllib.request.Request(url, method="GET")
                    urllib.request.urlopen(probe, timeout=self.endpoint.timeout).close()
                raise

        with self._errors(base, "read" if method == "GET" else "write"):
            return self._with_auth_retry(url, send)

    # --- which graphs are ours -------------------------------------------------------
    def _our_graphs(self) -> set[str]:
        if self._graphs is None:
            data = self._select_json(LIST_GRAPHS, None)
            self._graphs = {b["g"]["value"] for b in data["results"]["bindings"] if "g" in b}
        return self._graphs

    def graph_names(self) -> list[str]:
        return sorted(self._our_graphs())

    def _has_graph(self, graph: str) -> bool:
        data = self._select_json(f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT 1", [graph])
        return bool(data["results"]["bindings"])

    # --- writing ---------------------------------------------------------------------
    def replace_graph(self, graph_name: Node, graph: Iterable[Triple]) -> int:
        quads = triples_to_quads(graph, graph_name)  # type: ignore[arg-type]
        self._put(str(graph_name), [ox.Triple(q.subject, q.predicate, q.object) for q in quads])
        return len(quads)

    def _put(self, graph: str, triples: list[ox.Triple]) -> None:
        """Make ``graph`` hold exactly ``triples``: all or nothing."""
        if self.endpoint.graph_store:
            self._gsp("PUT", graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
        elif len(triples) <= INSERT_BATCH:
            self._update(" ;\n".join([f"DROP SILENT GRAPH <{graph}>", *_inserts(graph, triples)]))
        else:
            staging = f"{STAGING_GRAPH}{uuid.uuid4()}"
            try:
                for update in _inserts(staging, triples):
                    self._update(update)
                self._update(f"MOVE SILENT <{staging}> TO <{graph}>")
            except BaseException:
                with suppress(StoreError):  # the first error is the one to report
                    self._update(f"DROP SILENT GRAPH <{staging}>")
                raise
        if self._graphs is not None:
            self._graphs.add(graph)

    def ensure_ontology(self) -> None:
        data = ONTOLOGY_TTL.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        g = str(iris.ONTOLOGY_GRAPH)
        check = f'SELECT ?g WHERE {{ GRAPH <{g}> {{ <{g}> <{SHA256}> "{digest}" }} BIND(<{g}> AS ?g) }}'
        if self._select_json(check, [g])["results"]["bindings"]:
            return
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
        triples.append(ox.Triple(ox.NamedNode(g), ox.NamedNode(SHA256), ox.Literal(digest)))
        self._put(g, triples)

    def drop_graph(self, graph_name: Node) -> None:
        self._update(f"DROP SILENT GRAPH <{graph_name}>")
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
        """Nothing to release: each request is its own connection."""

    # --- reading ---------------------------------------------------------------------
    def select(self, sparql: str) -> Result:
        """A SELECT over the union of budgetkg's graphs (or over the query's own FROM clauses)."""
        dataset = None if has_dataset_clause(sparql) else self._read_dataset()
        try:
            return json_to_result(self._select_json(text_order(sparql), dataset))
        except StoreError as err:
            # Virtuoso cannot sort rows holding a long text (a long GROUP_CONCAT list): where
            # the outermost ORDER BY is plain variables, the rows are fetched unsorted and
            # sorted here, as SPARQL orders them.
            split = split_order_by(sparql) if SORT_LIMIT_ERROR.search(str(err)) else None
            if split is None:
                raise
            unordered, keys = split
            result = json_to_result(self._select_json(unordered, dataset))
            if any(name not in result.columns for name, _ in keys):
                raise  # ordered by a variable the rows do not carry: only the engine can
            return sort_result(result, keys)

    def _read_dataset(self) -> list[str] | None:
        """None where the engine's default graph already is the union of the graphs, else
        budgetkg's graphs as a protocol dataset (see the module docstring)."""
        if self._union_default is None:
            g = str(iris.ONTOLOGY_GRAPH)
            probe = f"SELECT ?v WHERE {{ <{g}> <{SHA256}> ?v }} LIMIT 1"
            self._union_default = bool(self._select_json(probe, None)["results"]["bindings"])
        if self._union_default:
            return None
        return sorted(self._our_graphs()) or [str(iris.ONTOLOGY_GRAPH)]

    def documents(self) -> list[StoredDocument]:
        return result_to_documents(self.select(DOCUMENTS_QUERY))

    def _graph_triples(self, graph: str) -> list[ox.Triple]:
        """All triples of one graph, checked against its COUNT (result caps cut silently)."""
        count_data = self._select_json(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", [graph])
        expected = int(count_data["results"]["bindings"][0]["n"]["value"])
        if self.endpoint.graph_store:
            body = self._gsp("GET", graph, accept="application/n-triples, text/turtle;q=0.9")
            try:
                triples = [ox.Triple(q.subject, q.predicate, q.object)
                           for q in ox.parse(_fix_surrogate_escapes(body), format=ox.RdfFormat.TURTLE)]
            except SyntaxError as err:
                raise StoreError(f"{self.endpoint.graph_store}: unreadable Turtle for <{graph}> ({err})") from None
        else:
            data = self._select_json(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", [graph])
            triples = [ox.Triple(*(_to_oxigraph(json_to_term(b[v])) for v in ("s", "p", "o")))  # type: ignore[arg-type]
                       for b in data["results"]["bindings"]]
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


class Authenticator:
    """Authorization headers sent with the first attempt of every request.

    Credentials are never sent only in answer to a 401: a server that refuses an
    unauthenticated request while its body is still being sent (Virtuoso does, for a
    large Graph Store PUT) closes the connection mid-upload. For digest, the server's
    challenge is fetched once per URL with a bodiless GET and each request is signed
    with it (urllib's digest code computes the response and nonce count).
    """

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.enabled = bool(endpoint.user and endpoint.password)
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in (endpoint.query, endpoint.update, endpoint.graph_store):
            if url and self.enabled:
                parts = urllib.parse.urlsplit(url)
                manager.add_password(None, f"{parts.scheme}://{parts.netloc}/", endpoint.user,  # type: ignore[arg-type]
                                     endpoint.password)  # type: ignore[arg-type]
        self._digest = urllib.request.HTTPDigestAuthHandler(manager)
        self._challenges: dict[str, dict[str, str] | None] = {}

    def header(self, method: str, url: str) -> str | None:
        if not self.enabled:
            return None
        if self.endpoint.auth == "basic":
            token = f"{self.endpoint.user}:{self.endpoint.password}".encode()
            return "Basic " + base64.b64encode(token).decode("ascii")
        key = _without_query(url)
        if key not in self._challenges:
            self._challenges[key] = self._fetch_challenge(url)
        challenge = self._challenges[key]
        if challenge is None:
            return None  # this URL asks for no credentials
        signed = self._digest.get_authorization(urllib.request.Request(url, method=method), challenge)
        return f"Digest {signed}" if signed else None

    def forget(self, url: str) -> None:
        self._challenges.pop(_without_query(url), None)

    def _fetch_challenge(self, url: str) -> dict[str, str] | None:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, method="GET"), timeout=self.endpoint.timeout):
                return None
        except urllib.error.HTTPError as err:
            www = err.headers.get("WWW-Authenticate", "") if err.code == 401 else ""
            scheme, _, rest = www.partition(" ")
            if scheme.lower() != "digest":
                return None
            return urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))


def _query_type(text: str) -> str:
    """SELECT, ASK, CONSTRUCT, ... as SPARQLWrapper reads it (comments and prologue skipped)."""
    probe = SPARQLWrapper("http://localhost/")
    probe.setQuery(text)
    return str(probe.queryType)


def _without_query(url: str) -> str:
    return url.split("?", 1)[0]


# --- helpers ---------------------------------------------------------------------------
def has_dataset_clause(sparql: str) -> bool:
    """Does the query name its own dataset (FROM / FROM NAMED)?"""
    return bool(FROM_CLAUSE.search(LEXICAL_NOISE.sub(" ", sparql)))


def mask(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked, same length (positions still match)."""
    return LEXICAL_NOISE.sub(lambda m: " " * len(m.group(0)), sparql)


def text_order(sparql: str) -> str:
    """Wrap each plain-variable key of the outermost ORDER BY so strings and IRIs sort by
    their text on every engine (see the module docstring); everything else is unchanged."""
    masked = mask(sparql)
    span = outer_order_by(masked)
    if span is None:
        return sparql
    _, start, end = span
    aliases = {m.group(1) for m in PROJECTION_ALIAS.finditer(masked)}
    clause, out, depth, last = masked[start:end], [], 0, 0
    pos = 0
    while pos < len(clause):
        ch = clause[pos]
        if depth == 0:
            key = ORDER_KEY.match(clause, pos)
            if (key and key.group("var")[1:] not in aliases
                    and (pos == 0 or not (clause[pos - 1].isalnum() or clause[pos - 1] == "_"))):
                var, direction = key.group("var"), key.group("dir")
                way = direction.split("(")[0].strip().upper() if direction else ""
                text = f"{way}(IF(isNumeric({var}), {var}, 0)) {way}(STR({var}))"
                out.append(sparql[start + last:start + pos])
                out.append(text)
                pos = last = key.end()
                continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        pos += 1
    out.append(sparql[start + last:end])
    return sparql[:start] + "".join(out) + sparql[end:]


def outer_order_by(masked: str) -> tuple[int, int, int] | None:
    """In a query masked by ``mask``: (start of the outermost ORDER BY, start of its keys,
    end of its keys), or None."""
    found = [m for m in ORDER_BY.finditer(masked) if masked.count("{", 0, m.start()) == masked.count("}", 0, m.start())]
    if not found:
        return None
    end_match = AFTER_ORDER_BY.search(masked, found[-1].end())
    return found[-1].start(), found[-1].end(), end_match.start() if end_match else len(masked)


def split_order_by(sparql: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """The query without its outermost ORDER BY, and that clause's keys as (variable,
    descending); None unless every key is a plain variable and no LIMIT/OFFSET follows."""
    masked = mask(sparql)
    span = outer_order_by(masked)
    if span is None:
        return None
    start, keys_start, end = span
    if end != len(sparql):
        return None  # LIMIT / OFFSET / VALUES after the order: the engine must order
    clause = masked[keys_start:end]
    keys = [(m.group("var")[1:], bool(m.group("dir")) and m.group("dir").strip().upper().startswith("DESC"))
            for m in ORDER_KEY.finditer(clause)]
    if ORDER_KEY.sub("", clause).strip():
        return None  # an expression among the keys
    return sparql[:start], keys


def sort_result(result: Result, keys: list[tuple[str, bool]]) -> Result:
    """Rows ordered as SPARQL orders them by plain-variable keys: unbound first, then blank
    nodes, IRIs and literals; numbers by value, other literals by their text."""
    def order(term: Term | None) -> tuple[int, Decimal, str]:
        if term is None:
            return (0, Decimal(0), "")
        if term.type != "literal":
            return (1 if term.type == "bnode" else 2, Decimal(0), term.value)
        if term.datatype in NUMERIC_TYPES:
            try:
                return (3, Decimal(term.value), "")
            except ArithmeticError:
                pass
        return (4, Decimal(0), term.value)

    rows = list(result.rows)
    for name, descending in reversed(keys):  # stable sorts, last key first
        i = result.columns.index(name)
        rows.sort(key=lambda row, i=i: order(row[i]), reverse=descending)
    return Result(result.columns, rows)


def json_to_term(binding: dict[str, str]) -> Term:
    """One SPARQL JSON binding -> Term, normalised across engines."""
    kind = binding["type"]
    value = binding["value"]
    if kind == "uri":
        return Term("uri", value)
    if kind == "bnode":
        return Term("bnode", value)
    lang = binding.get("xml:lang")
    if lang:
        return Term("literal", value, RDF_LANG_STRING, lang.lower())
    return Term("literal", value, binding.get("datatype") or XSD_STRING)  # "literal" or Virtuoso's "typed-literal"


def json_to_result(data: dict[str, Any]) -> Result:
    columns = list(data["head"]["vars"])
    rows = [[json_to_term(b[c]) if c in b else None for c in columns] for b in data["results"]["bindings"]]
    return Result(columns, rows)


def _to_oxigraph(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if term.type == "uri":
        return ox.NamedNode(term.value)
    if term.type == "bnode":
        # Engines label blank nodes their own way (Virtuoso: "nodeID://b10006"): a stable
        # N-Triples-safe label per response.
        return ox.BlankNode("b" + hashlib.sha1(term.value.encode()).hexdigest()[:20])
    if term.lang:
        return ox.Literal(term.value, language=term.lang)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype or XSD_STRING))


def _inserts(graph: str, triples: list[ox.Triple]) -> list[str]:
    """Updates adding ``triples`` to ``graph``: INSERT DATA in batches of INSERT_BATCH, and the
    triples with blank nodes together in one INSERT ... WHERE {} (Virtuoso refuses blank
    nodes in INSERT DATA; one request keeps each label one node)."""
    ground = [t for t in triples if not (isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))]
    with_bnodes = [t for t in triples if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)]
    updates = [f"INSERT DATA {{ GRAPH <{graph}> {{\n{_body(ground[i:i + INSERT_BATCH])}\n}} }}"
               for i in range(0, len(ground), INSERT_BATCH)]
    if with_bnodes:
        updates.append(f"INSERT {{ GRAPH <{graph}> {{\n{_body(with_bnodes)}\n}} }} WHERE {{}}")
    return updates


def _body(triples: list[ox.Triple]) -> str:
    # Terms are written by pyoxigraph (N-Triples escaping): data never changes the update's structure.
    return "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)


# A UTF-16 surrogate pair written as two \u escapes (invalid in Turtle, which wants one \U escape).
SURROGATE_PAIR_ESCAPE = re.compile(rb"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)


def _fix_surrogate_escapes(body: bytes) -> bytes:
    def join(m: re.Match[bytes]) -> bytes:
        high, low = int(m.group(1), 16), int(m.group(2), 16)
        return b"\\U%08X" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))

    return SURROGATE_PAIR_ESCAPE.sub(join, body)


def _detail(body: bytes | str | None) -> str:
    """The first meaningful text of an error body, one line, bounded."""
    if not body:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
        text = HTML_TAG.sub(" ", text)
    text = " ".join(line.strip() for line in text.splitlines() if line.strip())
    return text[:DETAIL_CHARS] + ("..." if len(text) > DETAIL_CHARS else "")


# Virtuoso 7 refusing to sort or group a text value of more than about 4 KB.
SORT_LIMIT_ERROR = re.compile(r"\bSR(?:319|478)\b")
# Numeric literal datatypes: ordered by value when sorting here.
NUMERIC_TYPES = frozenset(f"http://www.w3.org/2001/XMLSchema#{t}" for t in (
    "integer", "decimal", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte"))

# Engine errors whose message does not say what the user can do, and what it means.
ENGINE_ERROR_HINTS = {
    # Virtuoso 7: a text value of more than about 4 KB in a sorted or grouped result (a long
    # GROUP_CONCAT list, e.g. `issuers` over hundreds of organizations).
    SORT_LIMIT_ERROR: "Virtuoso cannot sort or group a text value longer than about 4 KB: "
                      "narrow the query with a parameter, or run it on another engine",
}

SPARQLWRAPPER_STATUS = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404, "URITooLong": 414,
                        "EndPointInternalError": 500}


def _sparqlwrapper_status(err: SPARQLWrapperException) -> int:
    return SPARQLWRAPPER_STATUS.get(type(err).__name__, 500)


def _sparqlwrapper_body(err: SPARQLWrapperException) -> bytes:
    """SPARQLWrapper keeps the response only inside its message, as a bytes repr after 'Response:'."""
    _, _, tail = str(err).partition("\n\nResponse:\n")
    try:
        value = ast.literal_eval(tail) if tail else b""
    except (ValueError, SyntaxError):
        return tail.encode()
    return value if isinstance(value, bytes) else str(value).encode()


def _network_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server running, on this host and port?)"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s (set {TIMEOUT_ENV} to wait longer)"
    return f"cannot connect ({reason})"
