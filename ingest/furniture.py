"""Page furniture both readers drop: the table of contents and short lines
repeated on every page (running headers, watermarks, 单位：万元). One set of
rules, so a PDF and its text extraction lose exactly the same lines."""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# Table-of-contents heading ("目 录") and its entries ("一、本部门职责.....\t1").
TOC_HEADING = re.compile(r"^目\s*录$")
TOC_ENTRY = re.compile(r"^.{1,80}?(?:\.{2,}|…{1,}|\t)\s*\d{1,3}$")
# Dot leaders anywhere in a TOC line whose page number wrapped away.
TOC_LEADER = re.compile(r"\.{3,}")
# A short non-table line repeated this often is a running header or watermark.
REPEATED_LINE_MIN_COUNT = 8
REPEATED_LINE_MAX_CHARS = 16


def repeated_lines(texts: Iterable[str]) -> set[str]:
    """Short lines that occur often enough to be furniture, not content."""
    return {s for s, n in Counter(texts).items() if n >= REPEATED_LINE_MIN_COUNT and len(s) <= REPEATED_LINE_MAX_CHARS}


class TocSkipper:
    """Feed lines in reading order; says which belong to the table of contents."""

    def __init__(self) -> None:
        self.in_toc = False

    def skip(self, text: str, *, can_open: bool = True) -> bool:
        """``can_open=False`` for table rows: only a paragraph heading opens the TOC."""
        if can_open and TOC_HEADING.match(text):
            self.in_toc = True
            return True
        if self.in_toc and (TOC_ENTRY.match(text) or TOC_LEADER.search(text)):
            return True
        self.in_toc = False
        return False
