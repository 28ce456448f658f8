"""Records -> RDF triples under the budgetkg ontology.

The triples of one disclosure go into that source document's own named graph
(the store decides the graph; this module only states facts). Amounts are
exact xsd:decimal yuan; the printed value and unit ride along as provenance.

Every IRI is keyed by the disclosure (organization + fiscal year + kind), never by the
file: the text and the PDF of one disclosure state the same subjects, each with its own
provenance (``bk:sourceLine`` from the text, ``bk:sourcePage`` from the PDF, and
``prov:wasDerivedFrom`` its ``bk:SourceFile``), so their union holds each row once.
Standard terms (ORG, QB, PROV, ELI, SKOS, DCTERMS) are asserted beside ours, not left
to inference.
"""
from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, QB, RDF, RDFS, SKOS, XSD

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


def zh(text: str) -> Literal:
    return Literal(text, lang="zh")


# Media type of a source file, by suffix (dcterms:format of a bk:SourceFile).
MEDIA_TYPES = {".pdf": "application/pdf", ".txt": "text/plain", ".md": "text/markdown"}


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

    def __init__(self, source_file: URIRef | None = None) -> None:
        self.triples: set[Triple] = set()
        self.source_file = source_file  # what every record prov:wasDerivedFrom, besides its disclosure

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

    def label(self, s: URIRef, text: str | None) -> None:
        """rdfs:label in Chinese (what the document prints); nothing for an empty text."""
        if text:
            self.add(s, RDFS.label, zh(text))

    def provenance(self, s: URIRef, prov: Provenance | None, disclosure_iri: URIRef) -> None:
        self.add(s, T.inDisclosure, disclosure_iri)
        self.add(s, PROV.wasDerivedFrom, self.source_file)
        if prov is None:
            return
        if prov.line is not None:
            self.add(s, T.sourceLine, integer(prov.line))
        if prov.page is not None:
            self.add(s, T.sourcePage, integer(prov.page))


def disclosure_to_graph(disclosure: Disclosure, document_id: str | None = None) -> Graph:
    """All triples stated by one source document of a disclosure, as an rdflib Graph."""
    return triples_to_graph(disclosure_to_triples(disclosure, document_id))


def disclosure_iri(disclosure: Disclosure) -> URIRef:
    """The disclosure's IRI: organization + fiscal year + kind, whichever file it was read from."""
    return iris.disclosure(organization_key(disclosure.organization.name), disclosure.fiscal_year, disclosure.kind)


def budget_phase(kind: str) -> str:
    """部门预算 -> 预算, 单位决算 -> 决算: the phase a disclosure kind names (terms.BUDGET_PHASES)."""
    return kind[-2:] if kind[-2:] in T.BUDGET_PHASES else "预算"


def source_file_to_triples(b: GraphBuilder, disclosure: Disclosure, document_id: str, d_iri: URIRef) -> None:
    """The file this graph was read from, a prov:Entity the disclosure prov:wasDerivedFrom."""
    if b.source_file is None:
        return
    f_iri = b.source_file
    b.add(f_iri, RDF.type, T.SourceFile)
    b.add(f_iri, RDF.type, PROV.Entity)
    b.add(f_iri, T.sourceFile, document_id)
    b.add(f_iri, T.sha256, disclosure.sha256)
    b.add(f_iri, RDFS.label, Literal(document_id))
    suffix = "." + document_id.rsplit(".", 1)[-1].lower() if "." in document_id else ""
    b.add(f_iri, DCTERMS.format, MEDIA_TYPES.get(suffix))
    b.add(d_iri, PROV.wasDerivedFrom, f_iri)


