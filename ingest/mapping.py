"""Records -> RDF triples under the budgetkg ontology.

The triples of one disclosure go into that source document's own named graph
(the store decides the graph; this module only states facts). Amounts are
exact xsd:decimal yuan; the printed value and unit ride along as provenance.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, RDFS, SKOS, XSD

from budgetkg.ingest import patterns as P
from budgetkg.ingest.amounts import Amount, yuan_to_text
from budgetkg.ingest.linking import link_sheets
from budgetkg.ingest.model import Provenance
from budgetkg.ingest.organizations import hierarchy, organization_key
from budgetkg.ingest.records import (
    BudgetTable,
    Citation,
    Disclosure,
    EmbeddedPolicy,
    Figure,
    Finding,
    Indicator,
    OverallPerformance,
    Project,
    ProjectSheet,
    TableRow,
    TextField,
)
from budgetkg.ingest.references import MEETING, REGISTRY, TITLED, Reference, forwarded_document, normalise_title
from budgetkg.ingest.schemes import FUNDING_SOURCES, LEVEL_FUNDING, MEASURE_FUNDING, economic_broader, economic_codes
from budgetkg.ontology import iris
from budgetkg.ontology import terms as T
from budgetkg.ontology.identity import Triple


def decimal_literal(value: Decimal) -> Literal:
    return Literal(yuan_to_text(value), datatype=XSD.decimal)


def integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)




def triples_to_graph(triples: Iterable[Triple]) -> Graph:
    """An rdflib Graph with our prefixes, for SHACL validation, isomorphism and export."""
    graph = Graph()
    for prefix, ns in T.PREFIXES.items():
        graph.bind(prefix, ns)
    for triple in triples:
        graph.add(triple)
    return graph


class GraphBuilder:
    """A thin helper that skips None objects, so mapping code reads as a list of facts.

    Facts collect in a plain set: an rdflib Graph's indexes cost more than the rest
    of the mapping and nothing here needs to query what was stated.
    """

    def __init__(self) -> None:
        self.triples: set[Triple] = set()

    @property
    def graph(self) -> Graph:
        return triples_to_graph(self.triples)

    def add(self, s: URIRef, p: URIRef, o: object) -> None:
        if o is None or o == "":
            return
        if not isinstance(o, (URIRef, Literal)):
            o = Literal(o)
        self.triples.add((s, p, o))

    def amount(self, s: URIRef, amount: Amount | None) -> None:
        if amount is None:
            return
        self.add(s, T.amountYuan, decimal_literal(amount.yuan))
        self.add(s, T.printedAmount, amount.printed)
        self.add(s, T.printedUnit, amount.unit)

    def provenance(self, s: URIRef, prov: Provenance | None, disclosure_iri: URIRef) -> None:
        self.add(s, T.inDisclosure, disclosure_iri)
        if prov is None:
            return
        if prov.line is not None:
            self.add(s, T.sourceLine, integer(prov.line))
        if prov.page is not None:
            self.add(s, T.sourcePage, integer(prov.page))


def disclosure_to_graph(disclosure: Disclosure, document_id: str | None = None) -> Graph:
    """All triples stated by one source document of a disclosure, as an rdflib Graph."""
    return triples_to_graph(disclosure_to_triples(disclosure, document_id))


def disclosure_to_triples(disclosure: Disclosure, document_id: str | None = None) -> set[Triple]:
    """All triples stated by one source document of a disclosure."""
    b = GraphBuilder()
    src = iris.source(document_id or disclosure.source_file)
    org = disclosure.organization
    org_key = organization_key(org.name)
    org_iri = iris.organization(org_key)
    d_iri = iris.disclosure(org_key, disclosure.fiscal_year, disclosure.kind)
    year_iri = iris.fiscal_year(disclosure.fiscal_year)

    organization_to_triples(b, org.name, org.parent_bodies)
    code_to_triples(b, org.name, disclosure.fiscal_year, org.code)
    for unit in org.internal_units:
        unit_iri = iris.internal_unit(org_key, unit)
        b.add(unit_iri, RDF.type, T.OrganizationalUnit)
        b.add(unit_iri, SKOS.prefLabel, Literal(unit, lang="zh"))
        b.add(org_iri, T.hasInternalUnit, unit_iri)
    b.add(year_iri, RDF.type, T.FiscalYear)
    b.add(year_iri, T.yearNumber, integer(disclosure.fiscal_year))

    b.add(d_iri, RDF.type, T.Disclosure)
    b.add(d_iri, T.publishedBy, org_iri)
    b.add(d_iri, T.organizationName, org.name)
    b.add(d_iri, T.fiscalYear, year_iri)
    b.add(d_iri, T.disclosureKind, disclosure.kind)
    b.add(d_iri, T.organizationKind, org.kind)
    b.add(d_iri, T.organizationCode, org.code)
    b.add(d_iri, T.budgetLevel, disclosure.level)
    b.add(d_iri, T.sourceFile, disclosure.source_file)
    b.add(d_iri, T.sha256, disclosure.sha256)
    b.add(d_iri, DCTERMS.title, Literal(f"{org.name}{disclosure.fiscal_year}年度{disclosure.kind}公开", lang="zh"))

    for table in disclosure.tables.values():
        t_iri = iris.table(src, table.number)
        b.add(t_iri, RDF.type, T.BudgetTable)
        b.add(t_iri, T.tableNumber, integer(table.number))
        b.add(t_iri, T.tableKind, table.kind)
        b.add(t_iri, DCTERMS.title, table.title)
        b.add(t_iri, T.printedUnit, table.unit)
        b.add(t_iri, T.noData, Literal(table.no_data))
        b.provenance(t_iri, table.prov, d_iri)
        economic = table_economic_codes(table)
        for row in table.rows:
            row_to_triples(b, row, src, d_iri, t_iri, economic.get(row.index))

    ordinals: Counter[tuple[str, str]] = Counter()
    project_iris: list[URIRef] = []  # in the order of disclosure.projects
    for project in disclosure.projects:
        key = (project.list, iris.normalise_key(project.name))
        p_iri = iris.project(org_key, disclosure.fiscal_year, project.list, project.name, ordinals[key])
        ordinals[key] += 1
        project_iris.append(p_iri)
        project_to_triples(b, project, p_iri, org_iri, src, d_iri, len(project_iris) - 1)

    links = link_sheets(disclosure.projects, disclosure.sheets)
    for sheet in disclosure.sheets:
        s_iri = iris.sheet(src, sheet.index)
        position = links.project_of(sheet.index)
        sheet_to_triples(b, sheet, s_iri, d_iri, project_iris[position] if position is not None else None)
        if sheet.managing_org:
            code_to_triples(b, sheet.managing_org, disclosure.fiscal_year, sheet.managing_code)

    for figure in disclosure.figures:
        figure_to_triples(b, figure, src, d_iri)

    if disclosure.overall is not None:
        for figure in disclosure.overall.basic_info:  # 部门基本信息 counts, keys overall/…
            figure_to_triples(b, figure, src, d_iri)
        for key, amount in disclosure.overall.figures.items():
            f_iri = iris.figure(src, f"整体绩效目标表/{key}")
            b.add(f_iri, RDF.type, T.Figure)
            b.add(f_iri, T.figureKey, f"整体绩效目标表/{key}")
            b.add(f_iri, T.printedValue, amount.printed)
            b.amount(f_iri, amount)
            b.add(d_iri, T.hasFigure, f_iri)
            b.provenance(f_iri, disclosure.overall.prov, d_iri)
        overall_to_triples(b, disclosure.overall, iris.overall_sheet(src), d_iri)

    aliases = embedded_to_triples(b, disclosure.embedded, d_iri)
    citations_to_triples(b, disclosure.citations, d_iri, d_iri, base=src, aliases=aliases)
    findings_to_triples(b, disclosure.findings, src, d_iri)
    return b.triples


def figure_to_triples(b: GraphBuilder, figure: Figure, src: URIRef, d_iri: URIRef) -> None:
    """A narrative figure or 部门基本信息 count on the disclosure: fixed key, printed value, unit
    and label; exact yuan for an amount, an xsd:integer for a count (records.COUNT_UNITS)."""
    f_iri = iris.figure(src, figure.key)
    b.add(f_iri, RDF.type, T.Figure)
    b.add(f_iri, T.figureKey, figure.key)
    b.add(f_iri, T.printedLabel, figure.label)
    b.add(f_iri, T.printedValue, figure.printed)
    b.add(f_iri, T.printedUnit, figure.unit)
    if figure.unit in ("万元", "元"):
        b.add(f_iri, T.amountYuan, decimal_literal(Amount(figure.printed, figure.unit).yuan))
    count = figure.count
    b.add(f_iri, T.countValue, integer(count) if count is not None else None)
    b.add(d_iri, T.hasFigure, f_iri)
    b.provenance(f_iri, figure.prov, d_iri)


def findings_to_triples(b: GraphBuilder, findings: list[Finding], src: URIRef, d_iri: URIRef) -> None:
    """Reconciliation findings (ingest.reconcile) as bk:Finding, numbered per check."""
    counters: Counter[str] = Counter()
    for finding in findings:
        f_iri = iris.finding(src, finding.check, counters[finding.check])
        counters[finding.check] += 1
        b.add(f_iri, RDF.type, T.Finding)
        b.add(d_iri, T.hasFinding, f_iri)
        b.add(f_iri, T.checkId, finding.check)
        b.add(f_iri, T.severity, T.SEVERITIES[finding.severity])
        b.add(f_iri, T.findingMessage, finding.message)
        b.add(f_iri, T.findingTable, integer(finding.table) if finding.table is not None else None)
        b.add(f_iri, T.findingRow, finding.row)
        if finding.expected_yuan is not None:
            b.add(f_iri, T.expectedYuan, decimal_literal(finding.expected_yuan))
        if finding.printed_yuan is not None:
            b.add(f_iri, T.printedYuan, decimal_literal(finding.printed_yuan))
        if finding.table is not None and finding.row_index is not None:
            b.add(f_iri, T.concerns, iris.row(src, finding.table, finding.row_index))
        if finding.sheet is not None:
            b.add(f_iri, T.concerns, iris.sheet(src, finding.sheet))
        b.provenance(f_iri, finding.prov, d_iri)


def table_economic_codes(table: BudgetTable) -> dict[int, str]:
    """表6 row index -> 经济分类 code: as printed over 类 | 款 columns, else read from the
    names, each row under the 类 row above it (ingest.schemes.economic_codes)."""
    if table.number != 6:
        return {}
    printed = {row.index: row.economic_code for row in table.rows if row.economic_code}
    return printed or economic_codes(table.rows)


def row_to_triples(b: GraphBuilder, row: TableRow, src: URIRef, d_iri: URIRef, t_iri: URIRef,
                   economic: str | None = None) -> None:
    """One table row; ``economic`` is its 部门预算支出经济分类 code (表6, ingest.schemes.economic_codes)."""
    r_iri = iris.row(src, row.table, row.index)
    b.add(r_iri, RDF.type, T.TableRow)
    b.add(r_iri, T.inTable, t_iri)
    b.add(r_iri, T.rowIndex, integer(row.index))
    b.add(r_iri, T.printedLabel, row.label)
    b.add(r_iri, T.economicCategory, row.category if row.table == 6 else None)
    b.add(r_iri, T.isTotal, Literal(row.is_total))
    b.add(r_iri, T.side, row.side)
    b.add(r_iri, T.codePrinted, row.code_printed)
    b.provenance(r_iri, row.prov, d_iri)
    if row.code:
        c_iri = iris.subject_code(row.code)
        b.add(r_iri, T.subject, c_iri)
        subject_to_triples(b, row.code)
    if economic:
        b.add(r_iri, T.economicItem, economic_item_to_triples(b, economic))
    income_key = P.INCOME_LINES.get(row.label) if row.side == "income" else None
    if income_key in MEASURE_FUNDING:
        b.add(r_iri, T.fundingSource, funding_source_to_triples(b, MEASURE_FUNDING[income_key]))
    for cell in row.cells:
        l_iri = iris.budget_line(r_iri, cell.column)
        b.add(l_iri, RDF.type, T.BudgetLine)
        b.add(l_iri, T.ofRow, r_iri)
        b.add(l_iri, T.measure, iris.measure(cell.column))
        b.add(l_iri, T.printedColumn, cell.printed_column)
        b.amount(l_iri, cell.amount)
        b.add(iris.measure(cell.column), RDF.type, T.Measure)
        b.add(iris.measure(cell.column), SKOS.notation, cell.column)
        b.add(iris.measure(cell.column), SKOS.inScheme, T.MeasureScheme)
        if cell.column in MEASURE_FUNDING:
            b.add(iris.measure(cell.column), T.fundingSource,
                  funding_source_to_triples(b, MEASURE_FUNDING[cell.column]))


def subject_to_triples(b: GraphBuilder, code: str) -> None:
    """A functional-classification concept: 3/5/7 digits = 类/款/项, broader by prefix."""
    c_iri = iris.subject_code(code)
    b.add(c_iri, RDF.type, T.SubjectCode)
    b.add(c_iri, SKOS.notation, code)
    b.add(c_iri, SKOS.inScheme, T.FunctionalClassification)
    b.add(c_iri, T.codeLevel, {3: "类", 5: "款", 7: "项"}.get(len(code)))
    if len(code) > 3:
        b.add(c_iri, SKOS.broader, iris.subject_code(code[:-2]))
    else:
        b.add(c_iri, SKOS.topConceptOf, T.FunctionalClassification)


def economic_item_to_triples(b: GraphBuilder, code: str) -> URIRef:
    """A 部门预算支出经济分类 concept: 类 301 / 款 30101, broader by prefix (ingest.schemes)."""
    e_iri = iris.economic_item(code)
    b.add(e_iri, RDF.type, T.EconomicItem)
    b.add(e_iri, SKOS.notation, code)
    b.add(e_iri, SKOS.inScheme, T.EconomicClassification)
    broader = economic_broader(code)
    if broader:
        b.add(e_iri, SKOS.broader, economic_item_to_triples(b, broader))
    else:
        b.add(e_iri, SKOS.topConceptOf, T.EconomicClassification)
    return e_iri


def funding_source_to_triples(b: GraphBuilder, key: str) -> URIRef:
    """A funding source from its fixed key, with its fixed preferred name (ingest.schemes)."""
    f_iri = iris.funding_source(key)
    b.add(f_iri, RDF.type, T.FundingSource)
    b.add(f_iri, SKOS.notation, key)
    b.add(f_iri, SKOS.prefLabel, Literal(FUNDING_SOURCES[key], lang="zh"))
    b.add(f_iri, SKOS.inScheme, T.FundingSourceScheme)
    b.add(f_iri, SKOS.topConceptOf, T.FundingSourceScheme)
    return f_iri


def organization_to_triples(b: GraphBuilder, printed: str, bodies: list[str] | None = None) -> URIRef:
    """An organization under its identity key, labelled as printed here, with the
    org:subOrganizationOf edges its name and this document state (ingest.organizations)."""
    o_iri = iris.organization(organization_key(printed))
    b.add(o_iri, RDF.type, T.Organization)
    b.add(o_iri, RDFS.label, Literal(printed, lang="zh"))
    b.add(o_iri, T.organizationKey, organization_key(printed))
    for child, parent in hierarchy(printed, bodies or ()):
        for ref in (child, parent):
            r_iri = iris.organization(ref.key)
            b.add(r_iri, RDF.type, T.Organization)
            b.add(r_iri, T.organizationKey, ref.key)
            b.add(r_iri, T.organizationRole, ref.role)
            if r_iri != o_iri:
                b.add(r_iri, RDFS.label, Literal(ref.label, lang="zh"))
        b.add(iris.organization(child.key), ORG.subOrganizationOf, iris.organization(parent.key))
    return o_iri


def code_to_triples(b: GraphBuilder, printed: str, year: int, code: str | None) -> None:
    """The budget code printed with an organization's name, for that fiscal year."""
    if not code:
        return
    org_key = organization_key(printed)
    c_iri = iris.code_assignment(org_key, year, code)
    b.add(c_iri, RDF.type, T.CodeAssignment)
    b.add(c_iri, T.codeValue, code)
    b.add(c_iri, T.codeYear, iris.fiscal_year(year))
    b.add(iris.organization(org_key), T.hasCode, c_iri)


