"""Amounts stated in the narrative (部门预算情况说明) that restate the tables:
totals, shares (占 p%), changes on last year (比上年增加/减少) and the 绩效 project
count, as Statement records for ingest.reconcile to check against the tables.

The sentences follow one template across disclosures; each shape is one entry of
ingest.patterns.NARRATIVE_STATEMENTS.
"""
from __future__ import annotations

import re
import unicodedata

from budgetkg.ingest import patterns as P
from budgetkg.ingest.amounts import Amount
from budgetkg.ingest.model import Provenance
from budgetkg.ingest.records import Statement
from budgetkg.ingest.sections import FRONT, NARRATIVE, Section

UNIT = "万元"  # the narrative states budget amounts in 万元
# What a single-amount statement is called in the text (item statements carry their own label).
LABELS: dict[str, str] = {
    "income_total": "预算收入总计",
    "income_current": "本年收入",
    "income_carryover": "上年结转",
    "expenditure_total": "预算支出总计",
    "general_public_current": "一般公共预算当年支出",
    "basic_total": "一般公共预算安排基本支出",
    "basic_personnel": "人员经费",
    "basic_public_use": "公用经费",
    "three_public_total": "“三公”经费预算",
    "performance_projects": "纳入绩效目标管理的项目",
}


def compact(text: str) -> str:
    """NFKC (full-width ，：；（）% -> ASCII, as the readers do) and no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def match_to_statements(key: str, match: re.Match[str], prov: Provenance) -> list[Statement]:
    """One pattern match -> its statement(s): a single amount, or one per share item."""
    groups = match.groupdict()
    if "items" in groups:
        base = Amount(groups["base"], UNIT) if groups.get("base") else None
        item_pattern = P.NARRATIVE_PART if key == "performance_part" else P.NARRATIVE_ITEM
        found = []
        for item in item_pattern.finditer(groups["items"]):
            label = item.group("label").lstrip(",;:、")
            count = int(item.group("n")) if "n" in item.groupdict() else None
            share = item.groupdict().get("p")
            found.append(Statement(key, label, Amount(item.group("v"), UNIT), prov, base=base,
                                   share_percent=share, count=count))
        return found
    change = groups.get("d")
    return [Statement(
        key, LABELS.get(key, key), Amount(groups["v"], UNIT), prov,
        change=Amount(change, UNIT) if change else None,
        change_direction={"增加": "increase", "减少": "decrease"}.get(groups.get("dir") or ""),
        change_percent=groups.get("dp"),
        count=int(groups["n"]) if groups.get("n") else None,
    )]


def text_to_statements(text: str, prov: Provenance) -> list[Statement]:
    """The statements of one paragraph (spaces dropped: PDF text layers space out figures)."""
    text = compact(text)
    found: list[Statement] = []
    for key, pattern in P.NARRATIVE_STATEMENTS:
        match = pattern.search(text)
        if match:
            found += match_to_statements(key, match, prov)
    found += text_to_subject_items(text, prov)
    return found


def text_to_subject_items(text: str, prov: Provenance) -> list[Statement]:
    """The nine-table 编制说明's subjects: 类(code类)款(code款)项(code项) amount, and, in the same
    sentence, last year's outturn, this year's plan and the printed change."""
    found: list[Statement] = []
    items = list(P.NARRATIVE_SUBJECT_ITEM.finditer(text))
    for n, item in enumerate(items):
        path = tuple(P.ENUMERATION.sub("", item.group(g)) for g in ("c", "k", "x"))
        codes = [item.group(g) for g in ("cc", "kc", "xc")]
        rest = text[item.end():items[n + 1].start() if n + 1 < len(items) else len(text)]
        outturn = P.NARRATIVE_OUTTURN_CHANGE.search(rest)
        found.append(Statement(
            "subject_item", "/".join(path), Amount(item.group("v"), UNIT), prov,
            base=Amount(outturn.group("prev"), UNIT) if outturn else None,
            change_direction={"增加": "increase", "减少": "decrease"}[outturn.group("dir")] if outturn else None,
            change_percent=outturn.group("dp") if outturn else None,
            subject_path=path, subject_code="".join(codes) if all(codes) else None,
            planned=Amount(outturn.group("cur"), UNIT) if outturn else None,
        ))
    return found


def sections_to_statements(sections: list[Section]) -> list[Statement]:
    """Every narrative statement, the first of each key (and item label) in reading order."""
    statements: list[Statement] = []
    seen: set[tuple[str, str]] = set()
    for section in sections:
        if section.kind not in (FRONT, NARRATIVE):  # the nine-table 编制说明 precedes any numbered heading
            continue
        for para in section.paragraphs():
            for statement in text_to_statements(para.text, para.prov):
                if (statement.key, statement.label) not in seen:
                    seen.add((statement.key, statement.label))
                    statements.append(statement)
    return statements
