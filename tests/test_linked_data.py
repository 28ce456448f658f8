"""One disclosure, one IRI: the text and the PDF of one disclosure ingested together give the
store one disclosure, each named query's rows once and the counts of a single-source ingest,
each fact keeping the provenance of both files (issue 15).

Real files (examples/jinzhong-economic-operation-2024.txt and .pdf), real stores on disk.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from budgetkg import api
from budgetkg.ontology import iris
from tests.conftest import EXAMPLES

SAMPLE = "jinzhong-economic-operation-2024"
TEXT, PDF = f"{SAMPLE}.txt", f"{SAMPLE}.pdf"
PREFIXES = """
PREFIX bk: <https://w3id.org/budgetkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
# A title-only document or meeting is keyed by a hash of its normalised key, never its raw title.
HASHED_POLICY = re.compile(rf"/policy/[a-z_]+/[0-9a-f]{{{iris.KEY_HASH_DIGITS}}}$")


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[str, str]:
    """'text': the text alone; 'both': the text and the PDF of one disclosure."""
    made = {}
    for name, files in (("text", [TEXT]), ("both", [TEXT, PDF])):
        path = tmp_path_factory.mktemp(name)
        report = api.ingest([str(EXAMPLES / f) for f in files], str(path))
        assert report.ok, report.failed
        made[name] = str(path)
    return made


def select(store: str, sparql: str) -> list[dict[str, str]]:
    return api.query(PREFIXES + sparql, store_path=store).dicts()


def test_text_and_pdf_are_one_disclosure(stores):
    rows = select(stores["both"], "SELECT DISTINCT ?d WHERE { GRAPH ?g { ?d a bk:Disclosure } }")
    assert len(rows) == 1
    (d,) = (r["d"] for r in rows)
    assert d == "https://w3id.org/budgetkg/id/disclosure/晋中开发区经济运行与安全监管部/2024/部门预算"
    # one named graph per file, both stating that disclosure
    graphs = select(stores["both"], f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{d}> a bk:Disclosure }} }}")
    assert sorted(r["g"] for r in graphs) == sorted(str(iris.graph(f)) for f in (PDF, TEXT))
    # derived from two source files, each a bk:SourceFile keyed by its content
    files = select(stores["both"], f"""SELECT DISTINCT ?f ?name ?sha WHERE {{ GRAPH ?g {{
        <{d}> prov:wasDerivedFrom ?f . ?f a bk:SourceFile , prov:Entity ; bk:sourceFile ?name ; bk:sha256 ?sha }} }}""")
    assert sorted(r["name"] for r in files) == [PDF, TEXT]
    assert all(r["f"] == str(iris.source_file(r["sha"])) for r in files)


def test_each_value_keeps_both_provenances(stores):
    # 表3 合计 of the disclosure: read from line N of the text and page M of the PDF
    rows = select(stores["both"], """SELECT ?r (COUNT(DISTINCT ?line) AS ?lines) (COUNT(DISTINCT ?page) AS ?pages)
        (COUNT(DISTINCT ?file) AS ?files) WHERE { GRAPH ?g {
          ?t bk:tableNumber 3 . ?r bk:inTable ?t ; bk:printedLabel "合计" ; prov:wasDerivedFrom ?file .
          OPTIONAL { ?r bk:sourceLine ?line } OPTIONAL { ?r bk:sourcePage ?page } } } GROUP BY ?r""")
    assert [(r["lines"], r["pages"], r["files"]) for r in rows] == [("1", "1", "2")]
    # no row, line, sheet or citation is minted from a file name (only the named graphs are)
    leaked = select(stores["both"], f"""SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
        FILTER(STRSTARTS(STR(?s), "{iris.ID}") && (CONTAINS(STR(?s), "{SAMPLE}") || CONTAINS(STR(?s), "/source/"))) }}""")
    assert leaked[0]["n"] == "0"


