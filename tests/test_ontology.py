"""The ontology (ontology/budgetkg.ttl) and the SHACL shapes (ontology/shapes.ttl).

1. every bk: constant of ontology.terms is defined in the ontology;
2. every bk: term of the ontology has zh and en labels and a definition;
3. both files parse, the shapes are well-formed and speak only of defined terms;
4. the graph of every sample in examples/ conforms to the shapes, and agrees with
   the ontology's domains and ranges;
5. the shapes do fail: broken budget lines, citations and disclosures are reported.
"""
from __future__ import annotations

import functools
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef, namespace
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, QB, RDF, RDFS, SH, SKOS

from budgetkg.ontology import ONTOLOGY_TTL, SHAPES_TTL, iris
from budgetkg.ontology import terms as T

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "examples").glob("*.txt"))
BK = str(T.BK)
ELI = T.ELI
SDMX_MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
# rdflib's XSD namespace warns on unknown attributes, which pytest probes while collecting.
XSD = namespace.Namespace(str(namespace.XSD))

# rdf:type values that make a bk: IRI "defined".
DEFINING_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                  RDF.Property, SKOS.ConceptScheme, QB.DataStructureDefinition}
CLASS_OR_PROPERTY = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme}


@functools.cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_TTL, format="turtle")


@functools.cache
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


@functools.cache
def sample_graph(path: Path) -> Graph:
    from budgetkg.api import parse_file  # ingest is only needed from here on

    return parse_file(str(path)).graph


def is_bk(term: object) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(BK)


def defined_terms() -> set[URIRef]:
    g = ontology()
    return {s for t in DEFINING_TYPES for s in g.subjects(RDF.type, t) if is_bk(s)}


def conformance(data: Graph) -> tuple[bool, Graph, str]:
    conforms, results, text = validate(
        data, shacl_graph=shapes(), ont_graph=ontology(), inference="none", allow_warnings=False,
    )
    return conforms, results, text


# --- 1. terms.py <-> ontology ----------------------------------------------------------

def term_constants() -> dict[str, URIRef]:
    return {name: value for name, value in vars(T).items() if is_bk(value)}


def test_terms_module_has_constants() -> None:
    found = term_constants()
    assert len(found) > 100
    assert found["Disclosure"] == T.Disclosure


def test_every_term_constant_is_defined_in_the_ontology() -> None:
    defined = defined_terms()
    missing = sorted(f"{name} = {value}" for name, value in term_constants().items() if value not in defined)
    assert not missing, "terms.py constants the ontology does not define:\n" + "\n".join(missing)


def test_kind_classes_are_policy_document_subclasses() -> None:
    g = ontology()
    for kind, cls in T.KIND_CLASSES.items():
        assert (cls, RDFS.subClassOf, T.PolicyDocument) in g, kind


def test_every_bk_iri_mentioned_in_the_ontology_is_defined() -> None:
    """A typo in a domain, range or superclass would otherwise go unnoticed."""
    g = ontology()
    defined = defined_terms()
    mentioned = {t for triple in g for t in triple if is_bk(t)}
    assert not sorted(mentioned - defined)


# --- 2. labels and definitions ------------------------------------------------------------

def bk_classes_and_properties() -> list[URIRef]:
    g = ontology()
    return sorted({s for t in CLASS_OR_PROPERTY for s in g.subjects(RDF.type, t) if is_bk(s)})


@pytest.mark.parametrize("term", bk_classes_and_properties(), ids=lambda t: str(t).removeprefix(BK))
def test_term_has_zh_and_en_labels_and_a_definition(term: URIRef) -> None:
    g = ontology()
    labels = {lit.language for lit in g.objects(term, RDFS.label) if isinstance(lit, Literal)}
    assert {"zh", "en"} <= labels, f"{term}: rdfs:label languages {labels}"
    definitions = [lit for p in (SKOS.definition, RDFS.comment) for lit in g.objects(term, p)
                   if isinstance(lit, Literal) and lit.language == "en" and len(lit) > 10]
    assert definitions, f"{term}: no English skos:definition"


