"""Split a Document into the sections of a disclosure.

Front matter (cover, 概况), the budget tables, the narrative with its numbered
sub-sections, the 部门整体绩效目标表, one section per 项目支出绩效目标表, one section per
project described in prose (XX项目经费情况说明), and the rest (国有资产, 其他说明, 名词解释)
as narrative sub-sections.

A table section starts where the catalogue (ingest.catalogue) recognises a table: a
title line (a paragraph, or a row holding nothing else) followed within a few lines by
a table whose header rows agree with it, or a table whose header rows alone name a kind.
A table of contents, a sentence naming a table, or a title whose table never follows
starts nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from budgetkg.ingest import catalogue
from budgetkg.ingest import patterns as P
from budgetkg.ingest.amounts import is_amount
from budgetkg.ingest.catalogue import TableKind
from budgetkg.ingest.model import Block, Document, Paragraph, Row

FRONT = "front"
TABLE = "table"
NARRATIVE = "narrative"
OVERALL = "overall"
SHEET = "sheet"
DESCRIBED = "described"  # a project described in prose (XX项目经费情况说明)

# Lines allowed between a table title and its header rows (编制部门：…, 单位：元, 表号).
MAX_LINES_TITLE_TO_HEADER = 3
# Header rows read to recognise a table (multi-level headers are three or four rows deep).
MAX_HEADER_ROWS = 5


@dataclass(slots=True)
class Section:
    kind: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    number: int | None = None  # the catalogue slot of a TABLE section (1-13: 预算公开表1-13)
    table_kind: str | None = None  # the catalogue id of a TABLE section; None for a generic table

    def rows(self) -> list[Row]:
        return [b for b in self.blocks if isinstance(b, Row)]

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]


@dataclass(frozen=True, slots=True)
class TableStart:
    """Where a table section begins: its title block (None: recognised by header alone)."""

    kind: TableKind | None  # None: a titled table of no catalogue kind (kept as generic)
    title: str


def first_cell(block: Block) -> str:
    if isinstance(block, Row):
        filled = block.filled()
        return filled[0].replace(" ", "") if filled else ""
    return ""


def block_line(block: Block) -> str | None:
    """The text of a block that reads as one line: a paragraph, or a row with one filled cell."""
    if isinstance(block, Paragraph):
        return block.text
    filled = block.filled()
    return filled[0] if len(filled) == 1 else None


def is_data_row(row: Row) -> bool:
    """A row holding an amount or a subject code: the header is over."""
    return any(is_amount(c) or P.SUBJECT_CODE.match(c.strip()) for c in row.cells if c)


def header_after(blocks: list[Block], start: int, limit: int) -> tuple[str, int] | None:
    """The header text of the table that begins within ``limit`` one-line blocks from
    ``start`` (its header rows joined), and the index of its first row; None when no
    table begins there or another table title comes first."""
    i = start
    skipped = 0
    while i < len(blocks):
        block = blocks[i]
        line = block_line(block)
        if isinstance(block, Row) and line is None:
            break
        if line is None or catalogue.title_text(line) is not None or skipped >= limit:
            return None
        skipped += 1
        i += 1
    if i >= len(blocks):
        return None
    first = blocks[i]
    assert isinstance(first, Row)
    header: list[str] = []
    j = i
    while j < len(blocks) and j - i < MAX_HEADER_ROWS:
        row = blocks[j]
        if not isinstance(row, Row) or row.table != first.table or is_data_row(row):
            break
        header.extend(c for c in row.cells if c)
        j += 1
    return (" ".join(header), i) if header else None


def table_start_at(blocks: list[Block], i: int, current: Section) -> TableStart | None:
    """A table section starting at block ``i``: a recognised title over a table, or a new
    table whose header names a kind. Inside a table section a new header starts another
    table only after data rows and when it names another kind (a header printed over
    two blocks, or repeated on the next page, continues the table)."""
    block = blocks[i]
    line = block_line(block)
    if line is not None and catalogue.title_text(line) is not None:
        found = header_after(blocks, i + 1, MAX_LINES_TITLE_TO_HEADER)
        if found is None:
            return None
        by_title = catalogue.title_to_kind(line)
        if by_title is not None and by_title.is_sheet:
            return None
        kind = catalogue.recognise(line, found[0])
        if kind is not None and kind.is_sheet:
            return None
        return TableStart(kind, line)
    if not isinstance(block, Row) or first_cell(block) in (P.SHEET_START, P.OVERALL_INFO_GRID):
        return None
    previous = blocks[i - 1] if i else None
    if isinstance(previous, Row) and previous.table == block.table:
        return None
    if current.kind == TABLE and not any(is_data_row(r) for r in current.rows()):
        return None
    found = header_after(blocks, i, 0)
    kind = catalogue.recognise(None, found[0]) if found else None
    if kind is None or kind.is_sheet or (current.kind == TABLE and kind.id == current.table_kind):
        return None
    return TableStart(kind, "")


def heading_inside_table(blocks: list[Block], i: int, current: Section) -> bool:
    """An enumerated line between two rows of a table is one of its lines, not a heading."""
    nxt = blocks[i + 1] if i + 1 < len(blocks) else None
    rows = current.rows()
    return current.kind == TABLE and isinstance(nxt, Row) and bool(rows) and nxt.table == rows[-1].table


def ends_table(current: Section, text: str) -> bool:
    """A sentence after a table's rows (not a note under it) is narrative again."""
    if current.kind != TABLE or not any(is_data_row(r) for r in current.rows()):
        return False
    line = text.strip()
    return bool(P.SENTENCE.search(line)) and not P.TABLE_NOTE.match(line) and not P.NO_DATA.search(line)


