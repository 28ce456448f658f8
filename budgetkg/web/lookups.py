"""The web app's own SPARQL: what the home page counts, and the lookups behind entity pages
and row links. Ontology terms come from ``budgetkg.ontology.terms``; values the user typed are
bound as RDF terms in a VALUES block (``budgetkg.queries.named_queries.values_block``), never
spliced into the text."""
from __future__ import annotations

import pyoxigraph as ox

from budgetkg.ontology import terms as T
from budgetkg.queries.named_queries import values_block

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
# Most incoming links listed on an entity page (a subject code is the object of thousands).
MAX_INCOMING = 200


def _bind(text: str, values: dict[str, ox.NamedNode | ox.Literal]) -> str:
    return text.replace("#@values", values_block(values))  # type: ignore[arg-type]


COUNTS = f"""
SELECT (COUNT(DISTINCT ?d) AS ?disclosures) (COUNT(DISTINCT ?org) AS ?organizations)
       (COUNT(DISTINCT ?year) AS ?years) (COUNT(DISTINCT ?file) AS ?documents)
WHERE {{ ?d a <{T.Disclosure}> ; <{T.publishedBy}> ?org ; <{T.fiscalYear}>/<{T.yearNumber}> ?year .
         OPTIONAL {{ ?d <{T.sourceFile}> ?file }} }}"""

COUNT_POLICIES = f"""SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a ?class .
    ?class <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{T.PolicyDocument}> }}"""
COUNT_PROJECTS = f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{T.Project}> }}"


def entity_types(iri: str) -> str:
    """The classes of ``iri`` and their superclasses (the ontology graph is in the union)."""
    return _bind(f"SELECT DISTINCT ?type WHERE {{ #@values ?s <{RDF_TYPE}>/<{RDFS_SUBCLASS}>* ?type }}",
                 {"s": ox.NamedNode(iri)})


def outgoing(iri: str) -> str:
    return _bind(f"""SELECT DISTINCT ?p ?o ?label WHERE {{ #@values ?s ?p ?o .
        OPTIONAL {{ ?o <{SKOS_PREF}>|<{RDFS_LABEL}> ?label }} }} ORDER BY ?p ?o""", {"s": ox.NamedNode(iri)})


def incoming(iri: str) -> str:
    return _bind(f"""SELECT DISTINCT ?s ?p ?label WHERE {{ #@values ?s ?p ?o .
        OPTIONAL {{ ?s <{SKOS_PREF}>|<{RDFS_LABEL}> ?label }} }} ORDER BY ?p ?s LIMIT {MAX_INCOMING}""",
                 {"o": ox.NamedNode(iri)})


def project_iri(organization: str, year: str, name: str) -> str:
    """The project of a disclosure (organization as printed, year) by its name in the 表12/13
    list or in its 绩效目标表 (then the project the sheet is for, else the sheet itself)."""
    return _bind(f"""SELECT ?p ?kind WHERE {{ #@values
        ?d <{T.organizationName}> ?org ; <{T.fiscalYear}>/<{T.yearNumber}> ?year .
        {{ ?p a <{T.Project}> ; <{T.projectName}> ?name ; <{T.inDisclosure}> ?d . BIND(1 AS ?kind) }}
        UNION {{ ?s a <{T.PerformanceSheet}> ; <{T.projectName}> ?name ; <{T.inDisclosure}> ?d ;
                  <{T.forProject}> ?p . BIND(2 AS ?kind) }}
        UNION {{ ?p a <{T.PerformanceSheet}> ; <{T.projectName}> ?name ; <{T.inDisclosure}> ?d . BIND(3 AS ?kind) }}
    }} ORDER BY ?kind ?p LIMIT 1""", {"org": ox.Literal(organization), "year": ox.Literal(year, datatype=XSD_INTEGER),
                                     "name": ox.Literal(name)})


def organization_iri(organization: str) -> str:
    return _bind(f"""SELECT ?org WHERE {{ #@values ?d <{T.organizationName}> ?name ; <{T.publishedBy}> ?org }}
        LIMIT 1""", {"name": ox.Literal(organization)})


def subject_iri(code: str) -> str:
    return _bind(f"SELECT ?s WHERE {{ #@values ?s a <{T.SubjectCode}> ; <{SKOS_NOTATION}> ?code }} LIMIT 1",
                 {"code": ox.Literal(code)})


