"""The remote backend against a real Oxigraph server (started here, on loopback, stopped after):
ingest, every named query, documents, export, delete, the no-Graph-Store fallback, and
one clear line for every way an endpoint can fail."""
from __future__ import annotations

import http.server
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from budgetkg import api
from budgetkg.graph_store.base import QueryRejected, StoreError
from budgetkg.graph_store.embedded import EmbeddedStore
from budgetkg.graph_store.remote import (
    INSERT_BATCH,
    STAGING_GRAPH,
    Endpoint,
    RemoteStore,
    _fix_surrogate_escapes,
    has_dataset_clause,
    json_to_term,
    text_order,
)
from budgetkg.graph_store.results import Term
from budgetkg.ontology import iris
from tests.conftest import EXAMPLES, SAMPLES
from tests.engines import free_port, oxigraph_server
from tests.remote_support import (
    CLI,
    assert_linked_parity,
    assert_same_export,
    comparable,
    exported_document,
    linked_stores,
    named_query_cases,
    text_param_cases,
    undated,
)

pytestmark = pytest.mark.engines  # starts the Oxigraph server (make test-engines)

TEXTS = [str(EXAMPLES / f"{n}.txt") for n in SAMPLES]


@pytest.fixture(scope="module")
def engine():
    with oxigraph_server() as running:
        report = api.ingest(TEXTS, endpoint=running.endpoint)
        assert report.ok, report.failed
        yield running


@pytest.mark.parametrize(("name", "params"), named_query_cases(), ids=[c[0] for c in named_query_cases()])
def test_every_named_query_returns_the_embedded_rows(engine, text_store, name, params):
    remote = api.query(name, params, endpoint=engine.endpoint)
    local = api.query(name, params, text_store)
    assert remote.columns == local.columns
    assert comparable(remote) == comparable(local)


@pytest.fixture(scope="module")
def linked_engine(tmp_path_factory):
    """(Oxigraph server, embedded store) both holding tests.remote_support.linked_corpus()."""
    with linked_stores(tmp_path_factory, oxigraph_server) as pair:
        yield pair


@pytest.mark.parametrize(("name", "params"), text_param_cases())
def test_title_fragments_and_doc_number_variants_return_the_embedded_rows(linked_engine, name, params):
    """The CJK parameters travel intact (UTF-8 in the form-encoded request, pyoxigraph-escaped literals)."""
    assert_linked_parity(linked_engine, name, params)


def test_a_server_without_union_default_graph_gets_a_protocol_dataset(text_store):
    """A plain Oxigraph server's default graph is empty: budgetkg then names its graphs in
    each request, and the named queries that read the default graph still match."""
    with oxigraph_server(union_default_graph=False) as plain:
        assert api.ingest(TEXTS, endpoint=plain.endpoint).ok
        store = RemoteStore(plain.endpoint)
        assert sorted(store._read_dataset() or []) == sorted(EmbeddedStore(text_store, read_only=True).graph_names())
        for name, params in named_query_cases():
            assert comparable(api.query(name, params, endpoint=plain.endpoint)) == \
                comparable(api.query(name, params, text_store)), name


def test_documents_match_the_embedded_store(engine, text_store):
    assert api.documents(endpoint=engine.endpoint) == api.documents(text_store)


def test_export_matches_the_embedded_store(engine, text_store):
    assert_same_export(api.export("nquads", endpoint=engine.endpoint), api.export("nquads", store_path=text_store))
    one = Graph().parse(data=api.export("turtle", "jinzhong-economic-operation-2024.txt", endpoint=engine.endpoint),
                        format="turtle")
    assert isomorphic(undated(one), undated(Graph().parse(data=api.export(
        "turtle", "jinzhong-economic-operation-2024.txt", store_path=text_store), format="turtle")))


def test_reingest_is_idempotent_and_delete_removes_one_graph(engine):
    before = api.documents(endpoint=engine.endpoint)
    assert api.ingest(TEXTS[:1], endpoint=engine.endpoint).ok
    assert api.documents(endpoint=engine.endpoint) == before
    extra = Path(TEXTS[0]).read_bytes()
    with_copy = Path(engine.directory).parent / "copy-of-a-sample.txt"
    with_copy.write_bytes(extra)
    assert api.ingest([str(with_copy)], endpoint=engine.endpoint).ok
    assert "copy-of-a-sample.txt" in [d.document_id for d in api.documents(endpoint=engine.endpoint)]
    assert api.delete_document("copy-of-a-sample.txt", endpoint=engine.endpoint)
    assert not api.delete_document("copy-of-a-sample.txt", endpoint=engine.endpoint)
    assert "copy-of-a-sample.txt" not in [d.document_id for d in api.documents(endpoint=engine.endpoint)]


def test_without_graph_store_a_large_graph_goes_through_a_staging_graph(engine, parsed):
    """No GSP: more than INSERT_BATCH triples are written in batches to a staging graph and
    MOVEd over the target; the result equals what the embedded store holds."""
    endpoint = Endpoint(query=engine.endpoint.query, update=engine.endpoint.update)
    store = RemoteStore(endpoint)
    sample = parsed[SAMPLES[0]]
    triples = list(sample.triples)
    assert len(triples) > 2 * INSERT_BATCH
    target = iris.graph("fallback-test.txt")
    assert store.replace_graph(target, triples) == len(set(triples))
    exported = exported_document(api.export("nquads", "fallback-test.txt", endpoint=endpoint), "fallback-test.txt")
    assert len(exported) == len(set(triples))
    leftovers = store.select(f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
                             f'FILTER(STRSTARTS(STR(?g), "{STAGING_GRAPH}")) }}').rows
    assert leftovers == []
    store.drop_graph(target)


