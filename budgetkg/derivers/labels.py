"""Choosing one preferred label among the names a thing is printed with."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from budgetkg.derive import Triple


@dataclass(frozen=True, slots=True)
class Printed:
    """One name a thing is printed with: how often, and the latest year it was printed."""

    name: str
    count: int
    latest_year: int = 0


def balanced(name: str) -> bool:
    """A name cut off inside its brackets (a truncated cell) is a worse label."""
    return name.count("(") == name.count(")") and name.count("（") == name.count("）")


def preferred(names: Iterable[Printed]) -> tuple[str, list[str]]:
    """(prefLabel, altLabels): most frequent first, then whole (balanced) names, then the
    latest printed, then the shortest; ties broken by the name so the choice is stable."""
    ranked = sorted(names, key=lambda p: (-p.count, not balanced(p.name), -p.latest_year, len(p.name), p.name))
    names_in_order = list(dict.fromkeys(p.name for p in ranked))
    return names_in_order[0], names_in_order[1:]


def label_triples(subject: URIRef, names: Iterable[Printed], fixed: str | None = None) -> Iterable[Triple]:
    """skos:prefLabel (``fixed`` when the scheme fixes it; the document graphs state that one) and,
    for a client that reads only rdfs:label, the same as rdfs:label; skos:altLabel for every other name."""
    pref, alts = preferred(names)
    if fixed is not None:
        pref, alts = fixed, [n for n in [pref, *alts] if n != fixed]
    else:
        yield subject, SKOS.prefLabel, Literal(pref, lang="zh")
        yield subject, RDFS.label, Literal(pref, lang="zh")
    for alt in alts:
        yield subject, SKOS.altLabel, Literal(alt, lang="zh")
