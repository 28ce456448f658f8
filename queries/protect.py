"""Checks on a SPARQL request before any engine sees it.

Order matters: the size limit first, then a cheap bracket scan for the nesting depth
(a 12 KB query nested 3,000 deep overflows the stack of any recursive-descent parser,
Oxigraph's and rdflib's alike), and only then rdflib's parser, which gives the query form
and finds ``SERVICE`` anywhere in the tree.

>>> check_query("SELECT * WHERE { ?s ?p ?o }").form
'SELECT'
>>> check_query("SELECT * WHERE " + "{ " * 300 + "}" * 300)
Traceback (most recent call last):
...
budgetkg.queries.protect.Refused: query nested 300 deep; at most 64 brackets may be open at once
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Longest query or update text accepted, in bytes of UTF-8 (the named queries are under 6 KB).
MAX_QUERY_BYTES = 64 * 1024
# Longest update accepted by a --writable server (a remote ingest sends a document per request).
MAX_UPDATE_BYTES = 256 * 1024 * 1024
# The SERVICE keyword in the code of an update (strings, IRIs and comments blanked first).
SERVICE_KEYWORD = re.compile(r"\bSERVICE\b", re.IGNORECASE)
# Most brackets ({, ( and [) open at once; the deepest named query opens about 12.
MAX_NESTING = 64
# Query forms allowed on a read-only endpoint.
QUERY_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
               "DescribeQuery": "DESCRIBE"}
OPENING, CLOSING = "{([", "})]"


class Refused(ValueError):
    """The request is not run: too big, too deep, not parsable, a form or feature not allowed."""


@dataclass(frozen=True, slots=True)
class Checked:
    text: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE | UPDATE


def code_only(text: str) -> str:
    """``text`` with the insides of strings, IRIs and comments blanked: what brackets and
    keywords are left are the query's own (one pass, no parser).

    >>> code_only('SELECT * { ?s ?p "{{{" }  # SERVICE')
    'SELECT * { ?s ?p "" }  '
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":  # comment to end of line
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            while i < n and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
            out.append(quote + quote)
            continue
        if ch == "<":  # an IRI has no spaces, brackets or quotes; a '<' operator is followed by one of those
            end = i + 1
            while end < n and text[end] not in "<>\"{}|^`\\ \t\r\n":
                end += 1
            if end < n and text[end] == ">":
                out.append("<>")
                i = end + 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def nesting_depth(code: str) -> int:
    """The most brackets open at once in ``code`` (see code_only).

    >>> nesting_depth(code_only('SELECT * { ?s ?p "{{{" FILTER(?o) }  # {{{'))
    2
    """
    depth = deepest = 0
    for ch in code:
        if ch in OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in CLOSING:
            depth -= 1
    return deepest


def _walk(node: Any) -> Any:
    """Every node of an rdflib parse tree (CompValue is a dict, ParseResults a list)."""
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(list(item))


def uses_service(tree: Any) -> bool:
    return any(getattr(node, "name", None) == "ServiceGraphPattern" for node in _walk(tree))


def check_size_and_depth(text: str, limit: int = MAX_QUERY_BYTES) -> str:
    """The code of ``text`` (see code_only) if it is small and shallow enough, else Refused."""
    size = len(text.encode("utf-8"))
    if size > limit:
        raise Refused(f"request of {size} bytes; at most {limit} are accepted")
    code = code_only(text)
    depth = nesting_depth(code)
    if depth > MAX_NESTING:
        raise Refused(f"query nested {depth} deep; at most {MAX_NESTING} brackets may be open at once")
    return code


def check_query(text: str, *, allow_service: bool = False) -> Checked:
    """A SELECT / ASK / CONSTRUCT / DESCRIBE query that may go to the engine, or Refused."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    check_size_and_depth(text)
    try:
        tree = parseQuery(text)
    except (ParseException, ValueError, RecursionError) as err:
        raise Refused(f"SPARQL syntax error: {str(err).splitlines()[0][:300]}") from err
    form = QUERY_FORMS.get(getattr(tree[1], "name", ""), "")
    if not form:
        raise Refused("only SELECT, ASK, CONSTRUCT and DESCRIBE queries are accepted")
    if not allow_service and uses_service(tree):
        raise Refused("SERVICE is not allowed on this endpoint (budgetkg serve --allow-service allows it)")
    return Checked(text, form)


def check_update(text: str, *, allow_service: bool = False) -> Checked:
    """A SPARQL update that may go to a --writable engine, or Refused (syntax is the engine's to check)."""
    code = check_size_and_depth(text, MAX_UPDATE_BYTES)
    # Not parsed here: rdflib would take minutes over the INSERT DATA of a whole document.
    # The engine parses it; the depth limit above is what keeps its parser on its stack.
    if not allow_service and SERVICE_KEYWORD.search(code):
        raise Refused("SERVICE is not allowed on this endpoint (budgetkg serve --allow-service allows it)")
    return Checked(text, "UPDATE")
