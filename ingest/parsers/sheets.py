"""Parser for the 项目支出绩效目标表 (one per project) and the 部门整体绩效目标表.

Sheets are label/value grids whose column positions drift from sheet to sheet
(labels padded with empty cells, values shifted), so we read the filled cells of
each row in order: a known label, then the value that follows it.
"""
from __future__ import annotations

import unicodedata

from budgetkg.ingest import patterns as P
from budgetkg.ingest.amounts import is_amount, text_to_amount
from budgetkg.ingest.model import Row
from budgetkg.ingest.records import (
    Citation,
    Figure,
    FundingLine,
    Indicator,
    OverallPerformance,
    ProjectSheet,
    TextField,
)
from budgetkg.ingest.references import find_references
from budgetkg.ingest.sections import Section

SHEET_UNIT = "元"  # project sheets print 元
OVERALL_UNIT = "万元"  # the 部门整体绩效目标表 prints 资金总额(万元)
# 部门整体绩效目标表 free-text field labels (spaces removed): the samples' and common variants.
OVERALL_TEXT_FIELDS = ("部门职责", "部门职能", "部门战略目标", "部门绩效目标", "年度重点任务", "年度重点工作",
                       "年度总体目标", "年度绩效目标")
# Column headings printed beside 年度重点任务 / 年度重点工作: not part of its text.
OVERALL_COLUMN_HEADINGS = ("核心职能", "重点任务", "重点工作")
# Labels of the sheet's other parts: a text field never continues onto their rows.
OVERALL_PART_LABELS = ("部门名称", "部门基本信息", "年度预算情况")
# A cell that starts the 年度绩效指标 grid.
OVERALL_INDICATORS_START = ("年度绩效指标", "一级指标")
# The parts the 部门基本信息 grid runs through (from the sheet's first row): any other part label,
# a text field or the indicators end it.
OVERALL_GRID_PARTS = (P.OVERALL_NAME_ROW, P.OVERALL_INFO_GRID)


def compact(text: str) -> str:
    return text.replace(" ", "")


def funding_label(cell: str) -> str | None:
    """'实施期资金总额：' -> 'total', '市县(区)财政资 金' -> 'local', else None."""
    text = compact(cell)
    if P.FUNDING_TOTAL_LABEL.match(text):
        return "total"
    for pattern, level in P.FUNDING_LEVELS:
        if pattern.match(text.removeprefix("其中:").removeprefix("其中：")):
            return level
    return None


def annual_column(row: Row) -> int | None:
    """The position of the 年度资金总额 / 年度资金申请总额 label: the annual block starts there."""
    for pos, cell in enumerate(row.cells):
        match = P.FUNDING_TOTAL_LABEL.match(compact(cell))
        if match and match.group("period") == "年度":
            return pos
    return None


def row_to_funding(row: Row, annual_from: int | None = None) -> list[FundingLine]:
    """A 项目资金 row holds the implementation-period label/value first, then the annual one.
    A row with one label only (上年结转资金 under the annual block) is placed by its column
    when the annual block's column is known."""
    labelled = [pos for pos, cell in enumerate(row.cells) if funding_label(cell)]
    lone = len(labelled) == 1 and annual_from is not None
    lines: list[FundingLine] = []
    pending: tuple[str, str, int] | None = None

    def period(pos: int) -> str:
        if lone and annual_from is not None:
            return "annual" if pos >= annual_from else "implementation"
        return period_of(lines)

    for pos, cell in enumerate(row.cells):
        if not cell:
            continue
        level = funding_label(cell)
        if level:
            if pending:
                lines.append(FundingLine(period(pending[2]), pending[0], pending[1], None, row.prov))
            pending = (level, cell, pos)
        elif pending and is_amount(cell):
            amount = text_to_amount(cell, SHEET_UNIT)
            lines.append(FundingLine(period(pending[2]), pending[0], pending[1], amount, row.prov))
            pending = None
    if pending:
        lines.append(FundingLine(period(pending[2]), pending[0], pending[1], None, row.prov))
    return lines


def period_of(lines_so_far: list[FundingLine]) -> str:
    return "implementation" if not lines_so_far else "annual"


def goal_columns(row: Row) -> dict[int, str]:
    """Positions of the goal headings (项目总目标 / 年度总体目标) in a row, if it holds them."""
    return {pos: compact(c) for pos, c in enumerate(row.cells) if compact(c) in P.SHEET_GOAL_COLUMNS}


def goal_fields(row: Row, columns: dict[int, str]) -> list[TextField]:
    """The goal texts under their headings (a text may sit a column left or right of its heading)."""
    fields: list[TextField] = []
    heads = sorted(columns)
    for n, pos in enumerate(heads):
        stop = heads[n + 1] if n + 1 < len(heads) else len(row.cells)
        start = pos if n else 0
        text = "\n".join(c for c in row.cells[start:stop] if c)
        if text:
            fields.append(TextField(columns[pos], text, row.prov))
    return fields


