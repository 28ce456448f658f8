"""Geometry helpers for the PDF reader: which characters to keep, how they
group into visual lines, and which table cell a character falls into.

Characters are pdfplumber char dicts (``text``, ``x0``, ``x1``, ``top``,
``bottom``, ``size``, ``matrix``). Coordinates are PDF points, origin top-left.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from typing import Any

from budgetkg.ingest.pdf_text import is_wide, join_wrapped

Char = dict[str, Any]
BBox = tuple[float, float, float, float]

# Characters whose tops differ by at most this many points sit on one line.
LINE_TOLERANCE = 3.0
# The same character drawn again within this many points (fake bold, a
# second pass of a PDF producer) is one character.
DEDUPE_TOLERANCE = 1.0
# A horizontal gap wider than this fraction of the font size between two
# narrow (Latin, digit) characters is a word space even when no space
# character was drawn. Gaps between CJK characters never make spaces.
WORD_GAP_RATIO = 0.25
# A glyph whose baseline is turned away from the page axes by more than about
# this much (sine of the angle) is drawn askew: a diagonal watermark.
SKEW_LIMIT = 0.05


def is_skewed(char: Char) -> bool:
    """True for a character whose baseline runs at an angle that is not a
    multiple of 90°, as diagonal watermarks do. Upright text, text turned by
    90° (landscape content on a rotated page) and slanted (synthetic italic)
    text, whose baseline stays horizontal, are kept."""
    a, b = char["matrix"][:2]
    limit = SKEW_LIMIT * (max(abs(a), abs(b)) or 1.0)
    return abs(a) > limit and abs(b) > limit


def cluster_lines(chars: Iterable[Char]) -> list[list[Char]]:
    """Group characters into visual lines (by ``top`` within LINE_TOLERANCE),
    each sorted left to right with doubly drawn characters removed."""
    ordered = sorted(chars, key=lambda ch: (ch["top"], ch["x0"]))
    lines: list[list[Char]] = []
    current: list[Char] = []
    last_top = None
    for ch in ordered:
        top = ch["top"]
        if last_top is not None and top - last_top > LINE_TOLERANCE:
            lines.append(current)
            current = []
        current.append(ch)
        last_top = top
    if current:
        lines.append(current)
    return [dedupe(sorted(line, key=_x0)) for line in lines]


def _x0(ch: Char) -> float:
    return ch["x0"]


def dedupe(line: Sequence[Char]) -> list[Char]:
    """Drop a character that repeats the previous kept one of the same text at
    (almost) the same position. ``line`` is sorted by ``x0``."""
    kept: list[Char] = []
    for ch in line:
        for prev in reversed(kept[-3:]):
            if (
                prev["text"] == ch["text"]
                and abs(prev["x0"] - ch["x0"]) <= DEDUPE_TOLERANCE
                and abs(prev["top"] - ch["top"]) <= DEDUPE_TOLERANCE
            ):
                break
        else:
            kept.append(ch)
    return kept


def line_text(line: Sequence[Char]) -> str:
    """The text of one visual line: drawn spaces collapse to one, and a wide
    gap between two narrow characters becomes a space."""
    parts: list[str] = []
    prev: Char | None = None
    pending_space = False
    for ch in line:
        text = ch["text"]
        if not text or text.isspace():
            pending_space = prev is not None
            continue
        if prev is not None and (pending_space or _word_gap(prev, ch)):
            parts.append(" ")
        parts.append(text)
        prev = ch
        pending_space = False
    return "".join(parts)


def _word_gap(prev: Char, ch: Char) -> bool:
    return (
        ch["x0"] - prev["x1"] > WORD_GAP_RATIO * (ch["size"] or 1.0)
        and not is_wide(prev["text"][-1])
        and not is_wide(ch["text"][0])
    )


# Punctuation a line may not begin with: it travels with the character before
# it when a line wraps.
NO_LINE_START = "、。，．,.;；:：?？!！)）]］}｝」』】〕》〉〗”’%％…‥·・ー-－~～"
# Punctuation a line may not end with: it travels with the character after it.
NO_LINE_END = "(（[［{｛「『【〔《〈〖“‘"


def head_width(line: Sequence[Char]) -> float:
    """Width of the first unbreakable piece of a line: its first CJK
    character, or its first run of Latin letters / digits, with the closing
    punctuation glued to it. A line wrapped only if this piece did not fit at
    the end of the line above."""
    start: float | None = None
    end = 0.0
    closing = False  # the piece is complete; only NO_LINE_START may follow
    glued = False  # the previous character was an opening bracket
    for ch in line:
        text = ch["text"]
        if not text or text.isspace():
            if start is None:
                continue
            break
        first = text[0]
        if start is None:
            start, end = ch["x0"], ch["x1"]
            glued = first in NO_LINE_END
            closing = is_wide(first) and not glued
            continue
        if _word_gap_after(end, ch):
            break
        if first in NO_LINE_START or glued:
            end = ch["x1"]
            closing = closing or is_wide(first)
            glued = first in NO_LINE_END
            continue
        if closing or is_wide(first):
            break
        end = ch["x1"]
    return 0.0 if start is None else end - start


def _word_gap_after(end: float, ch: Char) -> bool:
    return ch["x0"] - end > WORD_GAP_RATIO * (ch["size"] or 1.0)


def chars_text(chars: Iterable[Char]) -> str:
    """The text of a group of characters (one cell): its visual lines joined
    without spaces between CJK characters and with one between Latin words."""
    return join_wrapped([line_text(line) for line in cluster_lines(chars)])


def bbox_of(chars: Sequence[Char]) -> BBox:
    return (
        min(ch["x0"] for ch in chars),
        min(ch["top"] for ch in chars),
        max(ch["x1"] for ch in chars),
        max(ch["bottom"] for ch in chars),
    )


class CellGrid:
    """The cells of one ruled table, laid on the grid of their distinct left
    edges (columns) and tops (rows), so a character finds its cell by two
    bisections. A merged cell owns every grid slot it covers."""

    def __init__(self, cells: Sequence[BBox]) -> None:
        self.cells = list(cells)
        self.bbox: BBox = (
            min(c[0] for c in self.cells),
            min(c[1] for c in self.cells),
            max(c[2] for c in self.cells),
            max(c[3] for c in self.cells),
        )
        self.xs = sorted({c[0] for c in self.cells})
        self.tops = sorted({c[1] for c in self.cells})
        col = {x: i for i, x in enumerate(self.xs)}
        row = {t: i for i, t in enumerate(self.tops)}
        self.origin: list[tuple[int, int]] = []
        self.owner: dict[tuple[int, int], int] = {}
        for n, (x0, top, x1, bottom) in enumerate(self.cells):
            r0, c0 = row[top], col[x0]
            self.origin.append((r0, c0))
            r = r0
            while r < len(self.tops) and self.tops[r] < bottom:
                c = c0
                while c < len(self.xs) and self.xs[c] < x1:
                    self.owner.setdefault((r, c), n)
                    c += 1
                r += 1
        self.chars: list[list[Char]] = [[] for _ in self.cells]

    def take(self, ch: Char, cx: float, cy: float) -> bool:
        """File the character whose centre is (cx, cy) under its cell; False
        when the centre lies in no cell of this table."""
        x0, top, x1, bottom = self.bbox
        if not (x0 <= cx < x1 and top <= cy < bottom):
            return False
        r = bisect_right(self.tops, cy) - 1
        c = bisect_right(self.xs, cx) - 1
        n = self.owner.get((r, c))
        if n is None:
            return False
        cell = self.cells[n]
        if cx < cell[2] and cy < cell[3]:
            self.chars[n].append(ch)
            return True
        return False

    def rows(self, text_of) -> list[tuple[list[str], BBox]]:
        """The table's rows top to bottom: one string per grid column ('' where
        no cell starts, i.e. under a merged cell), and the row's bbox."""
        ncols = len(self.xs)
        texts: list[list[str]] = [[""] * ncols for _ in self.tops]
        bottoms: list[float] = list(self.tops)
        for n, (r, c) in enumerate(self.origin):
            if self.chars[n]:
                texts[r][c] = text_of(self.chars[n])
            bottoms[r] = max(bottoms[r], self.cells[n][3])
        x0, _, x1, _ = self.bbox
        return [(texts[r], (x0, self.tops[r], x1, bottoms[r])) for r in range(len(self.tops))]


