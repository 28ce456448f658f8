"""Reconciliation: check that the figures a disclosure prints agree with each other,
and report what does not as Finding records (they go into the document's graph as
bk:Finding, see ingest.mapping).

Checks (ids in CHECKS): subtotal rows against their items at every level, columns
of a row against its total, totals across tables 1-8, 表12 + 表13 against 表3
项目支出, each performance sheet against its 表12/13 entry and against its own
funding levels, the 部门整体绩效目标表 and the narrative's figures against the tables.
A difference of at most one unit in the last printed digit (0.01 万元, the 尾差 of
rounding) is a finding of its own, ``rounding``, with severity warning; anything
larger is a violation of the check that found it.

Every check is a pure function of the parsed records, so it can be tested on tiny
synthetic records.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from budgetkg.ingest import patterns as P
from budgetkg.ingest.amounts import WAN, Amount, yuan_to_text
from budgetkg.ingest.catalogue import GENERIC_SLOT_BASE
from budgetkg.ingest.linking import CLOSE, SheetLinks, link_sheets, yuan_to_wan
from budgetkg.ingest.model import Provenance
from budgetkg.ingest.records import BudgetTable, Disclosure, Finding, Project, ProjectSheet, Statement, TableRow
from budgetkg.ontology.iris import normalise_key

VIOLATION = "violation"
WARNING = "warning"
INFO = "info"

# 尾差: tables 1-13 and the narrative print 万元 to two decimals, so sums of rounded
# figures may be off by one unit in the last digit (0.01 万元 = 100 元).
ROUNDING_TOLERANCE_WAN = Decimal("0.01")
ROUNDING_TOLERANCE_YUAN = ROUNDING_TOLERANCE_WAN * WAN
# A table printed in 元 (the nine-table layout) rounds to the fen: a 尾差 there is a total printed
# without its 角分 (22,118,861 for 22,118,861.34), at most one yuan.
ROUNDING_TOLERANCE_YUAN_TABLE = Decimal("1")
# Project sheets print exact 元: their funding levels must add up to the yuan.
SHEET_TOLERANCE_YUAN = Decimal(0)
# A printed share or growth rate (占 96.07%) may be off by this many units of its last digit (尾差).
PERCENT_TOLERANCE_UNITS = 1

ROUNDING = "rounding"
CHECKS: dict[str, str] = {
    "subtotal": "a 合计 / 类 / 款 row (表2/3/5/7/8), a 表6 economic class or a 表10 line against the sum of its items",
    "code_misprint": "a subject code printed wrongly (a 类 that is not three digits) and read under the 款 it sits in",
    "generic_table": "a table of no kind in the table catalogue, kept as a generic table (info)",
    "childless_subtotal": "a 类 or 款 row with no rows under it in a table that lists the next level elsewhere",
    "basic_plus_project": ("基本支出 + 项目支出 against 合计, every row of 表3/5/8 (and of a 收支总表 split into "
                           "人员经费 | 公用经费 | 项目支出)"),
    "personnel_plus_public": "人员经费 + 公用经费 against 合计, every row of 表6",
    "funding_columns": "the funding columns of a 表12/13 project against its 合计",
    "table_totals": "the same total printed in two of 表1-8 (表1 vs 表2 vs 表3 vs 表4, 表5/6/8)",
    "projects_vs_table3": "表12 + 表13 project totals against 表3 合计 项目支出",
    "sheet_name_differs": "a sheet linked to its 表12/13 entry by a close name (with the same amount)",
    "project_without_sheet": "a 表12 entry (warning) or 表13 entry (info) with no performance sheet",
    "sheet_without_project": "a performance sheet that no 表12/13 entry matches",
    "sheet_vs_project": "a sheet's 年度资金总额 against its 表12/13 amount",
    "sheet_annual_missing": "a linked sheet that prints no 年度资金总额, so its amount cannot be checked",
    "sheet_funding_levels": "a sheet's 中央/省级/市县/自筹/其他 funding against its 资金总额, per period",
    "overall_vs_tables": "the 部门整体绩效目标表 figures against the tables and each other",
    "narrative_amount": "an amount in the 说明 against the table it restates",
    "narrative_label": "a 说明 amount whose label names no row of the table it restates",
    "narrative_share": "a 说明 share (占 p%) against the amounts it is computed from",
    "narrative_change": "a 说明 change on last year (比上年增加/减少 d, 增长/下降 p%) against itself",
    "narrative_projects": "the 说明's 绩效 project count and amount against 表12 and its own parts",
    "procurement_sum": "政府采购 goods + works + services against the 政府采购预算总额",
    ROUNDING: "any of the above off by at most 0.01 万元 (尾差), or a share off by one printed digit",
}

COLUMN_NAMES = {
    "total": "合计", "basic": "基本支出", "project": "项目支出", "general_public": "一般公共预算",
    "government_fund": "政府性基金", "state_capital": "国有资本经营", "special_account": "财政专户管理资金",
    "unit_funds": "单位资金", "carryover": "上年结转", "current_year": "当年预算安排", "personnel": "人员经费",
    "public_use": "公用经费",
}
LEVELS = {3: "类", 5: "款", 7: "项"}
FUNDING_COLUMNS = ("general_public", "government_fund", "state_capital", "special_account", "unit_funds")

# (check id, tables, part columns, what the parts are called): parts must add up to 合计.
COLUMN_RULES: tuple[tuple[str, tuple[int, ...], tuple[str, ...], str], ...] = (
    ("basic_plus_project", (3, 5, 8), ("basic", "project"), "基本支出 + 项目支出"),
    # the nine-table unit 收支总表 splits each expenditure line into 人员经费 | 公用经费 | 项目支出
    ("basic_plus_project", (1,), ("personnel", "public_use", "project"), "人员经费 + 公用经费 + 项目支出"),
    ("personnel_plus_public", (6,), ("personnel", "public_use"), "人员经费 + 公用经费"),
    ("funding_columns", (12, 13), FUNDING_COLUMNS, "the funding columns"),
)


# --- where a finding is, amounts and comparisons ----------------------------------------

@dataclass(frozen=True, slots=True)
class At:
    """Where a finding points: a table row, a sheet, or a narrative line."""

    row: str | None = None
    prov: Provenance | None = None
    table: int | None = None
    row_index: int | None = None
    sheet: int | None = None

    def finding(self, check: str, severity: str, message: str, expected: Decimal | None = None,
                printed: Decimal | None = None) -> Finding:
        return Finding(check, severity, message, self.prov, self.table, self.row, self.row_index, self.sheet,
                       expected, printed)


def wan_text(yuan: Decimal) -> str:
    return f"{(yuan / WAN).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}万元"


def yuan_text(yuan: Decimal) -> str:
    return f"{yuan_to_text(yuan)}元"


def table_tolerance(table: BudgetTable) -> Decimal:
    """The 尾差 a table's printed unit allows: 0.01 万元, or a yuan in a table printed in 元."""
    return ROUNDING_TOLERANCE_YUAN_TABLE if table.unit == "元" else ROUNDING_TOLERANCE_YUAN


