"""Issue 12 in the graph: a sheet's deliverables (编制《…》 -> bk:produces a bk:Deliverable, not a
citation) and the session (届) of a cited meeting (bk:meetingSession).

Tested on records built here (ingest.disclosure.sheet_to_citations, ingest.mapping) and on the
real pipeline: the jinzhong sample with a deliverable and a meeting written into a sheet field.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SH, XSD

from budgetkg import api
from budgetkg.ingest.disclosure import sheet_to_citations
from budgetkg.ingest.mapping import GraphBuilder, disclosure_iri, policy_to_triples, reference_key, sheet_to_triples
from budgetkg.ingest.model import Provenance
from budgetkg.ingest.records import ProjectSheet, TextField
from budgetkg.ingest.references import find_references
from budgetkg.ontology import ONTOLOGY_TTL, SHAPES_TTL, iris
from budgetkg.ontology import terms as T
from tests.conftest import EXAMPLES

JINZHONG = "jinzhong-economic-operation-2024"
DELIVERABLE = "XX突发事件应急预案"
PLAN = f"1、编制《{DELIVERABLE}》；2、按照《XX资金管理办法》拨付资金。"
D_IRI = iris.disclosure("测试局", 2025, "部门预算")
S_IRI = iris.sheet(D_IRI, 0)


def sheet_with(text: str, name: str = "项目实施计划", line: int = 40) -> ProjectSheet:
    sheet = ProjectSheet(index=0, name="应急管理项目", prov=Provenance("test.txt", line=30))
    sheet.fields.append(TextField(name, text, Provenance("test.txt", line=line)))
    return sheet


# --- records: ingest.disclosure.sheet_to_citations ---------------------------------------------

def test_a_deliverable_is_kept_apart_from_the_citations() -> None:
    citations, deliverables = sheet_to_citations(sheet_with(PLAN))
    assert [(c.reference.title, c.field) for c in citations] == [("XX资金管理办法", "项目实施计划")]
    assert [(d.reference.title, d.reference.surface, d.field, d.prov.line) for d in deliverables] == [
        (DELIVERABLE, f"《{DELIVERABLE}》", "项目实施计划", 40)]
    assert all(d.reference.produces for d in deliverables)
    assert not any(c.reference.produces for c in citations)


@pytest.mark.parametrize("verb", ["编制", "制定", "修订", "起草"])
def test_each_writing_verb_gives_a_deliverable(verb: str) -> None:
    citations, deliverables = sheet_to_citations(sheet_with(f"{verb}《XX管理办法》"))
    assert citations == []
    assert [d.reference.title for d in deliverables] == ["XX管理办法"]


def test_a_sheet_without_deliverables_has_none() -> None:
    citations, deliverables = sheet_to_citations(sheet_with("根据《XX资金管理办法》执行"))
    assert len(citations) == 1 and deliverables == []
    assert ProjectSheet(index=0, name="x", prov=Provenance("t")).deliverables == []


# --- mapping ---------------------------------------------------------------------------------------

def mapped(sheet: ProjectSheet) -> Graph:
    sheet.citations, sheet.deliverables = sheet_to_citations(sheet)
    b = GraphBuilder()
    sheet_to_triples(b, sheet, S_IRI, D_IRI, None)
    return b.graph


def test_deliverable_in_the_graph_and_no_citation_of_it() -> None:
    g = mapped(sheet_with(PLAN))
    (x_iri,) = g.objects(S_IRI, T.produces)
    assert x_iri == iris.deliverable(S_IRI, 0)
    assert (x_iri, RDF.type, T.Deliverable) in g
    assert g.value(x_iri, DCTERMS.title) == Literal(DELIVERABLE, lang="zh")
    assert g.value(x_iri, T.surface) == Literal(f"《{DELIVERABLE}》")
    assert g.value(x_iri, T.citationField) == Literal("项目实施计划")
    assert g.value(x_iri, T.inDisclosure) == D_IRI
    assert g.value(x_iri, T.sourceLine) == Literal(40, datatype=XSD.integer)
    # cited: the 管理办法 only; nothing states the 应急预案 as a policy document
    cited = [g.value(c, DCTERMS.title) for c in g.subjects(T.citedIn, S_IRI)]
    assert cited == [Literal("XX资金管理办法", lang="zh")]
    assert not list(g.subjects(T.cites, iris.policy(f"titled_document:{DELIVERABLE}")))
    assert (iris.policy(f"titled_document:{DELIVERABLE}"), None, None) not in g


def test_deliverables_are_numbered_per_sheet_in_order() -> None:
    g = mapped(sheet_with("编制《甲预案》，修订《乙办法》"))
    titles = {str(g.value(x, DCTERMS.title)): x for x in g.objects(S_IRI, T.produces)}
    assert titles == {"甲预案": iris.deliverable(S_IRI, 0), "乙办法": iris.deliverable(S_IRI, 1)}


# --- meeting session -----------------------------------------------------------------------------

def meeting(text: str):
    (ref,) = find_references(text)
    return ref


def test_meeting_session_in_the_graph() -> None:
    ref = meeting("市政府九届12次常务会议")
    assert (ref.meeting_body, ref.meeting_session, ref.meeting_number) == ("市政府", 9, 12)
    b = GraphBuilder()
    p_iri = policy_to_triples(b, ref)
    g = b.graph
    assert g.value(p_iri, T.meetingSession) == Literal(9, datatype=XSD.integer)
    assert g.value(p_iri, T.meetingNumber) == Literal(12, datatype=XSD.integer)
    assert g.value(p_iri, T.meetingBody) == Literal("市政府")


def test_meeting_without_a_session_states_none_and_keeps_its_key() -> None:
    ref = meeting("党工委2024年第3次会议")
    assert ref.meeting_session is None
    b = GraphBuilder()
    p_iri = policy_to_triples(b, ref)
    assert not list(b.graph.objects(p_iri, T.meetingSession))
    assert reference_key(ref) == "meeting:党工委/2024/3/"  # as before sessions were read


def test_two_sessions_are_two_meetings() -> None:
    assert reference_key(meeting("市政府九届12次常务会议")) != reference_key(meeting("市政府十届12次常务会议"))
    assert reference_key(meeting("市政府九届12次常务会议")) == "meeting:市政府//12//9届"


def test_a_session_the_body_names_is_not_repeated_in_the_key() -> None:
    ref = meeting("太原市第十五届人民代表大会第五次会议")
    assert (ref.meeting_body, ref.meeting_session) == ("太原市第十五届人民代表大会", 15)
    assert reference_key(ref) == "meeting:太原市第十五届人民代表大会//5/"


# --- the real pipeline -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def planned_copy(tmp_path_factory) -> Path:
    """jinzhong's text with a deliverable in a sheet's 项目实施计划 (line 515) and a meeting with
    its session in that sheet's 立项依据 (line 512)."""
    lines = (EXAMPLES / f"{JINZHONG}.txt").read_text(encoding="utf-8").split("\n")
    assert lines[511].startswith("立项依据\t") and lines[514].startswith("项目实施计划\t")
    lines[511] = lines[511].replace("综示晋开管函【2023】21号", "综示晋开管函【2023】21号、市政府九届12次常务会议纪要")
    lines[514] = lines[514].replace("1、建立开发区招商服务平台；", f"1、建立开发区招商服务平台，编制《{DELIVERABLE}》；")
    path = tmp_path_factory.mktemp("deliverables") / f"{JINZHONG}-planned.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def planned(planned_copy: Path):
    return api.parse_file(str(planned_copy))


