"""Read a PDF disclosure into the shared document model.

Tables come from ruling lines (pdfplumber's table finder with TABLE_SETTINGS);
every table row becomes a :class:`Row` whose cells keep their column
positions. Text outside the tables becomes :class:`Paragraph` blocks, one per
paragraph: visual lines that wrap at the right edge are joined again.

What real PDFs do, and where it is handled:

- radical code points in the text layer (⻔, ⺠, ⼈):
  :func:`ingest.pdf_text.normalize_text`;
- characters drawn twice: :func:`ingest.pdf_layout.dedupe`;
- cells and paragraphs wrapping onto several lines:
  :func:`ingest.pdf_text.join_wrapped`;
- diagonal watermarks: :func:`ingest.pdf_layout.is_skewed`; watermark lines
  (仅供内部审核) drawn straight: :func:`ingest.pdf_text.is_watermark`;
- page numbers and running headers/footers: :func:`_drop_furniture`;
- tables continuing on the next page keep their table index, and a row cut
  in two by the page break (no rule under its first part, none over its
  second) becomes one row again: :func:`ingest.pdf_layout.open_table_edges`,
  :class:`_Assembler`;
- merged cells: '' in every column the merged cell covers but its first
  (:meth:`ingest.pdf_layout.CellGrid.rows`);
- landscape and /Rotate pages: pdfplumber reports them in display space;
- encrypted, truncated, corrupt, page-less and image-only files: the errors
  of :mod:`ingest.errors`; a file over the limits of :mod:`ingest.limits`:
  :class:`ingest.errors.TooLarge`;
- slightly damaged files (a content stream that does not decompress, an
  object pdfminer cannot parse, a page that raises): the rest is read and each
  loss is reported as a :class:`ReadLoss` (:func:`read_pdf_with_losses`);
  pdfminer's log records are collected for that, never shown.

The reader reads each page once: one ``find_tables`` call, one pass over the
characters, then the page's caches are released.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import statistics
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from budgetkg.ingest.errors import EmptyFile, EncryptedPdf, IngestError, NoTextLayer, TooLarge, TruncatedFile
from budgetkg.ingest.furniture import TocSkipper, repeated_lines
from budgetkg.ingest.limits import (
    MAX_CELL_CHARS,
    MAX_LINE_CHARS,
    MAX_PAGE_CHARS,
    MAX_PDF_BYTES,
    MAX_PDF_PAGES,
    check_size,
    check_text,
)
from budgetkg.ingest.model import Block, Document, Paragraph, Provenance, Row
from budgetkg.ingest.pdf_layout import (
    OPEN_EDGE_TOLERANCE,
    BBox,
    CellGrid,
    Char,
    bbox_of,
    chars_text,
    cluster_lines,
    head_width,
    is_skewed,
    line_text,
    open_table_edges,
)
from budgetkg.ingest.pdf_text import furniture_key, is_page_number, is_watermark, join_wrapped, normalize_text

# Tables are found from drawn ruling lines only (rects and lines); borders
# drawn as thin filled rectangles count as lines.
TABLE_SETTINGS: dict[str, object] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "edge_min_length": 3,
    "intersection_tolerance": 3,
}

# Page furniture lives in this top / bottom share of the page height.
MARGIN_BAND = 0.08
# A line repeated at the same height (within HEADER_TOP_TOLERANCE points) on at
# least this share of the pages, and on at least HEADER_MIN_PAGES pages, is a
# running header or footer.
RUNNING_HEADER_SHARE = 0.5
HEADER_MIN_PAGES = 3
HEADER_TOP_TOLERANCE = 3.0
# A visual line continues the paragraph above it when it starts no further
# right, its top is at most WRAP_LINE_SPACING font sizes below the previous
# line's top, and its first word would not have fitted at the end of the
# previous line (the right edge of the page's text, less WRAP_FIT_SLACK font
# sizes).
WRAP_LINE_SPACING = 1.6
WRAP_FIT_SLACK = 0.3
# Pages with fewer text lines than this borrow the right edge of their peers.
RIGHT_EDGE_MIN_LINES = 3
WRAP_SIZE_TOLERANCE = 0.5

# A complete PDF ends with %%EOF within this many bytes of its end.
EOF_SEARCH_BYTES = 4096

_PDFMINER_LOGGERS = ("pdfminer", "pdfplumber")
# pdfminer's warnings that lose nothing on an intact file (a font descriptor without a FontBBox
# is common and only changes glyph heights); every other warning while a page is read is a loss.
HARMLESS_PDFMINER_WARNING = re.compile(r"FontBBox")
# Where the values start in a pdfminer message ("… because not all values in (…)", "%r"): the text
# before it names the kind of object that could not be read.
PDFMINER_MESSAGE_VALUES = re.compile(r"\s+because\b|:?\s*%[rsd]|\s*[(\[{<]")
# A reported loss quotes at most this much of pdfminer's message (some dump whole dictionaries).
LOSS_DETAIL_CHARS = 120


@dataclass(frozen=True, slots=True)
class ReadLoss:
    """Something the reader could not read in a file it otherwise read: a page that raised,
    or an object pdfminer gave up on (``count`` times on that page)."""

    page: int
    what: str
    count: int = 1

    def message(self) -> str:
        times = f" ({self.count} times)" if self.count > 1 else ""
        return f"page {self.page}: {self.what}{times}; what it holds may be missing"


@dataclass(slots=True)
class _Line:
    """One visual line of text outside the tables (raw text, not normalised).
    ``right``: the right edge of the text on its page; ``head``: the width of
    its first unbreakable piece (see :func:`ingest.pdf_layout.head_width`)."""

    text: str
    bbox: BBox
    size: float
    head: float = 0.0
    right: float = 0.0


@dataclass(slots=True)
class _Table:
    """One ruled table on a page. ``xs``: the left edges of its grid columns.
    ``open_top`` / ``open_bottom``: a page break cuts its first / last row."""

    bbox: BBox
    rows: list[tuple[tuple[str, ...], BBox]]
    xs: list[float]
    open_top: bool = False
    open_bottom: bool = False

    @property
    def ncols(self) -> int:
        return len(self.xs)


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    height: float
    items: list[_Line | _Table] = field(default_factory=list)
    has_text: bool = False


# --------------------------------------------------------------------------- public API


class PageOutOfRange(ValueError):
    """inspect_page / debug_png asked for a page the PDF does not have."""


def read_pdf(path: str, progress: Callable[[int, int], None] | None = None) -> Document:
    """Read the PDF at ``path`` into a :class:`Document` (blocks in reading
    order, page by page). ``progress(pages_done, pages_total)`` is called after
    each page. Raises EmptyFile, TruncatedFile, EncryptedPdf, NoTextLayer or
    TooLarge. What could not be read of a damaged file is left out silently:
    :func:`read_pdf_with_losses` says what."""
    return read_pdf_with_losses(path, progress)[0]


def read_pdf_with_losses(
    path: str, progress: Callable[[int, int], None] | None = None
) -> tuple[Document, list[ReadLoss]]:
    """:func:`read_pdf`, and what it could not read: a page that raised is
    left out (the others are read) and objects pdfminer gave up on while a page
    was read (a content stream that does not decompress …) are reported per
    page. A file none of whose pages can be read is refused (TruncatedFile)."""
    data = _read_bytes(path)
    pages: list[_Page] = []
    losses: list[ReadLoss] = []
    failed: list[IngestError] = []
    with _quiet_pdfminer() as records, _open_pdf(path, data) as pdf:
        total = _page_count(path, pdf)
        for page in pdf.pages:
            seen = len(records)
            try:
                pages.append(_read_page(path, page))
            except (TooLarge, EncryptedPdf):
                raise
            except IngestError as err:  # this page only: the others are still read
                failed.append(err)
                losses.append(ReadLoss(page.page_number, f"could not be read ({_short(err.detail or err.reason)})"))
                pages.append(_Page(page.page_number, 0.0, 0.0))
            losses += _page_losses(page.page_number, records[seen:])
            if progress is not None:
                progress(page.page_number, total)
    if len(failed) == total:
        raise failed[0]
    if not any(p.has_text for p in pages):
        raise NoTextLayer(path)
    _drop_furniture(pages)
    document = Document(
        path=path,
        blocks=_assemble(path, pages),
        pages=total,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    return document, losses


def _short(text: str) -> str:
    """One line of at most LOSS_DETAIL_CHARS characters."""
    text = " ".join(text.split())
    return text if len(text) <= LOSS_DETAIL_CHARS else text[: LOSS_DETAIL_CHARS - 1] + "…"


def _page_losses(page_no: int, records: list[logging.LogRecord]) -> list[ReadLoss]:
    """What pdfminer reported (as log warnings) while one page was read: one loss for the page,
    naming each kind of message once (its text before the values: "Could not set text matrix")."""
    counts: dict[str, int] = {}
    for record in records:
        message = record.getMessage()
        if record.levelno >= logging.WARNING and not HARMLESS_PDFMINER_WARNING.search(message):
            kind = _short(PDFMINER_MESSAGE_VALUES.split(str(record.msg), 1)[0])
            counts[kind] = counts.get(kind, 0) + 1
    if not counts:
        return []
    return [ReadLoss(page_no, _short("pdfminer: " + "; ".join(counts)), sum(counts.values()))]


def inspect_page(path: str, page_no: int) -> str:
    """What the reader saw on page ``page_no`` (1-based): tables with their
    cells and the text lines around them, in reading order. Furniture that is
    recognised only across pages (running headers) is still shown."""
    with _open_one_page(path, page_no) as (page, total):
        width, height, rotation = page.width, page.height, page.rotation
        content = _read_page(path, page)
    _drop_furniture([content])
    out = [f"{path} p.{page_no} of {total}: {width:.0f}x{height:.0f} pt, rotation {rotation}"]
    if not content.has_text:
        out.append("(no text layer on this page)")
    for n, item in enumerate(content.items):
        if isinstance(item, _Line):
            out.append(f"P {_fmt_bbox(item.bbox)} {normalize_text(item.text)}")
        else:
            out.append(f"T{n} {_fmt_bbox(item.bbox)} {len(item.rows)} rows x {item.ncols} cols")
            for r, (cells, _) in enumerate(item.rows):
                out.append(f"  r{r}: " + " | ".join(cells))
    return "\n".join(out)


@contextmanager
def _open_one_page(path: str, page_no: int) -> Iterator[tuple[pdfplumber.page.Page, int]]:
    """Page ``page_no`` (1-based) of the PDF and its page count; PageOutOfRange outside them."""
    data = _read_bytes(path)
    with _quiet_pdfminer(), _open_pdf(path, data) as pdf:
        total = _page_count(path, pdf)
        if not 1 <= page_no <= total:
            raise PageOutOfRange(f"{path}: page {page_no} out of range 1..{total}")
        yield pdf.pages[page_no - 1], total


def debug_png(path: str, page_no: int, out_png: str, resolution: int = 100) -> None:
    """Write pdfplumber's table-finder debug image of page ``page_no``
    (1-based) to ``out_png``: the ruling lines, intersections and cells found
    with TABLE_SETTINGS drawn over the page."""
    with _open_one_page(path, page_no) as (page, _):
        settings = _page_table_settings(page)
        del settings["_open_top"], settings["_open_bottom"]
        image = page.to_image(resolution=resolution)
        image.debug_tablefinder(settings)
        image.save(out_png)


# --------------------------------------------------------------------------- opening


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as fh:
        check_size(path, os.fstat(fh.fileno()).st_size, MAX_PDF_BYTES, "a PDF")
        data = fh.read()
    if not data.strip():
        raise EmptyFile(path)
    if b"%PDF-" not in data[:1024]:
        raise TruncatedFile(path, "no PDF header")
    if b"%%EOF" not in data[-EOF_SEARCH_BYTES:]:
        # pdfminer would silently recover what it can from a cut-off file.
        raise TruncatedFile(path, "no %%EOF marker at the end: the file was cut short")
    return data


class _Collect(logging.Handler):
    """Keeps the log records it is given."""

    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _quiet_pdfminer() -> Iterator[list[logging.LogRecord]]:
    """Keep pdfminer's log records and warnings (FontBBox and the like) off the
    user's terminal while the reader runs; its WARNING records and above are
    collected in the list yielded (they say what it could not read)."""
    records: list[logging.LogRecord] = []
    handler = _Collect(records)
    loggers = [logging.getLogger(name) for name in _PDFMINER_LOGGERS]
    saved = [(lg.level, lg.propagate) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.WARNING)
        lg.propagate = False
        lg.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield records
    finally:
        for lg, (level, propagate) in zip(loggers, saved, strict=True):
            lg.removeHandler(handler)
            lg.setLevel(level)
            lg.propagate = propagate


def _classify(path: str, exc: BaseException, where: str = "") -> IngestError:
    """Map a pdfminer / pdfplumber failure to the reader's error."""
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return EncryptedPdf(path)
    detail = f"{type(cause).__name__}: {cause}".strip().rstrip(":")
    return TruncatedFile(path, (where + detail)[:200])