def table_fmt(table: BudgetTable) -> Callable[[Decimal], str]:
    """Amounts in messages in the unit the table prints."""
    return yuan_text if table.unit == "元" else wan_text


def judge(check: str, difference: Decimal, tolerance: Decimal) -> tuple[str, str] | None:
    """(check id, severity) of a difference: none, 尾差 within ``tolerance``, or a violation."""
    if difference == 0:
        return None
    if abs(difference) <= tolerance:
        return ROUNDING, WARNING
    return check, VIOLATION


def compare(check: str, printed: Decimal, expected: Decimal, what: str, against: str, at: At, *,
            tolerance: Decimal = ROUNDING_TOLERANCE_YUAN, fmt: Callable[[Decimal], str] = wan_text) -> Finding | None:
    """None when equal; a ``rounding`` warning within ``tolerance``; else a violation of ``check``.
    ``what`` names the printed figure, ``against`` what it should equal."""
    verdict = judge(check, printed - expected, tolerance)
    if verdict is None:
        return None
    text = f"{what} {fmt(printed)} but {against} {fmt(expected)} (difference {fmt(printed - expected)})"
    if verdict[0] == ROUNDING:
        text += f": 尾差 [{check}]"
    return at.finding(*verdict, text, expected, printed)


def compare_percent(check: str, printed: str, exact: Decimal, what: str, at: At) -> Finding | None:
    """A printed percentage against its exact value: equal once rounded to the printed
    digits; off by at most one unit in the last printed digit is rounding."""
    places = len(printed.split(".", 1)[1]) if "." in printed else 0
    unit = Decimal(1).scaleb(-places)
    value = Decimal(printed)
    if exact.quantize(unit, rounding=ROUND_HALF_UP) == value:
        return None
    verdict = judge(check, value - exact, unit * PERCENT_TOLERANCE_UNITS)
    if verdict is None:
        return None
    text = f"{what} {printed}% but the amounts give {exact.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)}%"
    if verdict[0] == ROUNDING:
        text += f": 尾差 [{check}]"
    return at.finding(*verdict, text)


