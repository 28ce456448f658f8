"""Which document graphs a named query's answer can come from, looked up before it runs.

A named query filtered by an organization, a year, a subject code or a cited document matches
its patterns in every document graph and drops the other graphs' rows only at the end: its cost
grows with the store, not with the answer. A query whose header says ``# scope: KIND`` gets a
*scope query* first: from the values the user gave, the graphs of the disclosures, histories or
citing documents they select, found through the bound values themselves (index lookups, a
cost that grows with the answer). The named query then runs over a dataset of just those graphs
and budgetkg's own (ontology, catalog, derived): ``FROM`` and ``FROM NAMED`` clauses, which every
SPARQL 1.1 engine honours. Its text and its filters are unchanged, so its rows are the same
either way (tests/test_query_scope.py); only the work differs.

Scope queries bind only the parameters given, as the pattern variables themselves (no
``UNDEF``, no ``FILTER(!BOUND …)``): a join with a one-row ``VALUES`` is where Oxigraph's
optimiser starts a lookup. No parameter of the kind given: no scope, the query runs whole.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from budgetkg.queries.named_queries import NamedQuery, bound_terms, values_block

# Above this many selected graphs the query runs unscoped: the dataset clauses (about 100 bytes
# a graph) would outgrow the query, and a selection that large is most of the store anyway.
SCOPE_MAX_GRAPHS = 2000

PREFIXES = """PREFIX bk: <https://w3id.org/budgetkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
# The named query's own WHERE: the first at the start of a line (sub-selects are indented).
TOP_LEVEL_WHERE = re.compile(r"^WHERE\s*\{", re.MULTILINE)

Terms = dict[str, ox.Literal]


def disclosure_scope(terms: Terms) -> str | None:
    """The graphs of the disclosures of this organization (name as printed), year and kind."""
    facts = {"param_organization": "bk:organizationName ?param_organization",
             "param_year": "bk:fiscalYear/bk:yearNumber ?param_year",
             "param_org_kind": "bk:organizationKind ?param_org_kind"}
    given = [facts[name] for name in facts if name in terms]
    if not given:
        return None
    return f"""SELECT DISTINCT ?g WHERE {{
  {values_block({name: terms[name] for name in facts if name in terms})}
  GRAPH ?g {{ ?d a bk:Disclosure ; {" ; ".join(given)} . }}
}}"""


def subject_scope(terms: Terms) -> str | None:
    """The graphs with a table row under this subject code."""
    if "param_code" not in terms:
        return None
    return f"""SELECT DISTINCT ?g WHERE {{
  {values_block({"param_code": terms["param_code"]})}
  ?subject skos:notation ?param_code .
  GRAPH ?g {{ ?row bk:subject ?subject }}
}}"""


def history_scope(terms: Terms) -> str | None:
    """The graphs of every project in the histories that have a project of this organization
    (by key) or one whose name contains this text (a project's previous one, which the query
    shows beside it, shares its history: budgetkg/derivers/projects.py)."""
    roots = []
    if "param_name" in terms:
        roots.append("?hit bk:historyFirst ?root ; bk:projectName ?hitName . "
                     "FILTER(CONTAINS(?hitName, ?param_name))")
    if "param_organization_key" in terms:
        roots.append("GRAPH ?orgGraph { ?org bk:organizationKey ?param_organization_key . "
                     "?member bk:budgetedBy ?org } ?member bk:historyFirst ?root .")
    if not roots:
        return None
    given = {name: terms[name] for name in ("param_name", "param_organization_key") if name in terms}
    return f"""SELECT DISTINCT ?g WHERE {{
  {values_block(given)}
  {{ SELECT DISTINCT ?root WHERE {{ {values_block(given)} {" ".join(roots)} }} }}
  ?p bk:historyFirst ?root .
  GRAPH ?g {{ ?p a bk:Project }}
}}"""


def citing_scope(terms: Terms) -> str | None:
    """The graphs citing this document: by its 文号 (or a title-only mention that is it), or by
    part of its title (also a document that forwards it)."""
    if "param_doc_number" in terms:
        find = "?same bk:docNumber ?param_doc_number . ?doc bk:sameDocumentAs? ?same ."
        given = {"param_doc_number": terms["param_doc_number"]}
    elif "param_title" in terms:
        find = ("?same bk:normalisedTitle ?docTitle . FILTER(CONTAINS(?docTitle, ?param_title)) "
                "?doc (bk:sameDocumentAs|bk:forwards)? ?same .")
        given = {"param_title": terms["param_title"]}
    else:
        return None
    return f"""SELECT DISTINCT ?g WHERE {{
  {values_block(given)}
  {{ SELECT DISTINCT ?doc WHERE {{ {values_block(given)} {find} }} }}
  GRAPH ?g {{ ?citation bk:cites ?doc }}
}}"""


SCOPES: dict[str, Callable[[Terms], str | None]] = {
    "disclosure": disclosure_scope,
    "subject": subject_scope,
    "history": history_scope,
    "citing": citing_scope,
}


def scope_query(query: NamedQuery, values: dict[str, str]) -> str | None:
    """The SELECT ?g of the graphs ``query``'s answer can come from with these parameter values,
    or None: the query declares no scope, or none of the parameters that select one is given."""
    if not query.scope:
        return None
    terms = {name: term for name, term in bound_terms(query, values).items() if term is not None}
    text = SCOPES[query.scope](terms)
    return PREFIXES + text if text else None


def with_dataset(sparql: str, graphs: Iterable[str]) -> str:
    """``sparql`` over just these graphs: each both in the default graph (the union the query
    otherwise reads) and as a named graph, in FROM clauses before its top-level WHERE."""
    graphs = list(graphs)
    if not graphs:  # no FROM clause at all would mean the whole store
        raise ValueError("a dataset of no graphs")
    match = TOP_LEVEL_WHERE.search(sparql)
    if not match:
        raise ValueError("a scoped query needs its top-level WHERE at the start of a line")
    clauses = "".join(f"FROM {iri}\nFROM NAMED {iri}\n" for iri in (str(ox.NamedNode(g)) for g in graphs))
    return sparql[:match.start()] + clauses + sparql[match.start():]
