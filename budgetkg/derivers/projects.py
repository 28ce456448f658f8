"""The same organization's projects linked across years.

For every organization (by identity key) and every year it has projects, each project
is compared with the projects of the organization's previous disclosure year:

- *exact*: the normalised names are equal (NFKC, no spaces, one form of dashes and
  quotes) -> a bk:ProjectLink with similarity 1 and ``later bk:continues earlier``;
- *candidate*: otherwise, the Dice coefficient of the names' jieba word tokens (years
  such as 2024年 left out, so 2024年创新能力建设项目 -> 2025年创新能力建设项目 is close)
  of at least CANDIDATE_MIN_SIMILARITY -> a bk:ProjectLink with its score; the best
  remaining pairs, one to one, also get ``later bk:mayContinue earlier``.

Matching runs separately for 表12 (current) and 表13 (carryover) projects of the later
year, each against all projects of the earlier year: a project carried over into 表13
may continue the same earlier project as its new 表12 tranche.

jieba is imported on the first candidate comparison only (it costs about a second),
never when no organization has two years.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from budgetkg.derive import Select, Triple, deriver
from budgetkg.ontology import iris
from budgetkg.ontology import terms as T

# Below this Dice similarity two differently named projects are not linked at all.
CANDIDATE_MIN_SIMILARITY = Decimal("0.5")
# Similarity is stored with this many decimals.
SIMILARITY_PLACES = Decimal("0.001")
# Variant dashes and quotes printed in project names -> one form, for exact matching.
NAME_VARIANTS = str.maketrans({"－": "-", "—": "-", "–": "-", "“": '"', "”": '"', "‘": "'", "’": "'"})
# A year inside a project name (2024年 / 2024年度): left out when scoring similarity.
YEAR_IN_NAME = re.compile(r"20\d{2}\s*年度?")
# Tokens that carry no meaning for similarity: punctuation, brackets, spaces.
NOISE_TOKEN = re.compile(r"^[\W_]+$")

PROJECTS = """
PREFIX bk: <https://w3id.org/budgetkg/ontology#>
SELECT DISTINCT ?p ?key ?year ?list ?name WHERE {
  GRAPH ?g {
    ?p a bk:Project ; bk:projectName ?name ; bk:projectList ?list ; bk:budgetedBy ?org ; bk:inDisclosure ?d .
    ?org bk:organizationKey ?key .
    ?d bk:fiscalYear/bk:yearNumber ?year .
  }
}
"""


@dataclass(frozen=True, slots=True)
class ProjectRef:
    iri: str
    year: int
    list: str
    name: str


@dataclass(frozen=True, slots=True)
class Link:
    later: ProjectRef
    earlier: ProjectRef
    similarity: Decimal
    kind: str  # exact | candidate
    chosen: bool  # the direct edge (continues / mayContinue) of the later project


def normalise_project_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).translate(NAME_VARIANTS).split()).lower()


@cache
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


@cache
def name_tokens(name: str) -> frozenset[str]:
    """Search-mode jieba tokens (培训费 -> 培训, 培训费) of the name without years or punctuation."""
    text = YEAR_IN_NAME.sub("", normalise_project_name(name))
    return frozenset(t for t in _jieba().lcut_for_search(text) if t.strip() and not NOISE_TOKEN.match(t))


def similarity(a: str, b: str) -> Decimal:
    """Dice coefficient of the two names' token sets, 0..1."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return Decimal(0)
    return (Decimal(2 * len(ta & tb)) / Decimal(len(ta) + len(tb))).quantize(SIMILARITY_PLACES)


def link_years(earlier: list[ProjectRef], later: list[ProjectRef]) -> list[Link]:
    """Links from the projects of one year to those of the organization's previous year."""
    links: list[Link] = []
    for list_kind in sorted({p.list for p in later}):
        todo = [p for p in later if p.list == list_kind]
        by_name: dict[str, list[ProjectRef]] = defaultdict(list)
        for q in earlier:
            by_name[normalise_project_name(q.name)].append(q)
        claimed: set[ProjectRef] = set()
        unmatched: list[ProjectRef] = []
        for p in todo:
            same = by_name.get(normalise_project_name(p.name), [])
            # The direct edge goes to the same list when the name is there twice (表12 and 表13).
            same = sorted(same, key=lambda q: (q.list != p.list, q.iri))
            for i, q in enumerate(same):
                links.append(Link(p, q, Decimal(1), "exact", i == 0))
                claimed.add(q)
            if not same:
                unmatched.append(p)
        open_earlier = [q for q in earlier if q not in claimed]
        scored = [(similarity(p.name, q.name), p, q) for p in unmatched for q in open_earlier]
        scored = [s for s in scored if s[0] >= CANDIDATE_MIN_SIMILARITY]
        scored.sort(key=lambda s: (-s[0], s[1].iri, s[2].iri))
        used_later: set[ProjectRef] = set()
        for score, p, q in scored:
            chosen = p not in used_later and q not in claimed
            if chosen:
                used_later.add(p)
                claimed.add(q)
            links.append(Link(p, q, score, "candidate", chosen))
    return links


def link_to_triples(link: Link) -> Iterable[Triple]:
    later, earlier = URIRef(link.later.iri), URIRef(link.earlier.iri)
    node = iris.project_link(later, earlier)
    yield node, RDF.type, T.ProjectLink
    yield node, T.laterProject, later
    yield node, T.earlierProject, earlier
    yield node, T.similarity, Literal(str(link.similarity), datatype=XSD.decimal)
    yield node, T.matchKind, Literal(link.kind)
    if link.chosen:
        yield later, T.continues if link.kind == "exact" else T.mayContinue, earlier


@deriver("project-links")
def project_links(select: Select) -> Iterable[Triple]:
    by_org: dict[str, dict[int, list[ProjectRef]]] = defaultdict(lambda: defaultdict(list))
    for row in select(PROJECTS).dicts():
        ref = ProjectRef(row["p"], int(row["year"]), row["list"], row["name"])
        by_org[row["key"]][ref.year].append(ref)
    previous_of: dict[str, str] = {}
    for years in by_org.values():
        ordered = sorted(years)
        for previous, year in zip(ordered, ordered[1:], strict=False):
            for link in link_years(years[previous], years[year]):
                if link.chosen:
                    previous_of[link.later.iri] = link.earlier.iri
                yield from link_to_triples(link)
    # The first project of each history, so queries need no * path (Virtuoso 7 cannot run
    # those): the chosen edges go strictly back in years, one per project, so this ends.
    for ref in {ref for years in by_org.values() for refs in years.values() for ref in refs}:
        first = ref.iri
        while first in previous_of:
            first = previous_of[first]
        yield URIRef(ref.iri), T.historyFirst, URIRef(first)
        # Every name of the history on its first project: project-history finds the histories
        # with a name containing a text here, one literal per name, not project by project.
        yield URIRef(first), T.historyName, Literal(ref.name)
