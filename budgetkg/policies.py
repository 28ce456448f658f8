"""One cited document, and the reports behind `budgetkg policy` and `budgetkg policies`.

Everything here reads the store through a ``select`` function (SPARQL SELECT text ->
Result), so it works on any backend. What the user types (a 文号 in any written
variant, or a title or part of one) is bound as an RDF literal in a VALUES block,
never spliced into the query text.

- :func:`find_documents` — the documents a reference names: by canonical 文号, else by
  exact normalised title, else by title fragment; a title-only mention that is a
  numbered document (derived ``bk:sameDocumentAs``) is folded into that document;
- :func:`policy_report` — one document: its forms as written, issuer, relations (stated
  and derived, both directions), suspected typos, and every citation with organization,
  year, project, field, amount and page/line;
- :func:`unknown_issuers` — citations of 文号 whose 机关代字 the registry does not know;
- :func:`title_conflicts` — one title cited with two or more different 文号.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from budgetkg.graph_store.results import Result
from budgetkg.ingest.references import REGISTRY, Issuer, canonical_doc_number, near_codes, normalise_title
from budgetkg.ontology import iris
from budgetkg.queries.named_queries import iri_values, values_block

Select = Callable[[str], Result]

PREFIXES = """PREFIX bk: <https://w3id.org/budgetkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# relation properties between documents, as named in reports (T.RELATION_PROPERTIES).
RELATION_VALUES = ('VALUES (?p ?relation) { (bk:forwards "forwards") (eli:based_on "based_on") '
                   '(eli:repeals "repeals") (eli:cites "cites") }')


@dataclass(frozen=True, slots=True)
class CitingRow:
    """One citation of the document, where it was found."""

    organization: str
    year: int
    project_name: str | None  # None for the narrative
    field: str | None
    amount_yuan: str | None  # the project's 表12/13 total, else the sheet's annual total
    surface: str
    document: str  # source document id (file name)
    page: int | None
    line: int | None


@dataclass(frozen=True, slots=True)
class RelatedDocument:
    direction: str  # out: this document -> other; in: other -> this document
    relation: str  # forwards | based_on | repeals | cites | same_document | typo_candidate
    other: str  # IRI
    label: str  # 文号 and/or title (or meeting) of the other document
    confidence: str  # 1 for stated relations
    stated_in: str  # "organization year", or "derived"


@dataclass(slots=True)
class PolicyReport:
    policy: str  # IRI of the document
    kind: str
    doc_number: str | None
    titles: list[str]
    issuer_code: str | None
    issuer: Issuer | None  # registry row of the code (None: not registered)
    aliases: list[str]  # IRIs of title-only mentions that are this document
    same_title: list[str]  # other 文号 cited with the same title (a title conflict; both kept)
    forms: list[tuple[str, int]]  # surfaces as written, with how many citations wrote each
    relations: list[RelatedDocument] = field(default_factory=list)
    citations: list[CitingRow] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["forms"] = [{"surface": s, "citations": n} for s, n in self.forms]
        return out


def _literal_values(name: str, value: str) -> str:
    return values_block({name: ox.Literal(value)})


def _int(value: str) -> int | None:
    return int(value) if value and value.lstrip("-").isdigit() else None


def find_documents(select: Select, ref: str) -> list[str]:
    """IRIs of the documents ``ref`` names (a 文号 in any written variant, a title or part of one)."""
    number = canonical_doc_number(ref)
    if number:
        q = PREFIXES + "SELECT DISTINCT ?p WHERE { " + _literal_values("n", number) + \
            " ?p bk:docNumber ?n . FILTER NOT EXISTS { ?p a bk:Citation } }"
        found = [r["p"] for r in select(q).dicts()]
    else:
        title = normalise_title(ref)
        if not title:
            return []
        q = PREFIXES + "SELECT DISTINCT ?p ?t WHERE { " + _literal_values("x", title) + \
            " ?p bk:normalisedTitle ?t . FILTER(CONTAINS(?t, ?x)) }"
        rows = select(q).dicts()
        exact = [r["p"] for r in rows if r["t"] == title]
        found = exact or sorted({r["p"] for r in rows})
    # a title-only mention that is a numbered document: report the numbered document
    if not found:
        return []
    q = PREFIXES + "SELECT DISTINCT ?p ?same WHERE { " + iri_values("p", found) + \
        " OPTIONAL { ?p bk:sameDocumentAs ?same } }"
    resolved: list[str] = []
    for r in select(q).dicts():
        target = r["same"] or r["p"]
        if target not in resolved:
            resolved.append(target)
    return resolved


