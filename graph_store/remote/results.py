"""Reading what an endpoint answers: SPARQL JSON results and Graph Store Protocol bodies.

SPARQL JSON results are parsed by ``pyoxigraph.parse_query_results``, which also gives the
normal form budgetkg compares across engines: Virtuoso's ``typed-literal`` is a literal, a
literal without datatype or language is an ``xsd:string``, language tags are lower case (as
Oxigraph stores them), surrogate pairs become one code point. Blank node labels that are
not valid N-Triples labels (Virtuoso's ``nodeID://b10006``) are replaced first by a stable
label per response, so each still names one node.

Rows are sorted here (``sort_result``) where the engine cannot sort them itself.
"""
from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal

import pyoxigraph as ox

from budgetkg.graph_store.results import Result, Term, solutions_to_result

# A blank node binding in SPARQL JSON results, as engines write it (type before value).
BNODE_BINDING = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")((?:[^"\\]|\\.)*)"')
# A blank node label as N-Triples (and pyoxigraph) accept it, in the ASCII range engines use.
BNODE_LABEL = re.compile(rb"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
# A UTF-16 surrogate pair written as two \u escapes (invalid in Turtle, which wants one \U escape).
SURROGATE_PAIR_ESCAPE = re.compile(rb"\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE)
# Numeric literal datatypes: ordered by value when sorting here.
NUMERIC_TYPES = frozenset(f"http://www.w3.org/2001/XMLSchema#{t}" for t in (
    "integer", "decimal", "double", "float", "long", "int", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte"))


def parse_select(body: bytes) -> Result:
    """SPARQL JSON SELECT results -> Result. SyntaxError unless the body is such results."""
    return solutions_to_result(_solutions(body))


def parse_triples(body: bytes) -> list[ox.Triple]:
    """The rows of ``SELECT ?s ?p ?o`` results as triples. SyntaxError unless the body is such results."""
    return [ox.Triple(s["s"], s["p"], s["o"]) for s in _solutions(body)]  # type: ignore[arg-type]


def parse_turtle(body: bytes) -> list[ox.Triple]:
    """A graph as an engine writes it in Turtle or N-Triples (a Graph Store Protocol GET)."""
    return [ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse(_fix_surrogate_escapes(body), format=ox.RdfFormat.TURTLE)]


def json_to_term(binding: dict[str, str]) -> Term:
    """One SPARQL JSON binding -> Term, normalised as every result is."""
    document = {"head": {"vars": ["t"]}, "results": {"bindings": [{"t": binding}]}}
    term = parse_select(json.dumps(document).encode()).rows[0][0]
    assert term is not None
    return term


def sort_result(result: Result, keys: list[tuple[str, bool]]) -> Result:
    """Rows ordered as SPARQL orders them by plain-variable keys: unbound first, then blank
    nodes, IRIs and literals; numbers by value, other literals by their text."""
    def order(term: Term | None) -> tuple[int, Decimal, str]:
        if term is None:
            return (0, Decimal(0), "")
        if term.type != "literal":
            return (1 if term.type == "bnode" else 2, Decimal(0), term.value)
        if term.datatype in NUMERIC_TYPES:
            try:
                return (3, Decimal(term.value), "")
            except ArithmeticError:
                pass
        return (4, Decimal(0), term.value)

    rows = list(result.rows)
    for name, descending in reversed(keys):  # stable sorts, last key first
        i = result.columns.index(name)
        rows.sort(key=lambda row, i=i: order(row[i]), reverse=descending)
    return Result(result.columns, rows)


def _solutions(body: bytes) -> ox.QuerySolutions:
    if b'"bnode"' in body:
        body = BNODE_BINDING.sub(_stable_bnode_label, body)
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if not isinstance(parsed, ox.QuerySolutions):
        raise SyntaxError("a boolean answer, not solutions")
    return parsed


def _stable_bnode_label(m: re.Match[bytes]) -> bytes:
    label = m.group(2)
    if not BNODE_LABEL.fullmatch(label):
        label = b"b" + hashlib.sha1(label).hexdigest()[:20].encode()
    return m.group(1) + label + b'"'


def _fix_surrogate_escapes(body: bytes) -> bytes:
    """``\\uD840\\uDC00`` (Virtuoso's Turtle) -> ``\\U00020000``: one code point, as Turtle wants it."""
    def join(m: re.Match[bytes]) -> bytes:
        high, low = int(m.group(1), 16), int(m.group(2), 16)
        return b"\\U%08X" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))

    return SURROGATE_PAIR_ESCAPE.sub(join, body)