def project_to_triples(b: GraphBuilder, project: Project, p_iri: URIRef, org_iri: URIRef, src: URIRef,
                       d_iri: URIRef, index: int) -> None:
    """A project; ``index`` is its place in the disclosure's source order."""
    b.add(p_iri, RDF.type, T.Project)
    b.add(p_iri, T.projectName, project.name)
    b.add(p_iri, RDFS.label, Literal(project.name, lang="zh"))
    b.add(p_iri, T.projectList, project.list)
    b.add(p_iri, T.budgetedBy, org_iri)
    b.add(p_iri, T.projectIndex, integer(index))
    if project.row is None:  # described in prose: the amount its 年度预算安排 prints
        if project.amount is not None:
            b.add(p_iri, T.totalYuan, decimal_literal(project.amount.yuan))
            b.add(p_iri, T.printedAmount, project.amount.printed)
            b.add(p_iri, T.printedUnit, project.amount.unit)
        b.provenance(p_iri, project.prov, d_iri)
        return
    b.add(p_iri, T.fromRow, iris.row(src, project.row.table, project.row.index))
    for column, prop in (("total", T.totalYuan), ("general_public", T.generalPublicYuan),
                         ("government_fund", T.governmentFundYuan)):
        amount = project.row.amount(column)
        if amount is not None:
            b.add(p_iri, prop, decimal_literal(amount.yuan))
    b.provenance(p_iri, project.row.prov, d_iri)