def test_pipeline_deliverable_on_the_sheet(planned) -> None:
    g = planned.graph
    (sheet,) = [s for s in planned.disclosure.sheets if s.deliverables]
    assert [(d.reference.title, d.field, d.prov.line) for d in sheet.deliverables] == [
        (DELIVERABLE, "项目实施计划", 515)]
    s_iri = iris.sheet(disclosure_iri(planned.disclosure), sheet.index)
    (x_iri,) = g.objects(s_iri, T.produces)
    assert g.value(x_iri, DCTERMS.title) == Literal(DELIVERABLE, lang="zh")
    assert g.value(x_iri, T.sourceLine) == Literal(515, datatype=XSD.integer)
    assert not any(DELIVERABLE in str(o) for c in g.subjects(RDF.type, T.Citation) for o in g.objects(c, None))


def test_pipeline_meeting_session(planned) -> None:
    g = planned.graph
    sessions = {(str(g.value(p, T.meetingBody)), s.toPython()) for p, s in g.subject_objects(T.meetingSession)}
    assert sessions == {("市政府", 9)}


def test_pipeline_graph_conforms_to_the_shapes(planned) -> None:
    conforms, _, text = validate(planned.graph, shacl_graph=Graph().parse(SHAPES_TTL),
                                 ont_graph=Graph().parse(ONTOLOGY_TTL), inference="none", allow_warnings=False)
    assert conforms, text


def test_a_deliverable_without_its_sheet_or_with_a_citation_does_not_conform(planned) -> None:
    g = Graph()
    for triple in planned.graph:
        g.add(triple)
    (s_iri, x_iri) = next(iter(g.subject_objects(T.produces)))
    g.remove((s_iri, T.produces, x_iri))
    g.add((x_iri, T.cites, URIRef(iris.policy("晋综示发〔2020〕49号"))))
    conforms, results, _ = validate(g, shacl_graph=Graph().parse(SHAPES_TTL), ont_graph=Graph().parse(ONTOLOGY_TTL),
                                    inference="none", allow_warnings=False)
    assert not conforms
    focus = {results.value(r, SH.focusNode) for r in results.subjects(RDF.type, SH.ValidationResult)}
    paths = {results.value(r, SH.resultPath) for r in results.subjects(RDF.type, SH.ValidationResult)}
    assert focus == {x_iri} and T.cites in paths and len(paths) == 2  # bk:cites and ^bk:produces
