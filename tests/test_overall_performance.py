"""The 部门整体绩效目标表 in the graph: its text fields and 年度绩效指标 as on project sheets.

jinzhong 2024 and yangqu 2026 print one (yangqu's 部门名称 row stands above its
部门基本信息 grid); the 行政审批局 2025 prints none. Assertions are on the real
samples, read through SPARQL on stores of the texts and of the PDFs.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH

from budgetkg import api
from budgetkg.ingest.mapping import disclosure_iri
from budgetkg.ingest.parsers.sheets import OVERALL_TEXT_FIELDS
from budgetkg.ontology import ONTOLOGY_TTL, SHAPES_TTL, iris
from budgetkg.ontology import terms as T
from tests.conftest import EXAMPLES

JINZHONG = "jinzhong-economic-operation-2024"
YANGQU = "yangqu-park-service-center-2026"
BUREAU = "administrative-approval-bureau-2025"
WITH_OVERALL = (JINZHONG, YANGQU)

PREFIX = "PREFIX bk: <https://w3id.org/budgetkg/ontology#>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"

# One overall sheet per document graph, its indicators in printed order (the IRI numbers them).
INDICATORS = PREFIX + """
SELECT ?file ?n ?period ?level1 ?level2 ?name ?value ?line ?page WHERE {
  GRAPH ?g {
    ?d a bk:Disclosure ; bk:sourceFile ?file .
    ?o a bk:OverallPerformanceSheet ; bk:inDisclosure ?d ; bk:hasIndicator ?i .
    ?i a bk:Indicator ; bk:inDisclosure ?d ; bk:indicatorPeriod ?period ; bk:indicatorName ?name ;
       bk:indicatorValue ?value .
    OPTIONAL { ?i bk:level1 ?level1 }
    OPTIONAL { ?i bk:level2 ?level2 }
    OPTIONAL { ?i bk:sourceLine ?line }
    OPTIONAL { ?i bk:sourcePage ?page }
    BIND(xsd:integer(STRAFTER(STR(?i), "/indicator/")) AS ?n)
  }
} ORDER BY ?file ?n
"""

FIELDS = PREFIX + """
SELECT ?file ?n ?field ?text ?line ?page WHERE {
  GRAPH ?g {
    ?d a bk:Disclosure ; bk:sourceFile ?file .
    ?o a bk:OverallPerformanceSheet ; bk:inDisclosure ?d ; bk:hasTextField ?x .
    ?x a bk:TextField ; bk:inDisclosure ?d ; bk:fieldName ?field ; bk:text ?text .
    OPTIONAL { ?x bk:sourceLine ?line }
    OPTIONAL { ?x bk:sourcePage ?page }
    BIND(xsd:integer(STRAFTER(STR(?x), "/field/")) AS ?n)
  }
} ORDER BY ?file ?n
"""


def by_file(store: str, query: str) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for row in api.query(query, {}, store).dicts():
        found.setdefault(row["file"].rsplit(".", 1)[0], []).append(row)
    return found


@pytest.fixture(scope="module")
def text_indicators(text_store) -> dict[str, list[dict[str, str]]]:
    return by_file(text_store, INDICATORS)


@pytest.fixture(scope="module")
def text_fields(text_store) -> dict[str, list[dict[str, str]]]:
    return by_file(text_store, FIELDS)


def content(row: dict[str, str], *columns: str) -> tuple[str, ...]:
    return tuple(row[c] for c in columns)


# --- the samples, from their texts -----------------------------------------------------------

def test_only_the_samples_printing_one_have_an_overall_sheet(text_indicators, text_fields) -> None:
    assert sorted(text_indicators) == sorted(WITH_OVERALL)
    assert sorted(text_fields) == sorted(WITH_OVERALL)


def test_jinzhong_indicators(text_indicators) -> None:
    rows = text_indicators[JINZHONG]
    assert len(rows) == 13
    assert [r["n"] for r in rows] == [str(i) for i in range(1, 14)]
    assert {r["period"] for r in rows} == {"annual"}
    assert content(rows[0], "level1", "level2", "name", "value", "line") == (
        "产出指标", "数量指标", "拨付入区协议扶持资金", "2户", "484")
    # A row without a level-1 cell stays under the heading above it.
    assert content(rows[4], "level1", "level2", "name", "value") == ("产出指标", "质量指标", "帮助企业解决问题", "10个问题")
    # 成本指标 is a level-1 heading, as on project sheets.
    assert content(rows[7], "level1", "level2", "name", "value") == ("成本指标", "", "全年经费", "177391700")
    assert content(rows[-1], "level1", "level2", "name", "value", "line") == (
        "满意度指标", "服务对象满意度指标", "满意度", "98%", "496")


def test_yangqu_indicators(text_indicators) -> None:
    rows = text_indicators[YANGQU]
    assert len(rows) == 49
    assert {r["period"] for r in rows} == {"annual"}
    assert content(rows[1], "level1", "level2", "name", "value", "line") == (
        "产出指标", "数量指标", "金融结构升级完成率", "100%", "516")
    levels = [(r["level1"], r["level2"]) for r in rows]
    assert levels.count(("产出指标", "数量指标")) == 17
    assert levels.count(("效益指标", "社会效益")) == 9
    # The last row's name is the level-2 label itself: still an indicator, not a heading.
    assert content(rows[-1], "level1", "level2", "name", "value", "line") == (
        "满意度指标", "服务对象满意度", "服务对象满意度", "≥95%", "564")


def test_jinzhong_text_fields(text_fields) -> None:
    rows = text_fields[JINZHONG]
    assert [(r["field"], r["line"]) for r in rows] == [
        ("部门职责", "470"), ("部门战略目标", "471"), ("年度重点任务", "480"), ("年度绩效目标", "482")]
    assert rows[0]["text"].startswith("负责统筹区内经济运行管理工作;")
    assert rows[0]["text"].endswith("承办管委会交办的其他工作。")
    # The 核心职能 / 重点任务 rows under 年度重点任务, one cell a line; the column headings left out.
    assert rows[2]["text"] == "项目管理、经济运行、统计分析\n推进项目建设提速增效、推动经济运行稳中向好 做好指导统计入库"
    assert rows[3]["text"] == "1.按照年度工作计划,全面完成全年工作;2、全力推动项目建设;3、力保工业平稳运行;4、做好指导统计入库。"


def test_yangqu_text_fields(text_fields) -> None:
    rows = text_fields[YANGQU]
    assert [(r["field"], r["line"]) for r in rows] == [
        ("部门职责", "497"), ("部门绩效目标", "498"), ("年度重点工作", "507"), ("年度绩效目标", "513")]
    assert rows[1]["text"].startswith("聚焦“一区一园两基地”战略部署,")
    assert rows[2]["text"].split("\n") == ["园区职工素质提升", "职工培训", "园区落地", "土地收储", "园区基础设施建设",
                                           "临一路、环寿山片区工程等", "园区运营", "运营问题处置", "园区维稳", "信访维稳"]
    assert rows[3]["text"].startswith("地区生产总值增长6.8%,")


def test_yangqu_name_row_and_grid_are_one_sheet(parsed) -> None:
    """The 部门名称 row above the grid no longer hides the grid: code, figures and indicators together."""
    overall = parsed[YANGQU].disclosure.overall
    assert overall is not None and overall.prov.line == 492
    assert overall.organization_code == "621"
    assert overall.figures["合计"].yuan == Decimal("999755600.00")
    assert overall.figures["基本支出"].printed == "4784.54"
    assert len(overall.indicators) == 49


def test_indicator_values_are_not_funding_figures(parsed) -> None:
    """jinzhong's 成本指标 value 177391700 is an indicator, not a 资金总额(万元) figure."""
    overall = parsed[JINZHONG].disclosure.overall
    assert overall is not None
    assert "全年经费" not in overall.figures
    assert overall.figures["合计"].printed == "6397.54" and overall.figures["项目支出"].printed == "6373.37"
    graph = parsed[JINZHONG].graph
    keys = {str(o) for o in graph.objects(None, T.figureKey)}
    assert "整体绩效目标表/合计" in keys and "整体绩效目标表/全年经费" not in keys