# A run of ruling lines at least this long counts (pdfplumber's edge_min_length).
EDGE_MIN_LENGTH = 3.0
# Vertical rules ending within this many points of each other end together.
OPEN_EDGE_TOLERANCE = 3.0


def open_table_edges(edges: Sequence[Char]) -> tuple[list[Char], float | None, float | None]:
    """Closing lines for a table cut by a page break.

    When a table row is split across pages, the part at the bottom of one page
    has no bottom rule and the part at the top of the next has no top rule, so
    the table finder would not see those cells. If at least two vertical rules
    end at the lowest (or start at the highest) point of the page's rules and
    no horizontal rule is drawn there, return a horizontal edge that closes
    them. Also returns the y of the synthetic top and bottom (None when the
    table is closed)."""
    vertical = [e for e in edges if e["orientation"] == "v" and e["height"] >= EDGE_MIN_LENGTH]
    if len(vertical) < 2:
        return [], None, None
    horizontal_ys = [e["top"] for e in edges if e["orientation"] == "h" and e["width"] >= EDGE_MIN_LENGTH]
    extra: list[Char] = []
    found: list[float | None] = []
    for y, touching in (
        (min(e["top"] for e in vertical), lambda e, y: e["top"] <= y + OPEN_EDGE_TOLERANCE),
        (max(e["bottom"] for e in vertical), lambda e, y: e["bottom"] >= y - OPEN_EDGE_TOLERANCE),
    ):
        ends = [e for e in vertical if touching(e, y)]
        closed = any(abs(hy - y) <= OPEN_EDGE_TOLERANCE for hy in horizontal_ys)
        if len(ends) < 2 or closed:
            found.append(None)
            continue
        x0 = min(e["x0"] for e in ends)
        x1 = max(e["x1"] for e in ends)
        extra.append(
            {
                "object_type": "explicit_edge",
                "orientation": "h",
                "x0": x0,
                "x1": x1,
                "top": y,
                "bottom": y,
                "width": x1 - x0,
                "height": 0.0,
            }
        )
        found.append(y)
    return extra, found[0], found[1]