def sheet_to_triples(b: GraphBuilder, sheet: ProjectSheet, s_iri: URIRef, d_iri: URIRef,
                     project_iri: URIRef | None) -> None:
    b.add(s_iri, RDF.type, T.PerformanceSheet)
    b.add(s_iri, T.sheetIndex, integer(sheet.index + 1))
    b.add(s_iri, T.projectName, sheet.name)
    b.add(s_iri, T.forProject, project_iri)
    if sheet.managing_org:
        m_iri = organization_to_triples(b, sheet.managing_org)
        b.add(s_iri, T.managingOrganization, m_iri)
    b.add(s_iri, T.managingCode, sheet.managing_code)
    if sheet.implementing_org:
        i_iri = organization_to_triples(b, sheet.implementing_org)
        b.add(s_iri, T.implementingOrganization, i_iri)
    b.add(s_iri, T.projectAttribute, sheet.attribute)
    b.add(s_iri, T.projectPeriod, sheet.period)
    b.add(s_iri, T.complete, Literal(sheet.complete))
    for period, prop in (("implementation", T.implementationTotalYuan), ("annual", T.annualTotalYuan)):
        amount = sheet.total(period)
        if amount is not None:
            b.add(s_iri, prop, decimal_literal(amount.yuan))
    b.provenance(s_iri, sheet.prov, d_iri)
    for i, line in enumerate(sheet.funding):
        f_iri = iris.sheet_part(s_iri, "funding", i + 1)
        b.add(f_iri, RDF.type, T.SheetFunding)
        b.add(s_iri, T.hasFunding, f_iri)
        b.add(f_iri, T.fundingPeriod, line.period)
        b.add(f_iri, T.fundingLevel, line.level)
        if line.level in LEVEL_FUNDING:
            b.add(f_iri, T.fundingSource, funding_source_to_triples(b, LEVEL_FUNDING[line.level]))
        b.add(f_iri, T.printedLabel, line.printed_label)
        b.amount(f_iri, line.amount)
        b.provenance(f_iri, line.prov, d_iri)
    fields_and_indicators_to_triples(b, sheet.fields, sheet.indicators, s_iri, d_iri)
    citations_to_triples(b, sheet.citations, s_iri, d_iri)
    deliverables_to_triples(b, sheet.deliverables, s_iri, d_iri)