def yuan(amount: Amount | None) -> Decimal:
    """An empty cell states nothing: zero."""
    return amount.yuan if amount is not None else Decimal(0)


def row_label(row: TableRow) -> str:
    return f"{row.code} {row.label}" if row.code else row.label


def at_row(row: TableRow) -> At:
    return At(row_label(row), row.prov, row.table, row.index)


def sheet_label(sheet: ProjectSheet) -> str:
    return f"项目支出绩效目标表 {sheet.index + 1} {sheet.name}"


def at_sheet(sheet: ProjectSheet) -> At:
    return At(sheet_label(sheet), sheet.prov, sheet=sheet.index)


def keep(findings: Iterable[Finding | None]) -> Iterator[Finding]:
    return (f for f in findings if f is not None)


# --- 1. subtotals within a table ------------------------------------------------------------

def columns_of(rows: Iterable[TableRow]) -> list[str]:
    return list(dict.fromkeys(cell.column for row in rows for cell in row.cells))


def sum_check(table: BudgetTable, parent: TableRow, children: list[TableRow], items: str) -> Iterator[Finding]:
    """``parent`` against the sum of ``children``, column by column (no children: nothing to sum)."""
    if not children:
        return
    for column in columns_of([parent, *children]):
        values = [child.amount(column) for child in children]
        if parent.amount(column) is None and all(v is None for v in values):
            continue
        name = COLUMN_NAMES.get(column, column)
        found = compare("subtotal", yuan(parent.amount(column)), sum((yuan(v) for v in values), Decimal(0)),
                        f"表{table.number} {row_label(parent)}: {name}",
                        f"its {len(children)} {items} add up to", at_row(parent),
                        tolerance=table_tolerance(table), fmt=table_fmt(table))
        if found:
            yield found


def coded_subtotals(table: BudgetTable,
                    code_of: Callable[[TableRow], str | None] = lambda r: r.code) -> Iterator[Finding]:
    """合计 = Σ 类, 类 = Σ its 款, 款 = Σ its 项 (tables 2, 3, 5, 7, 8; 经济分类 类 = Σ 款)."""
    coded = [r for r in table.rows if code_of(r)]
    total = next((r for r in table.rows if r.is_total), None)
    lengths = {len(code_of(r) or "") for r in coded}
    if total is not None:
        yield from sum_check(table, total, [r for r in coded if len(code_of(r) or "") == 3], "类 rows")
    for parent in coded:
        code = code_of(parent) or ""
        if len(code) >= 7:
            continue
        children = [r for r in coded if len(code_of(r) or "") == len(code) + 2 and (code_of(r) or "").startswith(code)]
        if children:
            yield from sum_check(table, parent, children, f"{LEVELS[len(code) + 2]} rows")
        elif len(code) + 2 in lengths:
            yield at_row(parent).finding("childless_subtotal", INFO,
                                         f"表{table.number} {LEVELS[len(code)]} {row_label(parent)} has no "
                                         f"{LEVELS[len(code) + 2]} rows under it")


def positional_subtotals(table: BudgetTable, is_child: Callable[[TableRow], bool]) -> Iterator[Finding]:
    """Tables without codes: a parent row is followed by its item rows (``is_child``);
    合计 is the sum of the parents (or of the items when there are no parents)."""
    total = next((r for r in table.rows if r.is_total), None)
    body = [r for r in table.rows if not r.is_total]
    parents = [r for r in body if not is_child(r)]
    for i, parent in enumerate(body):
        if is_child(parent):
            continue
        children = []
        for row in body[i + 1:]:
            if not is_child(row):
                break
            children.append(row)
        if children:
            yield from sum_check(table, parent, children, "item rows")
    if total is not None:
        top = parents if parents else body
        yield from sum_check(table, total, top, "rows" if parents else "item rows")


def header_tree_subtotals(table: BudgetTable) -> Iterator[Finding]:
    """A grid (ingest.parsers.tables.grid_table): a row is the sum of the rows whose
    category is its label (公务用车购置及运行费 = 购置费 + 运行费), and 合计 the sum of the other
    rows of its category (“三公”经费 合计 = 因公出国(境)费 + 公务接待费 + 公务用车购置及运行费)."""
    for parent in table.rows:
        children = [r for r in table.rows if r.category == parent.label and not r.is_total]
        if parent.is_total:
            children = [r for r in table.rows if r.category == parent.category and r is not parent
                        and not r.is_total]
        yield from sum_check(table, parent, children, "item rows")