def disclosure_to_triples(disclosure: Disclosure, document_id: str | None = None) -> set[Triple]:
    """All triples stated by one source document of a disclosure."""
    document_id = document_id or disclosure.source_file
    b = GraphBuilder(iris.source_file(disclosure.sha256) if disclosure.sha256 else None)
    org = disclosure.organization
    org_key = organization_key(org.name)
    org_iri = iris.organization(org_key)
    d_iri = disclosure_iri(disclosure)
    year_iri = iris.fiscal_year(disclosure.fiscal_year)

    organization_to_triples(b, org.name, org.parent_bodies)
    code_to_triples(b, org.name, disclosure.fiscal_year, org.code)
    for unit in org.internal_units:
        unit_iri = iris.internal_unit(org_key, unit)
        b.add(unit_iri, RDF.type, T.OrganizationalUnit)
        b.add(unit_iri, RDF.type, ORG.OrganizationalUnit)
        b.add(unit_iri, SKOS.prefLabel, zh(unit))
        b.label(unit_iri, unit)
        b.add(unit_iri, ORG.unitOf, org_iri)
        b.add(org_iri, T.hasInternalUnit, unit_iri)
        b.add(org_iri, ORG.hasUnit, unit_iri)
    fiscal_year_to_triples(b, disclosure.fiscal_year)

    title = f"{org.name}{disclosure.fiscal_year}年度{disclosure.kind}公开"
    b.add(d_iri, RDF.type, T.Disclosure)
    b.add(d_iri, RDF.type, PROV.Entity)
    b.add(d_iri, T.publishedBy, org_iri)
    b.add(d_iri, DCTERMS.publisher, org_iri)
    b.add(d_iri, T.organizationName, org.name)
    b.add(d_iri, T.fiscalYear, year_iri)
    b.add(d_iri, T.disclosureKind, disclosure.kind)
    b.add(d_iri, T.organizationKind, org.kind)
    b.add(d_iri, T.organizationCode, org.code)
    b.add(d_iri, T.budgetLevel, disclosure.level)
    # In this file's graph; the union holds one per source file (and one bk:SourceFile each).
    b.add(d_iri, T.sourceFile, document_id)
    b.add(d_iri, T.sha256, disclosure.sha256)
    b.add(d_iri, DCTERMS.title, zh(title))
    b.label(d_iri, title)
    source_file_to_triples(b, disclosure, document_id, d_iri)

    phase = budget_phase(disclosure.kind)
    phase_iri = budget_phase_to_triples(b, phase)
    for table in disclosure.tables.values():
        t_iri = iris.table(d_iri, table.number)
        b.add(t_iri, RDF.type, T.BudgetTable)
        b.add(t_iri, T.tableNumber, integer(table.number))
        b.add(t_iri, T.tableKind, table.kind)
        b.add(t_iri, DCTERMS.title, table.title)
        b.label(t_iri, table.title or f"表{table.number}")
        b.add(t_iri, T.printedUnit, table.unit)
        b.add(t_iri, T.noData, Literal(table.no_data))
        b.provenance(t_iri, table.prov, d_iri)
        # The table is the Data Cube data set of its lines; what every line shares is stated here.
        b.add(t_iri, RDF.type, QB.DataSet)
        b.add(t_iri, QB.structure, T.BudgetLineStructure)
        b.add(t_iri, DCTERMS.isPartOf, d_iri)
        b.add(t_iri, T.dimOrganization, org_iri)
        b.add(t_iri, T.dimFiscalYear, year_iri)
        b.add(t_iri, T.dimBudgetPhase, phase_iri)
        b.add(t_iri, T.SDMX_ATTRIBUTE.unitMeasure, T.YUAN)
        economic = table_economic_codes(table)
        for row in table.rows:
            row_to_triples(b, row, d_iri, d_iri, t_iri, economic.get(row.index))

    ordinals: Counter[tuple[str, str]] = Counter()
    project_iris: list[URIRef] = []  # in the order of disclosure.projects
    for project in disclosure.projects:
        key = (project.list, iris.normalise_key(project.name))
        p_iri = iris.project(org_key, disclosure.fiscal_year, project.list, project.name, ordinals[key])
        ordinals[key] += 1
        project_iris.append(p_iri)
        project_to_triples(b, project, p_iri, org_iri, d_iri, d_iri, len(project_iris) - 1)

    links = link_sheets(disclosure.projects, disclosure.sheets)
    for sheet in disclosure.sheets:
        s_iri = iris.sheet(d_iri, sheet.index)
        position = links.project_of(sheet.index)
        sheet_to_triples(b, sheet, s_iri, d_iri, project_iris[position] if position is not None else None)
        if sheet.managing_org:
            code_to_triples(b, sheet.managing_org, disclosure.fiscal_year, sheet.managing_code)

    for figure in disclosure.figures:
        figure_to_triples(b, figure, d_iri, d_iri)

    if disclosure.overall is not None:
        for figure in disclosure.overall.basic_info:  # 部门基本信息 counts, keys overall/…
            figure_to_triples(b, figure, d_iri, d_iri)
        for key, amount in disclosure.overall.figures.items():
            f_iri = iris.figure(d_iri, f"整体绩效目标表/{key}")
            b.add(f_iri, RDF.type, T.Figure)
            b.add(f_iri, T.figureKey, f"整体绩效目标表/{key}")
            b.label(f_iri, f"部门整体绩效目标表 {key}")
            b.add(f_iri, T.printedValue, amount.printed)
            b.amount(f_iri, amount)
            b.add(d_iri, T.hasFigure, f_iri)
            b.provenance(f_iri, disclosure.overall.prov, d_iri)
        overall_to_triples(b, disclosure.overall, iris.overall_sheet(d_iri), d_iri)

    aliases = embedded_to_triples(b, disclosure.embedded, d_iri)
    citations_to_triples(b, disclosure.citations, d_iri, d_iri, aliases=aliases)
    findings_to_triples(b, disclosure.findings, d_iri, d_iri)
    return b.triples


