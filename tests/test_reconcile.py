"""Within one disclosure: sheet <-> 表12/13 linking (ingest.linking), the narrative
statements (ingest.parsers.statements) and every reconciliation check (ingest.reconcile).

1. linking on tiny synthetic records, table-driven;
2. narrative sentences -> statements, table-driven;
3. each check on a tiny consistent disclosure (no finding) and a broken twin (the finding);
4. the bundled samples: the findings the gold files' notes describe, text and PDF alike;
5. findings in the document graph, and the SHACL shape for them.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, namespace
from rdflib.namespace import RDF, SH

from budgetkg.ingest.amounts import Amount
from budgetkg.ingest.linking import CLOSE, EXACT, link_sheets, name_similarity
from budgetkg.ingest.mapping import disclosure_iri
from budgetkg.ingest.model import Provenance
from budgetkg.ingest.organizations import organization_key
from budgetkg.ingest.parsers.statements import text_to_statements
from budgetkg.ingest.reconcile import CHECKS, disclosure_to_findings
from budgetkg.ingest.records import (
    BudgetTable,
    Disclosure,
    Figure,
    Finding,
    FundingLine,
    Organization,
    OverallPerformance,
    Project,
    ProjectSheet,
    Statement,
    TableCell,
    TableRow,
)
from budgetkg.ontology import ONTOLOGY_TTL, SHAPES_TTL, iris
from budgetkg.ontology import terms as T
from tests.conftest import EXAMPLES

AT = Provenance("t.txt", line=1)
# rdflib's XSD namespace warns on unknown attributes, which pytest probes while collecting.
XSD = namespace.Namespace(str(namespace.XSD))


# --- tiny records ----------------------------------------------------------------------------

def row(table: int, label: str, code: str | None = None, *, is_total: bool = False, side: str | None = None,
        category: str | None = None, **cells: str) -> TableRow:
    return TableRow(table, 0, label, [TableCell(c, c, Amount(v, "万元")) for c, v in cells.items()],
                    Provenance("t.txt", line=100), code=code, category=category, is_total=is_total, side=side)


def table(number: int, *rows: TableRow) -> BudgetTable:
    for i, r in enumerate(rows):
        r.index, r.table = i, number
        r.prov = Provenance("t.txt", line=100 * number + i)
    return BudgetTable(number, f"表{number}", "万元", list(rows), AT)


def project(name: str, total: str, kind: str = "current", **cells: str) -> Project:
    return Project(name, kind, row(12 if kind == "current" else 13, name, total=total, **cells))


def sheet(index: int, name: str, annual: str | None, *levels: tuple[str, str], period: str = "annual") -> ProjectSheet:
    funding = [FundingLine(period, "total", "年度资金总额", Amount(annual, "元") if annual else None, AT)]
    funding += [FundingLine(period, level, level, Amount(v, "元"), AT) for level, v in levels]
    return ProjectSheet(index, name, Provenance("t.txt", line=500 + index), funding=funding)


def disclosure(*tables: BudgetTable, projects: tuple[Project, ...] = (), sheets: tuple[ProjectSheet, ...] = (),
               statements: tuple[Statement, ...] = (), figures: tuple[Figure, ...] = (),
               overall: dict[str, str] | None = None) -> Disclosure:
    d = Disclosure("t.txt", "0" * 64, Organization("测试局", "部门"), 2025, "部门预算")
    d.tables = {t.number: t for t in tables}
    for p in projects:  # projects sit in 表12/13 rows of their own
        number = 12 if p.list == "current" else 13
        d.tables.setdefault(number, table(number))
        target = d.tables[number]
        p.row.index, p.row.table = len(target.rows), number
        target.rows.append(p.row)
    d.projects, d.sheets, d.statements, d.figures = list(projects), list(sheets), list(statements), list(figures)
    if overall is not None:
        d.overall = OverallPerformance(AT, figures={k: Amount(v, "万元") for k, v in overall.items()})
    return d


def statement(key: str, label: str, amount: str, **extra: object) -> Statement:
    base = extra.pop("base", None)
    change = extra.pop("change", None)
    return Statement(key, label, Amount(amount, "万元"), AT, base=Amount(base, "万元") if base else None,
                     change=Amount(change, "万元") if change else None, **extra)  # type: ignore[arg-type]


def found(d: Disclosure) -> list[tuple[str, str, str | None]]:
    return [(f.check, f.severity, f.row) for f in disclosure_to_findings(d)]


# --- 1. linking --------------------------------------------------------------------------------

LINKING = {
    # name: (projects, sheets, expected links (sheet, project position, method), unmatched projects, unmatched sheets)
    "exact name, spaces and width ignored": (
        [project("党建 工作经费", "5.60")], [sheet(0, "党建工作经费", "56,000")], [(0, 0, EXACT)], [], []),
    "exact name wins even when amounts differ": (
        [project("委托业务经费", "98.50")], [sheet(0, "委托业务经费", "230,000")], [(0, 0, EXACT)], [], []),
    "close name, same amount": (
        [project("党群工作经历费", "723.50")], [sheet(0, "党群工作经费", "7,235,000")], [(0, 0, CLOSE)], [], []),
    "close name, amount rounds to the 万元 figure": (
        [project("职工伙食政务值班经费", "58.19")], [sheet(0, "职工伙食费值班经费", "581,940")], [(0, 0, CLOSE)], [], []),
    "close name, different amount": (
        [project("办公设备购置购置费", "6.00")], [sheet(0, "办公设备购置经费", "300,000")], [], [0], [0]),
    "very close name, sheet prints no amount": (
        [project("规划建设工作经历费", "207.00")], [sheet(0, "规划建设经费", None)], [(0, 0, CLOSE)], [], []),
    "loosely close name, sheet prints no amount": (
        [project("园区基本建设费-新建", "7725.00")], [sheet(0, "园区建设经费", None)], [], [0], [0]),
    "unrelated names, same amount": (
        [project("人才服务费用", "10.00")], [sheet(0, "非公党委工作经费", "100,000")], [], [0], [0]),
    "repeated sheet: both to one project": (
        [project("政务中心运行经费", "92.45")], [sheet(0, "政务中心运行经费", "924,500"), sheet(1, "政务中心运行经费", "924,500")],
        [(0, 0, EXACT), (1, 0, EXACT)], [], []),
    "表12 before 表13 for the same name": (
        [project("创新发展服务项目经费", "24.44", "carryover"), project("创新发展服务项目经费", "195.00")],
        [sheet(0, "创新发展服务项目经费", "1,950,000")], [(0, 1, EXACT)], [0], []),
    "close links are one to one, best first": (
        [project("转型项目建设年经费", "3.00"), project("转型项目建设经费年", "3.00")],
        [sheet(0, "转型项目建设经费", "30,000")], [(0, 0, CLOSE)], [1], []),
}


@pytest.mark.parametrize("case", sorted(LINKING))
def test_link_sheets(case: str) -> None:
    projects, sheets, links, unmatched_projects, unmatched_sheets = LINKING[case]
    result = link_sheets(projects, sheets)
    assert [(link.sheet, link.project, link.method) for link in result.links] == links
    assert result.unmatched_projects == unmatched_projects
    assert result.unmatched_sheets == unmatched_sheets


def test_name_similarity_is_symmetric_and_normalised() -> None:
    assert name_similarity("党群工作经费", "党群工作经历费") == name_similarity("党群工作经历费", "党群工作经费")
    assert name_similarity("企业服务（常态化）", "企业服务(常态化)") == 1.0
    assert name_similarity("人才服务费用", "污水处理经费") < 0.5


# --- 2. narrative statements -----------------------------------------------------------------------

STATEMENTS = {
    "totals and change": (
        "2026年度某中心预算收入总计100,000.00万元，其中：本年收入99,975.56万元，上年结转24.44万元，比上年增加"
        "19350.16万元，增长23.99%，主要原因是…；本年部门预算支出总计100,000.00万元，其中：本年预算安排99,975.56万元",
        [("income_total", "预算收入总计", "100,000.00", None, None, ("increase", "19350.16", "23.99"), None),
         ("income_current", "本年收入", "99,975.56", None, None, None, None),
         ("income_carryover", "上年结转", "24.44", None, None, None, None),
         ("expenditure_total", "预算支出总计", "100,000.00", None, None, None, None)]),
    "decrease, PDF spacing": (
        "2025年度某局预算收入总计3, 011.46 万元,其中:本年收入3,011.46万元,上年结转0万元,比上年减少488.54万元,下降13.96%",
        [("income_total", "预算收入总计", "3,011.46", None, None, ("decrease", "488.54", "13.96"), None),
         ("income_current", "本年收入", "3,011.46", None, None, None, None),
         ("income_carryover", "上年结转", "0", None, None, None, None)]),
    "income shares": (
        "预算收入100,000.00万元，主要包括一般公共预算拨款收入96,073.56万元，占96.07%；单位资金0万元，占0%。",
        [("income_item", "一般公共预算拨款收入", "96,073.56", "100,000.00", "96.07", None, None),
         ("income_item", "单位资金", "0", "100,000.00", "0", None, None)]),
    "expenditure shares": (
        "支出预算3011.46万元，其中：基本支出11.46万元，占0.38%；项目支出3000万元，占99.62%。",
        [("expenditure_item", "基本支出", "11.46", "3011.46", "0.38", None, None),
         ("expenditure_item", "项目支出", "3000", "3011.46", "99.62", None, None)]),
    "general public: change, then items without a share": (
        "一般公共预算当年支出6,389.17万元,主要用于以下方面:一般公共服务支出1,088.47万元,占17.04%;社会保障和就业支出0.70万元;",
        [("general_public_item", "一般公共服务支出", "1,088.47", "6,389.17", "17.04", None, None),
         ("general_public_item", "社会保障和就业支出", "0.70", "6,389.17", None, None, None)]),
    "performance projects and parts": (
        "纳入绩效目标管理的1级项目36个，共计金额95,160.46万元。其中：其他运转类项目2个，涉及金额1,295.00万元；"
        "特定目标类项目35个，涉及金额93,865.46万元。",
        [("performance_projects", "纳入绩效目标管理的项目", "95,160.46", None, None, None, 36),
         ("performance_part", "其他运转类项目", "1,295.00", None, None, None, 2),
         ("performance_part", "特定目标类项目", "93,865.46", None, None, None, 35)]),
    "three public expenditures": (
        "财政拨款安排的“三公”经费预算40.50万元比2025年减少19.00万元",
        [("three_public_total", "“三公”经费预算", "40.50", None, None, None, None)]),
    "bulleted personnel line": ("- 人员经费0万元,主要包括:无;", [("basic_personnel", "人员经费", "0", None, None, None, None)]),
    "unrelated text": ("截至2025年3月21日，共有公务用车编制19辆。", []),
}


@pytest.mark.parametrize("case", sorted(STATEMENTS))
def test_text_to_statements(case: str) -> None:
    text, expected = STATEMENTS[case]
    got = [(s.key, s.label, s.amount.printed, s.base.printed if s.base else None, s.share_percent,
            (s.change_direction, s.change.printed, s.change_percent) if s.change else None, s.count)
           for s in text_to_statements(text, AT)]
    assert got == expected


# --- 3. each check: consistent twin (no finding), broken twin (the finding) -------------------------

def coded_table3(leaf: str = "200.00", total: str = "300.00") -> BudgetTable:
    return table(3, row(3, "合计", is_total=True, total=total),
                 row(3, "一般公共服务支出", "201", total="300.00"),
                 row(3, "政府办公厅(室)及相关机构事务", "20103", total="300.00"),
                 row(3, "行政运行", "2010301", total="100.00"),
                 row(3, "一般行政管理事务", "2010302", total=leaf))


def table6(print_fee: str = "6.00") -> BudgetTable:
    return table(6, row(6, "合计", is_total=True, total="10.00", public_use="10.00"),
                 row(6, "商品和服务支出", total="10.00", public_use="10.00"),
                 row(6, "办公费", category="商品和服务支出", total="4.00", public_use="4.00"),
                 row(6, "印刷费", category="商品和服务支出", total=print_fee, public_use=print_fee))


def table10(running: str = "2.00") -> BudgetTable:
    return table(10, row(10, "因公出国(境)费"), row(10, "公务接待费", total="1.00"),
                 row(10, "公务用车购置及运行费", total="3.00"), row(10, "1公务用车购置费", total="1.00"),
                 row(10, "2公务用车运行维护费", total=running), row(10, "合计", is_total=True, total="4.00"))


def grid10(running: str = "9.98") -> BudgetTable:
    """The nine-table “三公”经费和机关运行经费预算表: one row of amounts read as a header tree."""
    top = "三公经费预算数"
    return table(10, row(10, "合计", category=top, is_total=True, total="10.81"),
                 row(10, "因公出国(境)费", category=top, total="0"), row(10, "公务接待费", category=top, total="0.83"),
                 row(10, "公务用车购置及运行费", category=top, total="9.98"),
                 row(10, "购置费", category="公务用车购置及运行费", total="0"),
                 row(10, "运行费", category="公务用车购置及运行费", total=running),
                 row(10, "机关运行经费预算数", total="217.83"))


def economic6(office: str = "4.00") -> BudgetTable:
    """表6 of the nine-table layout: 经济分类 codes printed over 类 | 款 columns."""
    rows = [row(6, "合计", is_total=True, total="10.00"), row(6, "商品和服务支出", total="10.00"),
            row(6, "办公费", total=office), row(6, "印刷费", total="6.00")]
    for r, code in zip(rows[1:], ("302", "30201", "30202"), strict=True):
        r.economic_code = code
    return table(6, *rows)


def misprinted(r: TableRow, printed: str) -> TableRow:
    r.code_printed = printed
    return r


def table1(spent: str = "100.00", current: str = "100.00", carryover: str | None = None) -> BudgetTable:
    rows = [row(1, "一般公共预算", side="income", total=current),
            row(1, "一般公共服务支出", side="expenditure", total="100.00"),
            row(1, "本年收入合计", side="income", is_total=True, total=current),
            row(1, "收入总计", side="income", is_total=True, total="100.00"),
            row(1, "支出总计", side="expenditure", is_total=True, total=spent)]
    if carryover:
        rows.insert(2, row(1, "上年结转", side="income", total=carryover))
    return table(1, *rows)


def class_table3(amount: str = "100.00") -> BudgetTable:
    return table(3, row(3, "合计", is_total=True, total="100.00"), row(3, "一般公共服务支出", "201", total=amount),
                 row(3, "人大事务", "20101", total=amount))


def with_projects(carryover: str = "10.00") -> Disclosure:
    return disclosure(table(3, row(3, "合计", is_total=True, total="30.00", project="30.00")),
                      projects=(project("甲项目", "20.00"), project("乙项目", carryover, "carryover")))


def with_sheets(annual: str | None = "7,235,000", name: str = "党群工作经历费") -> Disclosure:
    return disclosure(projects=(project("党群工作经历费", "723.50"),), sheets=(sheet(0, name, annual),))


def overall(total: str = "30.00") -> Disclosure:
    return disclosure(table(1, row(1, "本年收入合计", side="income", is_total=True, total="30.00")),
                      table(3, row(3, "合计", is_total=True, total="30.00", basic="10.00", project="20.00")),
                      projects=(project("甲项目", "20.00"),), overall={"基本支出": "10.00", "项目支出": "20.00", "合计": total})


def narrative(*statements: Statement, tables: tuple[BudgetTable, ...] = (), projects: tuple[Project, ...] = ()
              ) -> Disclosure:
    return disclosure(*tables, statements=statements, projects=projects)


def procurement(services: str = "5.00") -> Disclosure:
    figures = [Figure(k, v, "万元", AT) for k, v in (("procurement_total", "10.00"), ("procurement_goods", "2.00"),
                                                      ("procurement_works", "3.00"), ("procurement_services", services))]
    return disclosure(figures=tuple(figures))


def income_share(share: str) -> Disclosure:
    return narrative(statement("income_item", "一般公共预算拨款收入", "96.07", base="100.00", share_percent=share))


def change(percent: str, direction: str = "increase", amount: str = "120.00") -> Disclosure:
    return narrative(statement("general_public_current", "一般公共预算当年支出", amount, change="20.00",
                               change_direction=direction, change_percent=percent))


def performance(count: int = 2, amount: str = "30.00", parts: tuple[int, int] = (1, 1)) -> Disclosure:
    return narrative(statement("performance_projects", "纳入绩效目标管理的项目", amount, count=count),
                     statement("performance_part", "其他运转类项目", "10.00", count=parts[0]),
                     statement("performance_part", "特定目标类项目", "20.00", count=parts[1]),
                     projects=(project("甲项目", "10.00"), project("乙项目", "20.00")))


# name: (consistent disclosure, broken disclosure, the findings of the broken one as (check, severity, row))
CHECK_CASES: dict[str, tuple[Callable[[], Disclosure], Callable[[], Disclosure], list[tuple[str, str, str | None]]]] = {
    "subtotal: 款 against its 项": (
        lambda: disclosure(coded_table3()), lambda: disclosure(coded_table3("150.00")),
        [("subtotal", "violation", "20103 政府办公厅(室)及相关机构事务")]),
    "subtotal: 合计 against its 类": (
        lambda: disclosure(coded_table3()), lambda: disclosure(coded_table3(total="310.00")),
        [("subtotal", "violation", "合计")]),
    "rounding: a 尾差 of 0.01万元": (
        lambda: disclosure(coded_table3()), lambda: disclosure(coded_table3("199.99")),
        [("rounding", "warning", "20103 政府办公厅(室)及相关机构事务")]),
    "childless_subtotal: a 款 with no 项": (
        lambda: disclosure(coded_table3()),
        lambda: disclosure(table(3, *coded_table3().rows, row(3, "交通运输", "21907", total="0"))),
        [("childless_subtotal", "info", "21907 交通运输")]),
    "subtotal: 表6 economic class": (
        lambda: disclosure(table6()), lambda: disclosure(table6("5.00")),
        [("subtotal", "violation", "商品和服务支出")] * 2),  # 合计 and 公用经费 columns
    "subtotal: 表10 grid of the nine-table layout (“三公” and 机关运行经费 under one header tree)": (
        lambda: disclosure(grid10()), lambda: disclosure(grid10("9.00")),
        [("subtotal", "violation", "公务用车购置及运行费")]),
    "subtotal: economic class over 类 | 款 columns": (
        lambda: disclosure(economic6()), lambda: disclosure(economic6("5.00")),
        [("subtotal", "violation", "商品和服务支出")]),
    "code_misprint: a 类 printed as 7 under its 款 21011": (
        lambda: disclosure(table(3, row(3, "事业单位医疗", "2101102", total="1.00"))),
        lambda: disclosure(table(3, misprinted(row(3, "事业单位医疗", "2101102", total="1.00"), "71102"))),
        [("code_misprint", "warning", "2101102 事业单位医疗")]),
    "generic_table: a table of no catalogue kind": (
        lambda: disclosure(table(14, row(14, "办公设备", total="1.00"))),
        lambda: disclosure(table(101, row(101, "办公设备", total="1.00"))),
        [("generic_table", "info", None)]),
    "subtotal: 表10 vehicle line": (
        lambda: disclosure(table10()), lambda: disclosure(table10("1.50")),
        [("subtotal", "violation", "公务用车购置及运行费")]),
    "basic_plus_project": (
        lambda: disclosure(table(3, row(3, "合计", is_total=True, total="100.00", basic="40.00", project="60.00"))),
        lambda: disclosure(table(3, row(3, "合计", is_total=True, total="100.00", basic="40.00", project="50.00"))),
        [("basic_plus_project", "violation", "合计")]),
    "personnel_plus_public": (
        lambda: disclosure(table(6, row(6, "合计", is_total=True, total="10.00", personnel="6.00", public_use="4.00"))),
        lambda: disclosure(table(6, row(6, "合计", is_total=True, total="10.00", personnel="6.00", public_use="3.00"))),
        [("personnel_plus_public", "violation", "合计")]),
    "funding_columns": (
        lambda: disclosure(projects=(project("甲项目", "10.00", general_public="7.00", government_fund="3.00"),)),
        lambda: disclosure(projects=(project("甲项目", "10.00", general_public="6.00", government_fund="3.00"),)),
        [("funding_columns", "violation", "甲项目"), ("project_without_sheet", "warning", "甲项目")]),
    "table_totals: 表1 收入总计 and 支出总计": (
        lambda: disclosure(table1()), lambda: disclosure(table1(spent="90.00")),
        [("table_totals", "violation", "支出总计")]),
    "table_totals: 表2 合计 and 表1 本年收入合计": (
        lambda: disclosure(table1(), table(2, row(2, "合计", is_total=True, total="100.00", general_public="100.00"))),
        lambda: disclosure(table1(), table(2, row(2, "合计", is_total=True, total="98.00", general_public="100.00"))),
        [("table_totals", "violation", "合计")]),
    "table_totals: 表2 上年结转 and 表1 上年结转": (
        lambda: disclosure(table1(carryover="5.00"), table(2, row(2, "合计", is_total=True, total="100.00",
                                                                  general_public="100.00", carryover="5.00"))),
        lambda: disclosure(table1(carryover="5.00"), table(2, row(2, "合计", is_total=True, total="100.00",
                                                                  general_public="100.00"))),
        [("table_totals", "violation", "合计")]),
    "table_totals: 表1 类 line and 表3 类 row": (
        lambda: disclosure(table1(), class_table3()), lambda: disclosure(table1(), class_table3("90.00")),
        [("subtotal", "violation", "合计"), ("table_totals", "violation", "一般公共服务支出")]),
    "projects_vs_table3": (
        with_projects, lambda: with_projects("5.00"),
        [("projects_vs_table3", "violation", "合计"), ("project_without_sheet", "warning", "甲项目"),
         ("project_without_sheet", "info", "乙项目")]),
    "projects_vs_table3 off by 0.01万元": (
        with_projects, lambda: with_projects("9.99"),
        [("rounding", "warning", "合计"), ("project_without_sheet", "warning", "甲项目"),
         ("project_without_sheet", "info", "乙项目")]),
    "sheet_name_differs": (
        with_sheets, lambda: with_sheets(name="党群工作经费"), [("sheet_name_differs", "warning", "党群工作经历费")]),
    "sheet_vs_project": (
        with_sheets, lambda: with_sheets("7,000,000"), [("sheet_vs_project", "violation", "党群工作经历费")]),
    "sheet_vs_project: 元 that round to the 万元 figure are no finding, one unit more is 尾差": (
        lambda: with_sheets("7,235,040"), lambda: with_sheets("7,235,050"), [("rounding", "warning", "党群工作经历费")]),
    "sheet_annual_missing": (
        with_sheets, lambda: with_sheets(None), [("sheet_annual_missing", "info", "党群工作经历费")]),
    "project_without_sheet and sheet_without_project": (
        with_sheets, lambda: with_sheets(name="人才服务费用"),
        [("project_without_sheet", "warning", "党群工作经历费"),
         ("sheet_without_project", "warning", "项目支出绩效目标表 1 人才服务费用")]),
    "sheet_funding_levels": (
        lambda: disclosure(sheets=(sheet(0, "甲项目", "100", ("local", "70"), ("self_raised", "30")),)),
        lambda: disclosure(sheets=(sheet(0, "甲项目", "100", ("local", "60"), ("self_raised", "30")),)),
        [("sheet_without_project", "warning", "项目支出绩效目标表 1 甲项目"),
         ("sheet_funding_levels", "violation", "项目支出绩效目标表 1 甲项目")]),
    "overall_vs_tables": (
        overall, lambda: overall("31.00"),
        [("project_without_sheet", "warning", "甲项目"), ("overall_vs_tables", "violation", "部门整体绩效目标表"),
         ("overall_vs_tables", "violation", "部门整体绩效目标表")]),
    "narrative_amount": (
        lambda: narrative(statement("income_total", "预算收入总计", "100.00"), tables=(table1(),)),
        lambda: narrative(statement("income_total", "预算收入总计", "101.00"), tables=(table1(),)),
        [("narrative_amount", "violation", "说明 预算收入总计")]),
    "narrative_amount: a 表5 class by name": (
        lambda: narrative(statement("general_public_item", "一般公共服务支出", "100.00"),
                          tables=(table(5, row(5, "一般公共服务支出", "201", total="100.00")),)),
        lambda: narrative(statement("general_public_item", "一般公共服务支出", "100.01"),
                          tables=(table(5, row(5, "一般公共服务支出", "201", total="100.00")),)),
        [("rounding", "warning", "说明 一般公共服务支出")]),
    "narrative_label": (
        lambda: narrative(statement("general_public_item", "一般公共服务支出", "100.00"),
                          tables=(table(5, row(5, "一般公共服务支出", "201", total="100.00")),)),
        lambda: narrative(statement("general_public_item", "一般公共预算服务支出", "100.00"),
                          tables=(table(5, row(5, "一般公共服务支出", "201", total="100.00")),)),
        [("narrative_label", "info", "说明 一般公共预算服务支出")]),
    "narrative_share": (
        lambda: income_share("96.07"), lambda: income_share("90.00"),
        [("narrative_share", "violation", "说明 一般公共预算拨款收入")]),
    "narrative_share off by one printed digit": (
        lambda: income_share("96.07"), lambda: income_share("96.08"),
        [("rounding", "warning", "说明 一般公共预算拨款收入")]),
    "narrative_change: increase": (
        lambda: change("20.00"), lambda: change("25.00"),
        [("narrative_change", "violation", "说明 一般公共预算当年支出")]),
    "narrative_change: decrease": (
        lambda: change("20.00", "decrease", "80.00"), lambda: change("16.67", "decrease", "80.00"),
        [("narrative_change", "violation", "说明 一般公共预算当年支出")]),
    "narrative_projects: count": (
        performance, lambda: performance(count=3, parts=(2, 1)),
        [("narrative_projects", "violation", "说明 纳入绩效目标管理的项目")] + [("project_without_sheet", "warning", p)
                                                                     for p in ("甲项目", "乙项目")]),
    "narrative_projects: amount": (
        performance, lambda: performance(amount="31.00"),
        [("project_without_sheet", "warning", p) for p in ("甲项目", "乙项目")]
        + [("narrative_projects", "violation", "说明 纳入绩效目标管理的项目")] * 2),
    "narrative_projects: parts": (
        performance, lambda: performance(parts=(2, 1)),
        [("project_without_sheet", "warning", p) for p in ("甲项目", "乙项目")]
        + [("narrative_projects", "violation", "说明 纳入绩效目标管理的项目")]),
    "procurement_sum": (
        procurement, lambda: procurement("4.00"), [("procurement_sum", "violation", "说明 政府采购预算总额")]),
}


def without_linking(findings: list[tuple[str, str, str | None]]) -> list[tuple[str, str, str | None]]:
    return [f for f in findings if f[0] not in ("project_without_sheet", "sheet_without_project")]


@pytest.mark.parametrize("case", sorted(CHECK_CASES))
def test_check_consistent_twin_has_no_finding_of_its_kind(case: str) -> None:
    consistent, broken, expected = CHECK_CASES[case]
    assert without_linking(found(consistent())) == []


@pytest.mark.parametrize("case", sorted(CHECK_CASES))
def test_check_reports_the_broken_twin(case: str) -> None:
    consistent, broken, expected = CHECK_CASES[case]
    assert Counter(found(broken())) == Counter(expected)


def test_every_check_has_a_case() -> None:
    covered = {check for _, _, expected in CHECK_CASES.values() for check, _, _ in expected}
    assert covered == set(CHECKS)


def test_finding_carries_expected_and_printed_yuan_and_provenance() -> None:
    (finding,) = disclosure_to_findings(disclosure(coded_table3("150.00")))
    assert (finding.table, finding.row_index, finding.prov) == (3, 2, Provenance("t.txt", line=302))
    assert (finding.expected_yuan, finding.printed_yuan) == (Decimal("2500000"), Decimal("3000000"))
    assert finding.message == ("表3 20103 政府办公厅(室)及相关机构事务: 合计 300.00万元 but its 2 项 rows add up to "
                               "250.00万元 (difference 50.00万元)")


def test_empty_disclosure_has_no_findings() -> None:
    assert disclosure_to_findings(disclosure()) == []


# --- 4. the bundled samples ----------------------------------------------------------------------

def findings_of(parsed, name: str) -> list[Finding]:
    return parsed[name].disclosure.findings


def test_yangqu_one_cent_project_difference(parsed) -> None:
    """Gold: 表3 合计 项目支出 95205.45 while its rows, and 表12 + 表13, give 95205.46; 基本 + 项目 = 99999.99."""
    rounding = {f.message.rsplit("[", 1)[1].rstrip("]"): f for f in findings_of(parsed, "yangqu-park-service-center-2026")
                if f.check == "rounding"}
    assert set(rounding) == {"subtotal", "basic_plus_project", "projects_vs_table3"}
    assert all(f.severity == "warning" and (f.table, f.row) == (3, "合计") for f in rounding.values())
    assert (rounding["projects_vs_table3"].expected_yuan, rounding["projects_vs_table3"].printed_yuan) == (
        Decimal("952054600"), Decimal("952054500"))
    assert (rounding["basic_plus_project"].expected_yuan, rounding["basic_plus_project"].printed_yuan) == (
        Decimal("999999900"), Decimal("1000000000"))


def test_yangqu_four_name_differences(parsed) -> None:
    d = parsed["yangqu-park-service-center-2026"].disclosure
    pairs = {(f.row, d.sheets[f.sheet].name) for f in d.findings if f.check == "sheet_name_differs"}
    assert pairs == {("党群工作经历费", "党群工作经费"), ("非公党委工作经历费", "非公党委工作经费"),
                     ("规划建设工作经历费", "规划建设经费"), ("职工伙食政务值班经费", "职工伙食费值班经费")}


def test_yangqu_sheet_amount_and_narrative(parsed) -> None:
    findings = findings_of(parsed, "yangqu-park-service-center-2026")
    (municipal,) = [f for f in findings if f.check == "sheet_vs_project"]
    assert (municipal.row, municipal.expected_yuan, municipal.printed_yuan) == (
        "市政服务及市政建设费用", Decimal("79630000"), Decimal("79650000"))
    narrative = [f.message for f in findings if f.check == "narrative_projects"]
    assert any("36 projects" in m and "表12 lists 39" in m for m in narrative)
    assert any("95160.46万元" in m and "95181.02万元" in m for m in narrative)
    assert any("= 37 projects" in m for m in narrative)  # 其他运转类项目 2 + 特定目标类项目 35
    missing = {f.row for f in findings if f.check == "sheet_annual_missing"}
    assert missing == {"房屋租赁费用", "规划建设工作经历费", "应急处置经费", "园区应急费用"}


def test_administrative_approval_sheets_do_not_match_table12(parsed) -> None:
    """Gold: 11 表12 projects, 20 sheets of another unit; only two names in both, with other amounts."""
    findings = findings_of(parsed, "administrative-approval-bureau-2025")
    mismatched = {(f.row, f.expected_yuan, f.printed_yuan) for f in findings if f.check == "sheet_vs_project"}
    assert mismatched == {("公务出行交通补贴经费", Decimal("40000"), Decimal("60000")),
                          ("委托业务经费", Decimal("985000"), Decimal("230000"))}
    assert sum(f.check == "project_without_sheet" for f in findings) == 9
    assert sum(f.check == "sheet_without_project" for f in findings) == 18
    assert not [f for f in findings if f.check == "sheet_name_differs"]


def test_jinzhong_overall_table_and_name(parsed) -> None:
    findings = findings_of(parsed, "jinzhong-economic-operation-2024")
    overall = sorted((f.expected_yuan, f.printed_yuan) for f in findings if f.check == "overall_vs_tables")
    assert overall == [(Decimal("63650000"), Decimal("63733700")), (Decimal("63891700"), Decimal("63975400"))]
    assert [f.row for f in findings if f.check == "sheet_name_differs"] == ["转型项目建设年经费"]
    assert {(f.table, f.row) for f in findings if f.check == "childless_subtotal"} == {
        (2, "21907 交通运输"), (3, "21907 交通运输"), (5, "21907 交通运输")}
    assert {(f.row, f.severity) for f in findings if f.check == "project_without_sheet"} == {
        ("2023年技术改造专项资金(重点产业链培育方向)", "info"), ("2021年市级技改资金", "info")}


# Findings per check and severity on each sample text: a change here is a change in behaviour.
SAMPLE_COUNTS = {
    "administrative-approval-bureau-2025": {("sheet_vs_project", "violation"): 2, ("project_without_sheet", "warning"): 9,
                                            ("sheet_without_project", "warning"): 18, ("narrative_label", "info"): 1},
    "jinzhong-economic-operation-2024": {("childless_subtotal", "info"): 3, ("sheet_name_differs", "warning"): 1,
                                         ("overall_vs_tables", "violation"): 2, ("project_without_sheet", "info"): 2},
    "yangqu-park-service-center-2026": {("rounding", "warning"): 3, ("sheet_name_differs", "warning"): 4,
                                        ("sheet_vs_project", "violation"): 1, ("sheet_annual_missing", "info"): 4,
                                        ("project_without_sheet", "warning"): 20, ("project_without_sheet", "info"): 1,
                                        ("narrative_projects", "violation"): 3, ("overall_vs_tables", "violation"): 2},
}


@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTS))
def test_sample_finding_counts(parsed, name: str) -> None:
    assert dict(Counter((f.check, f.severity) for f in findings_of(parsed, name))) == SAMPLE_COUNTS[name]


def test_sample_statements_agree_with_the_tables(parsed) -> None:
    """The narrative restates the tables; the samples' figures agree, so only the findings above remain."""
    d = parsed["yangqu-park-service-center-2026"].disclosure
    keys = Counter(s.key for s in d.statements)
    assert keys["income_item"] == 6 and keys["general_public_item"] == 5 and keys["performance_part"] == 2
    assert not [f for f in d.findings if f.check in ("narrative_amount", "narrative_share", "narrative_change")]


