"""The 部门基本信息 counts of the 部门整体绩效目标表 as bk:Figure on the disclosure.

jinzhong 2024 and yangqu 2026 print the grid (label, count, label, count … in drifting
columns, some cells empty); the 行政审批局 2025 prints no overall sheet. Each count is a
figure with a fixed key (ingest.patterns.OVERALL_BASIC_INFO), the printed label, value and
unit, an xsd:integer count and the line (text) or page (PDF) it was printed on. Assertions
read the graph through SPARQL on stores of the texts and of the PDFs.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from budgetkg import api
from budgetkg.ingest import patterns as P
from budgetkg.ingest.mapping import disclosure_iri
from budgetkg.ingest.parsers.sheets import basic_info_count, basic_info_label
from budgetkg.ingest.records import COUNT_UNITS
from budgetkg.ontology import ONTOLOGY_TTL, SHAPES_TTL, iris
from budgetkg.ontology import terms as T
from tests.conftest import EXAMPLES

JINZHONG = "jinzhong-economic-operation-2024"
YANGQU = "yangqu-park-service-center-2026"
BUREAU = "administrative-approval-bureau-2025"

PREFIX = "PREFIX bk: <https://w3id.org/budgetkg/ontology#>\n"

COUNTS = PREFIX + """
SELECT ?file ?key ?label ?value ?unit ?count ?datatype ?line ?page WHERE {
  GRAPH ?g {
    ?d a bk:Disclosure ; bk:sourceFile ?file ; bk:hasFigure ?f .
    ?f a bk:Figure ; bk:inDisclosure ?d ; bk:figureKey ?key ; bk:printedValue ?value ; bk:printedUnit ?unit .
    FILTER(STRSTARTS(?key, "overall/"))
    OPTIONAL { ?f bk:printedLabel ?label }
    OPTIONAL { ?f bk:countValue ?count BIND(STR(DATATYPE(?count)) AS ?datatype) }
    OPTIONAL { ?f bk:sourceLine ?line }
    OPTIONAL { ?f bk:sourcePage ?page }
  }
} ORDER BY ?file ?key
"""

# Spelt out: an rdflib namespace among module globals makes pytest warn when collecting.
INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
COLUMNS = ("key", "label", "value", "unit", "count")

# (key, printed label, printed value, unit, line) as printed in the sample texts.
EXPECTED = {
    JINZHONG: [
        ("overall/internal_units", "内设职能部门数", "4", "个", 466),
        ("overall/subordinate_units", "所属预算单位数", "0", "个", 466),
        ("overall/staff_authorised", "核定的人员编制数", "21", "人", 467),
        ("overall/staff_actual", "实际在职人员总数", "36", "人", 467),
        ("overall/staff_on_establishment", "其中:在编人员数", "21", "人", 468),
        # Printed in the grid's first column, its count three columns on.
        ("overall/staff_other", "其他人员数", "0", "人", 469),
    ],
    YANGQU: [
        ("overall/internal_units", "内设机构部门数", "0", "个", 493),
        # Not 所属预算单位数: newly added units are not all units, so it keeps its label under other/1.
        ("overall/other/1", "新增预算单位数", "0", "个", 493),
        ("overall/staff_authorised", "预编的人员编制数", "182", "人", 494),
        ("overall/staff_actual", "实际在职人员数", "131", "人", 494),
        ("overall/staff_on_establishment", "其中:在编人员数", "131", "人", 495),
        ("overall/staff_other", "其他人员数", "0", "人", 496),
    ],
}
PAGES = {JINZHONG: "9", YANGQU: "10"}


def by_file(store: str) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for row in api.query(COUNTS, {}, store).dicts():
        found.setdefault(row["file"].rsplit(".", 1)[0], []).append(row)
    return found


def content(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    return sorted(tuple(r[c] for c in COLUMNS) for r in rows)


def expected_content(name: str) -> list[tuple[str, ...]]:
    return sorted((key, label, value, unit, value) for key, label, value, unit, _ in EXPECTED[name])


@pytest.fixture(scope="module")
def text_counts(text_store) -> dict[str, list[dict[str, str]]]:
    return by_file(text_store)


@pytest.fixture(scope="module")
def pdf_counts(pdf_store) -> dict[str, list[dict[str, str]]]:
    return by_file(pdf_store)


# --- the samples, from their texts -----------------------------------------------------------

def test_only_the_samples_printing_the_grid_have_counts(text_counts) -> None:
    assert sorted(text_counts) == sorted(EXPECTED)
    assert BUREAU not in text_counts


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_counts_key_value_unit_line(text_counts, name: str) -> None:
    rows = text_counts[name]
    got = sorted((r["key"], r["label"], r["value"], r["unit"], int(r["line"])) for r in rows)
    assert got == sorted(EXPECTED[name])
    # Each count is an xsd:integer equal to the printed value, with the line and no page.
    assert all(r["count"] == r["value"] and r["datatype"] == INTEGER for r in rows)
    assert all(r["line"] and not r["page"] for r in rows)


def test_counts_are_integer_literals_on_the_disclosure(parsed) -> None:
    p = parsed[JINZHONG]
    src = disclosure_iri(p.disclosure)
    f_iri = iris.figure(src, "overall/staff_actual")
    assert p.graph.value(f_iri, T.countValue) == Literal(36, datatype=URIRef(INTEGER))
    assert p.graph.value(f_iri, T.printedValue) == Literal("36")
    assert p.graph.value(f_iri, T.printedUnit) == Literal("人")
    assert p.graph.value(f_iri, T.printedLabel) == Literal("实际在职人员总数")
    assert p.graph.value(f_iri, T.amountYuan) is None
    d_iri = p.graph.value(f_iri, T.inDisclosure)
    assert (d_iri, RDF.type, T.Disclosure) in p.graph and (d_iri, T.hasFigure, f_iri) in p.graph
    assert p.graph.value(f_iri, T.sourceLine) == Literal(467)


def test_counts_are_not_funding_figures(parsed) -> None:
    """The grid's counts stay out of 资金总额(万元): the funding figures are the nine it prints."""
    for name in EXPECTED:
        overall = parsed[name].disclosure.overall
        assert overall is not None and len(overall.figures) == 9
        assert not {f.label for f in overall.basic_info} & set(overall.figures)
        assert all(a.unit == "万元" for a in overall.figures.values())