def _aliases(select: Select, policy: str) -> list[str]:
    q = PREFIXES + "SELECT DISTINCT ?t WHERE { " + iri_values("p", [policy]) + " ?t bk:sameDocumentAs ?p }"
    return sorted(r["t"] for r in select(q).dicts())


def labels(select: Select, iri_list: Iterable[str]) -> dict[str, str]:
    """IRI -> '文号 title' (or the meeting) for display."""
    iri_list = sorted(set(iri_list))
    if not iri_list:
        return {}
    q = PREFIXES + """SELECT ?p (SAMPLE(?n) AS ?number) (SAMPLE(STR(?t)) AS ?title) (SAMPLE(?mb) AS ?body)
        (SAMPLE(?mn) AS ?num) (SAMPLE(?my) AS ?year) WHERE { """ + iri_values("p", iri_list) + """
        OPTIONAL { ?p bk:docNumber ?n } OPTIONAL { ?p dcterms:title ?t }
        OPTIONAL { ?p bk:meetingBody ?mb } OPTIONAL { ?p bk:meetingNumber ?mn } OPTIONAL { ?p bk:docYear ?my }
    } GROUP BY ?p"""
    out = {}
    for r in select(q).dicts():
        if r["number"] or r["title"]:
            out[r["p"]] = " ".join(x for x in (r["number"], r["title"] and f"《{r['title']}》") if x)
        elif r["body"] or r["num"]:
            year = f"{r['year']}年" if r["year"] else ""
            out[r["p"]] = f"{r['body']}{year}" + (f"第{r['num']}次会议" if r["num"] else "")
        else:
            out[r["p"]] = r["p"].rsplit("/", 1)[-1]
    return out


def _facts(select: Select, policy: str) -> dict[str, list[str]]:
    q = PREFIXES + "SELECT DISTINCT ?number ?title ?code ?class WHERE { " + iri_values("p", [policy]) + """
        OPTIONAL { ?p bk:docNumber ?number } OPTIONAL { ?p dcterms:title ?title }
        OPTIONAL { ?p bk:issuerCode ?code } OPTIONAL { ?p a ?class } }"""
    facts: dict[str, list[str]] = defaultdict(list)
    for r in select(q).dicts():
        for key in ("number", "title", "code", "class"):
            if r[key] and r[key] not in facts[key]:
                facts[key].append(r[key])
    return facts


def _same_title(select: Select, policy: str) -> list[str]:
    q = PREFIXES + "SELECT DISTINCT ?number WHERE { " + iri_values("p", [policy]) + """
        ?p bk:normalisedTitle ?t ; bk:docNumber ?mine .
        ?other a bk:NumberedDocument ; bk:normalisedTitle ?t ; bk:docNumber ?number . FILTER(?number != ?mine) }"""
    return sorted(r["number"] for r in select(q).dicts())


def _kind(classes: list[str]) -> str:
    from budgetkg.ontology import terms as T

    for kind, cls in T.KIND_CLASSES.items():
        if str(cls) in classes:
            return kind
    return "policy_document"


def citing_rows(select: Select, docs: list[str]) -> list[CitingRow]:
    """Every citation of ``docs``, one row per printed fact (the text and PDF of a disclosure
    state the same citation twice, once per source document)."""
    q = PREFIXES + "SELECT DISTINCT ?g ?organization ?year ?project ?field ?surface ?page ?line ?total ?annual " + \
        "?start WHERE { " + iri_values("doc", docs) + """
        GRAPH ?g {
          ?c bk:cites ?doc ; bk:surface ?surface ; bk:inDisclosure ?d ; bk:citedIn ?ctx ; bk:charStart ?start .
          ?d bk:organizationName ?organization ; bk:fiscalYear/bk:yearNumber ?year .
          OPTIONAL { ?c bk:citationField ?field }
          OPTIONAL { ?c bk:sourceLine ?line }
          OPTIONAL { ?c bk:sourcePage ?page }
          OPTIONAL {
            ?ctx a bk:PerformanceSheet ; bk:projectName ?project .
            OPTIONAL { ?ctx bk:forProject/bk:totalYuan ?total }
            OPTIONAL { ?ctx bk:annualTotalYuan ?annual }
          }
        }
    } ORDER BY ?organization ?year ?g ?page ?line ?start"""
    rows = []
    for r in select(q).dicts():
        rows.append(CitingRow(
            organization=r["organization"], year=int(r["year"]), project_name=r["project"] or None,
            field=r["field"] or None, amount_yuan=r["total"] or r["annual"] or None, surface=r["surface"],
            document=iris.graph_to_document_id(r["g"]), page=_int(r["page"]), line=_int(r["line"]),
        ))
    return list(dict.fromkeys(rows))


