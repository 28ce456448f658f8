"""References found in any text, for ``budgetkg refs``: the library side of the command.

The text is cut into segments at tabs (table cells of a text extraction) and
blank lines (paragraphs); each segment goes through
:func:`ingest.references.find_references`, and every reference comes back
with offsets into the whole text, so ``text[start:end] == surface``.

>>> refs = find_in_text("根据晋综示发【2020】49号和党工委2024年第3次会议精神")
>>> [(r["kind"], r["doc_number"], r["start"], r["end"]) for r in refs]
[('numbered_document', '晋综示发〔2020〕49号', 2, 15), ('meeting', None, 16, 29)]
>>> refs[1]["meeting"]
{'body': '党工委', 'session': None, 'year': 2024, 'number': 3, 'date': None}
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from budgetkg.ingest.references import MEETING, Reference, find_references
from budgetkg.ingest.references.patterns import TEXT_SEGMENT_BREAK

FORMATS = ("table", "json", "jsonl")
# columns of the table format, in order.
TABLE_COLUMNS = ("start", "end", "kind", "surface", "doc_number", "title", "meeting", "partial")
# a surface or title longer than this is shortened in the table (json/jsonl always give it whole).
MAX_TABLE_CELL = 60


def segments(text: str) -> Iterator[tuple[int, str]]:
    """(offset, segment) pairs of ``text`` cut at tabs and blank lines."""
    pos = 0
    for m in TEXT_SEGMENT_BREAK.finditer(text):
        if m.start() > pos:
            yield pos, text[pos : m.start()]
        pos = m.end()
    if pos < len(text):
        yield pos, text[pos:]


def record(r: Reference, offset: int = 0) -> dict[str, Any]:
    """One reference as a plain JSON-able dict (offsets shifted by ``offset``)."""
    meeting = None
    if r.kind == MEETING:
        meeting = {"body": r.meeting_body, "session": r.meeting_session, "year": r.meeting_year,
                   "number": r.meeting_number, "date": r.meeting_date}
    return {
        "kind": r.kind,
        "surface": r.surface,
        "start": r.start + offset,
        "end": r.end + offset,
        "doc_number": r.doc_number,
        "issuer_code": r.issuer_code,
        "issuer_text": r.issuer_text,
        "year": r.year,
        "serial": r.serial,
        "title": r.title,
        "meeting": meeting,
        "partial": r.partial,
        "produces": r.produces,
    }


def find_in_text(text: str, *, deliverables: bool = False) -> list[dict[str, Any]]:
    """Every reference in ``text`` as a record, in order; offsets index ``text``."""
    out = []
    for offset, segment in segments(text):
        out.extend(record(r, offset) for r in find_references(segment, deliverables=deliverables))
    return out


def read_text(path: str | Path) -> str:
    """The text of a .pdf (its blocks, one per line; table cells joined by tabs) or of a text file (UTF-8)."""
    p = Path(path)
    if p.suffix.lower() == ".pdf":
        from budgetkg.ingest.pdf_reader import read_pdf

        doc = read_pdf(str(p))
        return "\n\n".join(doc.text(b) for b in doc.blocks)
    return p.read_text(encoding="utf-8-sig")


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, dict):  # meeting
        parts = [value["body"] or ""]
        if value["session"] is not None:
            parts.append(f"{value['session']}届")
        if value["year"] is not None:
            parts.append(str(value["year"]))
        if value["number"] is not None:
            parts.append(f"第{value['number']}次")
        if value["date"]:
            parts.append(value["date"])
        return " ".join(p for p in parts if p)
    s = " ".join(str(value).split())
    return s if len(s) <= MAX_TABLE_CELL else s[: MAX_TABLE_CELL - 1] + "…"


def format_records(records: list[dict[str, Any]], fmt: str) -> str:
    """``table`` (aligned columns), ``json`` (one array) or ``jsonl`` (one object a line); ends with a newline."""
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    rows = [list(TABLE_COLUMNS)] + [[_cell(r[c]) for c in TABLE_COLUMNS] for r in records]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(TABLE_COLUMNS))]
    lines = []
    for row in rows:
        cells = [v + " " * (w - _width(v)) for v, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"