def test_a_refused_write_leaves_the_graph_as_it_was(engine, text_store, tmp_path):
    with oxigraph_server(Path(text_store), writable=False) as read_only:
        store = RemoteStore(read_only.endpoint)
        before = api.documents(endpoint=read_only.endpoint)
        with pytest.raises(StoreError, match=r"write forbidden \(HTTP 403\)"):
            store.replace_graph(iris.graph(before[0].document_id), [])
        assert api.documents(endpoint=read_only.endpoint) == before


def test_a_bad_query_is_a_query_error(engine):
    with pytest.raises(QueryRejected, match=r"rejected the request \(HTTP 400\)"):
        RemoteStore(engine.endpoint).select("SELECT ?x WHERE { ?x }")
    with pytest.raises(QueryRejected, match="only SELECT"):
        RemoteStore(engine.endpoint).select("ASK { ?s ?p ?o }")


# --- one clear line for each way an endpoint fails ----------------------------------------
class Answer(http.server.BaseHTTPRequestHandler):
    status = 503

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(self.status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"overloaded, try later\n")

    do_GET = do_POST  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server_503():
    server = http.server.HTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_listener():
    """Accepts connections and never answers: a hung endpoint."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
    sock.close()


def cli_documents(url: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([*CLI, "documents", "--endpoint", url], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def test_unreachable_endpoint(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    done = cli_documents(url)
    assert done.returncode == 2
    assert done.stderr == (f"budgetkg: {url}: query failed: connection refused "
                           f"(is the server running, on this host and port?)\n")


def test_server_error(http_server_503):
    done = cli_documents(http_server_503)
    assert done.stderr == f"budgetkg: {http_server_503}: query failed: server error (HTTP 503): overloaded, try later\n"


def test_timeout(silent_listener):
    done = cli_documents(silent_listener, {"BUDGETKG_ENDPOINT_TIMEOUT": "1"})
    assert done.stderr == (f"budgetkg: {silent_listener}: query failed: no answer within 1 s "
                           f"(set BUDGETKG_ENDPOINT_TIMEOUT to wait longer)\n")


def test_not_an_endpoint(engine):
    url = engine.base_url + "/nothing-here"
    assert cli_documents(url).stderr.startswith(f"budgetkg: {url}: no such endpoint (HTTP 404)")


def test_store_and_endpoint_together_is_an_error(engine, tmp_path):
    done = subprocess.run([*CLI, "documents", "--store", str(tmp_path), "--endpoint", engine.endpoint.query],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr == "budgetkg: give --store or --endpoint, not both\n"


def test_endpoint_from_environment_and_credentials_never_printed(engine):
    env = {"BUDGETKG_ENDPOINT": engine.endpoint.query, "BUDGETKG_ENDPOINT_USER": "someone",
           "BUDGETKG_ENDPOINT_PASSWORD": "s3cret-value"}
    done = subprocess.run([*CLI, "query", "organizations", "--format", "csv"], capture_output=True, text=True,
                          timeout=60, env={**__import__("os").environ, **env})
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 4
    assert "s3cret" not in repr(Endpoint.from_env(environ=env))


# --- pure functions of the backend --------------------------------------------------------
@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", True),
    ("select * from named <urn:g> { graph ?g { ?s ?p ?o } }", True),
    ('SELECT ?from WHERE { ?s <urn:from> "FROM <x>" } # FROM <y>', False),
    ("SELECT * WHERE { ?s ex:from ?o }", False),
])
def test_dataset_clause_detection(query, expected):
    assert has_dataset_clause(query) is expected


def test_text_order_wraps_outer_plain_keys_only():
    query = ('SELECT ?a (COUNT(?b) AS ?n) WHERE { { SELECT ?x WHERE { ?x ?p "ORDER BY ?q" } ORDER BY ?x } } '
             "GROUP BY ?a ORDER BY ?a DESC(?n) (?a + 1) LIMIT 3")
    assert text_order(query) == (
        'SELECT ?a (COUNT(?b) AS ?n) WHERE { { SELECT ?x WHERE { ?x ?p "ORDER BY ?q" } ORDER BY ?x } } '
        "GROUP BY ?a ORDER BY (IF(isNumeric(?a), ?a, 0)) (STR(?a)) DESC(?n) (?a + 1) LIMIT 3")


@pytest.mark.parametrize(("binding", "term"), [
    ({"type": "typed-literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "5"},
     Term("literal", "5", "http://www.w3.org/2001/XMLSchema#integer")),
    ({"type": "literal", "value": "x"}, Term("literal", "x", "http://www.w3.org/2001/XMLSchema#string")),
    ({"type": "literal", "xml:lang": "zh-Hans", "value": "水"},
     Term("literal", "水", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", "zh-hans")),
    ({"type": "uri", "value": "urn:a"}, Term("uri", "urn:a")),
])
def test_json_terms_are_normalised(binding, term):
    assert json_to_term(binding) == term


def test_surrogate_pair_escapes_become_one_code_point():
    assert _fix_surrogate_escapes(rb'"\uD840\uDC00 \u6C34"') == rb'"\U00020000 \u6C34"'