def test_narrative_counts_carry_the_integer_too(parsed) -> None:
    """国有资产 counts (辆, 台(套)) get bk:countValue like the grid's; areas and amounts do not."""
    p = parsed[YANGQU]
    src = disclosure_iri(p.disclosure)
    assert p.graph.value(iris.figure(src, "vehicles_actual"), T.countValue) == Literal(19, datatype=URIRef(INTEGER))
    assert p.graph.value(iris.figure(src, "equipment_over_50wan"), T.countValue) == Literal(0, datatype=URIRef(INTEGER))
    assert p.graph.value(iris.figure(src, "office_area"), T.countValue) is None
    assert p.graph.value(iris.figure(src, "procurement_total"), T.countValue) is None


# --- text and PDF ------------------------------------------------------------------------------

def test_pdf_gives_the_same_counts(text_counts, pdf_counts) -> None:
    assert sorted(pdf_counts) == sorted(EXPECTED)
    for name in EXPECTED:
        assert content(pdf_counts[name]) == content(text_counts[name]) == expected_content(name)


def test_pdf_provenance_is_the_page(pdf_counts) -> None:
    for name, page in PAGES.items():
        assert {(r["page"], r["line"]) for r in pdf_counts[name]} == {(page, "")}


# --- the label -> key table ----------------------------------------------------------------------

@pytest.mark.parametrize(("printed", "key"), [
    ("内设职能部门数", "overall/internal_units"),
    ("内设机构部门数", "overall/internal_units"),
    ("内设 职能 部门数", "overall/internal_units"),  # spaces of a wrapped PDF cell
    ("\u3000内设机构数\u3000", "overall/internal_units"),  # full-width spaces
    ("内设科室数：", "overall/internal_units"),  # full-width colon
    ("所属预算单位数", "overall/subordinate_units"),
    ("下属单位数:", "overall/subordinate_units"),
    ("核定的人员编制数", "overall/staff_authorised"),
    ("预编的人员编制数", "overall/staff_authorised"),
    ("编制数（人）", "overall/staff_authorised"),  # full-width brackets around the unit
    ("实际在职人员总数", "overall/staff_actual"),
    ("实有人数", "overall/staff_actual"),
    ("其中:在编人员数", "overall/staff_on_establishment"),
    ("其中：在编人员数", "overall/staff_on_establishment"),
    ("其中 ： 在编 人员数", "overall/staff_on_establishment"),
    ("其中在编人员数", "overall/staff_on_establishment"),
    ("其他人员数", "overall/staff_other"),
    ("新增预算单位数", None),  # unlisted: overall/other/N
    ("部门名称", None),
])
def test_label_to_key(printed: str, key: str | None) -> None:
    name, _ = basic_info_label(printed)
    assert P.OVERALL_BASIC_INFO.get(name, (None, None))[0] == key