def test_overall_sheet_iri_and_provenance(parsed) -> None:
    p = parsed[JINZHONG]
    o_iri = iris.overall_sheet(disclosure_iri(p.disclosure))
    graph = p.graph
    assert (o_iri, RDF.type, T.OverallPerformanceSheet) in graph
    assert graph.value(o_iri, T.sourceLine) == Literal(465)
    # It describes no project: no project-sheet type, no project name.
    assert (o_iri, RDF.type, T.PerformanceSheet) not in graph
    assert graph.value(o_iri, T.projectName) is None
    assert not list(parsed[BUREAU].graph.subjects(RDF.type, T.OverallPerformanceSheet))


# --- text and PDF ------------------------------------------------------------------------------

def test_pdf_gives_the_same_overall_indicators_and_fields(text_store, pdf_store, text_indicators, text_fields) -> None:
    pdf_indicators, pdf_fields = by_file(pdf_store, INDICATORS), by_file(pdf_store, FIELDS)
    columns = ("n", "period", "level1", "level2", "name", "value")
    for name in WITH_OVERALL:
        assert [content(r, *columns) for r in pdf_indicators[name]] == [content(r, *columns)
                                                                        for r in text_indicators[name]]
        assert [content(r, "n", "field", "text") for r in pdf_fields[name]] == [
            content(r, "n", "field", "text") for r in text_fields[name]]
    assert sorted(pdf_indicators) == sorted(WITH_OVERALL)


