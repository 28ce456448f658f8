"""Read the text extractions of disclosures (.txt / .md) into a Document.

Two flavours occur: plain tab-separated tables, and the same with markdown
residue (``#`` headings, ``<b>`` tags, ``**`` emphasis). Both become the same
blocks: a line with a tab is a table Row, any other non-blank line a Paragraph.
Watermarks, table-of-contents entries and page-number lines are dropped here so
that no parser ever sees them.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from budgetkg.ingest.errors import EmptyFile, TruncatedFile, UndecodableText
from budgetkg.ingest.furniture import TocSkipper, repeated_lines
from budgetkg.ingest.limits import MAX_TEXT_BYTES, check_lines, check_size
from budgetkg.ingest.model import Document, Paragraph, Provenance, Row

# Encodings tried in order; GB18030 is a superset of GBK and GB2312.
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
# A UTF-8 error this close to the end of the file means the file was cut short.
TRUNCATION_WINDOW_BYTES = 4
# Markdown residue left by some converters: heading marks, bold tags, emphasis.
MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
MARKDOWN_INLINE = re.compile(r"</?b>|\*\*")
# Watermark texts known to be stamped on every page of some disclosures.
WATERMARKS = frozenset({"仅供内部审核"})
# A page number alone on its line: "12", "- 12 -", "第 12 页".
PAGE_NUMBER_LINE = re.compile(r"^(?:-\s*\d{1,4}\s*-|第\s*\d{1,4}\s*页|\d{1,4})$")


def bytes_to_text(data: bytes, path: str) -> tuple[str, str]:
    """Decode a disclosure's bytes; return (text, encoding). Never garbles:
    a file that is neither UTF-8 nor GB18030 is refused."""
    if not data.strip():
        raise EmptyFile(path)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as err:
        if err.start >= len(data) - TRUNCATION_WINDOW_BYTES and err.reason == "unexpected end of data":
            raise TruncatedFile(path, "UTF-8 sequence cut off at the end") from err
        utf8_error = err
    if b"\x00" in data:
        raise UndecodableText(path, "binary content (NUL bytes)")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as err:
        raise UndecodableText(path, f"byte {utf8_error.start} is not UTF-8; byte {err.start} is not GB18030") from err


def clean_line(line: str) -> str:
    """Strip markdown residue and normalise compatibility forms (NFKC) in one line."""
    line = MARKDOWN_HEADING.sub("", line)
    line = MARKDOWN_INLINE.sub("", line)
    # Trailing tabs are empty cells of a table row: keep them, drop only spaces.
    return unicodedata.normalize("NFKC", line).rstrip(" \r\n")


def text_to_blocks(text: str, file: str) -> list[Paragraph | Row]:
    """Turn decoded text into blocks, dropping watermarks, TOC and page numbers.
    Raises TooLarge on a line or cell over the limits of ``ingest.limits`` (checked before
    any line is normalised, so a huge line costs no more than its own size)."""
    raw_lines = text.splitlines()
    check_lines(file, raw_lines)
    lines = [clean_line(raw) for raw in raw_lines]
    repeated = repeated_lines(ln.strip() for ln in lines if ln.strip() and "\t" not in ln)
    toc = TocSkipper()
    blocks: list[Paragraph | Row] = []
    table = 0
    previous_was_row = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped in WATERMARKS or stripped in repeated:
            continue
        if toc.skip(stripped) or PAGE_NUMBER_LINE.match(stripped):
            continue
        prov = Provenance(file=file, line=number)
        if "\t" in line:
            if not previous_was_row:
                table += 1
            cells = tuple(cell.strip() for cell in line.split("\t"))
            if any(cells):
                blocks.append(Row(cells=cells, prov=prov, table=table))
                previous_was_row = True
            continue
        blocks.append(Paragraph(text=stripped, prov=prov))
        previous_was_row = False
    return blocks


def read_text(path: str | Path) -> Document:
    """Read a .txt/.md disclosure from disk."""
    path = Path(path)
    check_size(str(path), path.stat().st_size, MAX_TEXT_BYTES, "a text file")
    data = path.read_bytes()
    text, encoding = bytes_to_text(data, str(path))
    return Document(
        path=str(path),
        blocks=text_to_blocks(text, path.name),
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
    )