@pytest.mark.parametrize(("printed", "label", "unit"), [
    ("在编人员数（人）", "在编人员数", "人"),
    ("内设机构数(个)", "内设机构数", "个"),
    ("其中：其他人员数", "其他人员数", None),
])
def test_label_carries_its_unit(printed: str, label: str, unit: str | None) -> None:
    assert basic_info_label(printed) == (label, unit)


@pytest.mark.parametrize(("cell", "count"), [
    ("4个", ("4", "个")),
    ("21人", ("21", "人")),
    ("4 个", ("4", "个")),
    ("２１人", ("21", "人")),  # full-width digits
    ("21", ("21", None)),
    ("3名", ("3", "名")),
    ("6397.54", None),  # an amount, not a count
    ("0.00", None),
    ("36人(含借调)", None),
    ("609-山西转型综合改革示范区晋中开发区经济运行与安全监管部", None),
])
def test_count_cells(cell: str, count: tuple[str, str | None] | None) -> None:
    assert basic_info_count(cell) == count


def test_table_is_normalised_and_its_units_are_count_units() -> None:
    for label, (key, unit) in P.OVERALL_BASIC_INFO.items():
        assert basic_info_label(label) == (label, None), label
        assert key.startswith("overall/") and not key.startswith(P.OVERALL_OTHER_PREFIX)
        assert unit in COUNT_UNITS
    assert set(P.BASIC_INFO_UNITS) <= set(COUNT_UNITS)


# --- grid structure on an edited copy of a real sample -----------------------------------------

@pytest.fixture(scope="module")
def edited_grid(tmp_path_factory) -> Path:
    """jinzhong's text with its grid edited: a bare count, an empty value, an unlisted label
    with its unit in brackets, and an unlisted label with a bare count (no unit anywhere)."""
    lines = (EXAMPLES / f"{JINZHONG}.txt").read_text(encoding="utf-8").split("\n")
    assert lines[465:469] == ["\t内设职能部门数\t4个\t所属预算单位数\t0个",
                              "\t核定的人员编制数\t21人\t实际在职人员总数\t36人",
                              "\t\t\t其中:在编人员数\t21人",
                              "其他人员数\t\t\t0人\t"]
    lines[465:469] = ["\t内设职能部门数\t4\t所属预算单位数\t",
                      "\t核定的人员编制数\t21人\t实际在职人员总数\t36人",
                      "\t\t\t借调人员\t2",
                      "离退休人员数（人）\t\t\t3\t"]
    path = tmp_path_factory.mktemp("overall-grid") / "jinzhong-grid.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_grid_structure_not_wording(edited_grid) -> None:
    p = api.parse_file(str(edited_grid))
    overall = p.disclosure.overall
    assert overall is not None
    got = [(f.key, f.label, f.printed, f.unit, f.count, f.prov.line) for f in overall.basic_info]
    assert got == [
        ("overall/internal_units", "内设职能部门数", "4", "个", 4, 466),  # bare count: the table's unit
        ("overall/staff_authorised", "核定的人员编制数", "21", "人", 21, 467),
        ("overall/staff_actual", "实际在职人员总数", "36", "人", 36, 467),
        ("overall/other/1", "离退休人员数(人)", "3", "人", 3, 469),  # the label's unit
    ]
    # 所属预算单位数 (empty value) and 借调人员 (bare, no unit) give no figure; the bare counts are
    # not read as 资金总额(万元) either.
    original = api.parse_file(str(EXAMPLES / f"{JINZHONG}.txt")).disclosure.overall
    assert original is not None and overall.figures == original.figures
    keys = {str(k) for k in p.graph.objects(None, T.figureKey) if str(k).startswith("overall/")}
    assert keys == {f.key for f in overall.basic_info}


# --- shapes ------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", ["float count", "two counts", "no unit"])
def test_broken_count_figure_does_not_conform(parsed, case: str) -> None:
    p = parsed[JINZHONG]
    graph = Graph()
    for triple in p.graph:
        graph.add(triple)
    f_iri = iris.figure(disclosure_iri(p.disclosure), "overall/staff_actual")
    if case == "float count":
        graph.set((f_iri, T.countValue, Literal(36.0, datatype=URIRef(DOUBLE))))
    elif case == "two counts":
        graph.add((f_iri, T.countValue, Literal(37, datatype=URIRef(INTEGER))))
    else:
        graph.remove((f_iri, T.printedUnit, None))
    shapes, ontology = Graph().parse(SHAPES_TTL), Graph().parse(ONTOLOGY_TTL)
    conforms, results, _ = validate(graph, shacl_graph=shapes, ont_graph=ontology, inference="none")
    assert not conforms
    assert set(results.objects(None, SH.focusNode)) == {f_iri}
