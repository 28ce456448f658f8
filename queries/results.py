"""Query results in one neutral shape and the output formats every command shares.

CSV / TSV / JSON follow the SPARQL 1.1 query results formats; ``table`` is an
aligned plain-text table for terminals (CJK characters count double width).
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable

from budgetkg.graph_store.results import Result, Term, oxigraph_term_to_term, solutions_to_result

__all__ = ["FORMATS", "Result", "Term", "format_result", "oxigraph_term_to_term", "rows_to_result",
           "solutions_to_result"]

FORMATS = ("table", "csv", "tsv", "json")


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def result_to_table(result: Result) -> str:
    cells = [[t.value if t else "" for t in row] for row in result.rows]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    lines = ["  ".join(pad(c, w) for c, w in zip(result.columns, widths, strict=False)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(v, w) for v, w in zip(row, widths, strict=False)).rstrip() for row in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def result_to_csv(result: Result) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.columns)
    writer.writerows([[t.value if t else "" for t in row] for row in result.rows])
    return out.getvalue()


def tsv_escape(term: Term | None) -> str:
    return term.ntriples().replace("\t", "\\t") if term else ""


def result_to_tsv(result: Result) -> str:
    lines = ["\t".join(f"?{c}" for c in result.columns)]
    lines += ["\t".join(tsv_escape(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def result_to_json(result: Result) -> str:
    bindings = []
    for row in result.rows:
        b: dict[str, dict[str, str]] = {}
        for c, t in zip(result.columns, row, strict=False):
            if t is None:
                continue
            entry = {"type": t.type, "value": t.value}
            if t.lang:
                entry["xml:lang"] = t.lang
            elif t.datatype and t.type == "literal" and t.datatype != "http://www.w3.org/2001/XMLSchema#string":
                entry["datatype"] = t.datatype
            b[c] = entry
        bindings.append(b)
    return json.dumps({"head": {"vars": result.columns}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=1) + "\n"


def format_result(result: Result, fmt: str) -> str:
    return {"table": result_to_table, "csv": result_to_csv, "tsv": result_to_tsv, "json": result_to_json}[fmt](result)


def rows_to_result(columns: list[str], rows: Iterable[Iterable[str | int | None]]) -> Result:
    """Plain Python rows (e.g. the document list) -> Result, so every command shares formats."""
    return Result(columns, [[Term("literal", str(v)) if v is not None else None for v in row] for row in rows])
