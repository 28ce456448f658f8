"""Plain records parsed from a disclosure. Each carries its provenance."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from budgetkg.ingest.amounts import Amount
from budgetkg.ingest.model import Provenance
from budgetkg.ingest.references.model import Reference


@dataclass(slots=True)
class Organization:
    name: str  # full name as printed in 部门名称/单位名称
    kind: str  # 部门 or 单位
    code: str | None = None  # from 主管部门及代码 when it names this organization
    internal_units: list[str] = field(default_factory=list)
    prov: Provenance | None = None
    # 管委会 the document names as approving its budget or assigning its work (ingest.organizations).
    parent_bodies: list[str] = field(default_factory=list)


@dataclass(slots=True)
class TableCell:
    """One amount in one column of one budget-table row."""

    column: str  # a measure key, see ingest.patterns.COLUMN_MEASURES
    printed_column: str
    amount: Amount


@dataclass(slots=True)
class TableRow:
    """A data row of one of tables 1-13."""

    table: int  # the table's catalogue slot
    index: int  # 0-based order within the table
    label: str  # subject name, economic item, project name or income/expenditure line
    cells: list[TableCell]
    prov: Provenance
    code: str | None = None  # functional subject code (3/5/7 digits)
    economic_code: str | None = None  # 部门预算支出经济分类 code printed in the row (301 / 30101)
    code_printed: str | None = None  # the code parts as printed when they are not the code read (a misprint)
    category: str | None = None  # 表6: 政府预算支出经济科目名称; 表12/13: group
    is_total: bool = False  # 合计 / 总计 rows
    side: str | None = None  # 表1/表4: income or expenditure

    def amount(self, column: str) -> Amount | None:
        for cell in self.cells:
            if cell.column == column:
                return cell.amount
        return None


@dataclass(slots=True)
class BudgetTable:
    number: int  # catalogue slot (1-13: 预算公开表1-13 and their equivalents; 101+: generic tables)
    title: str
    unit: str
    rows: list[TableRow]
    prov: Provenance
    no_data: bool = False  # 注：本表无数据
    kind: str | None = None  # catalogue id (ingest/data/table_catalogue.toml); None: a generic table
    columns: list[str] = field(default_factory=list)  # measure keys of the header, when read from a document


@dataclass(slots=True)
class Project:
    """A 表12 (current) or 表13 (carryover) entry, or a project described in prose
    (described: XX项目经费情况说明, with the amount its 年度预算安排 prints)."""

    name: str
    list: str  # current | carryover | described
    row: TableRow | None = None  # the 表12/13 row; None for a described project
    amount: Amount | None = None  # a described project's amount as printed
    prov: Provenance | None = None  # a described project's heading

    @property
    def total(self) -> Amount | None:
        return self.row.amount("total") if self.row is not None else self.amount

    @property
    def where(self) -> Provenance | None:
        return self.row.prov if self.row is not None else self.prov


@dataclass(slots=True)
class FundingLine:
    period: str  # implementation | annual
    level: str  # total | central | provincial | local | self_raised | other
    printed_label: str
    amount: Amount | None
    prov: Provenance


@dataclass(slots=True)
class Indicator:
    period: str  # implementation | annual
    level1: str | None
    level2: str | None
    name: str
    value: str
    prov: Provenance


@dataclass(slots=True)
class TextField:
    # project sheets: 项目概况 | 立项依据 | 项目设立必要性 | 保证项目实施的制度、措施 | 项目实施计划 | 总体目标;
    # 部门整体绩效目标表: ingest.parsers.sheets.OVERALL_TEXT_FIELDS (部门职责, 年度绩效目标 …)
    name: str
    text: str
    prov: Provenance


@dataclass(slots=True)
class ProjectSheet:
    """One 项目支出绩效目标表."""

    index: int  # 0-based order in the document
    name: str
    prov: Provenance
    managing_org: str | None = None
    managing_code: str | None = None
    implementing_org: str | None = None
    attribute: str | None = None
    period: str | None = None
    funding: list[FundingLine] = field(default_factory=list)
    fields: list[TextField] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    # documents the sheet says the project is to write (编制《XX应急预案》): bk:produces, not citations
    deliverables: list[Citation] = field(default_factory=list)
    complete: bool = False  # has its 负责人/填报日期 footer

    def total(self, period: str) -> Amount | None:
        for line in self.funding:
            if line.period == period and line.level == "total":
                return line.amount
        return None


@dataclass(slots=True)
class Citation:
    """A reference found in one field of one sheet, or in the narrative."""

    reference: Reference
    field: str | None  # sheet field name; None for narrative
    prov: Provenance


@dataclass(slots=True)
class DocumentRelation:
    """What an embedded policy document says of another: forwards / repeals / based_on / cites."""

    kind: str
    target: Reference
    prov: Provenance  # the paragraph stating it


@dataclass(slots=True)
class EmbeddedPolicy:
    """A policy document reproduced in full in the narrative (其他说明), e.g. a 批复."""

    reference: Reference  # its 文号 (span = the 文号 line), title and issuer
    issuer: str | None
    date: str | None  # 成文日期, YYYY-MM-DD
    prov: Provenance  # its 文号 line
    relations: list[DocumentRelation] = field(default_factory=list)


@dataclass(slots=True)
class OverallPerformance:
    """部门整体绩效目标表: the figures it prints (often inconsistent), its text fields
    (部门职责, 年度绩效目标 …), its 年度绩效指标 and the references found in its text fields."""

    prov: Provenance
    organization_code: str | None = None
    organization_name: str | None = None
    figures: dict[str, Amount] = field(default_factory=dict)
    basic_info: list[Figure] = field(default_factory=list)  # 部门基本信息 counts, keys overall/…
    fields: list[TextField] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)  # all period "annual"
    citations: list[Citation] = field(default_factory=list)


# Units of figures that count things (a whole number printed): 部门基本信息 and 国有资产 counts.
COUNT_UNITS = ("个", "人", "名", "辆", "台(套)")


@dataclass(slots=True)
class Figure:
    """A figure from the narrative (procurement totals, state assets) or a count from the
    部门整体绩效目标表's 部门基本信息 grid (``label`` as printed there)."""

    key: str  # e.g. procurement_total, vehicles_actual, office_area_m2, overall/staff_actual
    printed: str
    unit: str
    prov: Provenance
    label: str | None = None

    @property
    def count(self) -> int | None:
        """The count a figure in a COUNT_UNITS unit states, else None."""
        whole = self.printed.isascii() and self.printed.isdigit()
        return int(self.printed) if whole and self.unit in COUNT_UNITS else None


