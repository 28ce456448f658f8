"""One headline row per disclosure, per document that states it: what the organizations query lists.

The query reads, for every disclosure, its organization, year, kind and code and four figures
from tables 1 and 3 (收入总计, 支出总计, the 合计 row's 基本 and 项目支出). Joined from the document
graphs that is many lookups per disclosure, across every table row of the store; derived here
once per change into a ``bk:DisclosureHeadline`` node per disclosure and graph (a text and its PDF
are two documents of one disclosure, and may differ), it is a scan of one small graph.

Incremental: after a change only the changed graphs' headlines are recomputed (each records the
graph it was derived from); the order of all of them (bk:headlineOrder) is recomputed whole.
"""
from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from budgetkg.derive import Select, Triple, deriver, to_rdflib, updater
from budgetkg.ontology import iris
from budgetkg.ontology import terms as T
from budgetkg.queries.named_queries import iri_values

# The headline figures: result column, the row's printed label, its table (the numbered 表1-13
# and the nine-table layouts both print 表1 收支总表 and 表3 支出总表 with these rows) and measure.
FIGURES = (
    ("income_total_yuan", "收入总计", 1, "total"),
    ("expenditure_total_yuan", "支出总计", 1, "total"),
    ("basic_yuan", "合计", 3, "basic"),
    ("project_yuan", "合计", 3, "project"),
)
# Each figure in an OPTIONAL of its own that starts from the printed label: the engine builds an
# OPTIONAL's matches before joining them, and from the label they are one per disclosure, from the
# table number every row of every table 1.
FIGURE_PATTERN = """
    OPTIONAL {{
      ?r{n} bk:printedLabel "{label}" ; bk:inTable ?t{n} . ?t{n} bk:tableNumber {table} ; bk:inDisclosure ?d .
      ?l{n} bk:ofRow ?r{n} ; bk:measure bkm:{measure} ; bk:amountYuan ?{column} .
    }}"""
# Every headline row of the document graphs (#@graphs: only these graphs, in an update).
HEADLINES = """
PREFIX bk: <https://w3id.org/budgetkg/ontology#>
PREFIX bkm: <https://w3id.org/budgetkg/id/measure/>
SELECT DISTINCT ?g ?d ?organization ?year ?kind ?org_code """ + " ".join(f"?{f[0]}" for f in FIGURES) + """
WHERE {
  #@graphs
  GRAPH ?g {
    ?d a bk:Disclosure ; bk:organizationName ?organization ; bk:fiscalYear/bk:yearNumber ?year ;
       bk:organizationKind ?kind .
    OPTIONAL { ?d bk:organizationCode ?org_code }""" + "".join(
    FIGURE_PATTERN.format(n=n, column=column, label=label, table=table, measure=measure)
    for n, (column, label, table, measure) in enumerate(FIGURES, start=1)) + """
  }
}
"""
# Result column -> headline property (each written when the row states it).
COLUMNS = {
    "organization": T.headlineOrganization,
    "year": T.headlineYear,
    "kind": T.headlineKind,
    "org_code": T.headlineCode,
    "income_total_yuan": T.headlineIncomeYuan,
    "expenditure_total_yuan": T.headlineExpenditureYuan,
    "basic_yuan": T.headlineBasicYuan,
    "project_yuan": T.headlineProjectYuan,
}


def headline_rows(select: Select, graphs: set[str] | None = None) -> Iterable[Triple]:
    """The headline nodes of every document graph, or of ``graphs``."""
    if graphs is not None and not graphs:
        return
    result = select(HEADLINES.replace("#@graphs", iri_values("g", sorted(graphs)) if graphs else ""))
    for row in result.rows:
        cells = dict(zip(result.columns, row, strict=True))
        graph, disclosure = cells["g"], cells["d"]
        if graph is None or disclosure is None or not iris.is_document_graph(graph.value):
            continue
        values = tuple((c, cells[c].value if cells[c] is not None else "") for c in COLUMNS)
        node = iris.disclosure_headline(graph.value, disclosure.value, repr(values))
        yield node, RDF.type, T.DisclosureHeadline
        yield node, T.headlineOf, URIRef(disclosure.value)
        yield node, PROV.wasDerivedFrom, URIRef(graph.value)
        for column, predicate in COLUMNS.items():
            if cells[column] is not None:
                yield node, predicate, to_rdflib(cells[column])
        name, year = (cells[c].value if cells[c] is not None else "" for c in ("organization", "year"))
        yield node, RDFS.label, Literal(f"{name} {year} 预算公开概览", lang="zh")


def headline_order(triples: set[Triple]) -> Iterable[Triple]:
    """bk:headlineOrder: each headline's place in the organizations order (organization, year,
    then the rest of its row, so the order is one on every engine). Oxigraph sorts long texts by
    looking each up again at every comparison; an integer it compares in place."""
    rows: dict[URIRef, dict[URIRef, str]] = {}
    for s, p, o in triples:
        if p == RDF.type and o == T.DisclosureHeadline:
            rows.setdefault(s, {})  # type: ignore[arg-type]
        elif p in COLUMNS.values():
            rows.setdefault(s, {})[p] = str(o)  # type: ignore[index]

    def key(node: URIRef) -> tuple[object, ...]:
        facts = rows[node]
        year = facts.get(T.headlineYear)
        return (facts.get(T.headlineOrganization, ""), int(year) if year else -1,
                *(facts.get(p, "") for p in COLUMNS.values()), str(node))

    for place, node in enumerate(sorted(rows, key=key), start=1):
        yield node, T.headlineOrder, Literal(place, datatype=XSD.integer)


@deriver("headlines")
def derive_headlines(select: Select) -> Iterable[Triple]:
    triples = set(headline_rows(select))
    return triples | set(headline_order(triples))


@updater("headlines")
def update_headlines(select: Select, graphs: set[str], old: set[Triple]) -> Iterable[Triple]:
    """The headlines after ``graphs`` changed: theirs recomputed, every other one kept."""
    changed = {s for s, p, o in old if p == PROV.wasDerivedFrom and str(o) in graphs}
    kept = {t for t in old if t[0] not in changed and t[1] != T.headlineOrder}
    triples = kept | set(headline_rows(select, graphs))
    return triples | set(headline_order(triples))
