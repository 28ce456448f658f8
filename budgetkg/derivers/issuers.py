"""One summary per issuer of cited documents, counted across every disclosure in the store.

The issuers query answers with a handful of rows, yet counting them reads every citation of
every document (1.4 s at ten million triples): the counts are derived here once per change,
into ``bk:IssuerSummary`` nodes, and the query reads those. A document's issuer is its
registered issuing body, or the 机关代字 alone when no registry entry explains it; a title-only
mention counts as the numbered document of the same title (``bk:countsAs``, derived by the
policies deriver, which runs first).

The counts need the whole store (distinct documents, citations and project sheets per issuer),
so they are recomputed whole after every change, like the project links.
"""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal
from rdflib.namespace import RDF, RDFS, XSD

from budgetkg.derive import Select, Triple, deriver, to_rdflib
from budgetkg.derivers.policies import LIST_SEPARATOR
from budgetkg.ontology import iris
from budgetkg.ontology import terms as T

# One row per issuer (?group: its registry IRI, else "code:" and its 机关代字).
ISSUER_COUNTS = """
PREFIX bk: <https://w3id.org/budgetkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?group (SAMPLE(?issuerName) AS ?issuer) (SAMPLE(?lv) AS ?level) (SAMPLE(?rg) AS ?region)
       (SUBSTR(GROUP_CONCAT(DISTINCT ?code0; separator=""), 3) AS ?issuer_codes) (COUNT(DISTINCT ?policy) AS ?documents)
       (COUNT(DISTINCT ?c) AS ?citations) (COUNT(DISTINCT ?sheet) AS ?citing_projects)
       (GROUP_CONCAT(DISTINCT ?organization; separator="; ") AS ?organizations)
WHERE {
  # Each disclosure is matched inside its own graph: a union default graph would
  # repeat a fact once per document that states it.
  { SELECT ?c ?cited ?sheet ?organization WHERE {
    GRAPH ?g {
      ?c a bk:Citation ; bk:cites ?cited ; bk:citationKind ?kind ; bk:citedIn ?ctx ; bk:inDisclosure ?d .
      ?d bk:organizationName ?organization .
      OPTIONAL { ?ctx a bk:PerformanceSheet . BIND(?ctx AS ?sheet) }
    }
    FILTER(?kind != "meeting")
  } }
  # A title-only mention counts as the numbered document of the same title (derived).
  ?cited bk:countsAs ?policy .
  # The issuer facts of each document, made distinct before the join: every citing document
  # restates them, and joining the copies per citation grows with the square of the corpus.
  { SELECT DISTINCT ?policy ?code0 ?group ?issuerName ?lv ?rg WHERE {
    GRAPH ?pg {
      { ?policy bk:issuerCode [] } UNION { ?policy bk:issuedBy [] }
      OPTIONAL { ?policy bk:issuerCode ?code }
    }
    OPTIONAL {
      GRAPH ?pg {
        ?policy bk:issuedBy ?org .
        OPTIONAL { ?org bk:administrativeLevel ?lv }
        OPTIONAL { ?org bk:region ?rg }
      }
      # The derived preferred name: the registry's name and the printed ones are all labels.
      OPTIONAL { ?org skos:prefLabel ?label }
    }
    BIND(STR(?label) AS ?issuerName)
    # Computed here, not after the join: Virtuoso 7 reports a variable left unbound inside a
    # sub-select as BOUND outside it. An unbound value would void GROUP_CONCAT (documents
    # known by their issuer's name have no code), so each code carries its own "; " in
    # front, cut once from the list (SUBSTR, not REPLACE: Virtuoso's REPLACE turns
    # non-ASCII text into '?').
    BIND(IF(BOUND(?code), CONCAT("; ", ?code), "") AS ?code0)
    # codes with no registered issuer: one row per code
    BIND(IF(BOUND(?org), STR(?org), CONCAT("code:", ?code)) AS ?group)
  } }
}
GROUP BY ?group
"""
# Result column -> summary property (each written when the row states it).
COLUMNS = {
    "issuer": T.summaryIssuerName,
    "level": T.summaryIssuerLevel,
    "region": T.summaryIssuerRegion,
    "issuer_codes": T.summaryIssuerCodes,
    "organizations": T.summaryOrganizationNames,
}
# Columns that are lists joined by LIST_SEPARATOR.
LISTS = ("issuer_codes", "organizations")
COUNTS = {
    "documents": T.summaryDocumentCount,
    "citations": T.summaryCitationCount,
    "citing_projects": T.summaryCitingProjectCount,
}


@deriver("issuers")
def issuer_summaries(select: Select) -> Iterable[Triple]:
    result = select(ISSUER_COUNTS)
    for row in result.rows:
        cells = dict(zip(result.columns, row, strict=True))
        group = cells["group"]
        if group is None:
            continue
        node = iris.issuer_summary(group.value)
        yield node, RDF.type, T.IssuerSummary
        named = cells["issuer"] or cells["issuer_codes"]
        if named is not None and named.value:  # its name, else its 机关代字: what a client shows
            yield node, RDFS.label, Literal(f"{named.value} · 被引用文件汇总", lang="zh")
        for column, predicate in COLUMNS.items():
            term = cells[column]
            if term is None:
                continue
            if column in LISTS:  # in code-point order: engines concatenate in an order of their own
                yield node, predicate, Literal(LIST_SEPARATOR.join(sorted(set(term.value.split(LIST_SEPARATOR)))))
            else:
                yield node, predicate, to_rdflib(term)
        for column, predicate in COUNTS.items():
            term = cells[column]
            yield node, predicate, Literal(int(term.value) if term is not None else 0, datatype=XSD.integer)