def disclosures_of(org_iri: str) -> str:
    """Every disclosure an organization published: name as printed, year, kind, source file."""
    return _bind(f"""SELECT DISTINCT ?d ?organization ?year ?kind ?file WHERE {{ #@values
        ?d <{T.publishedBy}> ?org ; <{T.organizationName}> ?organization ; <{T.fiscalYear}>/<{T.yearNumber}> ?year .
        OPTIONAL {{ ?d <{T.organizationKind}> ?kind }} OPTIONAL {{ ?d <{T.sourceFile}> ?file }}
    }} ORDER BY ?year ?kind ?file""", {"org": ox.NamedNode(org_iri)})


def sources_of(iri: str) -> str:
    """Where an entity was read: (file, line) and (file, page), per source document; for a
    disclosure, its files."""
    return _bind(f"""SELECT DISTINCT ?file ?line ?page WHERE {{ #@values
        GRAPH ?g {{ {{ ?x <{T.inDisclosure}> ?d . ?d <{T.sourceFile}> ?file .
                       OPTIONAL {{ ?x <{T.sourceLine}> ?line }} OPTIONAL {{ ?x <{T.sourcePage}> ?page }} }}
                    UNION {{ ?x <{T.sourceFile}> ?file }} }}
    }} ORDER BY ?file""", {"x": ox.NamedNode(iri)})


def disclosure_iri(organization: str, year: str, kind: str | None) -> str:
    """The disclosure of an organization (as printed) and year, of a kind (部门 / 单位) if given."""
    values: dict[str, ox.NamedNode | ox.Literal] = {"org": ox.Literal(organization),
                                                    "year": ox.Literal(year, datatype=XSD_INTEGER)}
    if kind:
        values["kind"] = ox.Literal(kind)
    return _bind(f"""SELECT ?d WHERE {{ #@values
        ?d a <{T.Disclosure}> ; <{T.organizationName}> ?org ; <{T.fiscalYear}>/<{T.yearNumber}> ?year .
        {"?d <" + str(T.organizationKind) + "> ?kind ." if kind else ""}
    }} ORDER BY ?d LIMIT 1""", values)


def disclosure_files(organization: str, year: str) -> str:
    """The source files of the disclosures of an organization (as printed) and year."""
    return _bind(f"""SELECT DISTINCT ?file WHERE {{ #@values
        ?d a <{T.Disclosure}> ; <{T.organizationName}> ?org ; <{T.fiscalYear}>/<{T.yearNumber}> ?year ;
           <{T.sourceFile}> ?file }} ORDER BY ?file""",
                 {"org": ox.Literal(organization), "year": ox.Literal(year, datatype=XSD_INTEGER)})


def project_facts(iri: str) -> str:
    """Organization (as printed), year and name of a project or sheet."""
    return _bind(f"""SELECT ?organization ?year ?name WHERE {{ #@values
        ?x <{T.inDisclosure}> ?d ; <{T.projectName}> ?name .
        ?d <{T.organizationName}> ?organization ; <{T.fiscalYear}>/<{T.yearNumber}> ?year }} LIMIT 1""",
                 {"x": ox.NamedNode(iri)})


def sheet_fields(iri: str) -> str:
    """The text fields of the 绩效目标表 of a project (or of the sheet itself), in source order."""
    return _bind(f"""SELECT DISTINCT ?field ?text ?line ?page WHERE {{ #@values
        {{ ?sheet <{T.forProject}> ?x }} UNION {{ ?x a <{T.PerformanceSheet}> . BIND(?x AS ?sheet) }}
        GRAPH ?g {{ ?sheet <{T.hasTextField}> ?f . ?f <{T.fieldName}> ?field ; <{T.text}> ?text .
                    OPTIONAL {{ ?f <{T.sourceLine}> ?line }} OPTIONAL {{ ?f <{T.sourcePage}> ?page }} }}
    }} ORDER BY ?line ?page ?field""", {"x": ox.NamedNode(iri)})


def sheet_indicators(iri: str) -> str:
    """The performance indicators of the 绩效目标表 of a project (or of the sheet itself)."""
    return _bind(f"""SELECT DISTINCT ?level1 ?level2 ?indicator ?value ?line WHERE {{ #@values
        {{ ?sheet <{T.forProject}> ?x }} UNION {{ ?x a <{T.PerformanceSheet}> . BIND(?x AS ?sheet) }}
        GRAPH ?g {{ ?sheet <{T.hasIndicator}> ?i . ?i <{T.indicatorName}> ?indicator .
                    OPTIONAL {{ ?i <{T.level1}> ?level1 }} OPTIONAL {{ ?i <{T.level2}> ?level2 }}
                    OPTIONAL {{ ?i <{T.indicatorValue}> ?value }} OPTIONAL {{ ?i <{T.sourceLine}> ?line }} }}
    }} ORDER BY ?line ?level1 ?level2 ?indicator""", {"x": ox.NamedNode(iri)})
