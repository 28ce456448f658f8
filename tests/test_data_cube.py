"""What the store publishes, checked as a Linked Data user would check it (issue 15).

On a full export of the corpus (every file in examples/: the three 山西 disclosures as text and
PDF, the six 上海 nine-table PDFs):

1. the RDF Data Cube integrity constraints of the W3C recommendation
   (https://www.w3.org/TR/vocab-data-cube/#wf-rules), IC-1 … IC-14, as SPARQL over the export
   after the recommendation's normalisation algorithm (type closure, then the components attached
   to the data set pushed down to its observations);
2. pySHACL with the shipped shapes over the Turtle union, and the TriG export holds the same triples;
3. without inference, a query in ORG / QB / PROV / ELI / SKOS / DCTERMS terms only finds the
   organizations, observations with their amounts, citations between documents and labels;
4. the DCAT / VoID description in every export: sources, counts, rights, ingest dates.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

import pyoxigraph as ox
import pytest

from budgetkg import api
from budgetkg.ontology import iris
from tests.conftest import EXAMPLES, shared

QB_PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX void: <http://rdfs.org/ns/void#>
"""

# The normalisation algorithm of the recommendation (section 10.2): phase 1, type and property
# closure; phase 2, push down attachment levels (data set, slice) to the observations.
NORMALISATION = [
    "INSERT { ?o rdf:type qb:Observation } WHERE { [] qb:observation ?o }",
    "INSERT { ?o rdf:type qb:Observation } WHERE { ?o qb:dataSet [] }",
    "INSERT { ?s rdf:type qb:Slice } WHERE { [] qb:slice ?s }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:DimensionProperty } WHERE { ?cs qb:dimension ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:MeasureProperty } WHERE { ?cs qb:measure ?p }",
    "INSERT { ?cs qb:componentProperty ?p . ?p rdf:type qb:AttributeProperty } WHERE { ?cs qb:attribute ?p }",
    """INSERT { ?obs ?comp ?value } WHERE {
         ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:DataSet .
         ?dataset qb:structure [ qb:component ?spec ] ; ?comp ?value .
         ?obs qb:dataSet ?dataset }""",
    """INSERT { ?obs ?comp ?value } WHERE {
         ?spec qb:componentProperty ?comp ; qb:componentAttachment qb:Slice .
         ?dataset qb:structure [ qb:component ?spec ] ; qb:slice ?slice .
         ?slice ?comp ?value ; qb:observation ?obs }""",
    """INSERT { ?obs ?comp ?value } WHERE {
         ?comp a qb:DimensionProperty .
         ?dataset qb:structure [ qb:component [ qb:componentProperty ?comp ] ] ; qb:slice ?slice .
         ?slice ?comp ?value ; qb:observation ?obs }""",
]

# IC-1 … IC-14 of the recommendation as ASK queries: true means the constraint is violated.
# IC-12 (no duplicate observations) is checked in Python below: the recommendation's ASK compares
# every pair of observations of a data set, quadratic in the size of a table.
INTEGRITY_CONSTRAINTS = {
    "IC-1 unique data set": """ASK {
        { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?dataset1 } }
        UNION { ?obs a qb:Observation ; qb:dataSet ?dataset1 , ?dataset2 . FILTER (?dataset1 != ?dataset2) } }""",
    "IC-2 unique DSD": """ASK {
        { ?dataset a qb:DataSet . FILTER NOT EXISTS { ?dataset qb:structure ?dsd } }
        UNION { ?dataset a qb:DataSet ; qb:structure ?dsd1 , ?dsd2 . FILTER (?dsd1 != ?dsd2) } }""",
    "IC-3 DSD includes measure": """ASK { ?dsd a qb:DataStructureDefinition .
        FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty [ a qb:MeasureProperty ] ] } }""",
    "IC-4 dimensions have range": """ASK { ?dim a qb:DimensionProperty .
        FILTER NOT EXISTS { ?dim rdfs:range [] } }""",
    "IC-5 concept dimensions have code lists": """ASK { ?dim a qb:DimensionProperty ; rdfs:range skos:Concept .
        FILTER NOT EXISTS { ?dim qb:codeList [] } }""",
    "IC-6 only attributes may be optional": """ASK { ?dsd qb:component ?componentSpec .
        ?componentSpec qb:componentRequired "false"^^xsd:boolean ; qb:componentProperty ?component .
        FILTER NOT EXISTS { ?component a qb:AttributeProperty } }""",
    "IC-7 slice keys must be declared": """ASK { ?sliceKey a qb:SliceKey .
        FILTER NOT EXISTS { [ a qb:DataStructureDefinition ] qb:sliceKey ?sliceKey } }""",
    "IC-8 slice keys consistent with DSD": """ASK { ?slicekey a qb:SliceKey ; qb:componentProperty ?prop .
        ?dsd qb:sliceKey ?slicekey . FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty ?prop ] } }""",
    "IC-9 unique slice structure": """ASK {
        { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
        UNION { ?slice a qb:Slice ; qb:sliceStructure ?key1 , ?key2 . FILTER (?key1 != ?key2) } }""",
    "IC-10 slice dimensions complete": """ASK { ?slice qb:sliceStructure [ qb:componentProperty ?dim ] .
        FILTER NOT EXISTS { ?slice ?dim [] } }""",
    "IC-11 all dimensions required": """ASK {
        ?obs qb:dataSet / qb:structure / qb:component / qb:componentProperty ?dim .
        ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?obs ?dim [] } }""",
    "IC-13 required attributes": """ASK { ?obs qb:dataSet / qb:structure / qb:component ?component .
        ?component qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attr .
        FILTER NOT EXISTS { ?obs ?attr [] } }""",
    "IC-14 all measures present": """ASK { ?obs qb:dataSet / qb:structure ?dsd .
        FILTER NOT EXISTS { ?dsd qb:component / qb:componentProperty qb:measureType }
        ?dsd qb:component / qb:componentProperty ?measure . ?measure a qb:MeasureProperty .
        FILTER NOT EXISTS { ?obs ?measure [] } }""",
}

