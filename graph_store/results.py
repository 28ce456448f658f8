"""Query results in one backend-neutral shape: what every store returns for a SELECT.

Terms carry type, value, datatype and language as the SPARQL 1.1 results formats do,
so an embedded store and a remote endpoint give comparable rows.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True, slots=True)
class Term:
    type: str  # uri | literal | bnode
    value: str
    datatype: str | None = None
    lang: str | None = None

    def ntriples(self) -> str:
        if self.type == "uri":
            return f"<{self.value}>"
        if self.type == "bnode":
            return f"_:{self.value}"
        text = json.dumps(self.value, ensure_ascii=False)
        if self.lang:
            return f"{text}@{self.lang}"
        if self.datatype and self.datatype != "http://www.w3.org/2001/XMLSchema#string":
            return f"{text}^^<{self.datatype}>"
        return text


@dataclass(slots=True)
class Result:
    columns: list[str]
    rows: list[list[Term | None]]

    def dicts(self) -> list[dict[str, str]]:
        return [{c: (t.value if t else "") for c, t in zip(self.columns, row, strict=False)} for row in self.rows]


def oxigraph_term_to_term(term: object) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        return Term("literal", term.value, term.datatype.value if term.datatype else None, term.language)
    return Term("literal", str(term))


def solutions_to_result(solutions: ox.QuerySolutions) -> Result:
    columns = [v.value for v in solutions.variables]
    rows = [[oxigraph_term_to_term(s[c]) for c in columns] for s in solutions]
    return Result(columns, rows)