def deliverables_to_triples(b: GraphBuilder, deliverables: list[Citation], s_iri: URIRef, d_iri: URIRef) -> None:
    """Documents a sheet says its project is to write (编制《XX应急预案》): ``<sheet> bk:produces``
    a bk:Deliverable with the title, the surface and the field it is written in. Not a citation:
    the document does not exist yet, so no bk:PolicyDocument is stated for it."""
    for i, deliverable in enumerate(deliverables):
        ref = deliverable.reference
        x_iri = iris.deliverable(s_iri, i)
        b.add(x_iri, RDF.type, T.Deliverable)
        b.add(s_iri, T.produces, x_iri)
        b.add(x_iri, DCTERMS.title, Literal(ref.title or ref.surface.strip("《》"), lang="zh"))
        b.add(x_iri, T.surface, ref.surface)
        b.add(x_iri, T.citationField, deliverable.field)
        b.provenance(x_iri, deliverable.prov, d_iri)


def overall_to_triples(b: GraphBuilder, overall: OverallPerformance, o_iri: URIRef, d_iri: URIRef) -> None:
    """The 部门整体绩效目标表: its text fields, indicators and citations, as on a project sheet
    (its funding figures are bk:Figure on the disclosure)."""
    b.add(o_iri, RDF.type, T.OverallPerformanceSheet)
    b.provenance(o_iri, overall.prov, d_iri)
    fields_and_indicators_to_triples(b, overall.fields, overall.indicators, o_iri, d_iri)
    citations_to_triples(b, overall.citations, o_iri, d_iri)