def test_each_term_has_one_kind() -> None:
    g = ontology()
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    for term in bk_classes_and_properties():
        declared = [k for k in kinds if (term, RDF.type, k) in g]
        if (term, RDF.type, SKOS.ConceptScheme) in g:
            assert not declared, term
        else:
            assert len(declared) == 1, f"{term}: {declared}"


def test_properties_have_consistent_ranges() -> None:
    g = ontology()
    for prop in g.subjects(RDF.type, OWL.DatatypeProperty):
        for rng in g.objects(prop, RDFS.range):
            assert str(rng).startswith(str(XSD)), f"{prop}: datatype property with range {rng}"
    for prop in g.subjects(RDF.type, OWL.ObjectProperty):
        for rng in g.objects(prop, RDFS.range):
            assert isinstance(rng, BNode) or (rng, RDF.type, OWL.Class) in g, f"{prop}: range {rng}"


ALIGNMENTS = [
    (T.Organization, RDFS.subClassOf, ORG.Organization),
    (T.OrganizationalUnit, RDFS.subClassOf, ORG.OrganizationalUnit),
    (T.hasInternalUnit, RDFS.subPropertyOf, ORG.hasUnit),
    (T.SubjectCode, RDFS.subClassOf, SKOS.Concept),
    (T.Measure, RDFS.subClassOf, SKOS.Concept),
    (T.FundingSource, RDFS.subClassOf, SKOS.Concept),
    (T.FunctionalClassification, RDF.type, SKOS.ConceptScheme),
    (T.MeasureScheme, RDF.type, SKOS.ConceptScheme),
    (T.BudgetLine, RDFS.subClassOf, QB.Observation),
    (T.amountYuan, RDFS.subPropertyOf, URIRef(SDMX_MEASURE + "obsValue")),
    (T.PolicyDocument, RDFS.subClassOf, ELI.LegalResource),
    (T.cites, RDFS.subPropertyOf, ELI.cites),
    (T.Disclosure, RDFS.subClassOf, PROV.Entity),
    (T.Disclosure, RDFS.subClassOf, DCTERMS.BibliographicResource),
    (T.inDisclosure, RDFS.subPropertyOf, PROV.wasDerivedFrom),
    (T.Citation, RDFS.subClassOf, PROV.Entity),
    (T.BK.forwards, RDFS.subPropertyOf, ELI.cites),
]


@pytest.mark.parametrize("triple", ALIGNMENTS, ids=lambda t: f"{t[0].n3(ontology().namespace_manager)}")
def test_alignment(triple: tuple[URIRef, URIRef, URIRef]) -> None:
    assert triple in ontology()


def test_ontology_header() -> None:
    g = ontology()
    (header,) = g.subjects(RDF.type, OWL.Ontology)
    assert {lit.language for lit in g.objects(header, DCTERMS.title)} >= {"en", "zh"}
    assert g.value(header, OWL.versionInfo) is not None
    assert g.value(header, DCTERMS.description) is not None
    imported = set(g.objects(header, OWL.imports))
    assert URIRef("http://data.europa.eu/eli/ontology") in imported
    assert URIRef("http://www.w3.org/ns/org#") in imported


# --- 3. parsing and well-formed shapes -------------------------------------------------

def test_ontology_and_shapes_parse() -> None:
    assert len(ontology()) > 500
    assert len(shapes()) > 100
    assert set(shapes().subjects(RDF.type, SH.NodeShape))


def test_shapes_speak_only_of_defined_terms() -> None:
    defined = defined_terms()
    used = {o for o in shapes().objects(None, SH.targetClass)} | {o for o in shapes().objects(None, SH["class"])}
    used |= {o for o in shapes().objects(None, SH.path) if isinstance(o, URIRef)}
    used |= {o for o in shapes().objects(None, SH.inversePath)}
    assert not sorted(t for t in used if is_bk(t) and t not in defined)