@pytest.fixture(scope="module")
def pdf_findings(parsed_pdf) -> dict[str, list[Finding]]:
    assert sorted(parsed_pdf) == sorted(p.stem for p in EXAMPLES.glob("*.pdf"))
    return {name: p.disclosure.findings for name, p in parsed_pdf.items()}


def without_provenance(findings: list[Finding]) -> list[tuple]:
    return [(f.check, f.severity, f.table, f.row, f.sheet, f.expected_yuan, f.printed_yuan, f.message) for f in findings]


@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTS))
def test_pdf_gives_the_same_findings_as_text(parsed, pdf_findings, name: str) -> None:
    assert without_provenance(pdf_findings[name]) == without_provenance(findings_of(parsed, name))
    assert all(f.prov and f.prov.page for f in pdf_findings[name])


# --- 5. the graph --------------------------------------------------------------------------------

def test_findings_are_in_the_document_graph(parsed) -> None:
    p = parsed["yangqu-park-service-center-2026"]
    g = p.graph
    nodes = set(g.subjects(RDF.type, T.Finding))
    assert len(nodes) == len(p.disclosure.findings)
    d_iri = iris.disclosure(organization_key(p.disclosure.organization.name), 2026, p.disclosure.kind)
    assert set(g.objects(d_iri, T.hasFinding)) == nodes
    src = disclosure_iri(p.disclosure)
    (municipal,) = [f for f in nodes if str(g.value(f, T.checkId)) == "sheet_vs_project"]
    assert g.value(municipal, T.severity) == SH.Violation
    assert g.value(municipal, T.expectedYuan) == Literal("79630000", datatype=XSD.decimal)
    assert g.value(municipal, T.printedYuan) == Literal("79650000", datatype=XSD.decimal)
    assert g.value(municipal, T.findingTable) == Literal(12, datatype=XSD.integer)
    assert g.value(municipal, T.sourceLine) == Literal(364, datatype=XSD.integer)
    assert set(g.objects(municipal, T.concerns)) == {iris.row(src, 12, 5), iris.sheet(src, 9)}