def code_misprints(d: Disclosure) -> Iterator[Finding]:
    """Rows whose printed code parts are not the code they were read as (ingest.parsers.tables.parts_to_code)."""
    for number, table in sorted(d.tables.items()):
        for row in table.rows:
            if row.code_printed is None:
                continue
            read = row.code or row.economic_code
            what = f"read as {read} (under the 款 above it)" if read else "not readable as a code"
            yield at_row(row).finding("code_misprint", WARNING,
                                      f"表{number} {row.label}: code printed as {row.code_printed}, {what}")


def generic_tables(d: Disclosure) -> Iterator[Finding]:
    """Tables the catalogue does not know: kept, and named so a reader can add their kind."""
    for number, table in sorted(d.tables.items()):
        if number >= GENERIC_SLOT_BASE:
            yield Finding("generic_table", INFO,
                          f"table '{table.title}' ({len(table.rows)} rows) is of no kind in the table catalogue; "
                          f"kept as generic table {number}", table.prov, number)


def table_subtotals(d: Disclosure) -> Iterator[Finding]:
    for number, table in sorted(d.tables.items()):
        if any(r.code for r in table.rows):
            yield from coded_subtotals(table)
        elif any(r.economic_code for r in table.rows):
            yield from coded_subtotals(table, lambda r: r.economic_code)
        elif number == 10 and any(r.category for r in table.rows):
            yield from header_tree_subtotals(table)
        elif number == 6:  # economic classes, each followed by its items (which carry a category)
            yield from positional_subtotals(table, lambda r: r.category is not None)
        elif number == 10:  # 公务用车购置及运行费 followed by 1公务用车购置费 / 2公务用车运行维护费
            yield from positional_subtotals(table, lambda r: bool(P.THREE_PUBLIC_SUBITEM.match(r.label)))


# --- 2. columns of a row against its total -----------------------------------------------

def row_columns(d: Disclosure) -> Iterator[Finding]:
    for check, tables, parts, called in COLUMN_RULES:
        for number in tables:
            table = d.tables.get(number)
            if table is None:
                continue
            for row in table.rows:
                total = row.amount("total")
                values = [row.amount(c) for c in parts]
                if total is None or all(v is None for v in values):
                    continue
                found = compare(check, total.yuan, sum((yuan(v) for v in values), Decimal(0)),
                                f"表{number} {row_label(row)}: 合计", called, at_row(row),
                                tolerance=table_tolerance(table), fmt=table_fmt(table))
                if found:
                    yield found


# --- 3. totals across tables ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Cell:
    """One printed figure: table, row (None = the 合计 row; else the printed label), column."""

    table: int
    label: str | None = None
    column: str = "total"
    side: str | None = None

    def row(self, d: Disclosure) -> TableRow | None:
        table = d.tables.get(self.table)
        if table is None or table.no_data:
            return None
        for row in table.rows:
            if self.side and row.side != self.side:
                continue
            if self.label is None and row.is_total and row.label in ("合计", "总计", "部门合计"):
                return row
            if self.label is not None and normalise_key(row.label) == self.label:
                return row
        return None

    def describe(self) -> str:
        column = "" if self.column == "total" else f": {COLUMN_NAMES.get(self.column, self.column)}"
        return f"表{self.table} {self.label or '合计'}{column}"


# (printed, expected): the same figure printed twice.
TABLE_TOTAL_RULES: tuple[tuple[Cell, Cell], ...] = (
    (Cell(1, "支出总计"), Cell(1, "收入总计")),
    (Cell(2), Cell(1, "本年收入合计")),
    (Cell(2, None, "general_public"), Cell(1, "一般公共预算", side="income")),
    (Cell(2, None, "government_fund"), Cell(1, "政府性基金预算", side="income")),
    (Cell(2, None, "carryover"), Cell(1, "上年结转", side="income")),
    (Cell(3), Cell(1, "支出总计")),
    (Cell(4, "支出总计"), Cell(4, "收入总计")),
    (Cell(4, "一般公共预算", side="income"), Cell(1, "一般公共预算", side="income")),
    (Cell(4, "政府性基金预算", side="income"), Cell(1, "政府性基金预算", side="income")),
    (Cell(5), Cell(1, "一般公共预算", side="income")),
    (Cell(6), Cell(5, None, "basic")),
    # the nine-table unit 收支总表's 人员经费 / 公用经费 split against the 经济分类 table
    (Cell(1, "支出总计", "personnel"), Cell(6, None, "personnel")),
    (Cell(1, "支出总计", "public_use"), Cell(6, None, "public_use")),
    (Cell(8), Cell(1, "政府性基金预算", side="income")),
)