# The IC-4/IC-5 shape of a broken structure: a dimension with no range, a coded one without
# a code list, an optional dimension, an observation missing a dimension and one in two data sets.
BROKEN_CUBE = """
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
ex:dsd a qb:DataStructureDefinition ;
    qb:component [ qb:dimension ex:a ] , [ qb:dimension ex:b ; qb:componentRequired false ] , [ qb:measure ex:m ] .
ex:b rdfs:range skos:Concept .
ex:ds a qb:DataSet ; qb:structure ex:dsd .
ex:ds2 a qb:DataSet ; qb:structure ex:dsd .
ex:o1 qb:dataSet ex:ds , ex:ds2 ; ex:a ex:x ; ex:m 1 .
"""
BROKEN_CUBE_VIOLATES = {"IC-1 unique data set", "IC-4 dimensions have range", "IC-5 concept dimensions have code lists",
                        "IC-6 only attributes may be optional", "IC-11 all dimensions required"}

STANDARD_TERMS_ONLY = QB_PREFIXES + """
SELECT ?org ?org_label ?disclosure ?title ?file ?observation ?amount ?subject_label WHERE {
  ?org a org:Organization ; skos:prefLabel ?org_label .
  ?disclosure dcterms:publisher ?org ; dcterms:title ?title ; prov:wasDerivedFrom ?file .
  ?dataset a qb:DataSet ; dcterms:isPartOf ?disclosure ; qb:structure / qb:component / qb:measure ?measure .
  ?observation a qb:Observation ; qb:dataSet ?dataset ; ?measure ?amount .
  OPTIONAL { ?observation ?dimension ?subject . ?subject skos:inScheme ?scheme ; skos:prefLabel ?subject_label .
             ?dataset qb:structure / qb:component / qb:dimension ?dimension . ?scheme a skos:ConceptScheme .
             FILTER(LANG(?subject_label) = "zh") }
}
"""
CITATIONS_STANDARD_TERMS = QB_PREFIXES + """
SELECT ?citing ?cited ?number ?label WHERE {
  ?citing dcterms:references ?cited ; dcterms:publisher [ a org:Organization ] .
  ?cited a eli:LegalResource ; rdfs:label ?label . OPTIONAL { ?cited eli:id_local ?number }
}
"""
JINZHONG_ORG = "https://w3id.org/budgetkg/id/org/晋中开发区经济运行与安全监管部"


@pytest.fixture(scope="module")
def corpus(request, tmp_path_factory) -> dict[str, object]:
    """The whole of examples/ ingested; its Turtle and TriG exports (bytes)."""

    def build() -> tuple[str, bytes, bytes]:
        path = tmp_path_factory.mktemp("corpus")
        report = api.ingest([str(EXAMPLES)], str(path), jobs=2)
        assert report.ok, report.failed
        return str(path), api.export("turtle", store_path=str(path)), api.export("trig", store_path=str(path))

    path, turtle, trig = shared(request, "corpus-export", build)
    return {"path": path, "turtle": turtle, "trig": trig}