def row_to_indicators(row: Row, state: dict[str, str | None]) -> list[Indicator]:
    """Indicator rows: level-1 / level-2 labels set context, the rest pair up as
    (name, value); the first pair is the implementation period, the second annual."""
    found: list[Indicator] = []
    period = "implementation"
    pending: str | None = None
    seen_level2 = False
    for cell in row.filled():
        text = compact(cell)
        if P.INDICATOR_HEADER.match(text):
            continue
        if P.INDICATOR_LEVEL1.match(text):
            state["level1"], state["level2"] = text, None
            continue
        if P.INDICATOR_LEVEL2.match(text):
            if seen_level2 or found:
                period = "annual"
            seen_level2 = True
            state["level2" if period == "implementation" else "level2_annual"] = text
            continue
        if pending is None:
            pending = cell
            continue
        level2 = state.get("level2")
        if period == "annual":
            level2 = state.get("level2_annual") or level2
        found.append(Indicator(period, state.get("level1"), level2, pending, cell, row.prov))
        pending = None
        period = "annual"
    return found


def section_to_sheet(section: Section, index: int) -> ProjectSheet:
    rows = section.rows()
    first = rows[0].filled()
    sheet = ProjectSheet(index=index, name=first[1] if len(first) > 1 else "", prov=rows[0].prov)
    read_header(sheet, first[2:])  # the 填报表 prints 项目性质 beside the name
    current_field: TextField | None = None
    in_indicators = False
    state: dict[str, str | None] = {}
    annual_from: int | None = None
    goals: dict[int, str] = {}
    for row in rows[1:]:
        filled = row.filled()
        label = compact(filled[0])
        if P.SHEET_FOOTER.match(label):
            sheet.complete = True
            break
        if label in P.SHEET_HEADER_LABELS or any(compact(c) in P.SHEET_HEADER_LABELS for c in filled):
            read_header(sheet, filled)
            current_field = None
            continue
        if goals:
            sheet.fields.extend(goal_fields(row, goals))
            goals = {}
            continue
        if goal_columns(row):
            goals = goal_columns(row)
            current_field = None
            continue
        if any(funding_label(c) for c in filled):
            annual_from = annual_column(row) if annual_from is None else annual_from
            sheet.funding.extend(row_to_funding(row, annual_from))
            current_field = None
            continue
        if label in P.SHEET_TEXT_FIELDS:
            current_field = TextField(label, "\n".join(filled[1:]), row.prov)
            sheet.fields.append(current_field)
            continue
        if label == "绩效指标" or P.INDICATOR_LEVEL1.match(label) or P.INDICATOR_HEADER.match(label):
            if P.INDICATOR_HEADER.match(label) and label in ("实施期目标", "年度目标"):
                current_field = None
                continue
            in_indicators = True
            current_field = None
        if in_indicators:
            sheet.indicators.extend(row_to_indicators(row, state))
        elif current_field is not None:
            # A wrapped text field continues on a row without a label.
            joined = "\n".join(filled)
            current_field.text = f"{current_field.text}\n{joined}" if current_field.text else joined
    return sheet


def read_header(sheet: ProjectSheet, filled: list[str]) -> None:
    for i, cell in enumerate(filled):
        key = P.SHEET_HEADER_LABELS.get(compact(cell))
        if not key or i + 1 >= len(filled) or compact(filled[i + 1]) in P.SHEET_HEADER_LABELS:
            continue
        value = filled[i + 1]
        if key == "managing":
            match = P.CODE_AND_NAME.match(value)
            sheet.managing_code = match.group("code") if match else None
            sheet.managing_org = compact(match.group("name")) if match else compact(value)
        elif key == "implementing_org":
            sheet.implementing_org = compact(value)
        else:
            setattr(sheet, key, value)