def test_every_instantiated_class_has_a_shape() -> None:
    targets = set(shapes().objects(None, SH.targetClass))
    expected = {T.Disclosure, T.Organization, T.OrganizationalUnit, T.FiscalYear, T.BudgetTable, T.TableRow,
                T.BudgetLine, T.SubjectCode, T.Measure, T.Project, T.PerformanceSheet, T.TextField,
                T.SheetFunding, T.Indicator, T.Figure, T.Citation, T.PolicyDocument}
    assert expected <= targets, expected - targets


def test_shapes_are_valid_shacl() -> None:
    conforms, _, text = validate(minimal_graph(), shacl_graph=shapes(), ont_graph=ontology(), meta_shacl=True)
    assert conforms, text


# --- 4. the samples ------------------------------------------------------------------------

@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_graph_conforms_to_shapes(path: Path) -> None:
    conforms, _, text = conformance(sample_graph(path))
    if not conforms:
        pytest.fail(f"{path.name} does not conform to the shapes:\n{text}", pytrace=False)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_graph_uses_only_defined_terms(path: Path) -> None:
    g = sample_graph(path)
    defined = defined_terms()
    used = {p for p in g.predicates() if is_bk(p)} | {o for o in g.objects(None, RDF.type) if is_bk(o)}
    used |= {o for o in g.objects(None, SKOS.inScheme) if is_bk(o)}
    assert not sorted(used - defined)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sample_graph_agrees_with_domains_and_ranges(path: Path) -> None:
    """RDFS inference over the sample would add no type a node does not already have
    (so a domain or range in the ontology never contradicts the mapping)."""
    ont, g = ontology(), sample_graph(path)
    superclasses: dict[URIRef, set[URIRef]] = {}

    def closure(cls: URIRef) -> set[URIRef]:
        if cls not in superclasses:
            found, todo = {cls}, [cls]
            while todo:
                for sup in ont.objects(todo.pop(), RDFS.subClassOf):
                    if isinstance(sup, URIRef) and sup not in found:
                        found.add(sup)
                        todo.append(sup)
            superclasses[cls] = found
        return superclasses[cls]

    def types(node: object) -> set[URIRef]:
        return {sup for t in g.objects(node, RDF.type) for sup in closure(t)}

    problems = []
    for prop in {p for p in g.predicates() if is_bk(p)}:
        domains = [d for d in ont.objects(prop, RDFS.domain) if isinstance(d, URIRef)]
        ranges = [r for r in ont.objects(prop, RDFS.range) if isinstance(r, URIRef)]
        for s, o in g.subject_objects(prop):
            problems += [f"{s} {prop}: not a {d}" for d in domains if d not in types(s)]
            for r in ranges:
                if isinstance(o, Literal):
                    datatype = o.datatype or (RDF.langString if o.language else XSD.string)
                    if datatype != r:
                        problems.append(f"{s} {prop} {o!r}: not {r}")
                elif r not in types(o):
                    problems.append(f"{s} {prop} {o}: not a {r}")
    assert not problems, "\n".join(sorted(problems)[:20])


# --- 5. the shapes fail ----------------------------------------------------------------------

DISCLOSURE = iris.disclosure("测试局", 2025, "部门预算")
SOURCE_FILE = iris.source_file("0" * 64)
TABLE = iris.table(DISCLOSURE, 3)
ROW = iris.row(DISCLOSURE, 3, 0)
LINE = iris.budget_line(ROW, "total")
CITATION = iris.citation(DISCLOSURE, None, 0)
POLICY = iris.policy("晋综示发〔2020〕49号")


def integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def minimal_graph() -> Graph:
    """The smallest graph of the shape ingest produces: one table row with one line, one citation."""
    g = Graph()
    org, year, measure, code = iris.organization("测试局"), iris.fiscal_year(2025), iris.measure("total"), \
        iris.subject_code("20101")
    g.add((org, RDF.type, T.Organization))
    g.add((org, RDF.type, ORG.Organization))
    g.add((org, RDFS.label, Literal("测试局", lang="zh")))
    g.add((org, T.organizationKey, Literal("测试局")))
    g.add((year, RDF.type, T.FiscalYear))
    g.add((year, T.yearNumber, integer(2025)))
    g.add((year, RDFS.label, Literal("2025年度", lang="zh")))
    phase, total, none = iris.budget_phase("预算"), iris.special_code("_T"), iris.special_code("_Z")
    for concept in (phase, total, none):
        g.add((concept, RDF.type, SKOS.Concept))
    for p, o in [(RDF.type, T.SourceFile), (T.sha256, Literal("0" * 64)), (T.sourceFile, Literal("test.txt")),
                 (RDFS.label, Literal("test.txt"))]:
        g.add((SOURCE_FILE, p, o))
    for p, o in [(RDF.type, T.Disclosure), (T.publishedBy, org), (T.fiscalYear, year),
                 (T.disclosureKind, Literal("部门预算")), (T.organizationKind, Literal("部门")),
                 (T.organizationName, Literal("测试局")),
                 (T.sourceFile, Literal("test.txt")), (T.sha256, Literal("0" * 64)),
                 (DCTERMS.title, Literal("测试局2025年度部门预算公开", lang="zh")),
                 (RDFS.label, Literal("测试局2025年度部门预算公开", lang="zh")), (PROV.wasDerivedFrom, SOURCE_FILE)]:
        g.add((DISCLOSURE, p, o))
    for p, o in [(RDF.type, T.BudgetTable), (T.tableNumber, integer(3)), (T.noData, Literal(False)),
                 (T.printedUnit, Literal("万元")), (T.inDisclosure, DISCLOSURE), (RDFS.label, Literal("表3", lang="zh")),
                 (RDF.type, QB.DataSet), (QB.structure, T.BudgetLineStructure), (T.dimOrganization, org),
                 (T.dimFiscalYear, year), (T.dimBudgetPhase, phase), (T.SDMX_ATTRIBUTE.unitMeasure, T.YUAN)]:
        g.add((TABLE, p, o))
    for p, o in [(RDF.type, T.TableRow), (T.inTable, TABLE), (T.rowIndex, integer(0)), (T.isTotal, Literal(False)),
                 (T.printedLabel, Literal("一般公共服务")), (T.subject, code), (T.inDisclosure, DISCLOSURE),
                 (T.sourceLine, integer(12)), (RDFS.label, Literal("一般公共服务", lang="zh"))]:
        g.add((ROW, p, o))
    for p, o in [(RDF.type, T.SubjectCode), (SKOS.notation, Literal("20101")), (T.codeLevel, Literal("款")),
                 (SKOS.inScheme, T.FunctionalClassification), (SKOS.broader, iris.subject_code("201"))]:
        g.add((code, p, o))
    for p, o in [(RDF.type, T.Measure), (SKOS.notation, Literal("total")), (SKOS.inScheme, T.MeasureScheme)]:
        g.add((measure, p, o))
    for p, o in [(RDF.type, T.BudgetLine), (T.ofRow, ROW), (T.measure, measure), (T.printedColumn, Literal("合计")),
                 (T.amountYuan, Literal("41007600", datatype=XSD.decimal)), (T.printedAmount, Literal("4,100.76")),
                 (T.printedUnit, Literal("万元")), (RDF.type, QB.Observation), (QB.dataSet, TABLE),
                 (T.dimSubject, code), (T.dimEconomicItem, none), (T.dimFundingSource, total),
                 (RDFS.label, Literal("一般公共服务 · 合计", lang="zh"))]:
        g.add((LINE, p, o))
    surface = "晋综示发〔2020〕49号"
    for p, o in [(RDF.type, T.Citation), (T.citedIn, DISCLOSURE), (T.citationKind, Literal("numbered_document")),
                 (T.surface, Literal(surface)), (T.citationIndex, integer(1)), (T.charStart, integer(2)),
                 (T.charEnd, integer(2 + len(surface))),
                 (T.cites, POLICY), (T.docNumber, Literal("晋综示发〔2020〕49号")), (T.inDisclosure, DISCLOSURE),
                 (RDFS.label, Literal(surface, lang="zh"))]:
        g.add((CITATION, p, o))
    for p, o in [(RDF.type, T.NumberedDocument), (T.docNumber, Literal("晋综示发〔2020〕49号")),
                 (T.issuerCode, Literal("晋综示发")), (T.docYear, integer(2020)), (T.serialNumber, integer(49))]:
        g.add((POLICY, p, o))
    return g


