"""The remote backend against a real Virtuoso 7 (Debian's virtuoso-opensource-7-bin), started
here on a temporary database and loopback ports, updates with digest auth, stopped after.

ci/install-system-packages.sh installs Virtuoso; without it these tests are skipped.
"""
from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from budgetkg import api
from budgetkg.graph_store.base import StoreError
from budgetkg.graph_store.embedded import EmbeddedStore
from budgetkg.graph_store.remote import INSERT_BATCH, Endpoint, RemoteStore
from budgetkg.ontology import ONTOLOGY_TTL, iris
from budgetkg.ontology import terms as T
from tests.conftest import EXAMPLES, SAMPLES
from tests.engines import VIRTUOSO_CRASHES, virtuoso, virtuoso_available
from tests.remote_support import (
    assert_linked_parity,
    assert_same_export,
    comparable,
    exported_document,
    linked_stores,
    named_query_cases,
    text_param_cases,
)

pytestmark = [pytest.mark.engines,
              pytest.mark.skipif(not virtuoso_available(),
                                 reason="Virtuoso is not installed (ci/install-system-packages.sh installs it)")]

TEXTS = [str(EXAMPLES / f"{n}.txt") for n in SAMPLES]

# Named queries Virtuoso 7.2.5 cannot answer as the embedded store does, and why. Each is
# run and must still fail (strict): a query rewritten to work on Virtuoso must leave this list.
VIRTUOSO_LIMITS: dict[str, str] = {}


def cases() -> list:
    out = []
    for name, params in named_query_cases():
        marks = []
        if name in VIRTUOSO_CRASHES:
            marks.append(pytest.mark.xfail(run=False, reason=VIRTUOSO_CRASHES[name]))
        elif name in VIRTUOSO_LIMITS:
            marks.append(pytest.mark.xfail(strict=True, reason=VIRTUOSO_LIMITS[name]))
        out.append(pytest.param(name, params, marks=marks, id=name))
    return out


@pytest.fixture(scope="module")
def engine():
    with virtuoso() as running:
        report = api.ingest(TEXTS, endpoint=running.endpoint)
        assert report.ok, report.failed
        yield running


@pytest.mark.parametrize(("name", "params"), cases())
def test_every_named_query_returns_the_embedded_rows(engine, text_store, name, params):
    remote = api.query(name, params, endpoint=engine.endpoint)
    local = api.query(name, params, text_store)
    assert remote.columns == local.columns
    assert comparable(remote) == comparable(local)


@pytest.fixture(scope="module")
def linked_engine(tmp_path_factory):
    """(Virtuoso, embedded store) both holding linked_corpus()."""
    with linked_stores(tmp_path_factory, virtuoso) as pair:
        yield pair


@pytest.mark.parametrize(("name", "params"), text_param_cases())
def test_title_fragments_and_doc_number_variants_return_the_embedded_rows(linked_engine, name, params):
    assert_linked_parity(linked_engine, name, params)


@pytest.mark.parametrize("value", ['协议"} UNION { ?x ?y ?z', "协议\\", "𠀀协议", "《网络安全法》\u3000"])
def test_a_parameter_is_one_literal_whatever_its_characters(engine, text_store, value):
    """Quotes, braces, backslashes and characters outside the BMP reach Virtuoso inside one
    pyoxigraph-escaped literal (UTF-8 in the form-encoded request): no parse error, the embedded rows."""
    for name, params in (("policies", {"policy": value}), ("project-history", {"name": value})):
        assert comparable(api.query(name, params, endpoint=engine.endpoint)) == \
            comparable(api.query(name, params, text_store)), name


def test_system_graphs_do_not_leak(engine, text_store):
    store = RemoteStore(engine.endpoint)
    everything = store._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", None)  # no dataset: all graphs
    raw = {row[0].value for row in everything.rows if row[0] is not None}
    assert "http://www.openlinksw.com/schemas/virtrdf#" in raw  # Virtuoso does keep its own graphs
    ours = {g for g in raw if g.startswith(iris.GRAPH)}
    assert set(store.graph_names()) == ours == set(EmbeddedStore(text_store, read_only=True).graph_names())
    assert api.documents(endpoint=engine.endpoint) == api.documents(text_store)
    # Named queries never match them (test_every_named_query...); a hand-written query over
    # any triple sees Virtuoso's whole default graph, as the README says.
    assert store._read_dataset() is None