def fields_and_indicators_to_triples(b: GraphBuilder, fields: list[TextField], indicators: list[Indicator],
                                     s_iri: URIRef, d_iri: URIRef) -> None:
    """A sheet's text fields and indicators, numbered in order under the sheet ``s_iri``."""
    for i, field in enumerate(fields):
        x_iri = iris.sheet_part(s_iri, "field", i + 1)
        b.add(x_iri, RDF.type, T.TextField)
        b.add(s_iri, T.hasTextField, x_iri)
        b.add(x_iri, T.fieldName, field.name)
        b.add(x_iri, T.text, field.text)
        b.provenance(x_iri, field.prov, d_iri)
    for i, ind in enumerate(indicators):
        n_iri = iris.sheet_part(s_iri, "indicator", i + 1)
        b.add(n_iri, RDF.type, T.Indicator)
        b.add(s_iri, T.hasIndicator, n_iri)
        b.add(n_iri, T.indicatorPeriod, ind.period)
        b.add(n_iri, T.level1, ind.level1)
        b.add(n_iri, T.level2, ind.level2)
        b.add(n_iri, T.indicatorName, ind.name)
        b.add(n_iri, T.indicatorValue, ind.value)
        b.provenance(n_iri, ind.prov, d_iri)


def policy_key(citation: Citation) -> str | None:
    """Identity of the cited document: canonical 文号, else title, else meeting."""
    return reference_key(citation.reference)