@dataclass(slots=True)
class Statement:
    """An amount the narrative (说明) states, to be checked against the tables.

    ``key`` says what it is (see ingest.patterns.NARRATIVE_STATEMENTS); a share
    (占 p%) of ``base`` or a change on last year (比上年增加/减少, 增长/下降 p%)
    rides along when printed."""

    key: str
    label: str  # as printed: 一般公共预算拨款收入, 基本支出, 一般公共服务支出 ...
    amount: Amount
    prov: Provenance
    base: Amount | None = None  # what the share is a share of
    share_percent: str | None = None  # printed digits of 占 p%
    change: Amount | None = None  # printed size of the change on last year
    change_direction: str | None = None  # increase | decrease
    change_percent: str | None = None  # printed digits of 增长/下降 p%
    count: int | None = None  # 项目N个
    # A subject of the nine-table 编制说明: its 类 / 款 / 项 names as printed and its code when printed.
    subject_path: tuple[str, ...] = ()
    subject_code: str | None = None
    planned: Amount | None = None  # "YYYY年预算安排" restated beside last year's outturn (``base``)


@dataclass(frozen=True, slots=True)
class Finding:
    """A reconciliation finding: printed figures that do not add up or agree, or
    entries that do not link (ingest.reconcile). Amounts are exact yuan."""

    check: str  # check id, see ingest.reconcile.CHECKS
    severity: str  # violation | warning | info
    message: str
    prov: Provenance | None = None
    table: int | None = None  # 1..13 when the finding is about a table row
    row: str | None = None  # printed row label, project name or sheet name
    row_index: int | None = None  # TableRow.index within ``table``
    sheet: int | None = None  # ProjectSheet.index
    expected_yuan: Decimal | None = None
    printed_yuan: Decimal | None = None


@dataclass(slots=True)
class Disclosure:
    """Everything parsed from one source document."""

    source_file: str
    sha256: str
    organization: Organization
    fiscal_year: int
    kind: str  # 部门预算 | 单位预算
    level: str | None = None  # 区级, 市级 … as the cover prints it
    tables: dict[int, BudgetTable] = field(default_factory=dict)
    projects: list[Project] = field(default_factory=list)
    sheets: list[ProjectSheet] = field(default_factory=list)
    overall: OverallPerformance | None = None
    figures: list[Figure] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)  # outside project sheets
    embedded: list[EmbeddedPolicy] = field(default_factory=list)  # policy documents reproduced in full
    warnings: list[str] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)  # narrative amounts (ingest.parsers.statements)
    findings: list[Finding] = field(default_factory=list)  # reconciliation (ingest.reconcile)
