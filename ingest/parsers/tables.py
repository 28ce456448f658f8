"""Parsers for the budget tables of every layout of the family.

All tables share one shape: header rows (column names, possibly over two to four
rows, with empty cells under merged headers) followed by data rows whose cells keep
their column positions. Column names are merged per position and mapped to measure
keys; each data row becomes a TableRow of TableCells. How the rows are read depends
on the kind's shape in the catalogue (ingest/data/table_catalogue.toml): two_sided,
coded (subject codes joined or over 类 | 款 | 项 columns), economic, labelled (or a
grid: one row of amounts under a header tree), project, or generic for a table the
catalogue does not know.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budgetkg.ingest import catalogue
from budgetkg.ingest import patterns as P
from budgetkg.ingest.amounts import is_amount, text_to_amount
from budgetkg.ingest.model import Paragraph, Row
from budgetkg.ingest.records import BudgetTable, Project, TableCell, TableRow
from budgetkg.ingest.sections import Section

DEFAULT_UNIT = "万元"  # tables 1-13 print 万元 unless a unit line says otherwise
# Rows searched for a 类 | 款 | 项 header line.
MAX_GENERIC_HEADER_ROWS = 5


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


def measure_keys(columns: list[str]) -> list[str]:
    """The measure keys a table's header names (which columns it prints at all)."""
    return [key for key in map(header_to_measure, columns) if key]


def section_to_budget_table(section: Section, unit: str, rows: list[TableRow], columns: list[str]) -> BudgetTable:
    """The table record of a section: its slot, title, unit, rows, kind and the measures its header names."""
    return BudgetTable(section.number or 0, section.title, unit, rows, section.blocks[0].prov, no_data_in(section),
                       section.table_kind, measure_keys(columns))


def section_unit(section: Section) -> str:
    """单位：元 / 单位：万元 from a line above the table, or a cell of a row printed there."""
    for block in section.blocks:
        texts = [block.text] if isinstance(block, Paragraph) else [c for c in block.cells if c]
        if isinstance(block, Row) and not is_furniture_row(block):
            break
        for text in texts:
            match = P.UNIT_LINE.search(text)
            if match:
                return match.group("unit")
    return DEFAULT_UNIT


def is_furniture_row(row: Row) -> bool:
    """A row holding only the table's title, 编制单位：… or 单位：元 (a table block that
    begins above its header), not a header or data row."""
    filled = [c.replace(" ", "") for c in row.filled()]
    return bool(filled) and all(P.TABLE_FURNITURE.search(c) for c in filled) and not any(is_amount(c) for c in filled)


def table_rows(section: Section) -> list[Row]:
    """The section's rows without the furniture rows above the header."""
    rows = section.rows()
    i = 0
    while i < len(rows) and is_furniture_row(rows[i]):
        i += 1
    return rows[i:]


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


def code_columns(header: list[Row]) -> list[int]:
    """Positions of the 类 | 款 | 项 columns when the header prints the code in parts."""
    for row in header:
        cells = [c.replace(" ", "") for c in row.cells]
        found = [i for i, c in enumerate(cells) if c in P.CODE_PART_HEADERS]
        if len(found) >= 2 and cells[found[0]] == P.CODE_PART_HEADERS[0]:
            return found
    return []


@dataclass(slots=True)
class CodeContext:
    """The 类 and 款 rows above: rows printing only the 款 or 项 part sit under them."""

    class_code: str | None = None
    item_code: str | None = None

    def update(self, code: str) -> None:
        if len(code) == 3:
            self.class_code, self.item_code = code, None
        elif len(code) == 5:
            self.class_code, self.item_code = code[:3], code