def test_pdf_provenance_is_the_page(pdf_store) -> None:
    indicators, fields = by_file(pdf_store, INDICATORS), by_file(pdf_store, FIELDS)
    for name in WITH_OVERALL:
        assert all(r["page"] and not r["line"] for r in indicators[name] + fields[name])
    # jinzhong: 部门职责 on page 9, its first indicator on page 10; yangqu's grid runs over pages 12-14.
    assert (fields[JINZHONG][0]["page"], indicators[JINZHONG][0]["page"]) == ("9", "10")
    assert (indicators[YANGQU][0]["page"], indicators[YANGQU][-1]["page"]) == ("12", "14")


def test_text_provenance_is_the_line(text_indicators, text_fields) -> None:
    for name in WITH_OVERALL:
        assert all(r["line"] and not r["page"] for r in text_indicators[name] + text_fields[name])


# --- references in the overall sheet's text fields ------------------------------------------

def test_samples_overall_fields_cite_nothing(parsed) -> None:
    for name in WITH_OVERALL:
        overall = parsed[name].disclosure.overall
        assert overall is not None and overall.fields and overall.citations == []
        o_iri = iris.overall_sheet(disclosure_iri(parsed[name].disclosure))
        assert not list(parsed[name].graph.subjects(T.citedIn, o_iri))


@pytest.fixture(scope="module")
def citing_copy(tmp_path_factory) -> Path:
    """jinzhong's text with a 文号 written into its 部门职责 cell (line 470)."""
    lines = (EXAMPLES / f"{JINZHONG}.txt").read_text(encoding="utf-8").split("\n")
    assert lines[469].startswith("部门职责\t")
    lines[469] = lines[469].replace("承办管委会交办的其他工作。", "承办管委会交办的其他工作(晋综示发〔2020〕49号)。")
    path = tmp_path_factory.mktemp("overall-cites") / "jinzhong-cites.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_overall_field_references_are_citations_of_the_overall_sheet(citing_copy, tmp_path) -> None:
    p = api.parse_file(str(citing_copy))
    o_iri = iris.overall_sheet(disclosure_iri(p.disclosure))
    (c_iri,) = p.graph.subjects(T.citedIn, o_iri)
    assert p.graph.value(c_iri, T.citationField) == Literal("部门职责")
    assert p.graph.value(c_iri, T.surface) == Literal("晋综示发〔2020〕49号")
    assert p.graph.value(c_iri, T.cites) == iris.policy("晋综示发〔2020〕49号")
    assert p.graph.value(c_iri, T.sourceLine) == Literal(470)
    # The named `citations` query lists it like a narrative reference: no project name, so
    # project-level counts (the scorer's) do not see it.
    store = str(tmp_path / "store")
    assert api.ingest([str(citing_copy)], store).ok
    rows = [r for r in api.query("citations", {}, store).dicts() if r["field"] == "部门职责"]
    assert [(r["project_name"], r["doc_number"]) for r in rows] == [("", "晋综示发〔2020〕49号")]


# --- shapes ------------------------------------------------------------------------------------

def shape_field_names(shapes: Graph) -> set[str]:
    """The sh:in list the overall sheet shape allows for its text fields' names."""
    shape = URIRef("https://w3id.org/budgetkg/shapes#OverallPerformanceSheetShape")
    for prop in shapes.objects(shape, SH.property):
        path = shapes.value(prop, SH.path)
        if path is not None and list(Collection(shapes, path)) == [T.hasTextField, T.fieldName]:
            return {str(v) for v in Collection(shapes, shapes.value(prop, SH["in"]))}
    raise AssertionError("no (bk:hasTextField bk:fieldName) constraint on the overall sheet shape")


def test_shape_allows_exactly_the_parsed_field_labels() -> None:
    assert shape_field_names(Graph().parse(SHAPES_TTL)) == set(OVERALL_TEXT_FIELDS)


@pytest.mark.parametrize("case", ["project field on the overall sheet", "implementation indicator", "no disclosure"])
def test_broken_overall_sheet_does_not_conform(parsed, case: str) -> None:
    p = parsed[JINZHONG]
    graph = Graph()
    for triple in p.graph:
        graph.add(triple)
    o_iri = iris.overall_sheet(disclosure_iri(p.disclosure))
    field, indicator = iris.sheet_part(o_iri, "field", 1), iris.sheet_part(o_iri, "indicator", 1)
    if case == "project field on the overall sheet":
        graph.set((field, T.fieldName, Literal("立项依据")))
    elif case == "implementation indicator":
        graph.set((indicator, T.indicatorPeriod, Literal("implementation")))
    else:
        graph.remove((o_iri, T.inDisclosure, None))
    shapes, ontology = Graph().parse(SHAPES_TTL), Graph().parse(ONTOLOGY_TTL)
    conforms, results, _ = validate(graph, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert not conforms
    assert set(results.objects(None, SH.focusNode)) == {o_iri}
