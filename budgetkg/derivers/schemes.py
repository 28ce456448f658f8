"""The classification schemes across all documents (SKOS).

- Subject codes (支出功能分类) and economic items (部门预算支出经济分类): one concept per
  code; the name most often printed for it becomes skos:prefLabel, every other printed
  name skos:altLabel (表3 may print 技术与研究与开发 where 表2 and 表5 print 技术与开发).
  Each printed row counts once, whether the disclosure is stored as text, PDF or both.
- Funding sources keep their fixed preferred name (ingest.schemes.FUNDING_SOURCES);
  the column headers, income lines and sheet labels they are printed as become altLabels.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import URIRef

from budgetkg.derive import Select, Triple, deriver
from budgetkg.derivers.labels import Printed, label_triples
from budgetkg.ingest.schemes import FUNDING_SOURCES, funding_label

# One row per printed (disclosure, table, row): the text and PDF of a disclosure count once.
CODED_ROW_NAMES = """
PREFIX bk: <https://w3id.org/budgetkg/ontology#>
SELECT ?concept ?name (COUNT(*) AS ?n) (MAX(?year) AS ?latest) WHERE {
  SELECT DISTINCT ?concept ?name ?d ?table ?index ?year WHERE {
    GRAPH ?g {
      ?r bk:%s ?concept ; bk:printedLabel ?name ; bk:rowIndex ?index ; bk:inTable ?t .
      ?t bk:tableNumber ?table ; bk:inDisclosure ?d .
      ?d bk:fiscalYear/bk:yearNumber ?year .
    }
  }
}
GROUP BY ?concept ?name
"""

# How each funding source is printed: measure columns, 表1/表4 income lines, sheet funding lines.
# The printed names are collected first and only then joined to the source's key:
# with the key pattern inside the UNION's graph block, Oxigraph took 20x longer.
FUNDING_NAMES = """
PREFIX bk: <https://w3id.org/budgetkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?source ?key ?name (COUNT(DISTINCT ?g) AS ?n) WHERE {
  { SELECT DISTINCT ?g ?source ?name WHERE { GRAPH ?g {
    { ?m bk:fundingSource ?source . ?l bk:measure ?m ; bk:printedColumn ?name . }
    UNION { ?r a bk:TableRow ; bk:fundingSource ?source ; bk:printedLabel ?name . }
    UNION { ?f a bk:SheetFunding ; bk:fundingSource ?source ; bk:printedLabel ?name . }
  } } }
  GRAPH ?g { ?source skos:notation ?key }
}
GROUP BY ?source ?key ?name
"""


def coded_labels(select: Select, link: str) -> Iterable[Triple]:
    names: dict[str, list[Printed]] = defaultdict(list)
    for row in select(CODED_ROW_NAMES % link).dicts():
        names[row["concept"]].append(Printed(row["name"], int(row["n"]), int(row["latest"] or 0)))
    for concept, printed in names.items():
        yield from label_triples(URIRef(concept), printed)


@deriver("schemes")
def scheme_labels(select: Select) -> Iterable[Triple]:
    yield from coded_labels(select, "subject")
    yield from coded_labels(select, "economicItem")
    names: dict[tuple[str, str], list[Printed]] = defaultdict(list)
    for row in select(FUNDING_NAMES).dicts():
        if row["key"] in FUNDING_SOURCES:
            names[(row["source"], row["key"])].append(Printed(funding_label(row["name"]), int(row["n"])))
    for (source, key), printed in names.items():
        yield from label_triples(URIRef(source), printed, fixed=FUNDING_SOURCES[key])
