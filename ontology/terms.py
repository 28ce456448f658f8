"""Every budgetkg ontology term used in code, in one place.

A test checks each constant below against ontology/budgetkg.ttl, so a term the
ontology does not define fails the suite. Standard vocabularies (ORG, SKOS,
QB, ELI, PROV, DCTERMS) are used through rdflib's namespaces.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, QB, RDF, RDFS, SH, SKOS, VOID, XSD

BK = Namespace("https://w3id.org/budgetkg/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
# The unit of every bk:amountYuan: the Chinese yuan (renminbi) in QUDT's currency vocabulary.
YUAN = URIRef("http://qudt.org/vocab/currency/CNY")

PREFIXES: dict[str, str] = {
    "bk": str(BK),
    "bkid": "https://w3id.org/budgetkg/id/",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "org": str(ORG),
    "qb": str(QB),
    "eli": str(ELI),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "owl": str(OWL),
    "sh": str(SH),
    "dcat": str(DCAT),
    "void": str(VOID),
    "sdmx-attribute": str(SDMX_ATTRIBUTE),
}

# --- classes -------------------------------------------------------------------
Disclosure = BK.Disclosure
Organization = BK.Organization
OrganizationalUnit = BK.OrganizationalUnit
FiscalYear = BK.FiscalYear
BudgetTable = BK.BudgetTable
TableRow = BK.TableRow
BudgetLine = BK.BudgetLine
SubjectCode = BK.SubjectCode
FundingSource = BK.FundingSource
Measure = BK.Measure
Project = BK.Project
PerformanceSheet = BK.PerformanceSheet
TextField = BK.TextField
SheetFunding = BK.SheetFunding
Indicator = BK.Indicator
OverallPerformanceSheet = BK.OverallPerformanceSheet  # 部门整体绩效目标表
Figure = BK.Figure
Citation = BK.Citation
PolicyDocument = BK.PolicyDocument
NumberedDocument = BK.NumberedDocument
TitledDocument = BK.TitledDocument
Meeting = BK.Meeting
LawRegulation = BK.LawRegulation
Contract = BK.Contract
Request = BK.Request
Deliverable = BK.Deliverable  # a document a project is to write (编制《…》)
SourceFile = BK.SourceFile  # one file a disclosure was read from (prov:Entity, keyed by SHA-256)

# --- concept schemes (individuals) ------------------------------------------------
FunctionalClassification = BK.FunctionalClassification
MeasureScheme = BK.MeasureScheme
BudgetPhaseScheme = BK.BudgetPhaseScheme

# --- the Data Cube (bk:BudgetLineStructure): a table is a qb:DataSet, a line a qb:Observation ---
BudgetLineStructure = BK.BudgetLineStructure
dimOrganization = BK.dimOrganization
dimFiscalYear = BK.dimFiscalYear
dimBudgetPhase = BK.dimBudgetPhase
dimSubject = BK.dimSubject
dimEconomicItem = BK.dimEconomicItem
dimFundingSource = BK.dimFundingSource
# Budget phase (the last two characters of bk:disclosureKind: 部门预算 -> 预算) -> its label in English.
BUDGET_PHASES = {"预算": "budget", "决算": "final accounts"}
# SDMX codes for a dimension without a classification value: a total over it, or not applicable.
TOTAL_CODE, NOT_APPLICABLE_CODE = "_T", "_Z"
SPECIAL_CODE_LABELS = {TOTAL_CODE: ("合计", "total"), NOT_APPLICABLE_CODE: ("不适用", "not applicable")}

# --- properties: disclosure and organization --------------------------------------
publishedBy = BK.publishedBy
fiscalYear = BK.fiscalYear
yearNumber = BK.yearNumber
disclosureKind = BK.disclosureKind
organizationKind = BK.organizationKind
organizationCode = BK.organizationCode
budgetLevel = BK.budgetLevel
hasInternalUnit = BK.hasInternalUnit
sourceFile = BK.sourceFile
sha256 = BK.sha256
inDisclosure = BK.inDisclosure
sourceLine = BK.sourceLine
sourcePage = BK.sourcePage

# --- properties: tables, rows, lines ---------------------------------------------
tableNumber = BK.tableNumber
tableKind = BK.tableKind
codePrinted = BK.codePrinted
inTable = BK.inTable
noData = BK.noData
rowIndex = BK.rowIndex
printedLabel = BK.printedLabel
subject = BK.subject
economicCategory = BK.economicCategory
isTotal = BK.isTotal
side = BK.side
ofRow = BK.ofRow
measure = BK.measure
amountYuan = BK.amountYuan
printedAmount = BK.printedAmount
printedUnit = BK.printedUnit
printedColumn = BK.printedColumn
codeLevel = BK.codeLevel

# --- properties: projects and sheets ------------------------------------------------
projectName = BK.projectName
projectList = BK.projectList
projectIndex = BK.projectIndex
budgetedBy = BK.budgetedBy
fromRow = BK.fromRow
totalYuan = BK.totalYuan
generalPublicYuan = BK.generalPublicYuan
governmentFundYuan = BK.governmentFundYuan
sheetIndex = BK.sheetIndex
managingOrganization = BK.managingOrganization
managingCode = BK.managingCode
implementingOrganization = BK.implementingOrganization
projectAttribute = BK.projectAttribute
projectPeriod = BK.projectPeriod
implementationTotalYuan = BK.implementationTotalYuan
annualTotalYuan = BK.annualTotalYuan
forProject = BK.forProject
complete = BK.complete
hasTextField = BK.hasTextField
fieldName = BK.fieldName
text = BK.text
hasFunding = BK.hasFunding
fundingPeriod = BK.fundingPeriod
fundingLevel = BK.fundingLevel
hasIndicator = BK.hasIndicator
indicatorPeriod = BK.indicatorPeriod
level1 = BK.level1
level2 = BK.level2
indicatorName = BK.indicatorName
indicatorValue = BK.indicatorValue

# --- properties: figures ---------------------------------------------------------------
hasFigure = BK.hasFigure
figureKey = BK.figureKey
printedValue = BK.printedValue
countValue = BK.countValue  # xsd:integer of a count figure (部门基本信息, 国有资产)

# --- properties: citations and policy documents ------------------------------------------
citedIn = BK.citedIn
citationField = BK.citationField
citationKind = BK.citationKind
surface = BK.surface
citationIndex = BK.citationIndex
charStart = BK.charStart
charEnd = BK.charEnd
cites = BK.cites
docNumber = BK.docNumber
issuerCode = BK.issuerCode
issuerText = BK.issuerText
docYear = BK.docYear
serialNumber = BK.serialNumber
normalisedTitle = BK.normalisedTitle
partialNumber = BK.partialNumber
meetingBody = BK.meetingBody
meetingNumber = BK.meetingNumber
meetingDate = BK.meetingDate
meetingSession = BK.meetingSession  # 届: 市政府九届12次常务会议 -> 9
produces = BK.produces  # sheet -> bk:Deliverable

# --- issue 3: relations, issuers and identity of policy documents --------------------------
forwards = BK.forwards
embeds = BK.embeds
issuedBy = BK.issuedBy
administrativeLevel = BK.administrativeLevel
region = BK.region
sameDocumentAs = BK.sameDocumentAs
countsAs = BK.countsAs  # derived: the document a cited one counts under (remote engines)
meetingLabel = BK.meetingLabel  # derived: body + 第N次 of a cited meeting (remote engines)
historyFirst = BK.historyFirst  # derived: root of a project's continues chain (remote engines)
historyName = BK.historyName  # derived: every name printed in a history, on its first project
withinOrganization = BK.withinOrganization  # derived: org:subOrganizationOf* (remote engines)
IdentityCandidate = BK.IdentityCandidate
DisclosureHeadline = BK.DisclosureHeadline  # derived: one row of the organizations query
headlineOf = BK.headlineOf
headlineOrganization = BK.headlineOrganization
headlineYear = BK.headlineYear
headlineKind = BK.headlineKind
headlineCode = BK.headlineCode
headlineIncomeYuan = BK.headlineIncomeYuan
headlineExpenditureYuan = BK.headlineExpenditureYuan
headlineBasicYuan = BK.headlineBasicYuan
headlineProjectYuan = BK.headlineProjectYuan
headlineOrder = BK.headlineOrder
IssuerSummary = BK.IssuerSummary  # derived: one row of the issuers query
summaryIssuerName = BK.summaryIssuerName
summaryIssuerLevel = BK.summaryIssuerLevel
summaryIssuerRegion = BK.summaryIssuerRegion
summaryIssuerCodes = BK.summaryIssuerCodes
summaryDocumentCount = BK.summaryDocumentCount
summaryCitationCount = BK.summaryCitationCount
summaryCitingProjectCount = BK.summaryCitingProjectCount
summaryOrganizationNames = BK.summaryOrganizationNames
candidateFor = BK.candidateFor
candidateDocument = BK.candidateDocument
confidence = BK.confidence
candidateReason = BK.candidateReason
# Relation kind (ingest.references.RELATIONS) -> property between two policy documents.
RELATION_PROPERTIES = {
    "forwards": forwards,
    "based_on": ELI.based_on,
    "repeals": ELI.repeals,
    "cites": ELI.cites,
}

# --- linking across documents and years (organizations, schemes, project continuation) ---
organizationName = BK.organizationName
organizationKey = BK.organizationKey
organizationRole = BK.organizationRole
CodeAssignment = BK.CodeAssignment
hasCode = BK.hasCode
codeValue = BK.codeValue
codeYear = BK.codeYear
EconomicItem = BK.EconomicItem
EconomicClassification = BK.EconomicClassification
FundingSourceScheme = BK.FundingSourceScheme
economicItem = BK.economicItem
fundingSource = BK.fundingSource
ProjectLink = BK.ProjectLink
laterProject = BK.laterProject
earlierProject = BK.earlierProject
similarity = BK.similarity
matchKind = BK.matchKind
continues = BK.continues
mayContinue = BK.mayContinue

# --- data-quality findings (ingest/reconcile.py) -----------------------------------------
Finding = BK.Finding
hasFinding = BK.hasFinding
checkId = BK.checkId
severity = BK.severity
findingMessage = BK.findingMessage
concerns = BK.concerns
findingTable = BK.findingTable
findingRow = BK.findingRow
expectedYuan = BK.expectedYuan
printedYuan = BK.printedYuan
# Finding.severity -> the SHACL severity stated with bk:severity.
SEVERITIES = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}

# Kind string (`citations.kind`, docs/ARCHITECTURE.md) -> document class.
KIND_CLASSES = {
    "numbered_document": NumberedDocument,
    "titled_document": TitledDocument,
    "meeting": Meeting,
    "law_regulation": LawRegulation,
    "contract": Contract,
    "request": Request,
}

# --- derived summaries (issue 13, budgetkg/derivers/): what named queries read at scale -------
citingProjectCount = BK.citingProjectCount  # derived: project sheets citing a counted document
citingOrganizationCount = BK.citingOrganizationCount  # derived: publishing organizations citing it
citingYearCount = BK.citingYearCount  # derived: fiscal years it is cited in
citingOrganizationNames = BK.citingOrganizationNames  # derived: "a; b", the citing organizations as printed
citingYears = BK.citingYears  # derived: "2024; 2025", the fiscal years it is cited in
countedKind = BK.countedKind  # derived: citation kind of a counted document (numbered_document if numbered)
treePath = BK.treePath  # derived: names from the zone down to the organization, " / "-joined
treeOrder = BK.treeOrder  # derived: a row's place in the organization-tree order
treeDepth = BK.treeDepth  # derived: number of organizations above it
CitingGroup = BK.CitingGroup  # derived: one counted document's citations by one organization in one year
groupDocument = BK.groupDocument  # derived: the counted document of a citing group
groupOrganizationName = BK.groupOrganizationName  # derived: the citing organization's name as printed
groupYear = BK.groupYear  # derived: the fiscal year of a citing group
groupProjects = BK.groupProjects  # derived: "a; b", the citing projects of a citing group
groupOrder = BK.groupOrder  # derived: a citing group's place in the shared-policies order
shownDocNumber = BK.shownDocNumber  # derived: a related document's 文号, stated once (policy-graph)
shownTitle = BK.shownTitle  # derived: a related document's title, stated once (policy-graph)
countedDocNumber = BK.countedDocNumber  # derived: a counted document's 文号, stated once
countedTitle = BK.countedTitle  # derived: a counted document's title, stated once
countedIssuerCode = BK.countedIssuerCode  # derived: a counted document's 机关代字, stated once
treeZone = BK.treeZone  # derived: the preferred name of the root above an organization
treeParent = BK.treeParent  # derived: the preferred name of its nearest parent
treeKind = BK.treeKind  # derived: its role, else the kind its disclosures print, else ""
treeName = BK.treeName  # derived: its preferred name (an internal unit: its name as printed)
treeNames = BK.treeNames  # derived: "a; b", every name it is printed with
treeYears = BK.treeYears  # derived: "2024; 2025", the years of the documents naming it
treeCodes = BK.treeCodes  # derived: "2024:609", its codes per year
