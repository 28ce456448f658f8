"""One identity per cited document, across every document in the store.

Two kinds of links, both in the derived graph ``policies``:

- **title-only mentions**: a document cited by its title alone (``titled_document:…``)
  is the numbered document cited elsewhere with the same normalised title:
  ``t bk:sameDocumentAs n``. A title known with two different 文号 links to both (and
  is listed by ``budgetkg policies --title-conflicts``). Titles also match when one of
  them adds the issuer in front of 关于 and the rest is long enough to be specific.
  A numbered document that *forwards* the titled one (``X转发《T》（N）``) is not it.
- **suspected typos**, as a ``bk:IdentityCandidate`` with a confidence, never merged:
  a 机关代字 not in the issuer registry one edit away from a registered code
  (晋证办发 -> 晋政办发, 豫示晋开综办函 -> 综示晋开综办函); any code one edit away
  from the code of a document cited with the same year and serial; the same code and
  serial cited with years one apart (民管字〔2015〕45号 / 民管字〔2016〕45号).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from budgetkg.derive import Select, Triple, deriver, updater
from budgetkg.ingest.references import REGISTRY, edit_distance, near_codes
from budgetkg.ingest.references import patterns as RP
from budgetkg.ontology import iris
from budgetkg.ontology import terms as T
from budgetkg.ontology.identity import doc_number
from budgetkg.queries.named_queries import iri_values

# An unregistered code one substitution away from a registered one (晋证办发 / 晋政办发).
TYPO_SUBSTITUTION = Decimal("0.6")
# An unregistered code one insertion / deletion away from a registered one (晋证办发 / 晋办发).
TYPO_INDEL = Decimal("0.4")
# Added when the corrected 文号 is itself cited somewhere in the store.
CORRECTED_DOCUMENT_KNOWN = Decimal("0.3")
# Two registered codes one edit apart with the same year and serial: both codes exist.
BOTH_CODES_REGISTERED = Decimal("0.3")
# The same code and serial with years one apart (a slip in the year, or two real documents).
YEAR_OFF_BY_ONE = Decimal("0.3")
# Shortest title remainder after 关于 that may match a title written with its issuer in front.
MIN_TITLE_CORE_LEN = 12

PREFIXES = """
PREFIX bk: <https://w3id.org/budgetkg/ontology#>
"""
# Only what the documents state: a derived graph (this one included) must never feed back into
# itself, or a second refresh would see the corrected 文号 it described and raise its confidence.
DOCUMENT_GRAPHS_ONLY = f'FILTER(!STRSTARTS(STR(?g), "{iris.DERIVED_GRAPH}"))'
NUMBERED = PREFIXES + """
SELECT DISTINCT ?p ?number ?code ?year ?serial ?title WHERE {
  GRAPH ?g {
    ?p a bk:NumberedDocument ; bk:docNumber ?number ; bk:issuerCode ?code ; bk:docYear ?year ;
       bk:serialNumber ?serial .
    OPTIONAL { ?p bk:normalisedTitle ?title }
  }
  """ + DOCUMENT_GRAPHS_ONLY + """
}
"""
TITLED = PREFIXES + """
SELECT DISTINCT ?p ?title WHERE {
  GRAPH ?g { ?p bk:normalisedTitle ?title . FILTER NOT EXISTS { ?p bk:docNumber ?n } }
  """ + DOCUMENT_GRAPHS_ONLY + """
}
"""
CITED = PREFIXES + """
SELECT DISTINCT ?p WHERE { GRAPH ?g { ?c bk:cites ?p } """ + DOCUMENT_GRAPHS_ONLY + """ }
"""
# A cited meeting's bodies and numbers, each made distinct on its own: every citing document
# restates them, and joining body to number over the union of graphs joined every copy to every
# copy (19 s at ten million triples).
MEETING_FACTS = {key: PREFIXES + """
SELECT DISTINCT ?m ?value WHERE { GRAPH ?g { ?m """ + predicate + """ ?value } }
""" for key, predicate in (("body", "bk:meetingBody"), ("number", "bk:meetingNumber"))}
FORWARDS = PREFIXES + """
SELECT DISTINCT ?n ?t WHERE { GRAPH ?g { ?n bk:forwards ?t } """ + DOCUMENT_GRAPHS_ONLY + """ }
"""
# Every document a stated relation between documents names (what policy-graph shows).
RELATED = PREFIXES + """
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT DISTINCT ?doc WHERE {
  GRAPH ?g {
    { ?doc bk:forwards|eli:based_on|eli:repeals|eli:cites ?other }
    UNION { ?other bk:forwards|eli:based_on|eli:repeals|eli:cites ?doc }
  }
  """ + DOCUMENT_GRAPHS_ONLY + """
}
"""
# Every citation with who cited it and when: what the per-document summaries count. Three plain
# patterns joined here (citations, their disclosures, the sheets they sit in): as one query with
# OPTIONALs, the embedded store took twice as long; and no column it need not decode (the time of
# a large answer goes into reading each IRI and long string back).
CITATIONS = PREFIXES + """
SELECT DISTINCT ?g ?cited ?kind ?ctx ?d WHERE {
  #@cited
  GRAPH ?g { ?c a bk:Citation ; bk:cites ?cited ; bk:citationKind ?kind ; bk:citedIn ?ctx ; bk:inDisclosure ?d . }
}
"""
CITING_DISCLOSURES = PREFIXES + """
SELECT DISTINCT ?d ?org ?organization ?year WHERE {
  #@disclosures
  GRAPH ?g { ?d bk:organizationName ?organization ; bk:publishedBy ?org ; bk:fiscalYear/bk:yearNumber ?year . }
}
"""
CITING_SHEETS = PREFIXES + """
SELECT DISTINCT ?ctx ?project WHERE {
  #@sheets
  GRAPH ?g { ?ctx a bk:PerformanceSheet . OPTIONAL { ?ctx bk:projectName ?project } }
}
"""
# The documents some graphs cite (VALUES ?g filled in): what an incremental update must recount.
CITED_IN_GRAPHS = PREFIXES + """
SELECT DISTINCT ?p WHERE { #@graphs
  GRAPH ?g { ?c bk:cites ?p } }
