"""Front matter and narrative: organization, fiscal year, kind, internal units,
政府采购 totals and 国有资产 figures."""
from __future__ import annotations

import re
from dataclasses import dataclass

from budgetkg.ingest import patterns as P
from budgetkg.ingest.model import Paragraph, Provenance
from budgetkg.ingest.records import Figure, Organization
from budgetkg.ingest.sections import NARRATIVE, Section


def paragraphs(sections: list[Section]) -> list[Paragraph]:
    return [p for s in sections for p in s.paragraphs()]


# Lines of the front matter searched for the cover title.
COVER_LINES = 40


@dataclass(frozen=True, slots=True)
class Cover:
    """What the cover line states: '上海市普陀区2026年区级部门预算' -> 2026, 区级, 部门, 预算."""

    year: int
    kind: str  # 部门 | 单位
    phase: str  # 预算 | 决算
    level: str | None  # 区级, 市级 … as printed, or None


def sections_to_cover(sections: list[Section]) -> Cover | None:
    for para in paragraphs(sections)[:COVER_LINES]:
        match = P.COVER_TITLE.search(para.text.replace(" ", ""))
        if match:
            return Cover(int(match.group("year")), match.group("kind"), match.group("phase"), match.group("level"))
    return None


def block_texts(sections: list[Section]) -> list[tuple[str, Provenance]]:
    """Paragraph texts and the one-line rows (a table block's 编制单位：… line), in order."""
    out: list[tuple[str, Provenance]] = []
    for section in sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.append((block.text, block.prov))
            elif block.filled():
                out.append((block.filled()[0], block.prov))
    return out


def text_to_organization(text: str, prov: Provenance) -> Organization | None:
    """'部门名称：X' / '预算主管部门：X' / '预算单位：X' / '编制部门：X单位：元' -> Organization."""
    compact = text.replace(" ", "")
    match = P.ORG_NAME_LINE.match(text) or P.BUDGET_ORG_LINE.match(compact)
    if not match:
        return None
    name = match.group("name").replace(" ", "")
    return Organization(name=name, kind=match.group("kind"), prov=prov)


def sections_to_organization(sections: list[Section]) -> Organization | None:
    """Name from the first 部门名称/单位名称 (or 预算主管部门/预算单位/编制部门/编制单位) line;
    kind from its label; units from 机构设置."""
    org: Organization | None = None
    for text, prov in block_texts(sections):
        org = text_to_organization(text, prov)
        if org is not None:
            break
    if org is None:
        return None
    for para in paragraphs(sections):
        units = text_to_internal_units(para.text)
        if units:
            org.internal_units = units
            break
    return org


def text_to_internal_units(text: str) -> list[str]:
    """'…核定内设机构3个: 综合科、 审批一科、 审批二科。' -> ['综合科', '审批一科', '审批二科']."""
    compact = text.replace(" ", "")
    match = P.INTERNAL_UNITS.search(compact) or P.INTERNAL_UNITS_BEFORE.search(compact)
    if not match:
        return []
    return [u for u in P.UNIT_SPLIT.split(match.group("units")) if u]


def sections_to_figures(sections: list[Section]) -> list[Figure]:
    """政府采购 totals and 国有资产 figures from their narrative sub-sections."""
    figures: list[Figure] = []
    for section in sections:
        if section.kind != NARRATIVE:
            continue
        table: tuple[tuple[str, re.Pattern[str]], ...]
        if P.PROCUREMENT_HEADING.search(section.title):
            table = P.PROCUREMENT_FIGURES
        elif P.ASSETS_HEADING.search(section.title):
            table = P.ASSET_FIGURES
        else:
            continue
        seen: set[str] = set()
        for para in section.paragraphs():
            for key, pattern in table:
                match = pattern.search(para.text.replace(" ", ""))
                if match and key not in seen:
                    seen.add(key)
                    figures.append(Figure(key, match.group("v"), match.group("u"), para.prov))
    return figures


def narrative_texts(sections: list[Section]) -> list[tuple[str, Provenance]]:
    """Running text outside tables and sheets, for reference finding."""
    return [(p.text, p.prov) for s in sections if s.kind == NARRATIVE for p in s.paragraphs()]
