"""Document -> Disclosure: run the section detector and every parser."""
from __future__ import annotations

from budgetkg.ingest import patterns as P
from budgetkg.ingest.catalogue import GENERIC_SLOT_BASE
from budgetkg.ingest.embedded import narrative_to_embedded
from budgetkg.ingest.errors import FinalAccounts, NotADisclosure, TruncatedFile
from budgetkg.ingest.model import Document
from budgetkg.ingest.organizations import texts_to_parent_bodies
from budgetkg.ingest.parsers.described import section_to_described
from budgetkg.ingest.parsers.narrative import (
    Cover,
    narrative_texts,
    sections_to_cover,
    sections_to_figures,
    sections_to_organization,
)
from budgetkg.ingest.parsers.sheets import section_to_overall, section_to_sheet
from budgetkg.ingest.parsers.statements import sections_to_statements
from budgetkg.ingest.parsers.tables import section_to_table, table_to_projects
from budgetkg.ingest.reconcile import disclosure_to_findings
from budgetkg.ingest.records import Citation, Disclosure, ProjectSheet
from budgetkg.ingest.references import find_references
from budgetkg.ingest.sections import DESCRIBED, OVERALL, SHEET, TABLE, Section, document_to_sections

# Tables (catalogue slots) without which the figures of a disclosure cannot be stated.
REQUIRED_TABLES = {1: "收支总表", 3: "支出总表"}


def document_to_disclosure(doc: Document) -> Disclosure:
    """Parse a read document. Raises NotADisclosure / TruncatedFile."""
    sections = document_to_sections(doc)
    organization = sections_to_organization(sections)
    cover = sections_to_cover(sections)
    year, kind = (cover.year, cover.kind + cover.phase) if cover else (None, None)
    table_sections = [s for s in sections if s.kind == TABLE]
    if is_final_accounts(sections, cover):
        raise FinalAccounts(doc.path, f"{kind or '决算'}: final accounts are not read as a budget")
    if organization is None:
        also = "" if table_sections else " and no budget table"
        raise NotADisclosure(doc.path, f"no organization line (部门名称 / 预算单位 / 编制部门 …){also} found")
    if not table_sections:
        raise NotADisclosure(doc.path, "no budget table of the catalogue found")
    missing = [name for number, name in REQUIRED_TABLES.items() if not any(s.number == number for s in table_sections)]
    if missing:
        raise TruncatedFile(doc.path, "no " + ", ".join(missing) + " found")
    if year is None:
        year = year_from_table_titles([s.title for s in table_sections])
    if year is None:
        raise NotADisclosure(doc.path, "no fiscal year on the cover or in the table titles")
    if cover is not None:
        organization.kind = cover.kind  # the cover says 部门预算 / 单位预算 whatever the table lines call it
    kind = kind or organization.kind + "预算"
    disclosure = Disclosure(
        source_file=doc.path.rsplit("/", 1)[-1], sha256=doc.sha256, organization=organization,
        fiscal_year=year, kind=kind, level=cover.level if cover else None,
    )
    generic = GENERIC_SLOT_BASE
    for section in table_sections:
        if section.number is None:  # a table the catalogue does not know: kept, numbered in order
            section.number, generic = generic, generic + 1
        table = section_to_table(section, organization.name)
        if table.number in disclosure.tables:
            disclosure.warnings.append(f"a second 表 of kind {table.kind} ({table.title}) at {table.prov.label()} "
                                       "was not read: the first one of that kind is kept")
            continue
        disclosure.tables[table.number] = table
    for number in (12, 13):
        if number in disclosure.tables:
            disclosure.projects.extend(table_to_projects(disclosure.tables[number]))
    for section in sections:
        if section.kind == SHEET:
            sheet = section_to_sheet(section, len(disclosure.sheets))
            sheet.citations, sheet.deliverables = sheet_to_citations(sheet)
            disclosure.sheets.append(sheet)
        elif section.kind == DESCRIBED:
            described = section_to_described(section, len(disclosure.sheets))
            if described is not None:
                project, sheet = described
                sheet.citations, sheet.deliverables = sheet_to_citations(sheet)
                disclosure.projects.append(project)
                disclosure.sheets.append(sheet)
        elif section.kind == OVERALL and disclosure.overall is None:
            disclosure.overall = section_to_overall(section)
    organization.code = organization_code(disclosure)
    disclosure.figures = sections_to_figures(sections)
    disclosure.statements = sections_to_statements(sections)
    narrative = narrative_texts(sections)
    for text, prov in narrative:
        disclosure.citations.extend(Citation(ref, None, prov) for ref in find_references(text))
    organization.parent_bodies = texts_to_parent_bodies(text for text, _ in narrative)
    disclosure.embedded = narrative_to_embedded(narrative)
    disclosure.findings = disclosure_to_findings(disclosure)  # after every parser: checks read them all
    return disclosure


def sheet_to_citations(sheet: ProjectSheet) -> tuple[list[Citation], list[Citation]]:
    """The references in a sheet's text fields: (citations, deliverables). A document the sheet
    says the project is to write (编制《XX应急预案》, ``Reference.produces``) is a deliverable,
    not a citation."""
    citations: list[Citation] = []
    deliverables: list[Citation] = []
    for f in sheet.fields:
        for ref in find_references(f.text, f.name, deliverables=True):
            (deliverables if ref.produces else citations).append(Citation(ref, f.name, f.prov))
    return citations, deliverables


def organization_code(disclosure: Disclosure) -> str | None:
    """The code printed with the organization's own name (整体绩效目标表 or a sheet's
    主管部门及代码). A code printed for another unit is not this organization's."""
    name = disclosure.organization.name
    overall = disclosure.overall
    if overall and overall.organization_code and overall.organization_name == name:
        return overall.organization_code
    for sheet in disclosure.sheets:
        if sheet.managing_code and sheet.managing_org == name:
            return sheet.managing_code
    return None


def is_final_accounts(sections: list[Section], cover: Cover | None) -> bool:
    """A 部门决算 / 单位决算: its cover says so, or its tables are 决算 tables."""
    if cover is not None and cover.phase == "决算":
        return True
    titles = [s.title for s in sections if s.kind == TABLE]
    return cover is None and any(P.FINAL_ACCOUNTS_TITLE.search(t) for t in titles)


def year_from_table_titles(titles: list[str]) -> int | None:
    for title in titles:
        digits = title.strip()[:4]
        if digits.isdigit():
            return int(digits)
    return None
