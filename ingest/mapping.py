"""Records -> RDF triples under the budgetkg ontology.

The triples of one disclosure go into that source document's own named graph
(the store decides the graph; this module only states facts). Amounts are
exact xsd:decimal yuan; the printed value and unit ride along as provenance.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ingest.amounts import Amount, yuan_to_text
from ingest.model import Provenance
from ingest.records import Citation, Disclosure, Project, ProjectSheet, TableRow
from ingest.references import normalise_title
from ontology import iris
from ontology import terms as T


def decimal_literal(value: Decimal) -> Literal:
    return Literal(yuan_to_text(value), datatype=XSD.decimal)


def integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


Triple = tuple[URIRef, URIRef, URIRef | Literal]


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
    org_iri = iris.organization(org.name)
    d_iri = iris.disclosure(org.name, disclosure.fiscal_year)
    year_iri = iris.fiscal_year(disclosure.fiscal_year)

    b.add(org_iri, RDF.type, T.Organization)
    b.add(org_iri, SKOS.prefLabel, Literal(org.name, lang="zh"))
    for unit in org.internal_units:
        unit_iri = iris.internal_unit(org.name, unit)
        b.add(unit_iri, RDF.type, T.OrganizationalUnit)
        b.add(unit_iri, SKOS.prefLabel, Literal(unit, lang="zh"))
        b.add(org_iri, T.hasInternalUnit, unit_iri)
    b.add(year_iri, RDF.type, T.FiscalYear)
    b.add(year_iri, T.yearNumber, integer(disclosure.fiscal_year))

    b.add(d_iri, RDF.type, T.Disclosure)
    b.add(d_iri, T.publishedBy, org_iri)
    b.add(d_iri, T.fiscalYear, year_iri)
    b.add(d_iri, T.disclosureKind, disclosure.kind)
    b.add(d_iri, T.organizationKind, org.kind)
    b.add(d_iri, T.organizationCode, org.code)
    b.add(d_iri, T.sourceFile, disclosure.source_file)
    b.add(d_iri, T.sha256, disclosure.sha256)
    b.add(d_iri, DCTERMS.title, Literal(f"{org.name}{disclosure.fiscal_year}年度{disclosure.kind}公开", lang="zh"))

    for table in disclosure.tables.values():
        t_iri = iris.table(src, table.number)
        b.add(t_iri, RDF.type, T.BudgetTable)
        b.add(t_iri, T.tableNumber, integer(table.number))
        b.add(t_iri, DCTERMS.title, table.title)
        b.add(t_iri, T.printedUnit, table.unit)
        b.add(t_iri, T.noData, Literal(table.no_data))
        b.provenance(t_iri, table.prov, d_iri)
        for row in table.rows:
            row_to_triples(b, row, src, d_iri, t_iri)

    ordinals: Counter[tuple[str, str]] = Counter()
    project_iris: dict[tuple[str, str], URIRef] = {}
    for project in disclosure.projects:
        key = (project.list, iris.normalise_key(project.name))
        p_iri = iris.project(org.name, disclosure.fiscal_year, project.list, project.name, ordinals[key])
        ordinals[key] += 1
        project_iris.setdefault(key, p_iri)
        project_to_triples(b, project, p_iri, org_iri, src, d_iri)

    for sheet in disclosure.sheets:
        s_iri = iris.sheet(src, sheet.index)
        target = project_iris.get(("current", iris.normalise_key(sheet.name))) or project_iris.get(
            ("carryover", iris.normalise_key(sheet.name)))
        sheet_to_triples(b, sheet, s_iri, d_iri, target)

    for figure in disclosure.figures:
        f_iri = iris.figure(src, figure.key)
        b.add(f_iri, RDF.type, T.Figure)
        b.add(f_iri, T.figureKey, figure.key)
        b.add(f_iri, T.printedValue, figure.printed)
        b.add(f_iri, T.printedUnit, figure.unit)
        if figure.unit in ("万元", "元"):
            b.add(f_iri, T.amountYuan, decimal_literal(Amount(figure.printed, figure.unit).yuan))
        b.add(d_iri, T.hasFigure, f_iri)
        b.provenance(f_iri, figure.prov, d_iri)

    if disclosure.overall is not None:
        for key, amount in disclosure.overall.figures.items():
            f_iri = iris.figure(src, f"整体绩效目标表/{key}")
            b.add(f_iri, RDF.type, T.Figure)
            b.add(f_iri, T.figureKey, f"整体绩效目标表/{key}")
            b.add(f_iri, T.printedValue, amount.printed)
            b.amount(f_iri, amount)
            b.add(d_iri, T.hasFigure, f_iri)
            b.provenance(f_iri, disclosure.overall.prov, d_iri)

    citations_to_triples(b, disclosure.citations, d_iri, d_iri, base=src)
    return b.triples


def row_to_triples(b: GraphBuilder, row: TableRow, src: URIRef, d_iri: URIRef, t_iri: URIRef) -> None:
    r_iri = iris.row(src, row.table, row.index)
    b.add(r_iri, RDF.type, T.TableRow)
    b.add(r_iri, T.inTable, t_iri)
    b.add(r_iri, T.rowIndex, integer(row.index))
    b.add(r_iri, T.printedLabel, row.label)
    b.add(r_iri, T.economicCategory, row.category if row.table == 6 else None)
    b.add(r_iri, T.isTotal, Literal(row.is_total))
    b.add(r_iri, T.side, row.side)
    b.provenance(r_iri, row.prov, d_iri)
    if row.code:
        c_iri = iris.subject_code(row.code)
        b.add(r_iri, T.subject, c_iri)
        subject_to_triples(b, row.code)
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


def subject_to_triples(b: GraphBuilder, code: str) -> None:
    """A functional-classification concept: 3/5/7 digits = 类/款/项, broader by prefix."""
    c_iri = iris.subject_code(code)
    b.add(c_iri, RDF.type, T.SubjectCode)
    b.add(c_iri, SKOS.notation, code)
    b.add(c_iri, SKOS.inScheme, T.FunctionalClassification)
    b.add(c_iri, T.codeLevel, {3: "类", 5: "款", 7: "项"}.get(len(code)))
    if len(code) > 3:
        b.add(c_iri, SKOS.broader, iris.subject_code(code[:-2]))


def project_to_triples(b: GraphBuilder, project: Project, p_iri: URIRef, org_iri: URIRef, src: URIRef,
                       d_iri: URIRef) -> None:
    b.add(p_iri, RDF.type, T.Project)
    b.add(p_iri, T.projectName, project.name)
    b.add(p_iri, RDFS.label, Literal(project.name, lang="zh"))
    b.add(p_iri, T.projectList, project.list)
    b.add(p_iri, T.budgetedBy, org_iri)
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
        m_iri = iris.organization(sheet.managing_org)
        b.add(m_iri, RDF.type, T.Organization)
        b.add(m_iri, SKOS.prefLabel, Literal(sheet.managing_org, lang="zh"))
        b.add(s_iri, T.managingOrganization, m_iri)
    b.add(s_iri, T.managingCode, sheet.managing_code)
    if sheet.implementing_org:
        i_iri = iris.organization(sheet.implementing_org)
        b.add(i_iri, RDF.type, T.Organization)
        b.add(i_iri, SKOS.prefLabel, Literal(sheet.implementing_org, lang="zh"))
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
        b.add(f_iri, T.printedLabel, line.printed_label)
        b.amount(f_iri, line.amount)
        b.provenance(f_iri, line.prov, d_iri)
    for i, field in enumerate(sheet.fields):
        x_iri = iris.sheet_part(s_iri, "field", i + 1)
        b.add(x_iri, RDF.type, T.TextField)
        b.add(s_iri, T.hasTextField, x_iri)
        b.add(x_iri, T.fieldName, field.name)
        b.add(x_iri, T.text, field.text)
        b.provenance(x_iri, field.prov, d_iri)
    for i, ind in enumerate(sheet.indicators):
        n_iri = iris.sheet_part(s_iri, "indicator", i + 1)
        b.add(n_iri, RDF.type, T.Indicator)
        b.add(s_iri, T.hasIndicator, n_iri)
        b.add(n_iri, T.indicatorPeriod, ind.period)
        b.add(n_iri, T.level1, ind.level1)
        b.add(n_iri, T.level2, ind.level2)
        b.add(n_iri, T.indicatorName, ind.name)
        b.add(n_iri, T.indicatorValue, ind.value)
        b.provenance(n_iri, ind.prov, d_iri)
    citations_to_triples(b, sheet.citations, s_iri, d_iri)


def policy_key(citation: Citation) -> str | None:
    """Identity of the cited document: canonical 文号, else title, else meeting."""
    ref = citation.reference
    if ref.doc_number:
        return ref.doc_number
    if ref.title:
        return f"{ref.kind}:{normalise_title(ref.title)}"
    if ref.meeting_body or ref.meeting_number is not None:
        parts = [ref.meeting_body or "", str(ref.meeting_year or ""), str(ref.meeting_number or ""),
                 ref.meeting_date or ""]
        return "meeting:" + "/".join(parts)
    return f"{ref.kind}:{normalise_title(ref.surface)}"


def citations_to_triples(b: GraphBuilder, citations: list[Citation], context: URIRef, d_iri: URIRef,
                         base: URIRef | None = None) -> None:
    """Citations found in ``context`` (a sheet, or the disclosure for the narrative);
    their IRIs hang under ``base`` (default: the context) so each source file has its own."""
    counters: Counter[str | None] = Counter()
    for citation in citations:
        ref = citation.reference
        c_iri = iris.citation(base or context, citation.field, counters[citation.field])
        counters[citation.field] += 1
        p_iri = iris.policy(policy_key(citation) or ref.surface)
        b.add(c_iri, RDF.type, T.Citation)
        b.add(c_iri, T.citedIn, context)
        b.add(c_iri, T.citationField, citation.field)
        b.add(c_iri, T.citationKind, ref.kind)
        b.add(c_iri, T.surface, ref.surface)
        b.add(c_iri, T.charStart, integer(ref.start))
        b.add(c_iri, T.charEnd, integer(ref.end))
        b.add(c_iri, T.cites, p_iri)
        # As written at this citation; the cited document may be written differently elsewhere.
        b.add(c_iri, T.docNumber, ref.doc_number)
        b.add(c_iri, DCTERMS.title, Literal(ref.title, lang="zh") if ref.title else None)
        b.add(c_iri, T.issuerText, ref.issuer_text)
        b.provenance(c_iri, citation.prov, d_iri)
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
        b.add(p_iri, T.docYear, integer(ref.meeting_year) if ref.meeting_year else None)
        b.add(p_iri, T.meetingDate, ref.meeting_date)