def named_query_params(store: str) -> dict[str, dict[str, str]]:
    """Parameters for the named queries that need one, taken from what the store holds."""
    cited = api.query("citations", store_path=store).dicts()
    number = next(r["doc_number"] for r in cited if r["doc_number"])
    code = api.query("subjects", store_path=store).dicts()[0]["code"]
    return {"projects-citing": {"policy": number}, "policy-graph": {"policy": number},
            "subject-across": {"code": code}}


def test_each_named_query_gives_its_rows_once(stores):
    params = named_query_params(stores["text"])
    checked = 0
    for name in api.load_named_queries():
        text = api.query(name, params.get(name, {}), store_path=stores["text"]).dicts()
        both = api.query(name, params.get(name, {}), store_path=stores["both"]).dicts()
        keys = [tuple(sorted(r.items())) for r in both]
        assert [k for k, n in Counter(keys).items() if n > 1] == [], name
        assert len(both) == len(text), name
        checked += bool(text)
    assert checked >= 10  # most queries have rows on this sample: the comparison is not vacuous


def test_policies_counts_equal_a_single_source_ingest(stores):
    text = api.query("policies", store_path=stores["text"]).dicts()
    both = api.query("policies", store_path=stores["both"]).dicts()
    assert text and both == text
    assert sum(int(r["citing_projects"] or 0) for r in both) > 0


def test_iri_patterns_are_short_and_keyed_by_identity(stores):
    policies = [r["p"] for r in select(stores["both"], """SELECT DISTINCT ?p WHERE { GRAPH ?g {
        ?p a ?c . FILTER(STRSTARTS(STR(?p), "https://w3id.org/budgetkg/id/policy/")) } }""")]
    numbered = [p for p in policies if p.endswith("号") and "/candidate/" not in p]
    assert "https://w3id.org/budgetkg/id/policy/市政办发〔2018〕7号" in numbered
    others = [p for p in policies if p not in numbered and "/candidate/" not in p]
    assert others and all(HASHED_POLICY.search(p) for p in others), others
    assert not any("%" in p for p in policies)
    assert iris.policy("meeting:党工委/2025/4/") == iris.policy("meeting:党工委/2025/4/")
    assert HASHED_POLICY.search(str(iris.policy("meeting:党工委/2025/4/")))



# Nodes with two readings of one of the three literals the shapes leave without sh:maxCount
# (WRAP_SPACE, ontology/shapes.ttl): how many, and those whose readings differ in more than spaces.
READINGS = PREFIXES + """
SELECT (COUNT(DISTINCT ?s) AS ?twice) (SUM(IF(?other, 1, 0)) AS ?conflicts) WHERE {
  { SELECT DISTINCT ?s ?a ?b WHERE { GRAPH ?g1 { ?s ?p ?a } GRAPH ?g2 { ?s ?p ?b }
      VALUES ?p { bk:text bk:indicatorName bk:printedLabel } FILTER(STR(?a) < STR(?b)) } }
  BIND(REPLACE(STR(?a), "\\\\s", "") != REPLACE(STR(?b), "\\\\s", "") AS ?other)
}
"""


def test_two_readings_of_one_text_differ_only_in_spaces(stores, tmp_path):
    """WRAP_SPACE in the union: the text extraction's reading of a sheet field keeps a space where
    the cell wrapped, the PDF's does not. Both are kept; they never differ in more than spaces."""
    (row,) = select(stores["both"], READINGS)
    assert int(row["twice"]) > 0 and int(row["conflicts"]) == 0
    # a second reading with another character is caught
    import pyoxigraph as ox

    path = str(tmp_path / "kg")
    assert api.ingest([str(EXAMPLES / TEXT)], path).ok
    store = ox.Store(path)
    field, text = next((q.subject, q.object.value) for q in store.quads_for_pattern(
        None, ox.NamedNode("https://w3id.org/budgetkg/ontology#text"), None) if len(q.object.value) > 6)
    store.add(ox.Quad(field, ox.NamedNode("https://w3id.org/budgetkg/ontology#text"), ox.Literal(text[:3] + "某"),
                      ox.NamedNode(str(iris.graph(PDF)))))
    store.flush()
    del store
    (row,) = select(path, READINGS)
    assert int(row["conflicts"]) == 1
