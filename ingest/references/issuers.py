"""The issuer registry: 机关代字 -> issuing organization, administrative level and region.

The registry is data (``data/issuers.csv``), one code per row with a ``source``
column saying where the attribution comes from and a ``certainty`` column
(``sample`` / ``public`` / ``inferred`` / ``unidentified``).  A code is matched
exactly as printed in a canonical 文号 (NFKC, no spaces): a mistyped code such as
晋证办发 is *not* in the registry, and :func:`near_codes` finds the registered
codes one edit away from it (晋政办发) so callers can propose — never apply —
the correction.

>>> REGISTRY.issuer("晋政办发").organization
'山西省人民政府办公厅'
>>> REGISTRY.issuer("晋证办发") is None
True
>>> near_codes("晋证办发")  # a substitution first, then insertions / deletions
('晋政办发', '晋办发')
>>> edit_distance("豫示晋开综办函", "综示晋开综办函")
1
"""
from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REGISTRY_CSV = Path(__file__).with_name("data") / "issuers.csv"
# administrative levels a registry row may carry (the 中央 / 省 / 市 / 区县 / 开发区).
LEVELS = ("中央", "省", "市", "区县", "开发区")
# how sure the registry is of a row (see the CSV header).
CERTAINTIES = ("sample", "public", "inferred", "unidentified")


@dataclass(frozen=True, slots=True)
class Issuer:
    """One registry row."""

    code: str
    organization: str | None  # None when the code is attested but its issuer is not known
    level: str | None
    region: str | None
    certainty: str
    source: str

    @property
    def identified(self) -> bool:
        return self.organization is not None


class Registry:
    """The codes of one registry file, with lookups by code and by organization name."""

    def __init__(self, issuers: Iterable[Issuer]) -> None:
        self.by_code: dict[str, Issuer] = {}
        for issuer in issuers:
            self.by_code.setdefault(issuer.code, issuer)

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __iter__(self) -> Iterator[Issuer]:
        return iter(self.by_code.values())

    def __len__(self) -> int:
        return len(self.by_code)

    def issuer(self, code: str | None) -> Issuer | None:
        """The registry row of ``code`` as printed (NFKC, spaces dropped), or None."""
        if not code:
            return None
        return self.by_code.get(_norm(code))

    def issuer_named(self, name: str | None) -> Issuer | None:
        """A registry row whose organization is exactly ``name`` (spaces and width ignored)."""
        if not name:
            return None
        key = _norm(name)
        return next((i for i in self.by_code.values() if i.organization and _norm(i.organization) == key), None)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(self.by_code)

    @property
    def organizations(self) -> frozenset[str]:
        return frozenset(i.organization for i in self.by_code.values() if i.organization)


def _norm(s: str) -> str:
    return "".join(unicodedata.normalize("NFKC", s).split())


def read_registry(path: str | Path = REGISTRY_CSV) -> Registry:
    """Parse a registry CSV (``#`` lines are comments). Raises ValueError naming the bad line."""
    rows: list[Issuer] = []
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [(n, line) for n, line in enumerate(fh, 1) if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(line for _, line in lines)
    for (n, _), row in zip(lines[1:], reader, strict=True):
        code = _norm(row.get("code") or "")
        level = (row.get("level") or "").strip() or None
        certainty = (row.get("certainty") or "").strip()
        if not code or (level is not None and level not in LEVELS) or certainty not in CERTAINTIES:
            raise ValueError(f"{path}:{n}: bad registry row {row!r}")
        rows.append(Issuer(code, (row.get("organization") or "").strip() or None, level,
                           (row.get("region") or "").strip() or None, certainty, (row.get("source") or "").strip()))
    return Registry(rows)


@cache
def registry() -> Registry:
    """The registry shipped with the finder."""
    return read_registry()


REGISTRY = registry()


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance of two short codes, capped at ``limit`` (enough to ask "is it 1?")."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
        if min(cur) >= limit:
            return limit
        prev = cur
    return min(prev[-1], limit)


def near_codes(code: str, codes: Iterable[str] | None = None) -> tuple[str, ...]:
    """Registered codes exactly one edit away from ``code`` (a probable typo): substitutions
    (same length, the likelier slip) first, then insertions / deletions; each group sorted."""
    pool = REGISTRY.codes if codes is None else codes
    code = _norm(code)
    near = [c for c in pool if c != code and len(c) >= 2 and edit_distance(code, c) == 1]
    return tuple(sorted(near, key=lambda c: (len(c) != len(code), c)))
