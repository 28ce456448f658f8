"""Projects described in prose: a XX项目经费情况说明 section (一、项目概述 二、立项依据 三、实施主体
四、实施方案 五、实施周期 六、年度预算安排 七、绩效目标) becomes a Project (list ``described``)
and a ProjectSheet holding its numbered parts as text fields, so its citations are
found per field like those of a 项目支出绩效目标表.

A heading that names no project ('项目经费情况说明') takes the name the overview gives
('由X建设的万里街道社区公共服务中心新建工程,…'). The amount is the total the 年度预算安排
states, as printed with its unit; a part that only lists instalments states no total,
and none is invented.
"""
from __future__ import annotations

from budgetkg.ingest import patterns as P
from budgetkg.ingest.amounts import Amount
from budgetkg.ingest.model import Paragraph
from budgetkg.ingest.records import FundingLine, Project, ProjectSheet, TextField
from budgetkg.ingest.sections import Section, described_heading, line_to_part

# Units printed in prose -> the unit the amount is kept in (万 is short for 万元).
PROSE_UNITS = {"万元": "万元", "万": "万元", "元": "元"}


def heading_to_name(heading: str) -> str:
    """'人民调解项目经费情况说明' -> '人民调解项目'; '(一)人民调解项目' -> '人民调解项目';
    '项目经费情况说明' -> ''."""
    compact = heading.replace(" ", "")
    project = P.DESCRIBED_PROJECT_LINE.match(compact)
    if project:
        return project.group("name")
    match = described_heading(compact)
    name = match.group("name") if match else ""
    return "" if name == "项目" else name


def section_to_fields(section: Section) -> list[TextField]:
    """The numbered parts, each with the paragraphs under it (line breaks kept)."""
    fields: list[TextField] = []
    for block in section.blocks[1:]:
        if not isinstance(block, Paragraph):
            continue
        heading = line_to_part(block.text)
        if heading:
            fields.append(TextField(heading[0], heading[1], block.prov))
        elif fields:
            field = fields[-1]
            field.text = f"{field.text}\n{block.text}" if field.text else block.text
    return fields


def text_to_total(text: str) -> Amount | None:
    """The total of a 年度预算安排: the amount a total word states, else the only amount printed."""
    compact = text.replace(" ", "")
    match = P.PROSE_TOTAL.search(compact)
    if match is None:
        amounts = P.PROSE_AMOUNT.findall(compact)
        if len(amounts) != 1:
            return None
        value, unit = amounts[0]
        return Amount(value, PROSE_UNITS[unit])
    return Amount(match.group("v"), PROSE_UNITS[match.group("u")])


def overview_to_name(fields: list[TextField]) -> str:
    """A project's name from the first clause of its overview, when it ends like one."""
    overview = next((f for f in fields if f.name in P.DESCRIBED_OVERVIEW_FIELDS), None)
    if overview is None:
        return ""
    first = overview.text.replace(" ", "").split("\n", 1)[0]
    clause = P.CLAUSE_END.split(first, 1)[0]
    match = P.DESCRIBED_NAME_IN_TEXT.search(clause + "。")
    return match.group("name") if match else ""


def section_to_described(section: Section, index: int) -> tuple[Project, ProjectSheet] | None:
    """A described project and its sheet; None when the section describes no project
    (no 立项依据 / 年度预算安排 / 项目概述 part: a mention of the heading, not a description)."""
    fields = section_to_fields(section)
    if not fields:
        return None
    name = heading_to_name(section.title) or overview_to_name(fields)
    budget = next((f for f in fields if f.name in P.DESCRIBED_BUDGET_FIELDS), None)
    amount = text_to_total(budget.text) if budget else None
    prov = section.blocks[0].prov
    sheet = ProjectSheet(index=index, name=name, prov=prov, fields=fields, complete=True)
    implementing = next((f for f in fields if f.name in ("实施主体", "实施单位")), None)
    if implementing and "\n" not in implementing.text and len(implementing.text) <= P.MAX_ORG_NAME_CHARS:
        sheet.implementing_org = implementing.text
    period = next((f for f in fields if f.name in ("实施周期", "实施期限")), None)
    sheet.period = period.text if period else None
    if amount is not None and budget is not None:
        sheet.funding.append(FundingLine("annual", "total", budget.name, amount, budget.prov))
    return Project(name, "described", amount=amount, prov=prov), sheet