def prints_column(d: Disclosure, cell: Cell) -> bool:
    """A table without the column at all (the nine-table 收入总表 has no 一般公共预算 column)
    states nothing about it; an empty cell in a column it has is read as 0."""
    table = d.tables[cell.table]
    return not table.columns or cell.column in table.columns


def cell_pair(check: str, d: Disclosure, printed: Cell, expected: Cell) -> Finding | None:
    p_row, e_row = printed.row(d), expected.row(d)
    if p_row is None or e_row is None or not prints_column(d, printed):
        return None
    table = d.tables[printed.table]
    return compare(check, yuan(p_row.amount(printed.column)), yuan(e_row.amount(expected.column)),
                   printed.describe(), expected.describe(), at_row(p_row),
                   tolerance=table_tolerance(table), fmt=table_fmt(table))


def table_totals(d: Disclosure) -> Iterator[Finding]:
    yield from keep(cell_pair("table_totals", d, printed, expected) for printed, expected in TABLE_TOTAL_RULES)
    # 表1 lists expenditure by 类: each against the 类 row of 表3 with the same name.
    table3 = d.tables.get(3)
    if 1 not in d.tables or table3 is None:
        return
    classes = {normalise_key(r.label): r for r in table3.rows if r.code and len(r.code) == 3}
    for row in d.tables[1].rows:
        match = classes.get(normalise_key(row.label)) if row.side == "expenditure" else None
        if match is None or row.amount("total") is None:
            continue
        found = compare("table_totals", yuan(row.amount("total")), yuan(match.amount("total")),
                        f"表1 {row.label}", f"表3 {row_label(match)}", at_row(row))
        if found:
            yield found


# --- 4. projects against 表3 -----------------------------------------------------------------

def project_sum(projects: Iterable[Project]) -> Decimal:
    return sum((yuan(p.total) for p in projects), Decimal(0))


def projects_text(projects: list[Project]) -> str:
    return f"{len(projects)} project{'' if len(projects) == 1 else 's'}"


def projects_vs_table3(d: Disclosure) -> Iterator[Finding]:
    total = Cell(3, None, "project").row(d)
    if total is None or not ({12, 13} & d.tables.keys()):
        return
    current = [p for p in d.projects if p.list == "current"]
    carryover = [p for p in d.projects if p.list == "carryover"]
    found = compare("projects_vs_table3", yuan(total.amount("project")), project_sum(current) + project_sum(carryover),
                    "表3 合计: 项目支出",
                    f"表12 ({projects_text(current)}, {wan_text(project_sum(current))}) + "
                    f"表13 ({projects_text(carryover)}, {wan_text(project_sum(carryover))}) =", at_row(total))
    if found:
        yield found


# --- 5. performance sheets ---------------------------------------------------------------------

def at_project(project: Project, sheet: ProjectSheet | None = None) -> At:
    row = project.row
    return At(project.name, project.where, row.table if row else None, row.index if row else None,
              sheet.index if sheet is not None else None)


def table_of(project: Project) -> str:
    return {"current": "表12", "carryover": "表13"}.get(project.list, "项目经费情况说明")


def sheet_links(d: Disclosure, links: SheetLinks) -> Iterator[Finding]:
    """What the linking found: close-name links and what stayed unmatched on either side."""
    sheets = {s.index: s for s in d.sheets}
    for link in links.links:
        if link.method != CLOSE:
            continue
        project, sheet = d.projects[link.project], sheets[link.sheet]
        yield at_project(project, sheet).finding(
            "sheet_name_differs", WARNING,
            f"{table_of(project)} '{project.name}' and sheet {sheet.index + 1} '{sheet.name}' name the same "
            f"project differently (linked by close name, similarity {link.similarity:.2f})",
            project.total.yuan if project.total else None, annual_yuan(sheet))
    for position in links.unmatched_projects:
        project = d.projects[position]
        current = project.list == "current"
        yield at_project(project).finding(
            "project_without_sheet", WARNING if current else INFO,
            f"{table_of(project)} '{project.name}' ({wan_text(yuan(project.total))}) has no 项目支出绩效目标表",
            printed=project.total.yuan if project.total else None)
    if not ({12, 13} & d.tables.keys()) and any(p.list == "described" for p in d.projects):
        return  # projects described in prose and no project table: the sheets have nothing to match
    for index in links.unmatched_sheets:
        sheet = sheets[index]
        annual = sheet.total("annual")
        amount = f" (年度资金总额 {yuan_text(annual.yuan)})" if annual else ""
        yield at_sheet(sheet).finding("sheet_without_project", WARNING,
                                      f"sheet {index + 1} '{sheet.name}'{amount} matches no 表12/13 entry",
                                      printed=annual_yuan(sheet))