def fiscal_year_to_triples(b: GraphBuilder, year: int) -> URIRef:
    year_iri = iris.fiscal_year(year)
    b.add(year_iri, RDF.type, T.FiscalYear)
    b.add(year_iri, T.yearNumber, integer(year))
    b.add(year_iri, RDFS.label, zh(f"{year}年度"))
    b.add(year_iri, RDFS.label, Literal(f"fiscal year {year}", lang="en"))
    return year_iri


def budget_phase_to_triples(b: GraphBuilder, phase: str) -> URIRef:
    """A code of the cube's budget-phase dimension (预算 / 决算), in bk:BudgetPhaseScheme."""
    p_iri = iris.budget_phase(phase)
    b.add(p_iri, RDF.type, SKOS.Concept)
    b.add(p_iri, SKOS.notation, phase)
    b.add(p_iri, SKOS.prefLabel, zh(phase))
    b.add(p_iri, SKOS.prefLabel, Literal(T.BUDGET_PHASES[phase], lang="en"))
    b.add(p_iri, RDFS.label, zh(phase))
    b.add(p_iri, SKOS.inScheme, T.BudgetPhaseScheme)
    b.add(p_iri, SKOS.topConceptOf, T.BudgetPhaseScheme)
    return p_iri


def special_code_to_triples(b: GraphBuilder, code: str) -> URIRef:
    """_T (total) or _Z (not applicable): the value of a cube dimension that has no classification
    value on an observation, a code of every classification the cube uses (as in SDMX code lists)."""
    c_iri = iris.special_code(code)
    b.add(c_iri, RDF.type, SKOS.Concept)
    b.add(c_iri, SKOS.notation, code)
    zh_label, en_label = T.SPECIAL_CODE_LABELS[code]
    b.add(c_iri, SKOS.prefLabel, zh(zh_label))
    b.add(c_iri, SKOS.prefLabel, Literal(en_label, lang="en"))
    b.add(c_iri, RDFS.label, zh(zh_label))
    for scheme in (T.FunctionalClassification, T.EconomicClassification, T.FundingSourceScheme):
        b.add(c_iri, SKOS.inScheme, scheme)
    return c_iri


