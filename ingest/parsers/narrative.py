"""Front matter and narrative: organization, fiscal year, kind, internal units,
政府采购 totals and 国有资产 figures."""
from __future__ import annotations

import re

from ingest import patterns as P
from ingest.model import Paragraph, Provenance
from ingest.records import Figure, Organization
from ingest.sections import NARRATIVE, Section


def paragraphs(sections: list[Section]) -> list[Paragraph]:
    return [p for s in sections for p in s.paragraphs()]


def sections_to_year_and_kind(sections: list[Section]) -> tuple[int | None, str | None]:
    """From the cover line '2026年度部门预算公开'."""
    for para in paragraphs(sections)[:40]:
        match = P.COVER_TITLE.search(para.text.replace(" ", ""))
        if match:
            return int(match.group("year")), match.group("kind") + "预算"
    return None, None


def sections_to_organization(sections: list[Section]) -> Organization | None:
    """Name from the first 部门名称/单位名称 line; kind from its label; units from 机构设置."""
    org: Organization | None = None
    for para in paragraphs(sections):
        match = P.ORG_NAME_LINE.match(para.text)
        if match:
            org = Organization(name=match.group("name").replace(" ", ""), kind=match.group(1), prov=para.prov)
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