def sheet_vs_project(d: Disclosure, links: SheetLinks) -> Iterator[Finding]:
    sheets = {s.index: s for s in d.sheets}
    for link in links.links:
        project, sheet = d.projects[link.project], sheets[link.sheet]
        annual, total = sheet.total("annual"), project.total
        if total is None:
            continue
        at = at_project(project, sheet)
        if annual is None:
            yield at.finding("sheet_annual_missing", INFO,
                             f"sheet {sheet.index + 1} '{sheet.name}' prints no 年度资金总额; {table_of(project)} "
                             f"'{project.name}' {wan_text(total.yuan)} cannot be checked", total.yuan)
            continue
        # Compared in 万元 to two decimals, as 表12/13 print it: 581,900元 is 58.19万元.
        verdict = judge("sheet_vs_project", yuan_to_wan(annual.yuan) * WAN - total.yuan, ROUNDING_TOLERANCE_YUAN)
        if verdict is None:
            continue
        text = (f"sheet {sheet.index + 1} '{sheet.name}' 年度资金总额 {yuan_text(annual.yuan)} but "
                f"{table_of(project)} '{project.name}' prints {wan_text(total.yuan)} "
                f"(difference {yuan_text(annual.yuan - total.yuan)})")
        if verdict[0] == ROUNDING:
            text += ": 尾差 [sheet_vs_project]"
        yield at.finding(*verdict, text, total.yuan, annual.yuan)


def annual_yuan(sheet: ProjectSheet) -> Decimal | None:
    annual = sheet.total("annual")
    return annual.yuan if annual is not None else None


def sheet_funding_levels(d: Disclosure) -> Iterator[Finding]:
    for sheet in d.sheets:
        for period, called in (("implementation", "实施期"), ("annual", "年度")):
            lines = [line for line in sheet.funding if line.period == period]
            total = next((line for line in lines if line.level == "total"), None)
            levels = [line for line in lines if line.level != "total" and line.amount is not None]
            if total is None or total.amount is None or not levels:
                continue
            levels_sum = sum((yuan(x.amount) for x in levels), Decimal(0))
            found = compare("sheet_funding_levels", total.amount.yuan, levels_sum,
                            f"sheet {sheet.index + 1} '{sheet.name}' {called}资金总额",
                            f"its {len(levels)} funding levels add up to", tolerance=SHEET_TOLERANCE_YUAN,
                            fmt=yuan_text, at=At(sheet_label(sheet), total.prov, sheet=sheet.index))
            if found:
                yield found


# --- 6. 部门整体绩效目标表 ---------------------------------------------------------------------

def overall_vs_tables(d: Disclosure) -> Iterator[Finding]:
    overall = d.overall
    if overall is None or not overall.figures:
        return
    figures = overall.figures
    at = At("部门整体绩效目标表", overall.prov)
    current = [p for p in d.projects if p.list == "current"]
    references: list[tuple[str, Decimal | None, str]] = [
        ("基本支出", cell_value(d, Cell(3, None, "basic")), "表3 合计: 基本支出"),
        ("项目支出", project_sum(current) if 12 in d.tables else None, f"表12 ({projects_text(current)})"),
        ("合计", cell_value(d, Cell(1, "本年收入合计")), "表1 本年收入合计"),
    ]
    for key, expected, against in references:
        if key in figures and expected is not None:
            found = compare("overall_vs_tables", figures[key].yuan, expected, f"部门整体绩效目标表 {key}", against, at)
            if found:
                yield found
    if {"基本支出", "项目支出", "合计"} <= figures.keys():
        found = compare("overall_vs_tables", figures["合计"].yuan, figures["基本支出"].yuan + figures["项目支出"].yuan,
                        "部门整体绩效目标表 合计", "its 基本支出 + 项目支出", at)
        if found:
            yield found


def cell_value(d: Disclosure, cell: Cell) -> Decimal | None:
    row = cell.row(d)
    return None if row is None else yuan(row.amount(cell.column))


# --- 7. the narrative ------------------------------------------------------------------------

# Single-figure statements -> the table cell they restate.
NARRATIVE_CELLS: dict[str, Cell] = {
    "income_total": Cell(1, "收入总计"),
    "income_current": Cell(1, "本年收入合计"),
    "income_carryover": Cell(1, "上年结转", side="income"),
    "expenditure_total": Cell(1, "支出总计"),
    "general_public_current": Cell(5),
    "basic_total": Cell(6),
    "basic_personnel": Cell(6, None, "personnel"),
    "basic_public_use": Cell(6, None, "public_use"),
    "three_public_total": Cell(10),
}


