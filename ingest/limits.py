"""Input limits: how big a document, a line, a table cell and a stored value may be.

Every limit is far above what a real disclosure prints (the bundled samples: text files of
66-95 KB, lines of at most 873 characters, PDFs of at most 2.3 MB), and far below what would
exhaust memory: a 部门名称 line of 1 MB once took 2.3 GB to ingest, and one of 50 MB aborted the
process. A file over a limit is refused with one line (:class:`TooLarge`) before the text is
parsed; the other files of the run go on. The README's "Failure behaviour" section lists them.
"""
from __future__ import annotations

from collections.abc import Iterable

from budgetkg.ingest.errors import TooLarge

# A text extraction (.txt / .md) larger than this is refused before it is decoded.
MAX_TEXT_BYTES = 64 * 1024 * 1024
# A PDF larger than this is refused before pdfminer opens it (it is read into memory whole).
MAX_PDF_BYTES = 256 * 1024 * 1024
# A PDF with more pages than this is refused before any page is read.
MAX_PDF_PAGES = 5_000
# One line of a text extraction, or one paragraph of a PDF, in characters.
MAX_LINE_CHARS = 20_000
# One table cell (a tab-separated field of a text line, a ruled cell of a PDF table), in characters.
MAX_CELL_CHARS = 10_000
# Characters drawn on one PDF page (a dense A4 table page draws about 3,000).
MAX_PAGE_CHARS = 200_000
# One stored value (a literal of the document's graph: a name, a field of a project sheet), in characters.
MAX_FIELD_CHARS = 50_000


def check_size(path: str, size: int, limit: int, what: str) -> None:
    """Refuse a file of ``size`` bytes over ``limit``."""
    if size > limit:
        raise TooLarge(path, f"{what} of {size:,} bytes; the limit is {limit:,}")


def check_lines(path: str, lines: Iterable[str]) -> None:
    """Refuse a text whose lines or tab-separated cells are over MAX_LINE_CHARS / MAX_CELL_CHARS."""
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise TooLarge(path, f"line {number} has {len(line):,} characters; the limit is {MAX_LINE_CHARS:,}")
        if len(line) > MAX_CELL_CHARS and "\t" in line:
            for cell in line.split("\t"):
                if len(cell) > MAX_CELL_CHARS:
                    raise TooLarge(path, f"a cell of line {number} has {len(cell):,} characters; "
                                         f"the limit is {MAX_CELL_CHARS:,}")


def check_text(path: str, text: str, where: str, limit: int) -> None:
    """Refuse one paragraph or cell of a PDF (``where``: "page 3 paragraph") over ``limit`` characters."""
    if len(text) > limit:
        raise TooLarge(path, f"{where} has {len(text):,} characters; the limit is {limit:,}")


def check_values(path: str, values: Iterable[str]) -> None:
    """Refuse a document whose graph would hold a value over MAX_FIELD_CHARS characters."""
    for value in values:
        if len(value) > MAX_FIELD_CHARS:
            raise TooLarge(path, f"a value of {len(value):,} characters (starting {value[:20]!r}); "
                                 f"the limit is {MAX_FIELD_CHARS:,}")