@contextmanager
def _open_pdf(path: str, data: bytes) -> Iterator[pdfplumber.PDF]:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except IngestError:
        raise
    except Exception as exc:
        raise _classify(path, exc) from exc
    try:
        yield pdf
    except (PdfminerException, MalformedPDFException, PSException) as exc:
        # the page tree or a shared resource is broken (page errors are
        # classified in _read_page)
        raise _classify(path, exc) from exc
    finally:
        with suppress(Exception):  # closing builds the page list again, which is what may have failed
            pdf.close()


def _page_count(path: str, pdf: pdfplumber.PDF) -> int:
    total = len(pdf.pages)
    if total == 0:
        raise EmptyFile(path, "the PDF has no pages")
    if total > MAX_PDF_PAGES:
        raise TooLarge(path, f"{total:,} pages; the limit is {MAX_PDF_PAGES:,}")
    return total


# --------------------------------------------------------------------------- one page


def _read_page(path: str, page: pdfplumber.page.Page) -> _Page:
    """Tables and text lines of one page, sorted top to bottom; the page's
    caches are released afterwards."""
    try:
        content = _Page(page.page_number, float(page.width), float(page.height))
        if len(page.chars) > MAX_PAGE_CHARS:
            raise TooLarge(path, f"page {page.page_number} draws {len(page.chars):,} characters; "
                                 f"the limit is {MAX_PAGE_CHARS:,}")
        chars = [ch for ch in page.chars if not is_skewed(ch)]
        content.has_text = any(_is_text(ch["text"]) for ch in chars)
        grids: list[CellGrid] = []
        open_top = open_bottom = None
        if chars:
            settings = _page_table_settings(page)
            open_top, open_bottom = settings.pop("_open_top"), settings.pop("_open_bottom")
            grids = [CellGrid(t.cells) for t in page.find_tables(settings)]
        free: list[Char] = []
        for ch in chars:
            cx = (ch["x0"] + ch["x1"]) / 2
            cy = (ch["top"] + ch["bottom"]) / 2
            for grid in grids:
                if grid.take(ch, cx, cy):
                    break
            else:
                free.append(ch)
        items: list[tuple[float, _Line | _Table]] = []
        for grid in grids:
            all_rows = grid.rows(_cell_text)
            for cells, _ in all_rows:
                for cell in cells:
                    check_text(path, cell, f"a table cell on page {page.page_number}", MAX_CELL_CHARS)
            rows = [(tuple(cells), bbox) for cells, bbox in all_rows if any(cells)]
            if rows:
                table = _Table(grid.bbox, rows, grid.xs)
                # a cut row whose part on this page is blank has nothing to join
                table.open_top = (
                    open_top is not None and abs(grid.bbox[1] - open_top) <= 1 and any(all_rows[0][0])
                )
                table.open_bottom = (
                    open_bottom is not None and abs(grid.bbox[3] - open_bottom) <= 1 and any(all_rows[-1][0])
                )
                items.append((grid.bbox[1], table))
        for line in cluster_lines(free):
            text = line_text(line)
            if text.strip():
                size = statistics.median(ch["size"] for ch in line)
                ln = _Line(text, bbox_of(line), size, head_width(line))
                items.append((ln.bbox[1], ln))
        items.sort(key=lambda it: it[0])
        content.items = [it for _, it in items]
        return content
    except IngestError:
        raise
    except Exception as exc:
        raise _classify(path, exc, f"page {page.page_number}: ") from exc
    finally:
        page.close()


