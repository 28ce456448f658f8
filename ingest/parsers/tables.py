"""Parsers for the 13 预算公开表.

All tables share one shape: header rows (column names, possibly over two or
three rows, with empty cells under merged headers) followed by data rows whose
cells keep their column positions. Column names are merged per position and
mapped to measure keys; each data row becomes a TableRow of TableCells.
"""
from __future__ import annotations

from decimal import Decimal

from ingest import patterns as P
from ingest.amounts import is_amount, text_to_amount
from ingest.model import Paragraph, Row
from ingest.records import BudgetTable, Project, TableCell, TableRow
from ingest.sections import Section

DEFAULT_UNIT = "万元"  # tables 1-13 print 万元 unless a unit line says otherwise


def header_to_measure(text: str) -> str | None:
    """'政府性基金预 算' -> 'government_fund'; unknown headers -> None."""
    compact = text.replace(" ", "")
    for pattern, key in P.COLUMN_MEASURES:
        if pattern.match(compact):
            return key
    if compact.endswith("年") and compact[:-1].isdigit():  # 表1 "2026年" column
        return "total"
    return None


def is_header_row(row: Row) -> bool:
    """A header row names columns and holds no amounts."""
    return not any(is_amount(c) for c in row.cells) and (
        any(header_to_measure(c) for c in row.cells if c)
        or any(P.HEADER_WORDS.match(c.replace(" ", "")) for c in row.cells if c)
    )


def merge_headers(rows: list[Row]) -> list[str]:
    """Column names per position: the lowest non-empty header cell wins."""
    width = max((len(r.cells) for r in rows), default=0)
    names = [""] * width
    for row in rows:
        for i, cell in enumerate(row.cells):
            if cell and (header_to_measure(cell) or not names[i]):
                names[i] = cell.replace(" ", "")
    return names


def section_unit(section: Section) -> str:
    for block in section.blocks:
        if isinstance(block, Paragraph):
            match = P.UNIT_LINE.search(block.text)
            if match:
                return match.group("unit")
    return DEFAULT_UNIT