def figure_to_triples(b: GraphBuilder, figure: Figure, root: URIRef, d_iri: URIRef) -> None:
    """A narrative figure or 部门基本信息 count on the disclosure: fixed key, printed value, unit
    and label; exact yuan for an amount, an xsd:integer for a count (records.COUNT_UNITS)."""
    f_iri = iris.figure(root, figure.key)
    b.add(f_iri, RDF.type, T.Figure)
    b.add(f_iri, T.figureKey, figure.key)
    b.add(f_iri, T.printedLabel, figure.label)
    b.label(f_iri, figure.label or figure.key)
    b.add(f_iri, T.printedValue, figure.printed)
    b.add(f_iri, T.printedUnit, figure.unit)
    if figure.unit in ("万元", "元"):
        b.add(f_iri, T.amountYuan, decimal_literal(Amount(figure.printed, figure.unit).yuan))
    count = figure.count
    b.add(f_iri, T.countValue, integer(count) if count is not None else None)
    b.add(d_iri, T.hasFigure, f_iri)
    b.provenance(f_iri, figure.prov, d_iri)


def finding_content(finding: Finding) -> str:
    """What a finding says, whichever file it was found in: its identity (``iris.finding``)."""
    return "|".join(str(part) for part in (finding.table, finding.row, finding.expected_yuan,
                                           finding.printed_yuan, finding.message))


def findings_to_triples(b: GraphBuilder, findings: list[Finding], root: URIRef, d_iri: URIRef) -> None:
    """Reconciliation findings (ingest.reconcile) as bk:Finding, keyed by what they say."""
    for finding in findings:
        f_iri = iris.finding(root, finding.check, finding_content(finding))
        b.add(f_iri, RDF.type, T.Finding)
        b.label(f_iri, finding.message)
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
            b.add(f_iri, T.concerns, iris.row(root, finding.table, finding.row_index))
        if finding.sheet is not None:
            b.add(f_iri, T.concerns, iris.sheet(root, finding.sheet))
        b.provenance(f_iri, finding.prov, d_iri)


def table_economic_codes(table: BudgetTable) -> dict[int, str]:
    """表6 row index -> 经济分类 code: as printed over 类 | 款 columns, else read from the
    names, each row under the 类 row above it (ingest.schemes.economic_codes)."""
    if table.number != 6:
        return {}
    printed = {row.index: row.economic_code for row in table.rows if row.economic_code}
    return printed or economic_codes(table.rows)


def row_to_triples(b: GraphBuilder, row: TableRow, root: URIRef, d_iri: URIRef, t_iri: URIRef,
                   economic: str | None = None) -> None:
    """One table row and its lines, the Data Cube observations of the table's data set;
    ``economic`` is its 部门预算支出经济分类 code (表6, ingest.schemes.economic_codes)."""
    r_iri = iris.row(root, row.table, row.index)
    b.add(r_iri, RDF.type, T.TableRow)
    b.add(r_iri, T.inTable, t_iri)
    b.add(r_iri, DCTERMS.isPartOf, t_iri)
    b.label(r_iri, row.label)
    b.add(r_iri, T.rowIndex, integer(row.index))
    b.add(r_iri, T.printedLabel, row.label)
    b.add(r_iri, T.economicCategory, row.category if row.table == 6 else None)
    b.add(r_iri, T.isTotal, Literal(row.is_total))
    b.add(r_iri, T.side, row.side)
    b.add(r_iri, T.codePrinted, row.code_printed)
    b.provenance(r_iri, row.prov, d_iri)
    total = special_code_to_triples(b, T.TOTAL_CODE)
    not_applicable = special_code_to_triples(b, T.NOT_APPLICABLE_CODE)
    subject = not_applicable
    if row.code:
        subject = iris.subject_code(row.code)
        b.add(r_iri, T.subject, subject)
        subject_to_triples(b, row.code)
    elif row.is_total:
        subject = total
    economic_dim = total if row.is_total and row.table == 6 else not_applicable
    if economic:
        economic_dim = economic_item_to_triples(b, economic)
        b.add(r_iri, T.economicItem, economic_dim)
    row_funding = total
    income_key = P.INCOME_LINES.get(row.label) if row.side == "income" else None
    if income_key in MEASURE_FUNDING:
        row_funding = funding_source_to_triples(b, MEASURE_FUNDING[income_key])
        b.add(r_iri, T.fundingSource, row_funding)
    for cell in row.cells:
        l_iri = iris.budget_line(r_iri, cell.column)
        m_iri = iris.measure(cell.column)
        b.add(l_iri, RDF.type, T.BudgetLine)
        b.add(l_iri, RDF.type, QB.Observation)
        b.add(l_iri, QB.dataSet, t_iri)
        b.add(l_iri, T.ofRow, r_iri)
        b.add(l_iri, T.measure, m_iri)
        b.add(l_iri, T.printedColumn, cell.printed_column)
        b.label(l_iri, f"{row.label} · {cell.printed_column or cell.column}")
        b.amount(l_iri, cell.amount)
        b.add(l_iri, T.dimSubject, subject)
        b.add(l_iri, T.dimEconomicItem, economic_dim)
        b.add(m_iri, RDF.type, T.Measure)
        b.add(m_iri, SKOS.notation, cell.column)
        b.add(m_iri, SKOS.inScheme, T.MeasureScheme)
        b.add(m_iri, RDFS.label, Literal(cell.column))
        funding = row_funding
        if cell.column in MEASURE_FUNDING:
            funding = funding_source_to_triples(b, MEASURE_FUNDING[cell.column])
            b.add(m_iri, T.fundingSource, funding)
        b.add(l_iri, T.dimFundingSource, funding)


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
    b.add(f_iri, RDFS.label, Literal(FUNDING_SOURCES[key], lang="zh"))
    b.add(f_iri, SKOS.inScheme, T.FundingSourceScheme)
    b.add(f_iri, SKOS.topConceptOf, T.FundingSourceScheme)
    return f_iri