def _page_table_settings(page: pdfplumber.page.Page) -> dict[str, object]:
    """TABLE_SETTINGS plus the closing rules of a table cut by a page break
    (see :func:`ingest.pdf_layout.open_table_edges`); the synthetic rules' y
    values ride along under ``_open_top`` / ``_open_bottom``."""
    extra, top, bottom = open_table_edges(page.edges)
    settings = dict(TABLE_SETTINGS)
    if extra:
        settings["explicit_horizontal_lines"] = extra
    settings["_open_top"], settings["_open_bottom"] = top, bottom
    return settings


def _is_text(text: str) -> bool:
    """A character that carries text: not blank, and not pdfminer's
    ``(cid:N)`` placeholder for a glyph the font does not map to Unicode."""
    return bool(text) and not text.isspace() and not text.startswith("(cid:")


def _cell_text(chars: list[Char]) -> str:
    return _clean(chars_text(chars))


def _clean(text: str) -> str:
    return "" if is_watermark(text) else normalize_text(text)


# --------------------------------------------------------------------------- furniture


def _drop_furniture(pages: list[_Page]) -> None:
    """Remove watermark lines, page numbers and running headers/footers.

    Only lines in the top or bottom MARGIN_BAND of a page, and only the first
    or last lines of a page, can be page numbers or running headers; a running
    header must repeat at the same height on enough pages."""
    for page in pages:
        page.items = [
            it for it in page.items if not (isinstance(it, _Line) and is_watermark(it.text))
        ]

    def edge_lines(page: _Page) -> list[_Line]:
        found: list[_Line] = []
        for seq in (page.items, list(reversed(page.items))):
            for it in seq[:2]:
                if not isinstance(it, _Line):
                    break
                top, bottom = it.bbox[1], it.bbox[3]
                if top < MARGIN_BAND * page.height or bottom > (1 - MARGIN_BAND) * page.height:
                    found.append(it)
                else:
                    break
        return found

    drop: set[int] = set()
    repeated: dict[str, list[tuple[int, _Line]]] = defaultdict(list)
    for page in pages:
        for line in edge_lines(page):
            text = normalize_text(line.text)
            if is_page_number(text):
                drop.add(id(line))
            else:
                repeated[furniture_key(text)].append((page.number, line))
    needed = max(HEADER_MIN_PAGES, RUNNING_HEADER_SHARE * len(pages))
    for hits in repeated.values():
        if len({n for n, _ in hits}) < needed:
            continue
        median_top = statistics.median(line.bbox[1] for _, line in hits)
        same_place = [line for _, line in hits if abs(line.bbox[1] - median_top) <= HEADER_TOP_TOLERANCE]
        if len(same_place) >= needed:
            drop.update(id(line) for line in same_place)
    if drop:
        for page in pages:
            page.items = [it for it in page.items if id(it) not in drop]