def split_header(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """Leading header rows (and 表12/13 column-number rows), then data rows."""
    i = 0
    while i < len(rows) and (is_header_row(rows[i]) or all(P.COLUMN_NUMBER_ROW.match(c) for c in rows[i].filled())):
        i += 1
    header = [r for r in rows[:i] if not all(P.COLUMN_NUMBER_ROW.match(c) for c in r.filled())]
    return header, rows[i:]


def row_to_cells(row: Row, columns: list[str], start: int, stop: int, unit: str) -> list[TableCell]:
    """Amounts in positions [start, stop) of a row, named by their column."""
    cells = []
    for pos in range(start, min(stop, len(row.cells))):
        amount = text_to_amount(row.cells[pos], unit)
        if amount is None:
            continue
        printed = columns[pos] if pos < len(columns) else ""
        cells.append(TableCell(header_to_measure(printed) or printed or f"col{pos}", printed, amount))
    return cells


def coded_table(section: Section) -> BudgetTable:
    """Tables 2, 3, 5, 7, 8: 科目编码 | 科目名称 | amounts."""
    unit = section_unit(section)
    header, data = split_header(section.rows())
    columns = merge_headers(header)
    rows = []
    for row in data:
        cells = list(row.cells)
        code = cells[0] if cells and P.SUBJECT_CODE.match(cells[0]) else None
        label_pos = 1 if len(cells) > 1 and (code or not cells[0]) else 0
        label = cells[label_pos] if label_pos < len(cells) else ""
        if not code and not P.TOTAL_LABEL.match(label.replace(" ", "")):
            continue
        rows.append(TableRow(
            table=section.number or 0, index=len(rows), label=label.replace(" ", "") if not code else label,
            cells=row_to_cells(row, columns, 2, len(cells), unit), prov=row.prov, code=code,
            is_total=code is None,
        ))
    return BudgetTable(section.number or 0, section.title, unit, rows, section.blocks[0].prov, no_data_in(section))


def labelled_table(section: Section) -> BudgetTable:
    """Tables 6, 10, 11: label (| category) | amounts."""
    unit = section_unit(section)
    header, data = split_header(section.rows())
    columns = merge_headers(header)
    first_amount = next((i for i, name in enumerate(columns) if header_to_measure(name)), 1)
    rows = []
    for row in data:
        label = row.cells[0] if row.cells else ""
        if not label:
            continue
        category = row.cells[1] if first_amount > 1 and len(row.cells) > 1 and row.cells[1] else None
        rows.append(TableRow(
            table=section.number or 0, index=len(rows), label=label,
            cells=row_to_cells(row, columns, first_amount, len(row.cells), unit), prov=row.prov,
            category=category, is_total=bool(P.TOTAL_LABEL.match(label.replace(" ", ""))),
        ))
    return BudgetTable(section.number or 0, section.title, unit, rows, section.blocks[0].prov, no_data_in(section))


def two_sided_table(section: Section) -> BudgetTable:
    """Tables 1 and 4: income lines on the left, expenditure lines on the right.
    Every non-amount cell starts a segment; the amounts after it are its values."""
    unit = section_unit(section)
    header, data = split_header(section.rows())
    columns = merge_headers(header)
    item_columns = [i for i, name in enumerate(columns) if name == "项目"]
    expenditure_from = item_columns[1] if len(item_columns) > 1 else max(len(columns) // 3, 1)
    rows = []
    for row in data:
        labels = [i for i, c in enumerate(row.cells) if c and not is_amount(c)]
        for n, pos in enumerate(labels):
            stop = labels[n + 1] if n + 1 < len(labels) else len(row.cells)
            label = P.ENUMERATION.sub("", row.cells[pos]).replace(" ", "")
            rows.append(TableRow(
                table=section.number or 0, index=len(rows), label=label,
                cells=row_to_cells(row, columns, pos + 1, stop, unit), prov=row.prov,
                side="expenditure" if pos >= expenditure_from else "income",
                is_total=bool(P.TOTAL_LABEL.match(label)),
            ))
    return BudgetTable(section.number or 0, section.title, unit, rows, section.blocks[0].prov, no_data_in(section))


def project_table(section: Section, organization: str) -> BudgetTable:
    """Tables 12 and 13: 项目名称 | 合计 | funding columns. Rows repeating the
    organization's name are group headers (category), not projects."""
    unit = section_unit(section)
    header, data = split_header(section.rows())
    columns = merge_headers(header)
    rows: list[TableRow] = []
    group: str | None = None
    candidates = [r for r in data if r.cells and r.cells[0]]
    for i, row in enumerate(candidates):
        label = row.cells[0]
        cells = row_to_cells(row, columns, 1, len(row.cells), unit)
        if is_group_row(label, cells, candidates[i + 1:], organization, unit, columns):
            group = label
            continue
        rows.append(TableRow(
            table=section.number or 0, index=len(rows), label=label, cells=cells, prov=row.prov,
            category=group, is_total=bool(P.TOTAL_LABEL.match(label.replace(" ", ""))),
        ))
    return BudgetTable(section.number or 0, section.title, unit, rows, section.blocks[0].prov, no_data_in(section))


def is_group_row(label: str, cells: list[TableCell], following: list[Row], organization: str,
                 unit: str, columns: list[str]) -> bool:
    """A group header repeats the organization's name, or names a unit whose total
    equals the sum of the project rows under it."""
    compact = label.replace(" ", "")
    if compact == organization.replace(" ", ""):
        return True
    if not P.GROUP_ROW_SUFFIX.search(compact):
        return False
    total = next((c.amount.value for c in cells if c.column == "total"), None)
    if total is None:
        return False
    running = Decimal(0)
    for row in following:
        if P.GROUP_ROW_SUFFIX.search(row.cells[0].replace(" ", "")):
            break
        amount = next((c.amount.value for c in row_to_cells(row, columns, 1, len(row.cells), unit)
                       if c.column == "total"), Decimal(0))
        running += amount
    return running == total


def no_data_in(section: Section) -> bool:
    return any(isinstance(b, Paragraph) and P.NO_DATA.search(b.text) for b in section.blocks)


def section_to_table(section: Section, organization: str) -> BudgetTable:
    number = section.number or 0
    if number in (1, 4):
        return two_sided_table(section)
    if number in (12, 13):
        return project_table(section, organization)
    if number in (6, 10, 11):
        return labelled_table(section)
    return coded_table(section)


def table_to_projects(table: BudgetTable) -> list[Project]:
    """Project entries of 表12 (current) / 表13 (carryover), totals excluded."""
    kind = "current" if table.number == 12 else "carryover"
    return [Project(row.label, kind, row) for row in table.rows if not row.is_total]
