"""SPARQL text for engine differences: what a query asks for, and the text sent in its place.

- ``query_form``: SELECT, ASK, CONSTRUCT, ... (only SELECT produces a table).
- ``has_dataset_clause``: a query naming its own dataset (FROM / FROM NAMED) is sent without
  a protocol dataset.
- ``text_order``: the outermost ORDER BY with each plain variable key ``?v`` written as two
  keys, ``(IF(isNumeric(?v), ?v, 0)) STR(?v)``, so strings and IRIs sort by their text on
  Virtuoso too (see graph_store.remote.store); ``split_order_by``: the query without that
  clause and its keys, for sorting the rows here when the engine cannot.
- ``inserts``: updates adding triples to a graph, in batches Virtuoso's parser accepts and
  with blank nodes outside INSERT DATA (which Virtuoso refuses).

Strings, IRIs and comments are blanked first (``mask``), so that a literal, an IRI or a
variable called "from" or "order" never counts as a keyword.
"""
from __future__ import annotations

import re

import pyoxigraph as ox

# Triples per INSERT DATA request when there is no graph store endpoint: Virtuoso's SPARQL
# parser runs out of memory near 5,000 lines ("SP030 ... memory exhausted").
INSERT_BATCH = 1_000
LEXICAL_NOISE = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\''  # long strings
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''  # strings
    r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')  # IRIs, comments
# The keyword that says what a request is (the prologue's PREFIX / BASE are not among them).
QUERY_FORM = re.compile(r"(?<![?$:\w-])(SELECT|CONSTRUCT|DESCRIBE|ASK|INSERT|DELETE|CREATE|CLEAR|DROP|LOAD|COPY"
                        r"|MOVE|ADD)(?![\w:-])", re.IGNORECASE)
FROM_CLAUSE = re.compile(r"(?<![?$:\w-])FROM(?![\w:-])", re.IGNORECASE)
# The solution modifiers of a query: ORDER BY, and what may follow it.
ORDER_BY = re.compile(r"(?<![?$:\w-])ORDER\s+BY(?![\w:-])", re.IGNORECASE)
PROJECTION_ALIAS = re.compile(r"(?<![\w-])AS\s+[?$]([A-Za-z_0-9\u00B7-\uFFFF]+)", re.IGNORECASE)
AFTER_ORDER_BY = re.compile(r"(?<![?$:\w-])(?:LIMIT|OFFSET|VALUES)(?![\w:-])", re.IGNORECASE)
# One order condition that is a plain variable, bare or in ASC()/DESC().
ORDER_KEY = re.compile(r"(?P<dir>(?:ASC|DESC)\s*\(\s*)?(?P<var>[?$][A-Za-z_0-9\u00B7-\uFFFF]+)(?(dir)\s*\))",
                       re.IGNORECASE)


def mask(sparql: str) -> str:
    """The query with strings, IRIs and comments blanked, same length (positions still match)."""
    return LEXICAL_NOISE.sub(lambda m: " " * len(m.group(0)), sparql)


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT, DESCRIBE, or an update's first operation (INSERT, DROP, ...),
    upper case; None when the text names none of them."""
    found = QUERY_FORM.search(mask(sparql))
    return found.group(1).upper() if found else None


def has_dataset_clause(sparql: str) -> bool:
    """Does the query name its own dataset (FROM / FROM NAMED)?"""
    return bool(FROM_CLAUSE.search(mask(sparql)))


def text_order(sparql: str) -> str:
    """Wrap each plain-variable key of the outermost ORDER BY so strings and IRIs sort by
    their text on every engine (see the module docstring); everything else is unchanged."""
    masked = mask(sparql)
    span = outer_order_by(masked)
    if span is None:
        return sparql
    _, start, end = span
    aliases = {m.group(1) for m in PROJECTION_ALIAS.finditer(masked)}
    clause, out, depth, last = masked[start:end], [], 0, 0
    pos = 0
    while pos < len(clause):
        ch = clause[pos]
        if depth == 0:
            key = ORDER_KEY.match(clause, pos)
            if (key and key.group("var")[1:] not in aliases
                    and (pos == 0 or not (clause[pos - 1].isalnum() or clause[pos - 1] == "_"))):
                var, direction = key.group("var"), key.group("dir")
                way = direction.split("(")[0].strip().upper() if direction else ""
                text = f"{way}(IF(isNumeric({var}), {var}, 0)) {way}(STR({var}))"
                out.append(sparql[start + last:start + pos])
                out.append(text)
                pos = last = key.end()
                continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        pos += 1
    out.append(sparql[start + last:end])
    return sparql[:start] + "".join(out) + sparql[end:]


def outer_order_by(masked: str) -> tuple[int, int, int] | None:
    """In a query masked by ``mask``: (start of the outermost ORDER BY, start of its keys,
    end of its keys), or None."""
    found = [m for m in ORDER_BY.finditer(masked) if masked.count("{", 0, m.start()) == masked.count("}", 0, m.start())]
    if not found:
        return None
    end_match = AFTER_ORDER_BY.search(masked, found[-1].end())
    return found[-1].start(), found[-1].end(), end_match.start() if end_match else len(masked)


def split_order_by(sparql: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """The query without its outermost ORDER BY, and that clause's keys as (variable,
    descending); None unless every key is a plain variable and no LIMIT/OFFSET follows."""
    masked = mask(sparql)
    span = outer_order_by(masked)
    if span is None:
        return None
    start, keys_start, end = span
    if end != len(sparql):
        return None  # LIMIT / OFFSET / VALUES after the order: the engine must order
    clause = masked[keys_start:end]
    keys = [(m.group("var")[1:], bool(m.group("dir")) and m.group("dir").strip().upper().startswith("DESC"))
            for m in ORDER_KEY.finditer(clause)]
    if ORDER_KEY.sub("", clause).strip():
        return None  # an expression among the keys
    return sparql[:start], keys


def inserts(graph: str, triples: list[ox.Triple]) -> list[str]:
    """Updates adding ``triples`` to ``graph``: INSERT DATA in batches of INSERT_BATCH, and the
    triples with blank nodes together in one INSERT ... WHERE {} (Virtuoso refuses blank
    nodes in INSERT DATA; one request keeps each label one node)."""
    ground = [t for t in triples if not _has_blank_node(t)]
    with_bnodes = [t for t in triples if _has_blank_node(t)]
    updates = [f"INSERT DATA {{ GRAPH <{graph}> {{\n{_body(ground[i:i + INSERT_BATCH])}\n}} }}"
               for i in range(0, len(ground), INSERT_BATCH)]
    if with_bnodes:
        updates.append(f"INSERT {{ GRAPH <{graph}> {{\n{_body(with_bnodes)}\n}} }} WHERE {{}}")
    return updates


def _has_blank_node(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _body(triples: list[ox.Triple]) -> str:
    # Terms are written by pyoxigraph (N-Triples escaping): data never changes the update's structure.
    return "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