# --------------------------------------------------------------------------- blocks


def _continues(prev: _Line, line: _Line, same_page: bool) -> bool:
    """Whether ``line`` is the wrapped continuation of the paragraph whose last
    visual line is ``prev`` (on the previous page when not ``same_page``: then
    ``prev`` ended that page and ``line`` opens this one)."""
    size = prev.size or 1.0
    return (
        prev.bbox[2] + line.head > prev.right - WRAP_FIT_SLACK * size
        and abs(line.size - prev.size) <= WRAP_SIZE_TOLERANCE
        and line.bbox[0] <= prev.bbox[0] + 1.0
        and (not same_page or 0 < line.bbox[1] - prev.bbox[1] <= WRAP_LINE_SPACING * size)
    )


def _merge_split_row(prev: Row, prev_xs: list[float], cells: tuple[str, ...], xs: list[float]) -> Row | None:
    """Join the two halves of a row cut by a page break, column by column
    (columns matched by their left edge); None when a filled cell of the
    second half has no column in the first."""
    merged = list(prev.cells)
    for x, text in zip(xs, cells, strict=True):
        if not text:
            continue
        col = next((i for i, px in enumerate(prev_xs) if abs(px - x) <= OPEN_EDGE_TOLERANCE), None)
        if col is None:
            return None
        merged[col] = normalize_text(join_wrapped([merged[col], text]))
    return Row(tuple(merged), prev.prov, prev.table)