def organization_to_triples(b: GraphBuilder, printed: str, bodies: list[str] | None = None) -> URIRef:
    """An organization under its identity key, labelled as printed here, with the
    org:subOrganizationOf edges its name and this document state (ingest.organizations)."""
    o_iri = iris.organization(organization_key(printed))
    b.add(o_iri, RDF.type, T.Organization)
    b.add(o_iri, RDF.type, ORG.Organization)
    b.add(o_iri, RDFS.label, Literal(printed, lang="zh"))
    b.add(o_iri, T.organizationKey, organization_key(printed))
    for child, parent in hierarchy(printed, bodies or ()):
        for ref in (child, parent):
            r_iri = iris.organization(ref.key)
            b.add(r_iri, RDF.type, T.Organization)
            b.add(r_iri, RDF.type, ORG.Organization)
            b.add(r_iri, T.organizationKey, ref.key)
            b.add(r_iri, T.organizationRole, ref.role)
            if r_iri != o_iri:
                b.add(r_iri, RDFS.label, Literal(ref.label, lang="zh"))
        b.add(iris.organization(child.key), ORG.subOrganizationOf, iris.organization(parent.key))
        b.add(iris.organization(parent.key), ORG.hasSubOrganization, iris.organization(child.key))
    return o_iri


def code_to_triples(b: GraphBuilder, printed: str, year: int, code: str | None) -> None:
    """The budget code printed with an organization's name, for that fiscal year."""
    if not code:
        return
    org_key = organization_key(printed)
    c_iri = iris.code_assignment(org_key, year, code)
    b.add(c_iri, RDF.type, T.CodeAssignment)
    b.add(c_iri, RDFS.label, zh(f"{year}年度编码 {code}"))
    b.add(c_iri, T.codeValue, code)
    b.add(c_iri, T.codeYear, iris.fiscal_year(year))
    b.add(iris.organization(org_key), T.hasCode, c_iri)


