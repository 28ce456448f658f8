"""What a named query's answer can come from, looked up before it runs.

A named query filtered by an organization, a year, a project name or a cited document matches
its patterns in every document graph and drops the rows it does not want only at the end: its
cost grows with the store, not with the answer. A query whose header says ``# scope: KIND`` gets
a *scope query* first, which finds from the values the user gave, through the bound values
themselves (index lookups, a cost that grows with the answer), either

- the graphs of the disclosures or citing documents they select: the named query then runs over
  a dataset of just those graphs and budgetkg's own (ontology, catalog, derived), ``FROM`` and
  ``FROM NAMED`` clauses, which every SPARQL 1.1 engine honours; or
- the values of one variable (the histories they select): bound by ``VALUES`` at each
  ``#@scope`` marker of the named query, a comment when it runs unscoped.

The named query's patterns and filters are unchanged, so its rows are the same either way
(tests/test_query_scope.py); only the work differs.

Scope queries bind only the parameters given, as the pattern variables themselves (no
``UNDEF``, no ``FILTER(!BOUND …)``): a join with a one-row ``VALUES`` is where Oxigraph's
optimiser starts a lookup. No parameter of the kind given: no scope, the query runs whole.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from budgetkg.queries.named_queries import NamedQuery, bound_terms, iri_values, values_block

# Above this many selected graphs (or values) the query runs unscoped: the clauses (about 100
# bytes each) would outgrow the query, and a selection that large is most of the store anyway.
SCOPE_MAX_SELECTED = 2000

PREFIXES = """PREFIX bk: <https://w3id.org/budgetkg/ontology#>
"""
# The named query's own WHERE: the first at the start of a line (sub-selects are indented).
TOP_LEVEL_WHERE = re.compile(r"^WHERE\s*\{", re.MULTILINE)
# Where a scope that selects a variable's values binds them (a comment when there is no scope).
SCOPE_MARKER = "#@scope"

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


def history_scope(terms: Terms) -> str | None:
    """The histories (their first projects) with a project of this organization (by key) or a
    name containing this text in any year (a project's previous one, which the query shows
    beside it, is in its history: budgetkg/derivers/projects.py)."""
    finds = []
    if "param_name" in terms:
        finds.append("?historyRoot bk:historyName ?hitName . FILTER(CONTAINS(?hitName, ?param_name))")
    if "param_organization_key" in terms:
        finds.append("GRAPH ?orgGraph { ?org bk:organizationKey ?param_organization_key . ?member bk:budgetedBy ?org } "
                     "?member bk:historyFirst ?historyRoot .")
    if not finds:
        return None
    given = {name: terms[name] for name in ("param_name", "param_organization_key") if name in terms}
    return f"""SELECT DISTINCT ?historyRoot WHERE {{
  {values_block(given)}
  {" ".join(finds)}
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
  {{ SELECT DISTINCT ?doc WHERE {{ {values_block(given)} {find} }} }}
  GRAPH ?g {{ ?citation bk:cites ?doc }}
}}"""


@dataclass(frozen=True, slots=True)
class ScopeKind:
    build: Callable[[Terms], str | None]  # the scope query from the given parameters, or None
    # None: the scope query selects graphs (?g), the query runs over a dataset of them; else it
    # selects this variable's values, bound by VALUES at each #@scope marker of the query.
    variable: str | None = None


SCOPES: dict[str, ScopeKind] = {
    "disclosure": ScopeKind(disclosure_scope),
    "history": ScopeKind(history_scope, "historyRoot"),
    "citing": ScopeKind(citing_scope),
}


@dataclass(frozen=True, slots=True)
class Scope:
    select: str  # SELECT of one column: the graphs, or the values of ``variable``
    variable: str | None


def scope_query(query: NamedQuery, values: dict[str, str]) -> Scope | None:
    """The scope query of ``query`` with these parameter values, or None: the query declares no
    scope, or none of the parameters that select one is given."""
    if not query.scope:
        return None
    kind = SCOPES[query.scope]
    terms = {name: term for name, term in bound_terms(query, values).items() if term is not None}
    text = kind.build(terms)
    return Scope(PREFIXES + text, kind.variable) if text else None


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


def with_values(sparql: str, variable: str, iris: Iterable[str]) -> str:
    """``sparql`` with ``VALUES ?variable { … }`` at each #@scope marker (none selected: no rows)."""
    if SCOPE_MARKER not in sparql:
        raise ValueError(f"a query scoped by ?{variable} needs a {SCOPE_MARKER} marker")
    return sparql.replace(SCOPE_MARKER, iri_values(variable, iris))
