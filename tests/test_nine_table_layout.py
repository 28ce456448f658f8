"""The nine-table layout (上海市普陀区): the six PDFs in examples/nine-table against their
hand-checked gold, the printed errors the gold notes record, 部门 and 单位 disclosures of one
organization in one store, 决算 refused, and a table of no catalogue kind kept as generic."""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from budgetkg import api
from budgetkg.api import Parsed
from budgetkg.ingest.catalogue import GENERIC_SLOT_BASE
from budgetkg.ingest.errors import FinalAccounts
from budgetkg.ingest.records import BudgetTable, Disclosure, Finding, ProjectSheet, TableRow

ROOT = Path(__file__).resolve().parent.parent
NINE_TABLE = ROOT / "examples" / "nine-table"
GOLD = Path(__file__).parent / "fixtures" / "gold"
NAMES = [
    "putuo-commerce-2025-dept",
    "putuo-govoffice-2025-unit",
    "putuo-sfj-2026-dept",
    "putuo-sfj-2026-unit",
    "putuo-wanli-street-2023-dept",
    "putuo-welfare-home-2024-unit",
]
EXPENDITURE_SLOT = 3
SUMMARY_SLOT = 1


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def load_gold(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLD / f"{name}.gold.json").read_text(encoding="utf-8"))
    return data


def gold_yuan(value: str | None) -> Decimal:
    """Gold amounts are strings in 元; None or '' is an empty cell, read as 0."""
    return Decimal(value) if value else Decimal(0)


def cell_yuan(row: TableRow, column: str) -> Decimal:
    amount = row.amount(column)
    return amount.yuan if amount is not None else Decimal(0)


@pytest.fixture(scope="module")
def nine_table(nine_table_parsed: dict[str, Parsed]) -> dict[str, Parsed]:
    """name -> Parsed, each PDF read once for the run (conftest's nine_table_parsed)."""
    assert set(NAMES) <= set(nine_table_parsed)
    return nine_table_parsed


def disclosure_of(nine_table: dict[str, Parsed], name: str) -> Disclosure:
    return nine_table[name].disclosure


def table(d: Disclosure, slot: int) -> BudgetTable:
    assert slot in d.tables, f"no table in slot {slot}; slots {sorted(d.tables)}"
    return d.tables[slot]


def labelled_row(t: BudgetTable, label: str) -> TableRow:
    rows = [r for r in t.rows if r.label.replace(" ", "") == label]
    assert len(rows) == 1, f"{len(rows)} rows labelled {label} in {t.title}"
    return rows[0]


# --- golden -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_document_facts(nine_table: dict[str, Parsed], name: str) -> None:
    d = disclosure_of(nine_table, name)
    doc = load_gold(name)["document"]
    assert d.organization.name == doc["organization"]
    assert d.fiscal_year == doc["fiscal_year"]
    assert d.kind == doc["kind"]
    assert d.organization.kind == doc["kind"].removesuffix("预算")
    assert d.level == doc["level"]


@pytest.mark.parametrize("name", NAMES)
def test_expenditure_table_subjects(nine_table: dict[str, Parsed], name: str) -> None:
    """支出总表: the coded rows are the gold function_subjects, in order, to the 元."""
    t = table(disclosure_of(nine_table, name), EXPENDITURE_SLOT)
    assert t.kind == "expenditure"
    got = [(r.code, cell_yuan(r, "total"), cell_yuan(r, "basic"), cell_yuan(r, "project"))
           for r in t.rows if r.code]
    want = [(s["code"], gold_yuan(s["total"]), gold_yuan(s["basic"]), gold_yuan(s["project"]))
            for s in load_gold(name)["function_subjects"]]
    assert [g[0] for g in got] == [w[0] for w in want]
    assert got == want


@pytest.mark.parametrize("name", NAMES)
def test_described_projects(nine_table: dict[str, Parsed], name: str) -> None:
    d = disclosure_of(nine_table, name)
    got = [(nfkc(p.name), p.amount.value if p.amount else None, p.amount.unit if p.amount else None)
           for p in d.projects if p.list == "described"]
    want = [(nfkc(p["name"]), Decimal(p["amount"]) if p["amount"] else None, p["amount_unit"] if p["amount"] else None)
            for p in load_gold(name)["projects_described"]]
    assert got == want