def test_close_named_sheets_are_linked_to_their_project_in_the_graph(parsed) -> None:
    p = parsed["yangqu-park-service-center-2026"]
    g, src = p.graph, disclosure_iri(p.disclosure)
    linked = {str(g.value(iris.sheet(src, s.index), T.projectName)): str(g.value(
        g.value(iris.sheet(src, s.index), T.forProject), T.projectName)) for s in p.disclosure.sheets}
    assert linked["党群工作经费"] == "党群工作经历费"
    assert linked["规划建设经费"] == "规划建设工作经历费"
    assert linked["市政服务及市政建设费用"] == "市政服务及市政建设费用"
    assert len(linked) == 19


def finding_graph(parsed) -> tuple[Graph, object]:
    """One finding and the disclosure it hangs on, cut out of a sample graph (quick to validate)."""
    g = parsed["jinzhong-economic-operation-2024"].graph
    finding = next(f for f in g.subjects(RDF.type, T.Finding) if str(g.value(f, T.checkId)) == "sheet_name_differs")
    small = Graph()
    for node in (finding, *g.objects(finding, T.concerns), g.value(finding, T.inDisclosure)):
        for triple in g.triples((node, None, None)):
            small.add(triple)
    small.add((g.value(finding, T.inDisclosure), T.hasFinding, finding))
    return small, finding