def section_to_overall(section: Section) -> OverallPerformance:
    """部门整体绩效目标表: the funding figures it prints, its text fields, its 年度绩效指标
    and the references found in its text fields (as on project sheets)."""
    rows = section.rows()
    overall = OverallPerformance(prov=rows[0].prov if rows else section.blocks[0].prov)
    state: dict[str, str | None] = {}
    in_indicators = False
    in_grid = True  # the 部门基本信息 grid
    current_field: TextField | None = None
    for row in rows:
        filled = row.filled()
        if not filled:
            continue
        if any(compact(c) in OVERALL_INDICATORS_START for c in filled):
            in_indicators = True
        label = compact(filled[0])
        if in_indicators or label in OVERALL_TEXT_FIELDS or (label in OVERALL_PART_LABELS
                                                             and label not in OVERALL_GRID_PARTS):
            in_grid = False
        if in_grid:
            row_to_basic_info(row, overall.basic_info)
        if in_indicators:
            overall.indicators.extend(row_to_overall_indicators(row, state))
            continue
        if label in OVERALL_TEXT_FIELDS:
            rest = [c for c in filled[1:] if compact(c) not in OVERALL_COLUMN_HEADINGS]
            current_field = TextField(label, "\n".join(rest), row.prov)
            overall.fields.append(current_field)
            continue
        if label in OVERALL_PART_LABELS or any(is_amount(c) for c in filled):
            current_field = None
        elif current_field is not None:
            # A wrapped field, or the next 核心职能 / 重点任务 row of 年度重点任务.
            joined = "\n".join(filled)
            current_field.text = f"{current_field.text}\n{joined}" if current_field.text else joined
            continue
        for i, cell in enumerate(filled[:-1]):
            if in_grid and basic_info_count(filled[i + 1]):
                continue  # a count, not 资金总额(万元)
            name = compact(cell).removeprefix("其中:").removeprefix("其中：")
            amount = text_to_amount(filled[i + 1], OVERALL_UNIT)
            if amount and not is_amount(cell):
                overall.figures.setdefault(name, amount)
            match = P.CODE_AND_NAME.match(filled[i + 1]) if compact(cell) == "部门名称" else None
            if match:
                overall.organization_code = match.group("code")
                overall.organization_name = compact(match.group("name"))
    overall.citations = [Citation(ref, f.name, f.prov)
                         for f in overall.fields for ref in find_references(f.text, f.name)]
    return overall


def basic_info_label(cell: str) -> tuple[str, str | None]:
    """A 部门基本信息 label as OVERALL_BASIC_INFO lists it, and the unit it carries:
    '其中：在编人员数（人）' -> ('在编人员数', '人'); NFKC, no whitespace, no 其中: or trailing colon."""
    text = P.BASIC_INFO_PART_PREFIX.sub("", "".join(unicodedata.normalize("NFKC", cell).split())).rstrip(":")
    match = P.BASIC_INFO_LABEL_UNIT.match(text)
    return (match.group("label"), match.group("u")) if match else (text, None)


def basic_info_count(cell: str) -> tuple[str, str | None] | None:
    """'21人' -> ('21', '人'), '4' -> ('4', None); None when the cell is not a count."""
    match = P.BASIC_INFO_COUNT.match("".join(unicodedata.normalize("NFKC", cell).split()))
    return (match.group("v"), match.group("u")) if match else None


def row_to_basic_info(row: Row, found: list[Figure]) -> None:
    """Add the counts of one 部门基本信息 row to ``found``: each count is paired with the label
    cell before it (filled cells in order: columns drift, a label with an empty value is
    followed by the next label). The unit is the printed one, else the label's, else the one
    OVERALL_BASIC_INFO gives; a count under an unlisted label without any unit is dropped.
    A key already found keeps its first count."""
    label: str | None = None
    for cell in row.filled():
        count = basic_info_count(cell)
        if count is None:
            label = None if compact(cell) in OVERALL_PART_LABELS else cell.strip()
            continue
        if label is None:
            continue
        name, label_unit = basic_info_label(label)
        key, default_unit = P.OVERALL_BASIC_INFO.get(name, (None, None))
        unit = count[1] or label_unit or default_unit
        if key is None and unit is not None:
            key = f"{P.OVERALL_OTHER_PREFIX}{sum(f.key.startswith(P.OVERALL_OTHER_PREFIX) for f in found) + 1}"
        if key is not None and unit is not None and all(f.key != key for f in found):
            found.append(Figure(key, count[0], unit, row.prov, label=label))
        label = None


def row_to_overall_indicators(row: Row, state: dict[str, str | None]) -> list[Indicator]:
    """One row of the 年度绩效指标 grid. It has one period (no implementation/annual pairs),
    so cells are read from the right: the last two are the level-3 name and its value, the
    ones before them level-1 / level-2 headings (a 产出指标-like label is level 1, any other
    level 2; column positions drift, so they cannot tell). A row of headings alone only sets them."""
    cells = [c for c in row.filled() if not P.INDICATOR_HEADER.match(compact(c))
             and compact(c) not in OVERALL_INDICATORS_START]
    headings_only = len(cells) <= 2 and all(is_indicator_heading(c) for c in cells)
    headings, pair = (cells, []) if headings_only else (cells[:-2], cells[-2:])
    for text in map(compact, headings):
        if P.INDICATOR_LEVEL1.match(text):
            state["level1"], state["level2"] = text, None
        else:
            state["level2"] = text
    if len(pair) < 2:
        return []
    return [Indicator("annual", state.get("level1"), state.get("level2"), pair[0], pair[1], row.prov)]


def is_indicator_heading(cell: str) -> bool:
    text = compact(cell)
    return bool(P.INDICATOR_LEVEL1.match(text) or P.INDICATOR_LEVEL2.match(text))
