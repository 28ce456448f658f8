"""Stage 1: normalise a text cell for matching, keeping a map back to the original.

The cleaned text is NFKC-normalised character by character (full-width digits
and brackets become ASCII, ``（`` -> ``(``) and loses the whitespace that text
extraction scatters through Chinese text (``关于 2025 年`` -> ``关于2025年``).
Control and format characters (zero-width spaces, soft hyphens) are dropped.
Whitespace is kept only between two ASCII letters/digits (one space: ``DB14/T
1234``) and as a single ``\\n`` where a line break was, so patterns can treat a
line break as a boundary — unless the reader said the break is a soft one (a
PDF line wrap, ``soft_breaks``): such a break is whitespace like any other.
Every cleaned character remembers the original character it came from, so a
span found in the cleaned text maps back to an exact span of the original.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Cleaned text plus, for each of its characters, the originating index."""

    text: str
    source: tuple[int, ...]  # source[i] = index in the original of cleaned char i
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned span [start, end) to the original text."""
        if end <= start:
            pos = self.source[start] if start < len(self.source) else len(self.original)
            return pos, pos
        return self.source[start], self.source[end - 1] + 1

    def original_slice(self, start: int, end: int) -> str:
        """The original text behind a cleaned span."""
        a, b = self.span(start, end)
        return self.original[a:b]


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def clean(text: str, soft_breaks: Collection[int] = ()) -> Cleaned:
    """Normalise ``text`` for matching; see the module docstring.

    ``soft_breaks`` are indices of line-break characters in ``text`` that only wrap a line (the reader knows).
    """
    out: list[str] = []
    src: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            j = i
            while j < n and text[j].isspace():
                j += 1
            run = text[i:j]
            prev = out[-1] if out else ""
            nxt = unicodedata.normalize("NFKC", text[j]) if j < n else ""
            hard = any(text[k] in "\n\r" and k not in soft_breaks for k in range(i, j))
            if hard:
                if out and j < n:
                    out.append("\n")
                    src.append(i + max(run.find("\n"), run.find("\r")))
            elif prev and nxt and _ascii_alnum(prev[-1]) and _ascii_alnum(nxt[0]):
                out.append(" ")
                src.append(i)
            i = j
            continue
        norm = unicodedata.normalize("NFKC", ch)
        for c in norm:
            if c.isspace() or unicodedata.category(c) in ("Cc", "Cf"):
                continue  # control / format characters (also keeps the finder's mask characters out)
            out.append(c)
            src.append(i)
        i += 1
    return Cleaned("".join(out), tuple(src), text)