def related_documents(select: Select, docs: list[str]) -> list[RelatedDocument]:
    """Stated relations (both directions) and derived identity links of ``docs``."""
    values = iri_values("doc", docs)
    q = PREFIXES + "SELECT DISTINCT ?dir ?relation ?other ?confidence ?where WHERE { " + values + """
      {
        GRAPH ?g { ?doc ?p ?other . ?d a bk:Disclosure ; bk:organizationName ?o ; bk:fiscalYear/bk:yearNumber ?y }
        """ + RELATION_VALUES + """
        BIND("out" AS ?dir) BIND("1" AS ?confidence) BIND(CONCAT(?o, " ", STR(?y)) AS ?where)
      } UNION {
        GRAPH ?g { ?other ?p ?doc . ?d a bk:Disclosure ; bk:organizationName ?o ; bk:fiscalYear/bk:yearNumber ?y }
        """ + RELATION_VALUES + """
        BIND("in" AS ?dir) BIND("1" AS ?confidence) BIND(CONCAT(?o, " ", STR(?y)) AS ?where)
      } UNION {
        ?c a bk:IdentityCandidate ; bk:candidateFor ?doc ; bk:candidateDocument ?other ; bk:confidence ?conf .
        BIND("out" AS ?dir) BIND("typo_candidate" AS ?relation) BIND(STR(?conf) AS ?confidence)
        BIND("derived" AS ?where)
      } UNION {
        ?c a bk:IdentityCandidate ; bk:candidateFor ?other ; bk:candidateDocument ?doc ; bk:confidence ?conf .
        BIND("in" AS ?dir) BIND("typo_candidate" AS ?relation) BIND(STR(?conf) AS ?confidence)
        BIND("derived" AS ?where)
      }
    }"""
    rows = [r for r in select(q).dicts() if r["other"] not in docs]
    names = labels(select, (r["other"] for r in rows))
    grouped: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for r in rows:
        grouped[(r["dir"], r["relation"], r["other"], r["confidence"])].append(r["where"])
    order = {"forwards": 0, "based_on": 1, "repeals": 2, "cites": 3, "typo_candidate": 4}
    out = [RelatedDocument(d, rel, other, names.get(other, other), conf, "; ".join(sorted(set(where))))
           for (d, rel, other, conf), where in grouped.items()]
    return sorted(out, key=lambda x: (x.direction != "out", order.get(x.relation, 9), -Decimal(x.confidence), x.label))


def policy_report(select: Select, policy: str) -> PolicyReport:
    """Everything the store knows of one document (an IRI from :func:`find_documents`)."""
    aliases = _aliases(select, policy)
    docs = [policy, *aliases]
    facts = _facts(select, policy)
    code = facts["code"][0] if facts["code"] else None
    citations = citing_rows(select, docs)
    forms = Counter(c.surface for c in citations)
    titles = list(dict.fromkeys(facts["title"] + [t for a in aliases for t in _facts(select, a)["title"]]))
    return PolicyReport(
        policy=policy, kind=_kind(facts["class"]), doc_number=facts["number"][0] if facts["number"] else None,
        titles=titles, issuer_code=code, issuer=REGISTRY.issuer(code), aliases=aliases,
        same_title=_same_title(select, policy),
        forms=forms.most_common(), relations=related_documents(select, docs), citations=citations,
    )


@dataclass(frozen=True, slots=True)
class UnknownIssuer:
    issuer_code: str
    status: str  # not in registry | registered, issuer unidentified
    candidates: str  # registered codes one edit away
    doc_number: str
    organization: str
    year: int
    project_name: str
    field: str
    surface: str
    location: str  # document:line or document p.page


def unknown_issuers(select: Select) -> list[UnknownIssuer]:
    """Citations of 文号 whose 机关代字 the issuer registry does not know (or knows without issuer)."""
    q = PREFIXES + """SELECT DISTINCT ?code ?number ?organization ?year ?project ?field ?surface ?g ?page ?line ?start
    WHERE {
      GRAPH ?g {
        ?c a bk:Citation ; bk:cites ?doc ; bk:citationKind "numbered_document" ; bk:surface ?surface ;
           bk:inDisclosure ?d ; bk:citedIn ?ctx ; bk:charStart ?start .
        ?doc bk:issuerCode ?code ; bk:docNumber ?number .
        ?d bk:organizationName ?organization ; bk:fiscalYear/bk:yearNumber ?year .
        OPTIONAL { ?c bk:citationField ?field }
        OPTIONAL { ?c bk:sourceLine ?line }
        OPTIONAL { ?c bk:sourcePage ?page }
        OPTIONAL { ?ctx a bk:PerformanceSheet ; bk:projectName ?project }
      }
    } ORDER BY ?code ?number ?organization ?year ?g ?page ?line ?start"""
    out = []
    for r in select(q).dicts():
        issuer = REGISTRY.issuer(r["code"])
        if issuer is not None and issuer.identified:
            continue
        status = "not in registry" if issuer is None else "registered, issuer unidentified"
        document = iris.graph_to_document_id(r["g"])
        where = f"{document} p.{r['page']}" if r["page"] else f"{document}:{r['line']}" if r["line"] else document
        out.append(UnknownIssuer(r["code"], status, ", ".join(near_codes(r["code"])), r["number"], r["organization"],
                                 int(r["year"]), r["project"], r["field"], r["surface"], where))
    return list(dict.fromkeys(out))