def parts_to_code(parts: list[str], context: CodeContext) -> tuple[str | None, str | None]:
    """(code, printed) from the 类 | 款 | 项 cells of a row: '204','06','01' -> 2040601.
    A row printing only the lower parts takes the upper ones from the rows above; a 类
    printed wrongly (not three digits) under the very 款 it prints is read under that 款
    and the printed parts are returned for the record. (None, printed) when the parts
    cannot be read."""
    parts = [p.replace(" ", "") for p in parts]
    printed = "".join(parts)
    if not printed:
        return None, None
    if not all(p == "" or p.isdigit() for p in parts):
        return None, None  # 合计, 无: not a code
    head, *rest = parts
    lower = [p for p in rest if p]
    if any(len(p) != 2 for p in lower) or (len(rest) > 1 and rest[1] and not rest[0] and head):
        return None, printed  # a 项 with a 类 but no 款 is no code
    if len(head) == 3:
        return head + "".join(lower), None
    if head == "" and len(lower) == 2 and rest[0] and context.class_code:
        return context.class_code + "".join(lower), None
    if head == "" and len(lower) == 1 and rest[0] and context.class_code:
        return context.class_code + lower[0], None
    if head == "" and len(lower) == 1 and not rest[0] and context.item_code:
        return context.item_code + lower[0], None
    if head and len(lower) == 2 and context.item_code and context.item_code[3:] == lower[0]:
        return context.item_code + lower[1], printed  # 类 misprinted under its own 款
    return None, printed


def coded_table(section: Section, economic: bool = False) -> BudgetTable:
    """科目编码 | 科目名称 | amounts, the code joined (2040601) or over 类 | 款 | 项 columns.
    ``economic``: the codes are 部门预算支出经济分类 codes (301 / 30101), not subjects."""
    unit = section_unit(section)
    header, data = split_header(table_rows(section))
    columns = merge_headers(header)
    parts_at = code_columns(header)
    name_at = parts_at[-1] + 1 if parts_at else 1
    context = CodeContext()
    rows = []
    for row in data:
        cells = list(row.cells)
        printed_code = None
        if parts_at:
            code, printed_code = parts_to_code([cells[i] if i < len(cells) else "" for i in parts_at], context)
            label = cells[name_at] if name_at < len(cells) else ""
            if not code and not printed_code:
                label = next((c for c in cells[:name_at + 1] if c), "")
        else:
            code = cells[0] if cells and P.SUBJECT_CODE.match(cells[0]) else None
            label_pos = 1 if len(cells) > 1 and (code or not cells[0]) else 0
            label = cells[label_pos] if label_pos < len(cells) else ""
        compact_label = label.replace(" ", "")
        if not code and not printed_code and not P.TOTAL_LABEL.match(compact_label):
            continue
        if code:
            context.update(code)
        rows.append(TableRow(
            table=section.number or 0, index=len(rows), label=label if (code or printed_code) else compact_label,
            cells=row_to_cells(row, columns, name_at + 1 if parts_at else 2, len(cells), unit), prov=row.prov,
            code=None if economic else code, economic_code=code if economic else None, code_printed=printed_code,
            is_total=not (code or printed_code),
        ))
    return section_to_budget_table(section, unit, rows, columns)


def labelled_table(section: Section) -> BudgetTable:
    """Tables 6, 10, 11: label (| category) | amounts."""
    unit = section_unit(section)
    header, data = split_header(table_rows(section))
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
    return section_to_budget_table(section, unit, rows, columns)


def two_sided_table(section: Section) -> BudgetTable:
    """Tables 1 and 4: income lines on the left, expenditure lines on the right.
    Every non-amount cell starts a segment; the amounts after it are its values."""
    unit = section_unit(section)
    header, data = split_header(table_rows(section))
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
    return section_to_budget_table(section, unit, rows, columns)


def project_table(section: Section, organization: str) -> BudgetTable:
    """Tables 12 and 13: 项目名称 | 合计 | funding columns. Rows repeating the
    organization's name are group headers (category), not projects."""
    unit = section_unit(section)
    header, data = split_header(table_rows(section))
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
    return section_to_budget_table(section, unit, rows, columns)


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


