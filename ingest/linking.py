"""Within one disclosure: which 项目支出绩效目标表 (sheet) belongs to which 表12 / 表13
entry (project).

Names first: a sheet goes to the project whose normalised name is the same (several
sheets may go to one project: a sheet repeated, or split over a page). Then, one to
one, a remaining sheet goes to a remaining project with a close name and the same
amount (表12/13 print 万元 to two decimals, the sheet's 年度资金总额 prints 元), or,
when the sheet prints no annual amount, a very close name. What stays unmatched on
either side is reported by ingest.reconcile.

>>> from budgetkg.ingest.amounts import Amount
>>> from budgetkg.ingest.model import Provenance
>>> from budgetkg.ingest.records import FundingLine, Project, ProjectSheet, TableCell, TableRow
>>> at = Provenance("x.txt", line=1)
>>> row = TableRow(12, 0, "党群工作经历费", [TableCell("total", "合计", Amount("723.50", "万元"))], at)
>>> annual = FundingLine("annual", "total", "年度资金总额", Amount("7,235,000", "元"), at)
>>> sheet = ProjectSheet(0, "党群工作经费", at, funding=[annual])
>>> links = link_sheets([Project("党群工作经历费", "current", row)], [sheet])
>>> links.links[0].method, links.unmatched_projects, links.unmatched_sheets
('close', [], [])
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from difflib import SequenceMatcher

from budgetkg.ingest.amounts import WAN
from budgetkg.ingest.records import Project, ProjectSheet
from budgetkg.ontology.iris import normalise_key

# Lowest name similarity (difflib ratio of the normalised names) for a close-name link
# when the sheet's annual amount equals the project's: 党群工作经费 / 党群工作经历费 is 0.92.
CLOSE_NAME_MIN_RATIO = 0.6
# ... and when the sheet prints no annual amount, so the amount cannot confirm the link:
# 规划建设经费 / 规划建设工作经历费 is 0.8.
CLOSE_NAME_MIN_RATIO_NO_AMOUNT = 0.75
# 表12/13 amounts are printed in 万元 to two decimals: a sheet amount in 元 is "the same"
# when it rounds to the printed 万元 figure.
WAN_QUANTUM = Decimal("0.01")

EXACT = "exact"
CLOSE = "close"


@dataclass(frozen=True, slots=True)
class SheetLink:
    sheet: int  # ProjectSheet.index
    project: int  # position in the disclosure's project list
    method: str  # exact | close
    similarity: float  # 1.0 for exact


@dataclass(slots=True)
class SheetLinks:
    links: list[SheetLink] = field(default_factory=list)
    unmatched_projects: list[int] = field(default_factory=list)  # positions in the project list
    unmatched_sheets: list[int] = field(default_factory=list)  # sheet indexes

    def project_of(self, sheet_index: int) -> int | None:
        return next((link.project for link in self.links if link.sheet == sheet_index), None)


def name_similarity(a: str, b: str) -> float:
    """Similarity of two printed names after normalisation (NFKC, no whitespace), 0..1."""
    return SequenceMatcher(None, normalise_key(a), normalise_key(b), autojunk=False).ratio()


def yuan_to_wan(yuan: Decimal) -> Decimal:
    return (yuan / WAN).quantize(WAN_QUANTUM, rounding=ROUND_HALF_UP)


def same_amount(project: Project, sheet: ProjectSheet) -> bool | None:
    """Whether the sheet's 年度资金总额 is the project's amount; None when either is not printed."""
    annual, total = sheet.total("annual"), project.total
    if annual is None or total is None:
        return None
    if total.unit == "万元" and annual.unit == "元":
        return yuan_to_wan(annual.yuan) == total.value.quantize(WAN_QUANTUM)
    return annual.yuan == total.yuan


def link_sheets(projects: list[Project], sheets: list[ProjectSheet]) -> SheetLinks:
    """Link each sheet to its project: exact normalised name, then close name with the same amount."""
    by_name: dict[str, int] = {}
    # 表12 (current) before 表13 (carryover), each in source order: the first entry of a name wins.
    for position in sorted(range(len(projects)), key=lambda i: (projects[i].list != "current", i)):
        by_name.setdefault(normalise_key(projects[position].name), position)

    result = SheetLinks()
    open_sheets: list[ProjectSheet] = []
    for sheet in sheets:
        position = by_name.get(normalise_key(sheet.name))
        if position is None:
            open_sheets.append(sheet)
        else:
            result.links.append(SheetLink(sheet.index, position, EXACT, 1.0))
    linked = {link.project for link in result.links}
    open_projects = [i for i in range(len(projects)) if i not in linked]

    candidates: list[tuple[float, int, int]] = []
    for sheet in open_sheets:
        for position in open_projects:
            agrees = same_amount(projects[position], sheet)
            if agrees is False or (agrees is None and sheet.total("annual") is not None):
                continue  # amounts differ, or the project prints none to confirm the sheet's
            ratio = name_similarity(projects[position].name, sheet.name)
            if ratio >= (CLOSE_NAME_MIN_RATIO if agrees else CLOSE_NAME_MIN_RATIO_NO_AMOUNT):
                candidates.append((ratio, sheet.index, position))
    # Best pairs first; ties in source order, so the result never depends on dict order.
    taken_sheets: set[int] = set()
    taken_projects: set[int] = set()
    for ratio, sheet_index, position in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if sheet_index in taken_sheets or position in taken_projects:
            continue
        taken_sheets.add(sheet_index)
        taken_projects.add(position)
        result.links.append(SheetLink(sheet_index, position, CLOSE, round(ratio, 3)))
    result.links.sort(key=lambda link: link.sheet)
    result.unmatched_projects = [i for i in open_projects if i not in taken_projects]
    result.unmatched_sheets = [s.index for s in open_sheets if s.index not in taken_sheets]
    return result