@pytest.fixture(scope="module")
def normalised(corpus) -> ox.Store:
    store = ox.Store()
    store.load(corpus["turtle"], format=ox.RdfFormat.TURTLE)
    for update in NORMALISATION:
        store.update(QB_PREFIXES + update)
    return store


def ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(QB_PREFIXES + query))


def duplicate_observations(store: ox.Store) -> list[tuple[str, tuple[str, ...]]]:
    """IC-12: observations of one data set with the same value for every dimension."""
    values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    data_set: dict[str, str] = {}
    for s in store.query(QB_PREFIXES + """SELECT ?obs ?ds ?dim ?v WHERE {
            ?obs qb:dataSet ?ds . ?ds qb:structure / qb:component / qb:componentProperty ?dim .
            ?dim a qb:DimensionProperty . ?obs ?dim ?v }"""):
        obs = s["obs"].value
        data_set[obs] = s["ds"].value
        values[obs][s["dim"].value].add(str(s["v"]))
    keys = Counter((data_set[obs], tuple(sorted((d, tuple(sorted(v))) for d, v in dims.items())))
                   for obs, dims in values.items())
    return [key for key, n in keys.items() if n > 1]


def test_the_corpus_is_a_data_cube(normalised):
    observations = next(iter(normalised.query(QB_PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?o a qb:Observation }")))
    assert int(observations["n"].value) > 2000
    violated = [name for name, query in INTEGRITY_CONSTRAINTS.items() if ask(normalised, query)]
    assert violated == []
    assert duplicate_observations(normalised) == []


def test_the_integrity_constraints_catch_a_broken_cube():
    store = ox.Store()
    store.load(BROKEN_CUBE.encode(), format=ox.RdfFormat.TURTLE)
    for update in NORMALISATION:
        store.update(QB_PREFIXES + update)
    violated = {name for name, query in INTEGRITY_CONSTRAINTS.items() if ask(store, query)}
    assert violated == BROKEN_CUBE_VIOLATES
    store.load(b"<https://example.org/o2> <http://purl.org/linked-data/cube#dataSet> <https://example.org/ds> ;"
               b" <https://example.org/a> <https://example.org/x> .", format=ox.RdfFormat.TURTLE)
    store.update(QB_PREFIXES + NORMALISATION[1])
    assert duplicate_observations(store) != []


def test_the_export_conforms_to_the_shapes(corpus):
    from pyshacl import validate
    from rdflib import Graph

    from budgetkg.validation import shapes_and_ontology

    shapes, ontology = shapes_and_ontology()
    data = Graph().parse(data=corpus["turtle"], format="turtle")
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                 allow_warnings=False)
    assert conforms, text[:3000]
    # the TriG export holds the same triples, graph by graph (blank nodes, the ontology's lists and
    # component specifications, get new labels in each parse: compared by count)
    def triples(data: bytes, fmt: ox.RdfFormat) -> tuple[set[tuple], int]:
        store = ox.Store()
        store.load(data, format=fmt)
        named = {(q.subject, q.predicate, q.object) for q in store
                 if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}
        blank = {(q.subject, q.predicate, q.object) for q in store} - named
        return named, len(blank)

    assert triples(corpus["trig"], ox.RdfFormat.TRIG) == triples(corpus["turtle"], ox.RdfFormat.TURTLE)
    union = ox.Store()
    union.load(corpus["trig"], format=ox.RdfFormat.TRIG)
    graphs = {g.value for g in union.named_graphs()}
    assert {str(iris.CATALOG_GRAPH), str(iris.ONTOLOGY_GRAPH)} <= graphs and len(graphs) >= 12 + 2


def test_standard_terms_find_organizations_observations_citations_and_labels(corpus):
    store = ox.Store()  # the export only: no ontology reasoning, no bk: term in the queries
    store.load(corpus["turtle"], format=ox.RdfFormat.TURTLE)
    rows = [{k: s[k].value if s[k] is not None else None for k in
             ("org", "org_label", "title", "file", "observation", "amount", "subject_label")}
            for s in store.query(STANDARD_TERMS_ONLY)]
    organizations = {r["org_label"] for r in rows}
    assert {"山西转型综合改革示范区晋中开发区经济运行与安全监管部", "上海市普陀区司法局"} <= organizations
    jinzhong = [r for r in rows if r["org"] == JINZHONG_ORG]
    # its text and its PDF: one disclosure derived from two files
    assert len({r["file"] for r in jinzhong}) == 2
    assert {r["title"] for r in jinzhong} == {"山西转型综合改革示范区晋中开发区经济运行与安全监管部2024年度部门预算公开"}
    assert Decimal("76121700") in {Decimal(r["amount"]) for r in jinzhong}  # 表1 收入总计
    assert "工业和信息产业" in {r["subject_label"] for r in jinzhong}
    citations = [{k: s[k].value if s[k] is not None else None for k in ("citing", "cited", "number", "label")}
                 for s in store.query(CITATIONS_STANDARD_TERMS)]
    cited_by_jinzhong = {r["number"] for r in citations if "晋中开发区经济运行与安全监管部" in r["citing"]}
    assert "市政办发〔2018〕7号" in cited_by_jinzhong
    assert all(r["label"] for r in citations)
    # relations between the policy documents a disclosure reproduces (forwards, based on, repeals, cites)
    assert store.query(QB_PREFIXES + """ASK { ?a eli:cites|eli:based_on|eli:repeals ?b .
        ?a a eli:LegalResource ; rdfs:label [] . ?b a eli:LegalResource ; rdfs:label [] }""")


def test_every_looked_at_instance_has_a_label(corpus):
    store = ox.Store()
    store.load(corpus["turtle"], format=ox.RdfFormat.TURTLE)
    unlabelled = Counter(s["class"].value for s in store.query(QB_PREFIXES + """
        SELECT ?s ?class WHERE { ?s a ?class .
          FILTER(STRSTARTS(STR(?s), "https://w3id.org/budgetkg/id/"))
          FILTER NOT EXISTS { ?s rdfs:label|skos:prefLabel|dcterms:title [] } }"""))
    # Derived nodes that are links between two labelled things (bk:ProjectLink, bk:IdentityCandidate)
    # and the typo candidates the policies deriver describes are all that may lack a label.
    assert set(unlabelled) <= {"https://w3id.org/budgetkg/ontology#ProjectLink",
                               "https://w3id.org/budgetkg/ontology#IdentityCandidate",
                               "https://w3id.org/budgetkg/ontology#NumberedDocument"}, unlabelled


def test_every_export_describes_the_dataset(corpus):
    store = ox.Store()
    store.load(corpus["turtle"], format=ox.RdfFormat.TURTLE)
    d = f"<{iris.DATASET_DESCRIPTION}>"
    (row,) = list(store.query(QB_PREFIXES + f"""SELECT ?triples ?modified ?rights WHERE {{
        {d} a dcat:Dataset , void:Dataset ; void:triples ?triples ; dcterms:modified ?modified ;
            dcterms:rights ?rights . ?rights rdfs:label ?label }} LIMIT 1"""))
    assert int(row["triples"].value) > 100000
    sources = {s["name"].value: s["time"].value for s in store.query(QB_PREFIXES + f"""
        SELECT ?name ?time WHERE {{ {d} void:subset ?g ; dcterms:source ?f . ?g dcterms:source ?f ;
            prov:generatedAtTime ?time . ?f <https://w3id.org/budgetkg/ontology#sourceFile> ?name }}""")}
    assert len(sources) == 12 and "putuo-sfj-2026-unit.pdf" in sources
    assert all(t <= row["modified"].value for t in sources.values())
    partitions = {s["class"].value: int(s["n"].value) for s in store.query(QB_PREFIXES + f"""
        SELECT ?class ?n WHERE {{ {d} void:classPartition [ void:class ?class ; void:entities ?n ] }}""")}
    # 3 山西 disclosures (text + PDF each count once) and 6 上海 ones
    assert partitions["https://w3id.org/budgetkg/ontology#Disclosure"] == 9
    assert partitions["http://purl.org/linked-data/cube#Observation"] > 2000
    # one document's export describes that document only
    one = ox.Store()
    one.load(api.export("turtle", "putuo-sfj-2026-unit.pdf", store_path=corpus["path"]), format=ox.RdfFormat.TURTLE)
    names = {s["name"].value for s in one.query(QB_PREFIXES + f"""SELECT ?name WHERE {{ {d} dcterms:source ?f .
        ?f <https://w3id.org/budgetkg/ontology#sourceFile> ?name }}""")}
    assert names == {"putuo-sfj-2026-unit.pdf"}


def test_reingesting_keeps_the_ingest_dates(tmp_path):
    path = str(tmp_path / "kg")
    text = str(EXAMPLES / "administrative-approval-bureau-2025.txt")
    api.ingest([text], path)
    before = api.export("nquads", store_path=path)
    api.ingest([text], path)
    assert api.export("nquads", store_path=path) == before