def statement_cell(d: Disclosure, statement: Statement) -> Cell | None:
    if statement.key in NARRATIVE_CELLS:
        return NARRATIVE_CELLS[statement.key]
    if statement.key == "income_item" and statement.label in P.NARRATIVE_INCOME_LINES:
        return Cell(1, P.NARRATIVE_INCOME_LINES[statement.label], side="income")
    if statement.key == "expenditure_item" and statement.label in P.NARRATIVE_EXPENDITURE_COLUMNS:
        return Cell(3, None, P.NARRATIVE_EXPENDITURE_COLUMNS[statement.label])
    return None


def at_statement(statement: Statement) -> At:
    return At(f"说明 {statement.label}", statement.prov)


def narrative_amounts(d: Disclosure) -> Iterator[Finding]:
    table5 = d.tables.get(5)
    classes = {normalise_key(r.label): r for r in table5.rows if r.code and len(r.code) == 3} if table5 else {}
    for statement in d.statements:
        at = at_statement(statement)
        what = f"说明 {statement.label}"
        if statement.key == "subject_item":
            yield from subject_item_amounts(d, statement)
            continue
        if statement.key == "general_public_item":
            row = classes.get(normalise_key(statement.label))
            if row is None:
                if table5 is not None and not table5.no_data:
                    yield at.finding("narrative_label", INFO,
                                     f"{what} {wan_text(statement.amount.yuan)}: no 表5 类 row is called "
                                     f"'{statement.label}'", printed=statement.amount.yuan)
                continue
            expected, against = yuan(row.amount("total")), f"表5 {row_label(row)}"
        else:
            cell = statement_cell(d, statement)
            value = cell_value(d, cell) if cell else None
            if cell is None or value is None:
                continue
            expected, against = value, cell.describe()
        found = compare("narrative_amount", statement.amount.yuan, expected, what, against, at)
        if found:
            yield found


def subject_row(d: Disclosure, statement: Statement) -> TableRow | None:
    """The 项 row a nine-table 编制说明 subject restates: 表5 (一般公共预算), else 表8 (政府性基金), found
    by its printed code, else by its 类 / 款 / 项 names in that order."""
    for number in (5, 8):
        table = d.tables.get(number)
        if table is None:
            continue
        if statement.subject_code:
            row = next((r for r in table.rows if r.code == statement.subject_code), None)
            if row is not None:
                return row
            continue
        names = [normalise_key(n) for n in statement.subject_path]
        level = 0
        for row in table.rows:
            if row.code and len(row.code) == 3 + 2 * level and normalise_key(row.label) == names[level]:
                if level == len(names) - 1:
                    return row
                level += 1
            elif row.code and len(row.code) <= 1 + 2 * level:
                level = 0  # another 类 (or 款) began before the path was complete
                if len(row.code) == 3 and normalise_key(row.label) == names[0]:
                    level = 1
    return None


def at_printed_precision(printed: Amount, yuan_value: Decimal) -> Decimal:
    """A table amount in yuan rounded as the narrative prints it (万元 to its printed decimals)."""
    places = len(printed.printed.split(".", 1)[1]) if "." in printed.printed else 0
    return (yuan_value / WAN).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) * WAN


def subject_item_amounts(d: Disclosure, statement: Statement) -> Iterator[Finding]:
    """A nine-table 编制说明 subject: its amount against the table row, at the printed precision,
    and the 预算安排 restated beside last year's outturn against that amount."""
    at = at_statement(statement)
    row = subject_row(d, statement)
    if row is not None and row.amount("total") is not None:
        table_yuan = yuan(row.amount("total"))
        found = compare("narrative_amount", statement.amount.yuan,
                        at_printed_precision(statement.amount, table_yuan), f"说明 {statement.label}",
                        f"表{row.table} {row_label(row)} ({yuan_text(table_yuan)}) rounded to", at)
        if found:
            yield found
    if statement.planned is not None:
        found = compare("narrative_amount", statement.planned.yuan, statement.amount.yuan,
                        f"说明 {statement.label}: 预算安排", "the amount stated for it", at)
        if found:
            yield found


def narrative_shares(d: Disclosure) -> Iterator[Finding]:
    for statement in d.statements:
        if statement.share_percent is None or statement.base is None or statement.base.yuan == 0:
            continue
        exact = statement.amount.yuan / statement.base.yuan * 100
        found = compare_percent("narrative_share", statement.share_percent, exact,
                                f"说明 {statement.label} {wan_text(statement.amount.yuan)} of "
                                f"{wan_text(statement.base.yuan)}: 占", at_statement(statement))
        if found:
            yield found