def reference_key(ref: Reference) -> str:
    """Identity of a referenced document: canonical 文号, else kind + normalised title, else meeting."""
    if ref.doc_number:
        return ref.doc_number
    if ref.title:
        return f"{ref.kind}:{normalise_title(ref.title)}"
    if ref.meeting_body or ref.meeting_number is not None:
        parts = [ref.meeting_body or "", str(ref.meeting_year or ""), str(ref.meeting_number or ""),
                 ref.meeting_date or ""]
        if ref.meeting_session is not None and "届" not in (ref.meeting_body or ""):
            parts.append(f"{ref.meeting_session}届")  # 市政府九届12次 and 市政府十届12次 are two meetings
        return "meeting:" + "/".join(parts)
    return f"{ref.kind}:{normalise_title(ref.surface)}"


def citations_to_triples(b: GraphBuilder, citations: list[Citation], context: URIRef, d_iri: URIRef,
                         base: URIRef | None = None, aliases: dict[str, URIRef] | None = None) -> None:
    """Citations found in ``context`` (a sheet, or the disclosure for the narrative);
    their IRIs hang under ``base`` (default: the context) so each source file has its own.
    ``aliases`` maps a reference key to the document it is known to be in this disclosure
    (the title of an embedded document -> that document, with its 文号)."""
    counters: Counter[str | None] = Counter()
    for position, citation in enumerate(citations, 1):
        ref = citation.reference
        c_iri = iris.citation(base or context, citation.field, counters[citation.field])
        counters[citation.field] += 1
        alias = (aliases or {}).get(reference_key(ref))
        p_iri = alias if alias is not None else policy_to_triples(b, ref)
        b.add(c_iri, RDF.type, T.Citation)
        b.add(c_iri, T.citedIn, context)
        b.add(c_iri, T.citationField, citation.field)
        b.add(c_iri, T.citationKind, ref.kind)
        b.add(c_iri, T.surface, ref.surface)
        b.add(c_iri, T.citationIndex, integer(position))
        b.add(c_iri, T.charStart, integer(ref.start))
        b.add(c_iri, T.charEnd, integer(ref.end))
        b.add(c_iri, T.cites, p_iri)
        # As written at this citation; the cited document may be written differently elsewhere.
        b.add(c_iri, T.docNumber, ref.doc_number)
        b.add(c_iri, DCTERMS.title, Literal(ref.title, lang="zh") if ref.title else None)
        b.add(c_iri, T.issuerText, ref.issuer_text)
        b.provenance(c_iri, citation.prov, d_iri)