def violations(g: Graph) -> set[tuple[URIRef, URIRef | None]]:
    """(focus node, path) of every validation result."""
    conforms, results, _ = conformance(g)
    found = {(results.value(r, SH.focusNode), results.value(r, SH.resultPath))
             for r in results.subjects(RDF.type, SH.ValidationResult)}
    assert conforms == (not found)
    return found


def test_minimal_graph_conforms() -> None:
    conforms, _, text = conformance(minimal_graph())
    assert conforms, text


def test_float_amount_and_missing_measure_do_not_conform() -> None:
    g = minimal_graph()
    g.set((LINE, T.amountYuan, Literal(41007600.0)))  # xsd:double
    g.remove((LINE, T.measure, None))
    found = violations(g)
    assert (LINE, T.amountYuan) in found
    assert (LINE, T.measure) in found


def swap(node: URIRef, prop: URIRef, value: object):
    def change(g: Graph) -> None:
        g.remove((node, prop, None))
        if value is not None:
            g.add((node, prop, value))
    return change


BROKEN = {
    "amount as string": (swap(LINE, T.amountYuan, Literal("41007600")), LINE, T.amountYuan),
    "amount missing": (swap(LINE, T.amountYuan, None), LINE, T.amountYuan),
    "two amounts": (lambda g: g.add((LINE, T.amountYuan, Literal("1", datatype=XSD.decimal))), LINE, T.amountYuan),
    "line without row": (swap(LINE, T.ofRow, None), LINE, T.ofRow),
    "measure not a Measure": (swap(LINE, T.measure, ROW), LINE, T.measure),
    "table 0 (slots start at 1)": (swap(TABLE, T.tableNumber, integer(0)), TABLE, T.tableNumber),
    "organization kind": (swap(DISCLOSURE, T.organizationKind, Literal("机关")), DISCLOSURE, T.organizationKind),
    "two publishers": (lambda g: g.add((DISCLOSURE, T.publishedBy, iris.organization("别的局"))), DISCLOSURE,
                       T.publishedBy),
    "bad sha256": (swap(DISCLOSURE, T.sha256, Literal("abc")), DISCLOSURE, T.sha256),
    "citation kind": (swap(CITATION, T.citationKind, Literal("memo")), CITATION, T.citationKind),
    "citation offsets as strings": (swap(CITATION, T.charStart, Literal("2")), CITATION, T.charStart),
    "citation span length": (swap(CITATION, T.charEnd, integer(99)), CITATION, None),
    "citation cites nothing": (swap(CITATION, T.cites, None), CITATION, T.cites),
    "doc number not canonical": (swap(POLICY, T.docNumber, Literal("晋综示发[2020]49号")), POLICY, T.docNumber),
    "doc number zero padded": (swap(POLICY, T.docNumber, Literal("晋综示发〔2020〕049号")), POLICY, T.docNumber),
    "subject level": (swap(iris.subject_code("20101"), T.codeLevel, Literal("项")), iris.subject_code("20101"), None),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_graph_does_not_conform(case: str) -> None:
    change, focus, path = BROKEN[case]
    g = minimal_graph()
    change(g)
    assert (focus, path) in violations(g)