def document_to_sections(doc: Document) -> list[Section]:
    """Assign every block to exactly one section, in reading order."""
    sections: list[Section] = [Section(FRONT, "front")]
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        current = sections[-1]
        start = table_start_at(blocks, i, current)
        if start is not None:
            kind = start.kind
            sections.append(Section(TABLE, start.title, [block], kind.slot if kind else None,
                                    kind.id if kind else None))
            continue
        if isinstance(block, Paragraph):
            text = block.text
            if ends_table(current, text):
                sections.append(Section(NARRATIVE, "", [block]))  # running text after a table is not the table's
                continue
            if P.PART_HEADING.match(text):
                sections.append(Section(NARRATIVE, text, [block]))
                continue
            if described_heading(text):
                sections.append(Section(DESCRIBED, text, [block]))
                continue
            if current.kind == DESCRIBED and line_to_part(text):
                current.blocks.append(block)  # 一、项目概述 … 七、绩效目标 inside the description
                continue
            # a project's own heading is followed by its first part (a list item of a part is not)
            project = P.DESCRIBED_PROJECT_LINE.match(text.replace(" ", "")) and is_part_line(
                blocks, i + 1, P.DESCRIBED_OPENING_FIELDS)
            if current.kind == DESCRIBED and project and not part_of_description(current):
                current.title = text  # "七、项目经费情况说明" then "(一)人民调解项目": the heading names it
                current.blocks.append(block)
                continue
            if current.kind == DESCRIBED and project:
                sections.append(Section(DESCRIBED, text, [block]))  # the next project of the section
                continue
            heading = P.SECTION_HEADING.match(text)
            if heading and not heading_inside_table(blocks, i, current):
                sections.append(Section(NARRATIVE, text, [block]))
                continue
            current.blocks.append(block)
            continue
        label = first_cell(block)
        if label == P.SHEET_START and current.kind != TABLE:
            sections.append(Section(SHEET, block.filled()[1] if len(block.filled()) > 1 else "", [block]))
            continue
        # A lone 部门名称 row above the 部门基本信息 grid: the grid continues that sheet.
        grid_under_name_row = (label == P.OVERALL_INFO_GRID and current.kind == OVERALL
                               and len(current.blocks) == 1 and current.title == P.OVERALL_NAME_ROW)
        if P.OVERALL_START.match(label) and current.kind != TABLE and not grid_under_name_row:
            sections.append(Section(OVERALL, label, [block]))
            continue
        current.blocks.append(block)
    for section in sections:
        if section.kind == DESCRIBED and not part_of_description(section):
            section.kind = NARRATIVE  # a heading (or a contents line) with no description under it
    return [s for s in sections if s.blocks]


def described_heading(text: str) -> re.Match[str] | None:
    """A described project's heading, its enumeration aside: '人民调解项目经费情况说明', '七、项目经费情况说明'."""
    return P.DESCRIBED_HEADING.match(P.HEADING_ENUMERATION.sub("", text.replace(" ", "")))


def line_to_part(text: str) -> tuple[str, str] | None:
    """The heading of a numbered part of a description and the text printed after it on the
    same line: '二、立项依据' -> ('立项依据', ''); '六、年度预算安排：795万元' -> ('年度预算安排', '795万元')."""
    match = P.DESCRIBED_FIELD_LINE.match(text.strip())
    if match is None or not P.DESCRIBED_FIELD.match(match.group("title")):
        return None
    return match.group("title"), (match.group("rest") or "").strip()


def is_part_line(blocks: list[Block], i: int, names: tuple[str, ...] | None = None) -> bool:
    """Block ``i`` is the heading of a numbered part of a description (二、立项依据 …), one of
    ``names`` if given."""
    block = blocks[i] if i < len(blocks) else None
    part = line_to_part(block.text) if isinstance(block, Paragraph) else None
    return part is not None and (names is None or part[0] in names)


def part_of_description(section: Section) -> bool:
    """Whether a described-project section holds the numbered parts of a description, the
    first of them one a description opens with (项目概述, 立项依据 …): a contents line
    "七、项目经费情况说明" followed by "八、绩效目标" describes nothing."""
    first = next((i for i in range(1, len(section.blocks)) if is_part_line(section.blocks, i)), None)
    return first is not None and is_part_line(section.blocks, first, P.DESCRIBED_OPENING_FIELDS)