@pytest.mark.parametrize("name", NAMES)
def test_totals(nine_table: dict[str, Parsed], name: str) -> None:
    d = disclosure_of(nine_table, name)
    totals = load_gold(name)["totals"]
    summary = table(d, SUMMARY_SLOT)
    assert summary.kind == "budget_summary"
    assert cell_yuan(labelled_row(summary, "收入总计"), "total") == gold_yuan(totals["income_total"])
    assert cell_yuan(labelled_row(summary, "支出总计"), "total") == gold_yuan(totals["expenditure_total"])
    total_row = labelled_row(table(d, EXPENDITURE_SLOT), "合计")
    assert total_row.is_total
    assert cell_yuan(total_row, "basic") == gold_yuan(totals["basic_expenditure"])
    assert cell_yuan(total_row, "project") == gold_yuan(totals["project_expenditure"])
    assert cell_yuan(total_row, "total") == gold_yuan(totals["expenditure_total"])


# --- numbered citations -------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_numbered_citations(nine_table: dict[str, Parsed], name: str) -> None:
    d = disclosure_of(nine_table, name)
    got = sorted((nfkc(sheet.name), c.reference.doc_number) for sheet in d.sheets for c in sheet.citations
                 if c.reference.kind == "numbered_document")
    want = sorted((nfkc(p["name"]), c["doc_number"]) for p in load_gold(name)["performance_projects"]
                  for c in p.get("citations", []) if c["kind"] == "numbered_document")
    assert got == want


def test_numbered_citations_are_found_at_all() -> None:
    """The comparison above is not vacuous: the gold of the six holds numbered citations."""
    count = sum(1 for name in NAMES for p in load_gold(name)["performance_projects"]
                for c in p.get("citations", []) if c["kind"] == "numbered_document")
    assert count >= 10


# --- findings -----------------------------------------------------------------------------


def finding_row(d: Disclosure, f: Finding) -> TableRow:
    assert f.table is not None and f.row_index is not None, f
    return next(r for r in d.tables[f.table].rows if r.index == f.row_index)


def test_welfare_home_code_misprint(nine_table: dict[str, Parsed]) -> None:
    d = disclosure_of(nine_table, "putuo-welfare-home-2024-unit")
    misprints = [f for f in d.findings if f.check == "code_misprint" and f.table == EXPENDITURE_SLOT]
    assert len(misprints) == 1
    row = finding_row(d, misprints[0])
    assert (row.code, row.code_printed) == ("2101102", "71102")
    assert "71102" in misprints[0].message


@dataclass(frozen=True)
class Expected:
    check: str
    code: str
    words: str  # what the message names (the column at fault)


SFJ_UNIT_ERRORS = [
    Expected("subtotal", "20406", "项目支出"),
    Expected("basic_plus_project", "2040601", "基本支出 + 项目支出"),
]


@pytest.mark.parametrize("expected", SFJ_UNIT_ERRORS, ids=lambda e: f"{e.check}-{e.code}")
def test_sfj_unit_printed_errors_are_violations(nine_table: dict[str, Parsed], expected: Expected) -> None:
    """Gold notes: 2040601 prints the 类 project total, so 20406 项目支出 != Σ项 and the row fails 合计 = 基本 + 项目."""
    d = disclosure_of(nine_table, "putuo-sfj-2026-unit")
    found = [f for f in d.findings if f.check == expected.check and f.severity == "violation"
             and f.table == EXPENDITURE_SLOT and finding_row(d, f).code == expected.code]
    assert len(found) == 1, [f.message for f in d.findings]
    assert expected.words in found[0].message


ARITHMETIC_CHECKS = ("subtotal", "basic_plus_project", "table_totals", "code_misprint")
ARITHMETIC_HOLDS = ["putuo-sfj-2026-dept", "putuo-commerce-2025-dept", "putuo-wanli-street-2023-dept",
                    "putuo-govoffice-2025-unit"]


@pytest.mark.parametrize("name", ARITHMETIC_HOLDS)
def test_no_arithmetic_violation_where_gold_says_it_holds(nine_table: dict[str, Parsed], name: str) -> None:
    assert any("arithmetic holds" in note for note in load_gold(name)["notes"])
    d = disclosure_of(nine_table, name)
    bad = [f.message for f in d.findings if f.check in ARITHMETIC_CHECKS and f.severity == "violation"]
    assert bad == []


# --- 部门 and 单位 of one organization ---------------------------------------------------------