@dataclass(frozen=True, slots=True)
class TitleConflict:
    title: str
    doc_numbers: str  # the different 文号 this title is cited with
    policies: str  # their IRIs


def title_conflicts(select: Select) -> list[TitleConflict]:
    """Titles cited with two or more different 文号 (both kept; a title-only mention links to each)."""
    q = PREFIXES + """SELECT ?title (GROUP_CONCAT(DISTINCT ?number; separator="; ") AS ?numbers)
        (GROUP_CONCAT(DISTINCT STR(?p); separator="; ") AS ?policies) WHERE {
      ?p a bk:NumberedDocument ; bk:normalisedTitle ?title ; bk:docNumber ?number .
    } GROUP BY ?title HAVING (COUNT(DISTINCT ?number) > 1) ORDER BY ?title"""
    found = {r["title"]: TitleConflict(r["title"], r["numbers"], r["policies"]) for r in select(q).dicts()}
    q = PREFIXES + """SELECT ?title (GROUP_CONCAT(DISTINCT ?number; separator="; ") AS ?numbers)
        (GROUP_CONCAT(DISTINCT STR(?n); separator="; ") AS ?policies) WHERE {
      ?t bk:normalisedTitle ?title ; bk:sameDocumentAs ?n . ?n bk:docNumber ?number .
    } GROUP BY ?title HAVING (COUNT(DISTINCT ?number) > 1) ORDER BY ?title"""
    for r in select(q).dicts():
        found.setdefault(r["title"], TitleConflict(r["title"], r["numbers"], r["policies"]))
    return [found[k] for k in sorted(found)]


def _money(yuan: str | None) -> str:
    if not yuan:
        return "—"
    try:
        return f"{Decimal(yuan):,.2f} 元"
    except InvalidOperation:
        return yuan


def report_to_text(report: PolicyReport) -> str:
    """A policy report as a few aligned lines for a terminal."""
    lines = [f"{report.doc_number or (report.titles[0] if report.titles else report.policy)}  ({report.kind})",
             f"  iri:       {report.policy}"]
    for title in report.titles:
        lines.append(f"  title:     {title}")
    if report.issuer_code:
        issuer = report.issuer
        if issuer is None:
            near = near_codes(report.issuer_code)
            lines.append(f"  issuer:    {report.issuer_code} — not in the issuer registry"
                         + (f" (one edit from {', '.join(near)})" if near else ""))
        elif not issuer.identified:
            lines.append(f"  issuer:    {report.issuer_code} — registered, issuer unidentified ({issuer.source})")
        else:
            lines.append(f"  issuer:    {report.issuer_code} -> {issuer.organization} "
                         f"({issuer.level}, {issuer.region}; registry: {issuer.certainty})")
    for surface, n in report.forms:
        lines.append(f"  written:   {surface.replace(chr(10), ' ')}  ×{n}")
    for alias in report.aliases:
        lines.append(f"  also:      {alias} (title-only mention of this document)")
    for number in report.same_title:
        lines.append(f"  conflict:  the same title is also cited as {number} (both kept)")
    if report.relations:
        lines.append("  relations:")
        for rel in report.relations:
            arrow = "->" if rel.direction == "out" else "<-"
            conf = "" if rel.confidence in ("1", "1.0") else f" (confidence {rel.confidence})"
            lines.append(f"    {arrow} {rel.relation:15s} {rel.label}{conf}  [{rel.stated_in}]")
    lines.append(f"  cited by ({len(report.citations)}):")
    for c in report.citations:
        where = f"{c.document} p.{c.page}" if c.page else f"{c.document}:{c.line}" if c.line else c.document
        lines.append(f"    {c.organization} {c.year}  {c.project_name or '(narrative)'}  {c.field or '—'}  "
                     f"{_money(c.amount_yuan)}  {where}")
    return "\n".join(lines) + "\n"