class _Assembler:
    """Turns the pages' lines and tables into blocks: wrapped lines joined into
    paragraphs (also across a page break), table rows numbered with a running
    table index. A table that opens a page continues the table that closed the
    previous page (same index) when it has as many columns or when the page
    break cut a row in two; the two halves of a cut row become one row."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.blocks: list[Block] = []
        self.table_index = -1
        self.para: list[_Line] = []
        self.para_pages: list[int] = []
        self.tail: _Line | _Table | None = None  # last item of the previous page

    def flush(self) -> None:
        if not self.para:
            return
        text = _clean(join_wrapped([ln.text for ln in self.para]))
        check_text(self.path, text, f"a paragraph on page {self.para_pages[0]}", MAX_LINE_CHARS)
        if text:
            # provenance: the page the paragraph starts on, and its part there
            page = self.para_pages[0]
            there = [ln for ln, p in zip(self.para, self.para_pages, strict=True) if p == page]
            bbox = (
                min(ln.bbox[0] for ln in there),
                there[0].bbox[1],
                max(ln.bbox[2] for ln in there),
                max(ln.bbox[3] for ln in there),
            )
            self.blocks.append(Paragraph(text, Provenance(self.path, page, None, bbox)))
        self.para = []
        self.para_pages = []

    def add_line(self, line: _Line, page: int, first_on_page: bool) -> None:
        if self.para:
            prev = self.para[-1]
            if first_on_page:
                keep = self.tail is prev and _continues(prev, line, same_page=False)
            else:
                keep = _continues(prev, line, same_page=True)
            if not keep:
                self.flush()
        self.para.append(line)
        self.para_pages.append(page)

    def add_table(self, table: _Table, page: int, first_on_page: bool) -> None:
        self.flush()
        last = self.blocks[-1] if self.blocks else None
        prev = self.tail if first_on_page and isinstance(self.tail, _Table) else None
        rows = table.rows
        if prev is None or not isinstance(last, Row):
            index = self._next_index()
        elif prev.open_bottom and table.open_top:
            index = last.table
            merged = _merge_split_row(last, prev.xs, rows[0][0], table.xs)
            if merged is not None:
                self.blocks[-1] = merged
                rows = rows[1:]
        elif prev.ncols == table.ncols:
            index = last.table
        else:
            index = self._next_index()
        for cells, bbox in rows:
            self.blocks.append(Row(cells, Provenance(self.path, page, None, bbox), index))

    def _next_index(self) -> int:
        self.table_index += 1
        return self.table_index

    def add_page(self, page: _Page) -> None:
        for pos, item in enumerate(page.items):
            if isinstance(item, _Line):
                self.add_line(item, page.number, pos == 0)
            else:
                self.add_table(item, page.number, pos == 0)
        if not page.items:
            self.flush()
        self.tail = page.items[-1] if page.items else None


def _set_right_edges(pages: list[_Page]) -> None:
    """Give every line the right edge of the text on its page: the furthest
    line end; on a page with fewer than RIGHT_EDGE_MIN_LINES lines, the median
    edge of the pages of the same width, or failing those the left margin
    mirrored."""
    own: dict[int, float] = {}
    by_width: dict[int, list[float]] = defaultdict(list)
    for page in pages:
        lines = [it for it in page.items if isinstance(it, _Line)]
        if not lines:
            continue
        right = max(ln.bbox[2] for ln in lines)
        if len(lines) >= RIGHT_EDGE_MIN_LINES:
            by_width[round(page.width)].append(right)
        else:
            mirrored = page.width - min(ln.bbox[0] for ln in lines)
            right = max(right, mirrored)
        own[page.number] = right
    for page in pages:
        lines = [it for it in page.items if isinstance(it, _Line)]
        right = own.get(page.number, 0.0)
        peers = by_width.get(round(page.width))
        if len(lines) < RIGHT_EDGE_MIN_LINES and peers:
            right = statistics.median(peers)
        for ln in lines:
            ln.right = right


def _assemble(path: str, pages: list[_Page]) -> list[Block]:
    _set_right_edges(pages)
    assembler = _Assembler(path)
    for page in pages:
        assembler.add_page(page)
    assembler.flush()
    return _as_text_reader_drops(assembler.blocks)


def _as_text_reader_drops(blocks: list[Block]) -> list[Block]:
    """Drop what the text reader drops, with its own rules, so both flavours
    of a disclosure give the parsers the same blocks: the table of contents
    (目录 and the entries after it), a bare page number anywhere, and short
    lines repeated many times (REPEATED_LINE_MIN_COUNT, e.g. 单位:万元)."""
    repeated = repeated_lines(b.text for b in blocks if isinstance(b, Paragraph))
    kept: list[Block] = []
    toc = TocSkipper()
    for block in blocks:
        text = block.text if isinstance(block, Paragraph) else "\t".join(block.cells).strip()
        if isinstance(block, Paragraph) and (text in repeated or is_page_number(text)):
            continue
        if toc.skip(text, can_open=isinstance(block, Paragraph)):
            continue
        kept.append(block)
    return kept


def _fmt_bbox(bbox: BBox) -> str:
    return "[" + ",".join(f"{v:.0f}" for v in bbox) + "]"