SFJ = "上海市普陀区司法局"
ORG_IRIS = """PREFIX bk: <https://w3id.org/budgetkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?o WHERE {
  ?o a bk:Organization .
  { ?o bk:organizationKey ?name } UNION { ?o rdfs:label ?name }
  FILTER(STR(?name) = "上海市普陀区司法局")
}"""


def test_department_and_unit_disclosures_share_one_organization(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    report = api.ingest([str(NINE_TABLE / "putuo-sfj-2026-dept.pdf"), str(NINE_TABLE / "putuo-sfj-2026-unit.pdf")],
                        store)
    assert report.ok, report.failed
    assert len(report.ingested) == 2
    rows = [r for r in api.query("organizations", {}, store).dicts() if r["organization"] == SFJ]
    got = sorted((r["year"], r["kind"], Decimal(r["income_total_yuan"]), Decimal(r["expenditure_total_yuan"]))
                 for r in rows)
    assert got == [("2026", "单位", Decimal("86959408.34"), Decimal("86959408.34")),
                   ("2026", "部门", Decimal("96282213.44"), Decimal("96282213.44"))]
    iris = api.query(ORG_IRIS, {}, store).dicts()
    assert len(iris) == 1, iris


# --- 决算 refused -----------------------------------------------------------------------------


def accounts_text(phase: str, *, cover: bool = True) -> str:
    """A small 部门预算 / 部门决算 in the text layout: the same tables, only the phase differs."""
    org = "编制部门：上海市普陀区某局 单位：元"
    lines = [f"上海市普陀区某局2024年度部门{phase}", ""] if cover else []
    lines += [
        org, "",
        f"2024年收入支出{phase}总表", org,
        f"项目\t{phase}数\t项目\t{phase}数",
        "一、财政拨款收入\t1,000.00\t一、一般公共服务支出\t1,000.00",
        "收入总计\t1,000.00\t支出总计\t1,000.00", "",
        f"2024年支出{phase}表", org,
        "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        "201\t一般公共服务支出\t1,000.00\t600.00\t400.00",
        "20101\t人大事务\t1,000.00\t600.00\t400.00",
        "2010101\t行政运行\t600.00\t600.00\t",
        "2010102\t一般行政管理事务\t400.00\t\t400.00",
        "合计\t\t1,000.00\t600.00\t400.00", "",
    ]
    return "\n".join(lines)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("cover", [True, False], ids=["cover-says-决算", "only-titles-say-决算"])
def test_final_accounts_are_refused(tmp_path: Path, cover: bool) -> None:
    path = write(tmp_path, "accounts.txt", accounts_text("决算", cover=cover))
    with pytest.raises(FinalAccounts) as err:
        api.parse_file(str(path))
    assert "决算" in str(err.value)


def test_final_accounts_fail_in_the_ingest_report(tmp_path: Path) -> None:
    path = write(tmp_path, "accounts.txt", accounts_text("决算"))
    report = api.ingest([str(path)], str(tmp_path / "store"))
    assert not report.ok
    assert report.ingested == []
    assert [p for p, _ in report.failed] == [str(path)]
    assert "决算" in report.failed[0][1]


@pytest.mark.parametrize("cover", [True, False], ids=["cover-says-预算", "only-titles-say-预算"])
def test_same_file_as_budget_is_read(tmp_path: Path, cover: bool) -> None:
    d = api.parse_file(str(write(tmp_path, "budget.txt", accounts_text("预算", cover=cover)))).disclosure
    assert (d.organization.name, d.fiscal_year, d.kind) == ("上海市普陀区某局", 2024, "部门预算")
    assert d.tables[SUMMARY_SLOT].kind == "budget_summary"
    assert cell_yuan(labelled_row(d.tables[SUMMARY_SLOT], "收入总计"), "total") == Decimal("1000.00")
    expenditure = d.tables[EXPENDITURE_SLOT]
    assert [r.code for r in expenditure.rows if r.code] == ["201", "20101", "2010101", "2010102"]
    assert cell_yuan(labelled_row(expenditure, "合计"), "project") == Decimal("400.00")


# --- a table of no catalogue kind -------------------------------------------------------------

UNKNOWN_TITLE = "2026年债务还本付息预算表"


def generic_text() -> str:
    """The numbered (山西) layout: 收支总表 and 支出总表, then a table the catalogue does not know."""
    org = "部门名称：山西转型综合改革示范区某服务中心"
    return "\n".join([
        "山西转型综合改革示范区某服务中心", "2026年度部门预算公开", "", org, "",
        "预算公开表1", "2026年预算收支总表", org, "单位：万元",
        "收入\t\t支出\t", "项目\t2026年\t项目\t2026年合计",
        "一、一般公共预算\t100.00\t一、一般公共服务支出\t100.00",
        "收入总计\t100.00\t支出总计\t100.00", "",
        "预算公开表3", "2026年预算支出总表", org, "单位：万元",
        "项目\t\t2026年预算数\t\t", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        "合计\t\t100.00\t60.00\t40.00",
        "201\t一般公共服务支出\t100.00\t60.00\t40.00",
        "20103\t政府办公厅(室)及相关机构事务\t100.00\t60.00\t40.00",
        "2010301\t行政运行\t60.00\t60.00\t",
        "2010302\t一般行政管理事务\t40.00\t\t40.00", "",
        UNKNOWN_TITLE, org, "单位：万元",
        "项目\t金额",
        "债务还本支出\t10.00",
        "债务付息支出\t2.50",
        "合计\t12.50", "",
    ])


def test_table_of_no_kind_is_kept_and_reported(tmp_path: Path) -> None:
    d = api.parse_file(str(write(tmp_path, "generic.txt", generic_text()))).disclosure
    assert {SUMMARY_SLOT, EXPENDITURE_SLOT} <= set(d.tables)
    generic = [t for slot, t in d.tables.items() if slot >= GENERIC_SLOT_BASE]
    assert len(generic) == 1
    t = generic[0]
    assert t.title == UNKNOWN_TITLE
    assert t.kind is None
    assert t.number >= GENERIC_SLOT_BASE
    assert [(r.label, cell_yuan(r, "total")) for r in t.rows] == [
        ("债务还本支出", Decimal("100000.00")), ("债务付息支出", Decimal("25000.00")), ("合计", Decimal("125000.00"))]
    findings = [f for f in d.findings if f.check == "generic_table"]
    assert len(findings) == 1
    assert findings[0].severity == "info"
    assert findings[0].table == t.number
    assert UNKNOWN_TITLE in findings[0].message


# --- 财政项目支出绩效目标填报表 (万里街道 2023, pages 31-35) -----------------------------------

FILLED_SHEETS = {  # sheet name -> (项目资金总额, 年度资金申请总额, 其中：当年财政拨款), 元 as printed
    "新建万里街道社区公共服务中心": ("4,100,000.00", "4,100,000.00", "4,100,000.00"),
    "就业援助基地补贴": ("6,351,000.00", "6,351,000.00", "6,351,000.00"),
    "各类工作经费": ("7595500.00", "7595500.00", "7595500.00"),
    "公共服务设施运行经费": ("10,903,043.00", "10,903,043.00", "11,419,043.00"),
}


def funding(sheet: ProjectSheet, period: str, level: str) -> str | None:
    line = next((f for f in sheet.funding if f.period == period and f.level == level), None)
    return line.amount.printed if line and line.amount else None


@pytest.mark.parametrize("name", sorted(FILLED_SHEETS))
def test_filled_sheet_funding_goals_and_header(nine_table: dict[str, Parsed], name: str) -> None:
    d = disclosure_of(nine_table, "putuo-wanli-street-2023-dept")
    sheet = next(s for s in d.sheets if s.name == name)
    total, annual, appropriation = FILLED_SHEETS[name]
    assert funding(sheet, "implementation", "total") == total
    assert funding(sheet, "annual", "total") == annual
    assert funding(sheet, "annual", "current_appropriation") == appropriation
    assert funding(sheet, "annual", "carryover") == "0.00"  # the lone 上年结转资金 line sits in the annual block
    assert [f.name for f in sheet.fields] == ["项目总目标", "年度总体目标"]
    assert all(f.text for f in sheet.fields)
    assert sheet.managing_org == sheet.implementing_org == "上海市普陀区人民政府万里街道办事处"
    assert sheet.attribute in ("经常性项目", "阶段性项目")


def test_filled_sheet_printed_inconsistency_is_reported(nine_table: dict[str, Parsed]) -> None:
    """公共服务设施运行经费: 其中：当年财政拨款 11,419,043.00 exceeds 年度资金申请总额 10,903,043.00 (gold notes)."""
    d = disclosure_of(nine_table, "putuo-wanli-street-2023-dept")
    found = [f for f in d.findings if f.check == "sheet_funding_levels"]
    assert [(f.severity, f.expected_yuan, f.printed_yuan) for f in found] == [
        ("violation", Decimal("11419043.00"), Decimal("10903043.00"))]
    assert "公共服务设施运行经费" in found[0].message


# --- the 编制说明 against the tables and itself (printed errors the gold notes record) ---------

NARRATIVE_FINDINGS = {  # document -> {(check, subject path as printed)}, violations only
    "putuo-sfj-2026-dept": {
        ("narrative_amount", "住房保障支出/住房改革支出/住房公积金"),  # 208.8 stated, 预算安排201.50
        ("narrative_change", "公共安全支出/司法/其他司法支出"),  # 执行数 43269.3 yet 增加17.62%
        ("narrative_change", "社会保障和就业支出/行政事业单位养老支出/机关事业单位职业年金缴费支出"),  # 17.66% for 17.93%
        ("narrative_change", "住房保障支出/住房改革支出/住房公积金"),
    },
    "putuo-welfare-home-2024-unit": {
        ("narrative_amount", "社会保障和就业支出/社会福利/社会福利事业单位"),  # 738.66 vs 表5 696.48
    },
    "putuo-commerce-2025-dept": set(),  # all 16 subject amounts agree after rounding
    "putuo-govoffice-2025-unit": set(),
}


@pytest.mark.parametrize("name", sorted(NARRATIVE_FINDINGS))
def test_narrative_subjects_against_tables(nine_table: dict[str, Parsed], name: str) -> None:
    d = disclosure_of(nine_table, name)
    found = {(f.check, f.row) for f in d.findings
             if f.check in ("narrative_amount", "narrative_change") and f.severity == "violation"}
    found = {(check, row.removeprefix("说明 ")) for check, row in found if row}
    assert found == NARRATIVE_FINDINGS[name]


def test_sfj_unit_narrative_errors_are_reported(nine_table: dict[str, Parsed]) -> None:
    """Gold notes: item 1 减少1.10% (computed -15.13%), item 7 56.12 stated but 预算安排57.8, item 10 22.22% for
    24%, item 13 207 stated but 预算安排170.03 and 增加21.74%."""
    d = disclosure_of(nine_table, "putuo-sfj-2026-unit")
    found = {(f.check, (f.row or "").removeprefix("说明 ")) for f in d.findings
             if f.severity == "violation" and f.check.startswith("narrative")}
    assert {("narrative_change", "公共安全支出/司法/行政运行"),
            ("narrative_amount", "社会保障和就业支出/行政事业单位养老支出/行政单位离退休"),
            ("narrative_change", "社会保障和就业支出/行政事业单位养老支出/其他行政事业单位养老支出"),
            ("narrative_amount", "住房保障支出/住房改革支出/购房补贴"),
            ("narrative_change", "住房保障支出/住房改革支出/购房补贴")} <= found


def test_table_of_no_kind_reaches_validate(tmp_path: Path) -> None:
    """`budgetkg validate FILE` names the generic table as an info finding, and the graph still conforms."""
    report = api.validate([str(write(tmp_path, "generic.txt", generic_text()))])
    rows = [r for r in report.rows if r["check"] == "generic_table"]
    assert [(r["severity"], r["table"]) for r in rows] == [("info", str(GENERIC_SLOT_BASE))]
    assert UNKNOWN_TITLE in rows[0]["message"]
    assert [d.shacl_conforms for d in report.documents] == [True]


def test_sfj_unit_split_of_the_summary_table_against_the_economic_table(nine_table: dict[str, Parsed]) -> None:
    """Gold notes: the unit 财务收支预算总表 splits 支出总计 into 人员经费 20,374,181 / 公用经费 1,744,680, while the
    经济分类表 gives 20,272,981.00 / 1,845,880.34 (101,200(.34) moved between them)."""
    d = disclosure_of(nine_table, "putuo-sfj-2026-unit")
    found = [(f.printed_yuan, f.expected_yuan) for f in d.findings
             if f.check == "table_totals" and f.severity == "violation" and f.table == 1]
    assert sorted(found) == [(Decimal("1744680"), Decimal("1845880.34")), (Decimal("20374181"), Decimal("20272981.00"))]