def policy_to_triples(b: GraphBuilder, ref: Reference) -> URIRef:
    """The referenced document with what ``ref`` says of it: kind, 文号 parts, title, meeting,
    issuer (registry). A citation ``X转发《T》（N）`` states that N forwards 《T》: the title
    goes to T, not to N."""
    forwarded = forwarded_document(ref)
    if forwarded is not None:
        ref = dataclasses.replace(ref, title=None)
    p_iri = iris.policy(reference_key(ref))
    b.add(p_iri, RDF.type, T.KIND_CLASSES.get(ref.kind, T.PolicyDocument))
    b.add(p_iri, T.docNumber, ref.doc_number)
    b.add(p_iri, T.issuerCode, ref.issuer_code)
    b.add(p_iri, T.docYear, integer(ref.year) if ref.year else None)
    b.add(p_iri, T.serialNumber, integer(ref.serial) if ref.serial is not None else None)
    if ref.title:
        b.add(p_iri, DCTERMS.title, Literal(ref.title, lang="zh"))
        b.add(p_iri, T.normalisedTitle, normalise_title(ref.title))
    b.add(p_iri, T.partialNumber, Literal(True) if ref.partial else None)
    b.add(p_iri, T.meetingBody, ref.meeting_body)
    b.add(p_iri, T.meetingNumber, integer(ref.meeting_number) if ref.meeting_number is not None else None)
    b.add(p_iri, T.meetingSession, integer(ref.meeting_session) if ref.meeting_session is not None else None)
    b.add(p_iri, T.docYear, integer(ref.meeting_year) if ref.meeting_year else None)
    b.add(p_iri, T.meetingDate, ref.meeting_date)
    issuer_to_triples(b, p_iri, ref)
    if forwarded is not None:
        b.add(p_iri, T.forwards, policy_to_triples(b, forwarded))
    return p_iri


def issuer_to_triples(b: GraphBuilder, p_iri: URIRef, ref: Reference) -> None:
    """bk:issuedBy from the issuer registry: the 机关代字 of a 文号, else an issuer name written
    with the title that is exactly a registry organization. Unknown codes add nothing (see
    `budgetkg policies --unknown-issuers`)."""
    if ref.kind == MEETING:
        return
    issuer = REGISTRY.issuer(ref.issuer_code) if ref.issuer_code else None
    if issuer is None and ref.issuer_text and not ref.doc_number:
        issuer = REGISTRY.issuer_named(ref.issuer_text)
    if issuer is None or issuer.organization is None:
        return
    o_iri = organization_to_triples(b, issuer.organization)
    b.add(o_iri, T.administrativeLevel, issuer.level)
    b.add(o_iri, T.region, issuer.region)
    b.add(p_iri, T.issuedBy, o_iri)


def embedded_to_triples(b: GraphBuilder, embedded: list[EmbeddedPolicy], d_iri: URIRef) -> dict[str, URIRef]:
    """Documents the disclosure reproduces in full, with their dates and relations (forwards /
    based_on / repeals / cites). Returns the aliases for the narrative citations: the key of
    each document's title alone -> the document."""
    aliases: dict[str, URIRef] = {}
    for e in embedded:
        p_iri = policy_to_triples(b, e.reference)
        b.add(d_iri, T.embeds, p_iri)
        if e.date:
            b.add(p_iri, T.ELI.date_document, Literal(e.date, datatype=XSD.date))
        for rel in e.relations:
            b.add(p_iri, T.RELATION_PROPERTIES[rel.kind], policy_to_triples(b, rel.target))
        if e.reference.title:
            titled = dataclasses.replace(e.reference, kind=TITLED, doc_number=None)
            aliases[reference_key(titled)] = p_iri
    return aliases