def outturn_change(statement: Statement) -> Finding | None:
    """A nine-table subject's change on last year's outturn (比上年预算执行数增加/减少 p%) against its
    outturn and this year's plan, at the printed precision; a change in the wrong direction is wrong."""
    previous, planned = statement.base, statement.planned
    if previous is None or planned is None or statement.change_percent is None or previous.yuan == 0:
        return None
    signed = (planned.yuan - previous.yuan) / previous.yuan * 100
    exact = signed if statement.change_direction == "increase" else -signed
    verb = "增加" if statement.change_direction == "increase" else "减少"
    return compare_percent("narrative_change", statement.change_percent, exact,
                           f"说明 {statement.label}: 执行数 {wan_text(previous.yuan)} -> 预算 "
                           f"{wan_text(planned.yuan)}, {verb}", at_statement(statement))


def narrative_changes(d: Disclosure) -> Iterator[Finding]:
    for statement in d.statements:
        if statement.key == "subject_item":
            found = outturn_change(statement)
            if found:
                yield found
            continue
        if statement.change is None or statement.change_percent is None:
            continue
        change = statement.change.yuan
        previous = statement.amount.yuan - change if statement.change_direction == "increase" else \
            statement.amount.yuan + change
        if previous <= 0:
            continue
        verb = "增长" if statement.change_direction == "increase" else "下降"
        found = compare_percent("narrative_change", statement.change_percent, change / previous * 100,
                                f"说明 {statement.label} {wan_text(statement.amount.yuan)}, 比上年"
                                f"{'增加' if verb == '增长' else '减少'} {wan_text(change)}: {verb}",
                                at_statement(statement))
        if found:
            yield found


def narrative_projects(d: Disclosure) -> Iterator[Finding]:
    stated = next((s for s in d.statements if s.key == "performance_projects"), None)
    if stated is None:
        return
    at = at_statement(stated)
    current = [p for p in d.projects if p.list == "current"]
    if 12 in d.tables:
        if stated.count is not None and stated.count != len(current):
            yield at.finding("narrative_projects", VIOLATION,
                             f"说明 counts {stated.count} projects under 绩效目标管理 but 表12 lists {len(current)}")
        found = compare("narrative_projects", stated.amount.yuan, project_sum(current),
                        f"说明 {stated.label} 共计金额", f"表12 ({projects_text(current)}) adds up to", at)
        if found:
            yield found
    parts = [s for s in d.statements if s.key == "performance_part"]
    if parts:
        counted = sum(p.count or 0 for p in parts)
        if stated.count is not None and counted != stated.count:
            names = " + ".join(f"{p.label} {p.count}" for p in parts)
            yield at.finding("narrative_projects", VIOLATION,
                             f"说明 {names} = {counted} projects, but its total is {stated.count}")
        labels = " + ".join(p.label for p in parts)
        found = compare("narrative_projects", stated.amount.yuan, sum((p.amount.yuan for p in parts), Decimal(0)),
                        f"说明 {stated.label} 共计金额", f"its parts ({labels}) add up to", at)
        if found:
            yield found


def procurement_sum(d: Disclosure) -> Iterator[Finding]:
    figures = {f.key: f for f in d.figures if f.unit in ("万元", "元")}
    parts = [figures.get(k) for k in ("procurement_goods", "procurement_works", "procurement_services")]
    total = figures.get("procurement_total")
    if total is None or any(p is None for p in parts):
        return
    found = compare("procurement_sum", Amount(total.printed, total.unit).yuan,
                    sum((Amount(p.printed, p.unit).yuan for p in parts if p), Decimal(0)),
                    "说明 政府采购预算总额", "货物 + 工程 + 服务 add up to", At("说明 政府采购预算总额", total.prov))
    if found:
        yield found


# --- all checks --------------------------------------------------------------------------------

def disclosure_to_findings(d: Disclosure, links: SheetLinks | None = None) -> list[Finding]:
    """Every finding for one disclosure, in a stable order (tables, projects, sheets, narrative)."""
    links = links if links is not None else link_sheets(d.projects, d.sheets)
    findings: list[Finding] = []
    for check in (generic_tables, code_misprints, table_subtotals, row_columns, table_totals, projects_vs_table3):
        findings.extend(check(d))
    findings.extend(sheet_links(d, links))
    findings.extend(sheet_vs_project(d, links))
    for check in (sheet_funding_levels, overall_vs_tables, narrative_amounts, narrative_shares, narrative_changes,
                  narrative_projects, procurement_sum):
        findings.extend(check(d))
    return findings