def test_rows_with_text_past_virtuosos_column_limit_are_sorted_here(engine, text_store):
    # Every text field of a document in one GROUP_CONCAT: far past Virtuoso's 4 KB, which it
    # cannot sort (SR319 / SR478). Plain-variable keys: the rows come unsorted, ordered here.
    query = (f"SELECT ?g (GROUP_CONCAT(?t; separator=' ') AS ?all) (COUNT(?t) AS ?n) "
             f"WHERE {{ GRAPH ?g {{ ?f <{T.text}> ?t }} }} GROUP BY ?g ")
    for order in ("ORDER BY DESC(?n) ?g", "ORDER BY ?g"):
        remote = RemoteStore(engine.endpoint).select(query + order)
        local = EmbeddedStore(text_store, read_only=True).select(query + order)
        assert max(len(row[1].value.encode()) for row in remote.rows) > 4096
        assert [(r[0], r[2]) for r in remote.rows] == [(r[0], r[2]) for r in local.rows]
    # An expression among the keys cannot be sorted here: the error names the limit.
    with pytest.raises(StoreError, match=r"SR(319|478).*longer than about 4 KB"):
        RemoteStore(engine.endpoint).select(f"SELECT * WHERE {{ {{ {query} }} }} ORDER BY STRLEN(?all)")


def test_export_matches_the_embedded_store(engine, text_store):
    assert_same_export(api.export("nquads", endpoint=engine.endpoint), api.export("nquads", store_path=text_store))


def test_unicode_survives_virtuoso_escapes(engine):
    """Virtuoso writes non-ASCII as \\u / \\U escapes in Turtle and as surrogate pairs in JSON."""
    store = RemoteStore(engine.endpoint)
    graph = iris.graph("水利局 𠀀.txt")  # a file name with CJK and a character outside the BMP
    text = "山西转型综合改革示范区 水 𠀀 \"quoted\" \\ back"
    triples = [(URIRef("https://w3id.org/budgetkg/id/x"), URIRef("https://w3id.org/budgetkg/ontology#note"),
                Literal(text, lang="zh-Hans"))]
    store.replace_graph(graph, triples)
    rows = store.select(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
    assert rows[0][0].value == text and rows[0][0].lang == "zh-hans"
    exported = api.export("nquads", "水利局 𠀀.txt", endpoint=engine.endpoint).decode("utf-8")
    assert text.replace("\\", "\\\\").replace('"', '\\"') in exported
    assert "水利局 𠀀.txt" in [d.document_id for d in store.documents()]
    store.drop_graph(graph)


def test_without_graph_store_blank_nodes_and_large_graphs_still_land_whole(engine, parsed):
    endpoint = Endpoint(query=engine.endpoint.query, update=engine.endpoint.update, user=engine.endpoint.user,
                        password=engine.endpoint.password, auth="digest")
    store = RemoteStore(endpoint)
    ontology = Graph().parse(ONTOLOGY_TTL, format="turtle")  # has blank nodes
    target = iris.graph("bnode-test.txt")
    try:
        store.replace_graph(target, ontology)
        back = exported_document(api.export("nquads", "bnode-test.txt", endpoint=endpoint), "bnode-test.txt")
        assert isomorphic(back, ontology)
        large = Graph()
        for triple in parsed[SAMPLES[0]].triples:  # more than INSERT_BATCH: staging graph + MOVE
            large.add(triple)
        store.replace_graph(target, large)
        back = exported_document(api.export("nquads", "bnode-test.txt", endpoint=endpoint), "bnode-test.txt")
        assert len(large) > 2 * INSERT_BATCH and isomorphic(back, large)
    finally:
        store.drop_graph(target)


def test_updates_need_the_digest_credentials(engine):
    anonymous = Endpoint(query=engine.endpoint.query, update=engine.endpoint.update,
                         graph_store=engine.endpoint.graph_store)
    report = api.ingest(TEXTS[:1], endpoint=anonymous)  # a failing write is the file's failure, reported
    assert not report.ok and re.search(r"write needs credentials \(HTTP 401\): set BUDGETKG_ENDPOINT_USER",
                                       report.failed[0][1])
    wrong = Endpoint(query=engine.endpoint.query, update=engine.endpoint.update,
                     graph_store=engine.endpoint.graph_store, user=engine.endpoint.user, password="wrong",
                     auth="digest")
    with pytest.raises(StoreError, match=r"refused: the credentials .* were not accepted \(HTTP 401"):
        api.delete_document(SAMPLES[0] + ".txt", endpoint=wrong)
    plain_sparql = Endpoint(query=engine.endpoint.query)  # /sparql: Virtuoso's anonymous account cannot write
    with pytest.raises(StoreError, match=r"HTTP 40[13]|SECURITY"):
        RemoteStore(plain_sparql).drop_graph(iris.graph(SAMPLES[0] + ".txt"))
    assert len(api.documents(endpoint=engine.endpoint)) == len(SAMPLES)
