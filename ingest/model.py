"""The document model every reader produces and every parser consumes.

A Document is a flat sequence of blocks in reading order. A block is either a
Paragraph (running text) or a Row (one table row of cells). Consecutive rows of
one table share a ``table`` index. Every block carries its Provenance, so any
value parsed from it can be traced back to file, page and line (text) or bbox
(PDF).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a block came from: file, 1-based page (None for text files),
    1-based line (text) and bounding box (PDF: x0, top, x1, bottom in points)."""

    file: str
    page: int | None = None
    line: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def label(self) -> str:
        """Human-readable location, e.g. ``a.txt:123`` or ``a.pdf p.4``."""
        parts = [self.file]
        if self.page is not None:
            parts.append(f"p.{self.page}")
        if self.line is not None:
            parts.append(f"l.{self.line}")
        return " ".join(parts) if self.page is not None else ":".join(parts)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    prov: Provenance


@dataclass(frozen=True, slots=True)
class Row:
    """One table row. ``cells`` keep their column positions: an empty cell is ''."""

    cells: tuple[str, ...]
    prov: Provenance
    table: int = 0

    def filled(self) -> list[str]:
        """The non-empty cells, in order (column positions dropped)."""
        return [c for c in self.cells if c]


Block = Paragraph | Row


@dataclass(slots=True)
class Document:
    """A read disclosure: its blocks in reading order plus reader facts."""

    path: str
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    encoding: str | None = None
    sha256: str = ""

    def text(self, block: Block) -> str:
        """A block's text: a paragraph's text or a row's cells joined by tabs."""
        return block.text if isinstance(block, Paragraph) else "\t".join(block.cells)