def project_to_triples(b: GraphBuilder, project: Project, p_iri: URIRef, org_iri: URIRef, root: URIRef,
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
    b.add(p_iri, T.fromRow, iris.row(root, project.row.table, project.row.index))
    for column, prop in (("total", T.totalYuan), ("general_public", T.generalPublicYuan),
                         ("government_fund", T.governmentFundYuan)):
        amount = project.row.amount(column)
        if amount is not None:
            b.add(p_iri, prop, decimal_literal(amount.yuan))
    b.provenance(p_iri, project.row.prov, d_iri)


def sheet_to_triples(b: GraphBuilder, sheet: ProjectSheet, s_iri: URIRef, d_iri: URIRef,
                     project_iri: URIRef | None) -> None:
    b.add(s_iri, RDF.type, T.PerformanceSheet)
    b.label(s_iri, f"{sheet.name} 项目支出绩效目标表" if sheet.name else "项目支出绩效目标表")
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
        b.label(f_iri, line.printed_label or line.level)
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
        b.label(x_iri, ref.title or ref.surface.strip("《》"))
        b.add(x_iri, T.surface, ref.surface)
        b.add(x_iri, T.citationField, deliverable.field)
        b.provenance(x_iri, deliverable.prov, d_iri)


def overall_to_triples(b: GraphBuilder, overall: OverallPerformance, o_iri: URIRef, d_iri: URIRef) -> None:
    """The 部门整体绩效目标表: its text fields, indicators and citations, as on a project sheet
    (its funding figures are bk:Figure on the disclosure)."""
    b.add(o_iri, RDF.type, T.OverallPerformanceSheet)
    b.label(o_iri, "部门整体绩效目标表")
    b.provenance(o_iri, overall.prov, d_iri)
    fields_and_indicators_to_triples(b, overall.fields, overall.indicators, o_iri, d_iri)
    citations_to_triples(b, overall.citations, o_iri, d_iri)


def fields_and_indicators_to_triples(b: GraphBuilder, fields: list[TextField], indicators: list[Indicator],
                                     s_iri: URIRef, d_iri: URIRef) -> None:
    """A sheet's text fields and indicators, numbered in order under the sheet ``s_iri``."""
    for i, field in enumerate(fields):
        x_iri = iris.sheet_part(s_iri, "field", i + 1)
        b.add(x_iri, RDF.type, T.TextField)
        b.label(x_iri, field.name)
        b.add(s_iri, T.hasTextField, x_iri)
        b.add(x_iri, T.fieldName, field.name)
        b.add(x_iri, T.text, field.text)
        b.provenance(x_iri, field.prov, d_iri)
    for i, ind in enumerate(indicators):
        n_iri = iris.sheet_part(s_iri, "indicator", i + 1)
        b.add(n_iri, RDF.type, T.Indicator)
        b.label(n_iri, ind.name or ind.level2 or ind.level1)
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
    """Citations found in ``context`` (a sheet, or the disclosure for the narrative); their IRIs
    hang under ``base`` (default: the context), numbered per field in reading order.
    ``aliases`` maps a reference key to the document it is known to be in this disclosure
    (the title of an embedded document -> that document, with its 文号). The disclosure
    ``dcterms:references`` every document cited in it (in standard terms; ``eli:cites``,
    ``eli:based_on`` and ``eli:repeals`` are kept for relations between policy documents)."""
    counters: Counter[str | None] = Counter()
    for position, citation in enumerate(citations, 1):
        ref = citation.reference
        c_iri = iris.citation(base or context, citation.field, counters[citation.field])
        counters[citation.field] += 1
        alias = (aliases or {}).get(reference_key(ref))
        p_iri = alias if alias is not None else policy_to_triples(b, ref)
        b.add(c_iri, RDF.type, T.Citation)
        b.label(c_iri, ref.surface)
        b.add(d_iri, DCTERMS.references, p_iri)
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
    b.add(p_iri, RDF.type, T.ELI.LegalResource)
    b.label(p_iri, policy_label(ref))
    b.add(p_iri, T.docNumber, ref.doc_number)
    b.add(p_iri, T.ELI.id_local, ref.doc_number)
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


def policy_label(ref: Reference) -> str:
    """What a person calls a cited document: its 文号, else its title, else the meeting as written."""
    if ref.doc_number:
        return ref.doc_number
    if ref.title:
        return ref.title
    if ref.meeting_body or ref.meeting_number is not None:
        return "".join(part for part in (str(ref.meeting_year or "") + ("年" if ref.meeting_year else ""),
                                         ref.meeting_body or "",
                                         f"第{ref.meeting_number}次" if ref.meeting_number is not None else "",
                                         "会议") if part)
    return ref.surface


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
