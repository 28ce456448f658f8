"""Fixed keys of two classification schemes the tables print by name only.

- 部门预算支出经济分类 (economic classification, 表6 rows): 表6 prints the item names
  (办公费, 基本工资 …) but never their codes, so the code is looked up from the
  standard name in ``data/economic_items.csv`` (every 类 and 款 of the scheme in force,
  with its source). 类 3 digits (301), 款 5 digits (30101); a 款 is narrower than its 类.
  Some 款 names repeat under two 类 (房屋建筑物购建 is 30901 and 31001, 资本金注入 31101
  and 31201): such a name gets a code only under a 类 heading, and 表6 prints its rows
  under their 类 heading (:func:`economic_codes`).
- Funding sources: the columns of tables 1-9 (一般公共预算 …), the income lines of
  表1/表4 and the funding levels of the project sheets (中央 / 省级 / 市县(区) 财政资金 …).

A name not in these tables gets no concept (the row keeps its printed label).

>>> economic_code("维修（护）费"), economic_code("其他商品和服务支出"), economic_code("未知")
('30213', '30299', None)
>>> economic_code("房屋建筑物购建"), economic_code("房屋建筑物购建", "310")
(None, '31001')
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from budgetkg.ingest.records import TableRow

ECONOMIC_CSV = Path(__file__).with_name("data") / "economic_items.csv"
# Level of an economic item -> the length of its code.
ECONOMIC_LEVELS = {"类": 3, "款": 5}


@dataclass(frozen=True, slots=True)
class EconomicItem:
    """One row of data/economic_items.csv."""

    code: str
    name: str  # standard name, NFKC (ASCII brackets)
    level: str  # 类 | 款
    note: str

    @property
    def parent(self) -> str | None:
        """The 类 of a 款."""
        return self.code[:3] if self.level == "款" else None


def _clean(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def read_economic_items(path: str | Path = ECONOMIC_CSV) -> dict[str, EconomicItem]:
    """code -> item, in file order (``#`` lines are comments). Raises ValueError naming the bad
    line: a code that does not fit its level, a repeated code, a 款 whose 类 is not above it, or
    a 款 name repeated under the same 类."""
    items: dict[str, EconomicItem] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [(n, line) for n, line in enumerate(fh, 1) if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(line for _, line in lines)
    for (n, _), row in zip(lines[1:], reader, strict=True):
        code, level = (row.get("code") or "").strip(), (row.get("level") or "").strip()
        name = _clean(row.get("name") or "")
        item = EconomicItem(code, name, level, (row.get("note") or "").strip())
        siblings = {i.name for i in items.values() if i.parent is not None and i.parent == item.parent}
        if (not name or level not in ECONOMIC_LEVELS or not code.isdigit() or len(code) != ECONOMIC_LEVELS[level]
                or code in items or (item.parent is not None and item.parent not in items) or name in siblings):
            raise ValueError(f"{path}:{n}: bad economic item row {row!r}")
        items[code] = item
    return items


# 部门预算支出经济分类科目 (财政部《政府收支分类科目》): code -> item.
ECONOMIC_ITEMS: dict[str, EconomicItem] = read_economic_items()
# Printed variants of standard names (the printed form is kept on the row): seen in 表6
# (维修费), the wording of the 政府预算 scheme (其他对个人和家庭补助, 50999), the name before
# the 2018 reform (基本建设支出 for 309, 其他对个人和家庭的补助支出) and the 三公 tables
# (因公出国(境)费).
ECONOMIC_ALIASES: dict[str, str] = {
    "维修费": "维修(护)费",
    "对个人和家庭补助": "对个人和家庭的补助",
    "其他对个人和家庭补助": "其他对个人和家庭的补助",
    "其他对个人和家庭的补助支出": "其他对个人和家庭的补助",
    "基本建设支出": "资本性支出(基本建设)",
    "因公出国(境)费": "因公出国(境)费用",
}

# Funding sources: fixed key -> preferred name (the budget funding sources, and the sheet levels; docs/ARCHITECTURE.md).
FUNDING_SOURCES: dict[str, str] = {
    "general_public": "一般公共预算",
    "government_fund": "政府性基金预算",
    "state_capital": "国有资本经营预算",
    "special_account": "财政专户管理资金",
    "unit_funds": "单位资金",
    "carryover": "上年结转",
    "central": "中央财政资金",
    "provincial": "省级财政资金",
    "local": "市县(区)财政资金",
    "self_raised": "单位自筹",
    "other": "其他资金",
}
# Table measure keys (ingest.patterns.COLUMN_MEASURES) and 表1/表4 income-line keys
# (ingest.patterns.INCOME_LINES) that are funding sources: the same keys.
MEASURE_FUNDING = {k: k for k in ("general_public", "government_fund", "state_capital", "special_account",
                                  "unit_funds", "carryover")}
# Project-sheet funding levels (ingest.patterns.FUNDING_LEVELS) that are funding sources ('total' is not).
LEVEL_FUNDING = {k: k for k in ("central", "provincial", "local", "self_raised", "other")}


# Decoration around a funding label as printed: "其中: 中央财政资金", "年度资金总额:".
FUNDING_LABEL_NOISE = re.compile(r"^其中\s*[:：]\s*|\s*[:：]\s*$")


def funding_label(printed: str) -> str:
    """A printed funding label without its decoration, as an alternative name."""
    return FUNDING_LABEL_NOISE.sub("", printed).strip()


def _by_name(items: Iterable[EconomicItem]) -> dict[str, tuple[str, ...]]:
    codes: dict[str, tuple[str, ...]] = {}
    for item in items:
        codes[item.name] = (*codes.get(item.name, ()), item.code)
    return codes


# standard name (cleaned) -> its codes: one, or several when the name repeats under other 类.
_ECONOMIC = _by_name(ECONOMIC_ITEMS.values())
_ALIASES = {_clean(printed): _clean(standard) for printed, standard in ECONOMIC_ALIASES.items()}


def economic_code(printed: str, parent: str | None = None) -> str | None:
    """The 部门预算支出经济分类 code of a 表6 item name, or None.

    ``parent`` is the 类 (or any code in it) whose heading the row is printed under. A name
    that is unique in the scheme needs none. A name that repeats gets the 款 under ``parent``,
    else the 类 of that name when it is a 类 other than ``parent`` (其他支出 is 类 399 and its
    款 39999: under the 399 heading it is the 款, anywhere else it starts 类 399), else None:
    an ambiguous name is never guessed."""
    name = _clean(printed)
    codes = _ECONOMIC.get(_ALIASES.get(name, name), ())
    if len(codes) <= 1:
        return codes[0] if codes else None
    within = parent[:3] if parent else None
    items = [c for c in codes if len(c) == 5 and c[:3] == within]
    if len(items) == 1:
        return items[0]
    classes = [c for c in codes if len(c) == 3 and c != within]
    return classes[0] if len(classes) == 1 else None


def economic_codes(rows: Iterable[TableRow]) -> dict[int, str]:
    """表6 row index -> code. 表6 prints each 类 row above its 款 rows, so each row is read
    under the 类 row above it; totals (合计) get none. A row the scheme does not know (it may
    be a 类 heading printed otherwise) or a 款 of another 类 ends that 类's section: the rows
    after it get a repeated 款 name's code only under the next 类 row."""
    codes: dict[int, str] = {}
    heading: str | None = None
    for row in rows:
        if row.is_total:
            continue
        code = economic_code(row.label, heading)
        if code:
            codes[row.index] = code
        if code and len(code) == 3:
            heading = code
        elif not code or code[:3] != heading:
            heading = None
    return codes


def economic_broader(code: str) -> str | None:
    return code[:3] if len(code) == 5 else None