"""
# A document's own facts, restated once in the summary so a query needs no copy per citing graph
# (one plain pattern each: as a UNION, the embedded store took twice as long).
DOCUMENT_FACTS = {key: PREFIXES + """
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?p ?value WHERE {
  #@docs
  GRAPH ?g { """ + pattern + """ }
  """ + DOCUMENT_GRAPHS_ONLY + """
}
""" for key, pattern in (("number", "?p bk:docNumber ?value"), ("title", "?p dcterms:title ?value"),
                         ("code", "?p bk:issuerCode ?value"),
                         ("numbered", "?p a bk:NumberedDocument . BIND(true AS ?value)"))}
# Joins a list of names or years in a summary literal (the separator the named queries use).
LIST_SEPARATOR = "; "


@dataclass(slots=True)
class Citing:
    """Who cites one counted document: sheets, organizations (identity and printed name), years, kinds."""

    sheets: set[str] = field(default_factory=set)
    orgs: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    graphs: set[str] = field(default_factory=set)
    # (organization name, year) -> the citing projects' names: one shared-policies row each
    groups: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))


@dataclass(frozen=True, slots=True)
class Numbered:
    iri: str
    number: str
    code: str
    year: int
    serial: int


def title_core(title: str) -> str | None:
    """The part of a normalised title from 关于 on, when something is written before it."""
    m = RP.TITLE_ISSUER.match(title)
    if not m:
        return None
    core = title[m.end() - len("关于"):]
    return core if len(core) >= MIN_TITLE_CORE_LEN else None


def title_links(numbered_titles: dict[str, set[str]], titled: dict[str, set[str]],
                forwards: set[tuple[str, str]]) -> Iterable[tuple[str, str]]:
    """(titled IRI, numbered IRI) pairs: same normalised title, or the same title after 关于
    when the titled mention names no issuer."""
    by_title: dict[str, set[str]] = defaultdict(set)
    by_core: dict[str, set[str]] = defaultdict(set)
    for n, titles in numbered_titles.items():
        for title in titles:
            by_title[title].add(n)
            core = title_core(title)
            if core:
                by_core[core].add(n)
    for t, titles in titled.items():
        for title in titles:
            targets = set(by_title.get(title, ()))
            if not targets and RP.TITLE_ISSUER.match(title) is None and title.startswith("关于"):
                targets = set(by_core.get(title, ()))
            for n in sorted(targets):
                if (n, t) not in forwards:
                    yield t, n


def typo_candidates(docs: list[Numbered]) -> Iterable[tuple[Numbered, str, str, Decimal, str]]:
    """(document, candidate 文号, candidate code, confidence, reason) for suspected typos."""
    by_number = {d.number: d for d in docs}
    by_year_serial: dict[tuple[int, int], list[Numbered]] = defaultdict(list)
    for d in docs:
        by_year_serial[(d.year, d.serial)].append(d)
    seen: set[tuple[str, str]] = set()
    for d in sorted(docs, key=lambda d: d.number):
        registered = d.code in REGISTRY
        proposals: list[tuple[str, Decimal, str]] = []
        if not registered:
            for code in near_codes(d.code):
                same_length = len(code) == len(d.code)
                confidence = TYPO_SUBSTITUTION if same_length else TYPO_INDEL
                reason = f"机关代字 {d.code} 不在发文机关登记表中；登记的 {code} 与其相差一字"
                if doc_number(code, d.year, d.serial) in by_number:
                    confidence += CORRECTED_DOCUMENT_KNOWN
                    reason += f"，且 {doc_number(code, d.year, d.serial)} 在库中被引用"
                proposals.append((code, confidence, reason))
        for other in by_year_serial[(d.year, d.serial)]:
            if other.code == d.code or other.code in {p[0] for p in proposals}:
                continue
            if edit_distance(d.code, other.code) != 1:
                continue
            if registered and other.code in REGISTRY:
                confidence = BOTH_CODES_REGISTERED
                reason = f"{d.number} 与库中的 {other.number} 机关代字相差一字、年份序号相同（两个代字均已登记）"
            elif registered:
                continue  # the other one is the suspect; it gets its own candidate
            else:
                confidence = TYPO_INDEL + CORRECTED_DOCUMENT_KNOWN
                reason = f"{d.number} 与库中的 {other.number} 机关代字相差一字、年份序号相同"
            proposals.append((other.code, confidence, reason))
        for code, confidence, reason in proposals:
            number = doc_number(code, d.year, d.serial)
            if (d.number, number) not in seen:
                seen.add((d.number, number))
                yield d, number, code, min(confidence, Decimal(1)), reason
        for year in (d.year - 1, d.year + 1):
            other_number = doc_number(d.code, year, d.serial)
            if other_number in by_number and (d.number, other_number) not in seen:
                seen.add((d.number, other_number))
                yield d, other_number, d.code, YEAR_OFF_BY_ONE, \
                    f"{d.number} 与库中的 {other_number} 代字、序号相同，年份相差一年"


def identity_triples(select: Select, same: dict[str, set[str]], cited: set[str]) -> Iterable[Triple]:
    """Everything but the citing summaries: title links, meeting labels, bk:countsAs, typo
    candidates. Fills ``same`` (titled -> numbered IRIs) and ``cited`` (every cited IRI)."""
    numbered: dict[str, Numbered] = {}
    numbered_titles: dict[str, set[str]] = defaultdict(set)
    for row in select(NUMBERED).dicts():
        numbered[row["p"]] = Numbered(row["p"], row["number"], row["code"], int(row["year"]), int(row["serial"]))
        if row.get("title"):
            numbered_titles[row["p"]].add(row["title"])
    titled: dict[str, set[str]] = defaultdict(set)
    for row in select(TITLED).dicts():
        titled[row["p"]].add(row["title"])
    forwards = {(row["n"], row["t"]) for row in select(FORWARDS).dicts()}

    for t, n in title_links(numbered_titles, titled, forwards):
        same.setdefault(t, set()).add(n)
        yield URIRef(t), T.sameDocumentAs, URIRef(n)
    # a meeting's label, stated here because a remote engine's CONCAT mangles CJK constants:
    # every body it is printed with, with each number (either may be missing)
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: {"body": set(), "number": set()})
    for key, query in MEETING_FACTS.items():
        for row in select(query).dicts():
            facts[row["m"]][key].add(row["value"])
    for meeting, stated in facts.items():
        for body in stated["body"] or {""}:
            for number in stated["number"] or {""}:
                yield URIRef(meeting), T.meetingLabel, Literal(body + (f"第{number}次" if number else ""))
    # what named queries group by: the numbered document(s) a cited one is, else itself
    for row in select(CITED).dicts():
        cited.add(row["p"])
        for counted in same.get(row["p"]) or {row["p"]}:
            yield URIRef(row["p"]), T.countsAs, URIRef(counted)

    known = {d.number for d in numbered.values()}
    for doc, number, code, confidence, reason in typo_candidates(list(numbered.values())):
        cited_iri, candidate = URIRef(doc.iri), iris.policy(number)
        c_iri = iris.identity_candidate(cited_iri, candidate)
        yield c_iri, RDF.type, T.IdentityCandidate
        yield c_iri, T.candidateFor, cited_iri
        yield c_iri, T.candidateDocument, candidate
        yield c_iri, T.confidence, Literal(str(confidence), datatype=XSD.decimal)
        yield c_iri, T.candidateReason, Literal(reason)
        if number not in known:  # the corrected 文号 is cited nowhere: describe it here
            yield candidate, RDF.type, T.NumberedDocument
            yield candidate, T.docNumber, Literal(number)
            yield candidate, T.issuerCode, Literal(code)
            yield candidate, T.docYear, Literal(doc.year, datatype=XSD.integer)
            yield candidate, T.serialNumber, Literal(doc.serial, datatype=XSD.integer)


@deriver("policies")
def derive_policies(select: Select) -> Iterable[Triple]:
    same: dict[str, set[str]] = {}
    cited: set[str] = set()
    identity = set(identity_triples(select, same, cited))
    triples = identity | set(shown_labels(select, identity)) | set(citing_summaries(select, same, cited))
    return triples | set(group_order(triples))


def shown_labels(select: Select, identity: set[Triple]) -> Iterable[Triple]:
    """bk:shownDocNumber and bk:shownTitle, stated once, of every document a relation names
    (stated between documents, a title link, a typo candidate): policy-graph shows them. Every
    citing document restates a document's 文号 and title; picking one from all the copies at
    query time read every citation of the store. The smallest where copies differ."""
    docs = {row["doc"] for row in select(RELATED).dicts()}
    for s, p, o in identity:
        if p == T.sameDocumentAs:
            docs |= {str(s), str(o)}
        elif p in (T.candidateFor, T.candidateDocument):
            docs.add(str(o))
        elif p == T.docNumber:  # a corrected 文号 cited nowhere, described only here
            yield s, T.shownDocNumber, o
    if not docs:
        return
    wanted = iri_values("p", sorted(docs))
    for key, predicate in (("number", T.shownDocNumber), ("title", T.shownTitle)):
        stated: dict[str, set[str]] = defaultdict(set)
        for row in select(DOCUMENT_FACTS[key].replace("#@docs", wanted)).dicts():
            stated[row["p"]].add(row["value"])
        for doc, values in stated.items():
            yield URIRef(doc), predicate, Literal(min(values))


def group_order(triples: set[Triple]) -> Iterable[Triple]:
    """bk:groupOrder for every citing group: its place in the order shared-policies gives rows
    of equal counts (the document's 文号, unstated first, and title, then the organization's name,
    the year, the document's IRI). Oxigraph sorts long texts by looking each up again at every
    comparison (0.8 s for the 13,000 groups of ten million triples); an integer it compares in place.
    Recomputed whole after every change: a new group moves the places of those after it."""
    stated: dict[URIRef, dict[URIRef, str]] = defaultdict(dict)
    for s, p, o in triples:
        if p in (T.groupDocument, T.groupOrganizationName, T.groupYear, T.countedDocNumber, T.countedTitle):
            stated[s][p] = o  # type: ignore[index,assignment]

    def text(value: object) -> tuple[int, str]:  # SPARQL's ORDER BY puts an unbound value first
        return (0, "") if value is None else (1, str(value))

    def key(group: URIRef) -> tuple[object, ...]:
        facts = stated[group]
        doc = facts[T.groupDocument]
        own = stated.get(doc, {})  # type: ignore[call-overload]
        return (text(own.get(T.countedDocNumber)), text(own.get(T.countedTitle)), str(facts[T.groupOrganizationName]),
                int(facts[T.groupYear]), str(doc))

    groups = sorted((s for s, facts in stated.items() if T.groupDocument in facts), key=key)
    for place, group in enumerate(groups, start=1):
        yield group, T.groupOrder, Literal(place, datatype=XSD.integer)


# The predicates of the citing summaries (with the citing groups' own triples): what an
# incremental update keeps for the documents the change does not touch.
SUMMARY_PREDICATES = frozenset({
    T.countedKind, T.citingProjectCount, T.citingOrganizationCount, T.citingYearCount, T.citingOrganizationNames,
    T.citingYears, T.countedDocNumber, T.countedTitle, T.countedIssuerCode, PROV.wasDerivedFrom,
    T.groupDocument, T.groupOrganizationName, T.groupYear, T.groupProjects})


def is_summary(triple: Triple) -> bool:
    _, p, o = triple
    return p in SUMMARY_PREDICATES or (p == RDF.type and o == T.CitingGroup)


@updater("policies")
def update_policies(select: Select, graphs: set[str], old: set[Triple]) -> Iterable[Triple]:
    """The policies graph after ``graphs`` changed: identity facts recomputed (they read the
    distinct cited documents, not the citations), the citing summaries recomputed only for the
    documents the changed graphs cite now or cited before (prov:wasDerivedFrom) and those whose
    bk:countsAs changed; every other summary kept as it was."""
    same: dict[str, set[str]] = {}
    cited: set[str] = set()
    fresh = set(identity_triples(select, same, cited))
    fresh |= set(shown_labels(select, fresh))
    old_counts = {(s, o) for s, p, o in old if p == T.countsAs}
    new_counts = {(s, o) for s, p, o in fresh if p == T.countsAs}
    scope = {str(o) for _, o in old_counts ^ new_counts}
    scope |= {str(s) for s, p, o in old if p == PROV.wasDerivedFrom and str(o) in graphs}
    if graphs:
        for row in select(CITED_IN_GRAPHS.replace("#@graphs", iri_values("g", sorted(graphs)))).dicts():
            scope |= same.get(row["p"]) or {row["p"]}
    group_of = {s: o for s, p, o in old if p == T.groupDocument}
    kept = {t for t in old if is_summary(t) and str(group_of.get(t[0], t[0])) not in scope}
    triples = fresh | kept | set(citing_summaries(select, same, cited, scope))
    return triples | set(group_order(triples))


def citing_summaries(select: Select, same: dict[str, set[str]], cited: set[str],
                     scope: set[str] | None = None) -> Iterable[Triple]:
    """Per counted document (bk:countsAs; only those in ``scope`` when given): citing projects,
    organizations and years, its kind, its 文号 / title / issuer code restated once (named queries
    read these instead of joining every citation to every copy of the document's facts), and the
    graphs citing it (prov:wasDerivedFrom, what an incremental update looks up)."""
    docs_filter = ""
    citations = CITATIONS
    if scope is not None:
        wanted = sorted(c for c in cited if (same.get(c) or {c}) & scope)
        if not wanted:
            return
        citations = CITATIONS.replace("#@cited", iri_values("cited", wanted))
        docs_filter = iri_values("p", sorted(scope))
    rows = select(citations).dicts()
    if not rows:
        return

    def only(variable: str, values: set[str]) -> str:  # the whole store, or what the rows name
        return iri_values(variable, sorted(values)) if scope is not None else ""

    disclosures: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in select(CITING_DISCLOSURES.replace("#@disclosures", only("d", {r["d"] for r in rows}))).dicts():
        disclosures[r["d"]].append(r)
    sheets: dict[str, set[str]] = defaultdict(set)
    for r in select(CITING_SHEETS.replace("#@sheets", only("ctx", {r["ctx"] for r in rows}))).dicts():
        sheets[r["ctx"]].add(r["project"])
    citing: dict[str, Citing] = defaultdict(Citing)
    for row in rows:
        for counted in same.get(row["cited"]) or {row["cited"]}:
            if scope is not None and counted not in scope:
                continue
            # a citation whose disclosure states no organization or year is counted nowhere
            for disclosure in disclosures.get(row["d"], ()):
                year = int(disclosure["year"])
                entry = citing[counted]
                entry.graphs.add(row["g"])
                if row["ctx"] in sheets:
                    entry.sheets.add(row["ctx"])
                entry.orgs.add(disclosure["org"])
                entry.names.add(disclosure["organization"])
                entry.years.add(year)
                entry.kinds.add(row["kind"])
                entry.groups[(disclosure["organization"], year)].update(n for n in sheets.get(row["ctx"], ()) if n)
    facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for key, query in DOCUMENT_FACTS.items():
        for row in select(query.replace("#@docs", docs_filter)).dicts():
            if row["p"] in citing and row["value"]:
                facts[row["p"]][key].add(row["value"])
    for iri, entry in citing.items():
        doc, own = URIRef(iri), facts.get(iri, {})
        kind = "numbered_document" if own.get("numbered") else min(entry.kinds)
        yield doc, T.countedKind, Literal(kind)
        yield doc, T.citingProjectCount, Literal(len(entry.sheets), datatype=XSD.integer)
        yield doc, T.citingOrganizationCount, Literal(len(entry.orgs), datatype=XSD.integer)
        yield doc, T.citingYearCount, Literal(len(entry.years), datatype=XSD.integer)
        yield doc, T.citingOrganizationNames, Literal(LIST_SEPARATOR.join(sorted(entry.names)))
        yield doc, T.citingYears, Literal(LIST_SEPARATOR.join(str(y) for y in sorted(entry.years)))
        for graph in entry.graphs:
            yield doc, PROV.wasDerivedFrom, URIRef(graph)
        if len(entry.orgs) > 1 or len(entry.years) > 1:  # shared: one group per organization and year
            for (name, year), projects in entry.groups.items():
                group = iris.citing_group(doc, name, year)
                yield group, RDF.type, T.CitingGroup
                yield group, T.groupDocument, doc
                yield group, T.groupOrganizationName, Literal(name)
                yield group, T.groupYear, Literal(year, datatype=XSD.integer)
                yield group, T.groupProjects, Literal(LIST_SEPARATOR.join(sorted(projects)))
        stated_once = (("number", T.countedDocNumber), ("title", T.countedTitle), ("code", T.countedIssuerCode))
        for key, predicate in stated_once:
            if own.get(key):
                yield doc, predicate, Literal(min(own[key]))  # one, as SAMPLE would: the smallest