def is_grid(rows: list[Row]) -> bool:
    """A grid: its data is one row of amounts under a header tree (the “三公” and 机关运行经费
    table of the nine-table layout), no row carrying a label."""
    return any(len(r.filled()) >= 2 and all(is_amount(c) for c in r.filled()) for r in rows) and not any(
        r.filled() and not is_amount(r.filled()[0]) and any(is_amount(c) for c in r.filled()[1:]) for r in rows)


def header_tree(header: list[Row], width: int) -> list[list[str]]:
    """Per column, its header labels from the top row down. A merged cell prints its label
    in its first column and spans right until the next label of its row, never past the
    span of the label above it."""
    paths: list[list[str]] = [[] for _ in range(width)]
    bounds = [(0, width)]
    for row in header:
        cells = [c.replace(" ", "") for c in row.cells] + [""] * (width - len(row.cells))
        next_bounds = []
        for lo, hi in bounds:
            current = ""
            start = lo
            for pos in range(lo, hi):
                if cells[pos]:
                    if pos > start:
                        next_bounds.append((start, pos))
                    current, start = cells[pos], pos
                if current:
                    paths[pos].append(current)
            next_bounds.append((start, hi))
        bounds = next_bounds
    return paths


def grid_table(section: Section) -> BudgetTable:
    """One TableRow per amount of the grid: labelled by its column's lowest header (a 小计
    by the header above it), its category the header above that."""
    unit = section_unit(section)
    rows = table_rows(section)
    first_data = next(i for i, r in enumerate(rows) if r.filled() and all(is_amount(c) for c in r.filled()))
    width = max(len(r.cells) for r in rows)
    paths = header_tree(rows[:first_data], width)
    out: list[TableRow] = []
    for row in rows[first_data:]:
        for pos, cell in enumerate(row.cells):
            amount = text_to_amount(cell, unit)
            if amount is None or not paths[pos]:
                continue
            path = [P.QUOTES.sub("", label) for label in paths[pos]]
            label, category = path[-1], (path[-2] if len(path) > 1 else None)
            if label == "小计" and category:
                label, category = category, (path[-3] if len(path) > 2 else None)
            out.append(TableRow(
                table=section.number or 0, index=len(out), label=label,
                cells=[TableCell(header_to_measure(paths[pos][-1]) or "total", paths[pos][-1], amount)],
                prov=row.prov, category=category, is_total=bool(P.TOTAL_LABEL.match(label)),
            ))
    return section_to_budget_table(section, unit, out, [])


def generic_table(section: Section) -> BudgetTable:
    """A table the catalogue does not know: kept as label, code (if any) and amounts."""
    rows = table_rows(section)
    if code_columns(rows[:MAX_GENERIC_HEADER_ROWS]) or any(r.cells and P.SUBJECT_CODE.match(r.cells[0]) for r in rows):
        return coded_table(section)
    if is_grid(rows):
        return grid_table(section)
    return labelled_table(section)


def section_to_table(section: Section, organization: str) -> BudgetTable:
    """Read a table section by its kind's shape in the catalogue."""
    kind = catalogue.by_id(section.table_kind) if section.table_kind else None
    shape = kind.shape if kind else "generic"
    rows = table_rows(section)
    if shape == "two_sided":
        return two_sided_table(section)
    if shape == "project":
        return project_table(section, organization)
    if shape == "economic":
        return coded_table(section, economic=True) if code_columns(rows[:MAX_GENERIC_HEADER_ROWS]) \
            else labelled_table(section)
    if shape == "labelled":
        return grid_table(section) if is_grid(rows) else labelled_table(section)
    if shape == "coded":
        return coded_table(section)
    return generic_table(section)


def table_to_projects(table: BudgetTable) -> list[Project]:
    """Project entries of 表12 (current) / 表13 (carryover), totals excluded."""
    kind = "current" if table.number == 12 else "carryover"
    return [Project(row.label, kind, row) for row in table.rows if not row.is_total]
