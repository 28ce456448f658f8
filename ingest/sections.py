"""Split a Document into the sections of a disclosure.

Front matter (cover, 概况), tables 1-13, the narrative of part 3 with its numbered
sub-sections, the 部门整体绩效目标表, one section per 项目支出绩效目标表, and the
rest (国有资产, 其他说明, 名词解释) as narrative sub-sections.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ingest import patterns as P
from ingest.model import Block, Document, Paragraph, Row

FRONT = "front"
TABLE = "table"
NARRATIVE = "narrative"
OVERALL = "overall"
SHEET = "sheet"


@dataclass(slots=True)
class Section:
    kind: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    number: int | None = None  # table number for TABLE sections

    def rows(self) -> list[Row]:
        return [b for b in self.blocks if isinstance(b, Row)]

    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]


def title_to_table_number(text: str) -> int | None:
    """'2026年项目支出预算表（本年预算）' -> 12; anything else -> None."""
    match = P.TABLE_TITLE_LINE.match(text.replace(" ", ""))
    if not match or len(text) > 60:
        return None
    rest = match.group("rest")
    for number, pattern in P.TABLE_TITLES:
        if pattern.search(rest):
            return number
    return None


def first_cell(block: Block) -> str:
    if isinstance(block, Row):
        filled = block.filled()
        return filled[0].replace(" ", "") if filled else ""
    return ""


def document_to_sections(doc: Document) -> list[Section]:
    """Assign every block to exactly one section, in reading order."""
    sections: list[Section] = [Section(FRONT, "front")]
    last_table = 0
    in_part3 = False
    for block in doc.blocks:
        current = sections[-1]
        if isinstance(block, Paragraph):
            text = block.text
            number = title_to_table_number(text) if not in_part3 else None
            if number is not None:
                last_table = number
                sections.append(Section(TABLE, text, [block], number))
                continue
            if P.PART_HEADING.match(text):
                in_part3 = in_part3 or last_table > 0
                sections.append(Section(NARRATIVE, text, [block]))
                continue
            heading = P.SECTION_HEADING.match(text)
            # Inside tables 1-11 an enumerated line is a table line, not a heading.
            if heading and (in_part3 or last_table == 0 or last_table >= 12):
                in_part3 = in_part3 or last_table > 0
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
    return [s for s in sections if s.blocks]
