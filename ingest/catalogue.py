"""The table catalogue (ingest/data/table_catalogue.toml): which kind of budget table a
title and a header describe.

A title picks the kind whose alias it contains (the longest alias over all kinds wins);
the header confirms it or, where the title is missing or names no kind, decides alone by
the most specific header signature that matches. Nothing here looks at a table's number
or position.

>>> recognise("2026年部门财务收支预算总表", "本年收入 本年支出 项目 预算数").id
'budget_summary'
>>> recognise("8.2026年预算单位一般公共预算基本支出部门预算经济分类预算表", "").slot
6
>>> recognise(None, "项目 一般公共预算支出 功能分类科目编码 功能分类科目名称 合计 基本支出 项目支出 类 款 项").id
'general_public_functional'
>>> recognise("2026年财政拨款收支总表", "收入 支出 项目 金额 小计 一般公共预算 政府性基金预算").slot
4
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOGUE_TOML = Path(__file__).with_name("data") / "table_catalogue.toml"
# Slots of tables the catalogue does not know (generic tables), numbered in document order.
GENERIC_SLOT_BASE = 101
# Shapes whose tables are read by the sheet parsers, never as budget tables.
SHEET_SHAPES = ("sheet", "overall")
# Characters a title or header is compared without: spaces and the quotes around “三公”.
IGNORED = re.compile(r"[\s“”\"'‘’「」]")
# Longest printed title we take for a table title (a sentence naming a table is longer).
MAX_TITLE_CHARS = 60
# Leading numbering before a title: 表1 / 表一 / 预算公开表1 / 附表1-2 / 1. / 1、 / (一)
TITLE_NUMBERING = re.compile(
    r"^(?:(?:预算公开|附)?表\s*[0-9一二三四五六七八九十]+(?:-\d+)?[.、:：]?|\d{1,2}\s*[.、]|[(（][一二三四五六七八九十\d]+[)）])")
# A title's end: 表, optionally followed by one parenthetical qualifier (本年预算) / (按经济分类).
TITLE_END = re.compile(r"表(?:\([^()]{1,20}\))?$")


@dataclass(frozen=True, slots=True)
class TableKind:
    id: str
    slot: int
    name: str
    shape: str
    titles: tuple[str, ...]
    headers: tuple[tuple[str, ...], ...]
    exclude: tuple[str, ...] = ()

    @property
    def is_sheet(self) -> bool:
        return self.shape in SHEET_SHAPES

    def header_score(self, header: str) -> int:
        """Words of the most specific signature the header matches; 0 when none (or excluded)."""
        if any(word in header for word in self.exclude):
            return 0
        return max((len(sig) for sig in self.headers if all(word in header for word in sig)), default=0)


@cache
def kinds() -> tuple[TableKind, ...]:
    """The catalogue, in file order."""
    data = tomllib.loads(CATALOGUE_TOML.read_text(encoding="utf-8"))
    return tuple(
        TableKind(k["id"], k["slot"], k["name"], k["shape"], tuple(compact(t) for t in k["titles"]),
                  tuple(tuple(compact(w) for w in sig) for sig in k.get("headers", [])),
                  tuple(compact(w) for w in k.get("exclude", [])))
        for k in data["kind"]
    )


def by_id(kind_id: str) -> TableKind | None:
    return next((k for k in kinds() if k.id == kind_id), None)


def compact(text: str) -> str:
    """NFKC, no spaces or quotes: how titles and headers are compared."""
    return IGNORED.sub("", unicodedata.normalize("NFKC", text))


def title_text(text: str) -> str | None:
    """The compared form of a line that has the shape of a table title, else None."""
    title = TITLE_NUMBERING.sub("", compact(text))
    if not title or len(title) > MAX_TITLE_CHARS or not TITLE_END.search(title):
        return None
    return title


def title_to_kind(text: str) -> TableKind | None:
    """The kind whose longest alias the title contains."""
    title = title_text(text)
    if title is None:
        return None
    best: tuple[int, TableKind] | None = None
    for kind in kinds():
        for alias in kind.titles:
            if alias in title and (best is None or len(alias) > best[0]):
                best = (len(alias), kind)
    return best[1] if best else None


def header_to_kind(header: str) -> TableKind | None:
    """The kind whose most specific header signature the header text matches."""
    text = compact(header)
    scored = [(kind.header_score(text), kind) for kind in kinds()]
    best = max(scored, key=lambda pair: pair[0])
    return best[1] if best[0] else None


def recognise(title: str | None, header: str) -> TableKind | None:
    """Title and header together. A title's kind stands unless its header rules it out
    (a word of its ``exclude`` list) and names another kind: a mislabelled table is read
    as what its columns say."""
    by_title = title_to_kind(title) if title else None
    by_header = header_to_kind(header) if header else None
    if by_title is None:
        return by_header
    text = compact(header)
    contradicted = any(word in text for word in by_title.exclude)
    return by_header if contradicted and by_header is not None else by_title