def finding_results(g: Graph, finding: object) -> set[object]:
    shapes = Graph().parse(SHAPES_TTL, format="turtle")
    ontology = Graph().parse(ONTOLOGY_TTL, format="turtle")
    _, results, _ = validate(g, shacl_graph=shapes, ont_graph=ontology, inference="none")
    return {results.value(r, SH.resultPath) for r in results.subjects(RDF.type, SH.ValidationResult)
            if results.value(r, SH.focusNode) == finding}


BROKEN_FINDINGS = {
    "severity as text": (T.severity, Literal("warning")),
    "no message": (T.findingMessage, None),
    "table 0 (slots start at 1)": (T.findingTable, Literal(0, datatype=XSD.integer)),
    "amount as a float": (T.printedYuan, Literal(30000.0)),
    "check id with spaces": (T.checkId, Literal("name differs")),
    "concerns a disclosure": (T.concerns, "disclosure"),
}


def test_finding_cut_out_conforms(parsed) -> None:
    g, finding = finding_graph(parsed)
    assert finding_results(g, finding) == set()


@pytest.mark.parametrize("case", sorted(BROKEN_FINDINGS))
def test_broken_finding_does_not_conform(parsed, case: str) -> None:
    g, finding = finding_graph(parsed)
    prop, value = BROKEN_FINDINGS[case]
    if value == "disclosure":
        value = g.value(finding, T.inDisclosure)
    else:
        g.remove((finding, prop, None))
    if value is not None:
        g.add((finding, prop, value))
    assert prop in finding_results(g, finding)
